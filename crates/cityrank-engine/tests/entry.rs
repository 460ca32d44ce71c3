//! `cityrank_engine::build` computes record indicators, builds once and writes what it built.

use cityrank_engine::{build, BuildOptions};
use std::path::PathBuf;

fn example(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))
        .join(name)
        .join("spec.toml")
}

/// The bundled example defines most indicators on raw records; the engine must compute them
/// (the generator's `data/indicators.csv` holds the values the records were drawn from).
#[test]
fn record_indicators_are_computed_from_the_records() {
    let path = example("blockchain-2020");
    let built = build(&path, &BuildOptions::default()).expect("builds");
    let spec = cityrank_io::load_spec(&path)
        .unwrap()
        .with_indicator_table("data/indicators.csv");
    let data = cityrank_io::load_data(&spec).unwrap();
    let table = cityrank_io::build(&spec, &data).unwrap();
    assert!(built.data.extra.contains_key("records"));
    assert_eq!(built.results.scores.values.len(), table.scores.values.len());
    for (a, b) in built.results.scores.values.iter().zip(&table.scores.values) {
        assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
    }
}

/// A spec without records: the engine's results are the plan's results, and the folder it
/// writes lists every file with its hash in the manifest.
#[test]
fn a_plain_spec_builds_and_writes_its_folder() {
    let path = example("asem");
    let built = build(&path, &BuildOptions::default()).expect("builds");
    let spec = cityrank_io::load_spec(&path).unwrap();
    let data = cityrank_io::load_data(&spec).unwrap();
    let direct = spec.plan().build(&data.dataset).unwrap();
    assert_eq!(built.results.ranks, direct.ranks);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    built.write(&out).expect("writes");
    let m = cityrank_io::manifest::FolderManifest::read(&out)
        .unwrap()
        .expect("a manifest");
    m.verify(&out).expect("hashes match");
    assert!(m.commands.contains_key("run"));
}
