//! The what-if request body (the JSON of `POST /api/whatif` and of the pages' WebAssembly
//! engine), run on the state of the built blockchain-2021 example.
#![no_main]

use cityrank_io::LoadedSpec;
use cityrank_whatif::{Engine, Request, State};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

const SPEC: &str = include_str!("../../examples/blockchain-2021/spec.toml");
const UNITS: &[u8] = include_bytes!("../../examples/blockchain-2021/data/cities.csv");
const DATA: &[u8] = include_bytes!("../../examples/blockchain-2021/data/indicators.csv");

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let spec = LoadedSpec::from_text(Path::new("spec.toml"), SPEC.into())
            .expect("the example's spec")
            .with_tables(Some(UNITS.to_vec()), Some(("unit".into(), DATA.to_vec())));
        let data = cityrank_io::load_data(&spec).expect("the example's data");
        let results = cityrank_io::build(&spec, &data).expect("the example builds");
        Engine::new(State::of(&spec.framework, &data.dataset, &results))
            .expect("a build's own state")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(req) = serde_json::from_slice::<Request>(data) {
        let _ = engine().run(&req);
    }
});
