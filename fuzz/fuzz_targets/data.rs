//! The units and `[[data]]` tables, loaded against the blockchain-2021 example's spec and then
//! built, and any bytes as an .xlsx workbook. The first byte chooses which table the rest is:
//! 0 the units table (with the example's data), 1 the data table (with the example's units),
//! 2 a workbook.
#![no_main]

use cityrank_io::input::InputTable;
use cityrank_io::LoadedSpec;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

const SPEC: &str = include_str!("../../examples/blockchain-2021/spec.toml");
const UNITS: &[u8] = include_bytes!("../../examples/blockchain-2021/data/cities.csv");
const DATA: &[u8] = include_bytes!("../../examples/blockchain-2021/data/indicators.csv");

fn spec() -> &'static LoadedSpec {
    static SPEC_LOADED: OnceLock<LoadedSpec> = OnceLock::new();
    SPEC_LOADED.get_or_init(|| {
        LoadedSpec::from_text(Path::new("spec.toml"), SPEC.into()).expect("the example's spec")
    })
}

/// Loads and builds the example with these tables; its `[[data]]` entry reads column `unit`.
fn load(units: &[u8], data: &[u8]) {
    let spec = spec()
        .clone()
        .with_tables(Some(units.to_vec()), Some(("unit".into(), data.to_vec())));
    if let Ok(loaded) = cityrank_io::load_data(&spec) {
        let _ = cityrank_io::build(&spec, &loaded);
    }
}

fn workbook(bytes: &[u8]) {
    if let Ok(table) =
        InputTable::from_xlsx_bytes(Path::new("book.xlsx"), bytes.to_vec(), None, "data")
    {
        let _ = table.read_all();
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => load(body, DATA),
        1 => load(UNITS, body),
        _ => workbook(body),
    }
});
