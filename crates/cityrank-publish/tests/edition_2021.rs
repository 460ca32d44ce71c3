//! The imagined 2021 edition: its committed CSVs are the generator's output.

use crate::common::root;
use cityrank_example::{cities_csv, generate, indicators_csv, GeneratorSettings};

/// Set CITYRANK_BLESS=1 to rewrite the committed CSVs after changing generator.toml.
#[test]
fn committed_2021_csvs_are_the_generator_output() {
    let dir = root().join("examples/blockchain-2021");
    let settings = GeneratorSettings::load(&dir.join("generator.toml")).expect("generator.toml");
    let data = generate(&settings).expect("generate");
    let out = dir.join("data");
    if std::env::var_os("CITYRANK_BLESS").is_some() {
        cityrank_example::write_csvs(&data, &out).expect("write");
    }
    let cities = std::fs::read_to_string(out.join("cities.csv")).expect("cities.csv");
    let values = std::fs::read_to_string(out.join("indicators.csv")).expect("indicators.csv");
    assert!(
        cities == cities_csv(&data),
        "cities.csv differs from the generator"
    );
    assert!(
        values == indicators_csv(&data),
        "indicators.csv differs from the generator"
    );
}
