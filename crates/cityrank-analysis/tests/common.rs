//! Loading the bundled example, as is or with another method and `[uncertainty]` section.

use cityrank_analysis::Model;
use cityrank_io::{LoadedData, LoadedSpec};
use std::path::PathBuf;

pub fn example_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/blockchain-2020"
    ))
}

/// Loads a spec; the bundled example's record-based indicators are read from the generator's
/// table (`data/indicators.csv`), which the CLI's tests prove equal to what the records give, so
/// these tests need no SQL engine.
pub fn load(path: &std::path::Path) -> (LoadedSpec, LoadedData, Model) {
    let mut spec = cityrank_io::load_spec(path).expect("spec loads");
    if spec.spec.records().is_some() {
        let table = example_dir().join("data/indicators.csv");
        spec = spec.with_indicator_table(&table.display().to_string());
    }
    let data = cityrank_io::load_data(&spec).expect("data loads");
    let model = Model::new(&spec.spec, &spec.plan(), &data.dataset).expect("model");
    (spec, data, model)
}

pub fn bundled() -> (LoadedSpec, LoadedData, Model) {
    load(&example_dir().join("spec.toml"))
}

/// The bundled spec with `edit` applied to its text, written to a temporary folder with
/// absolute data paths.
pub fn variant(name: &str, edit: impl Fn(String) -> String) -> (LoadedSpec, LoadedData, Model) {
    let dir = example_dir();
    let text = std::fs::read_to_string(dir.join("spec.toml")).unwrap();
    let text = text.replace(
        "file = \"data/",
        &format!("file = \"{}/data/", dir.display()),
    );
    let tmp = std::env::temp_dir().join(format!("cityrank-analysis-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let path = tmp.join("spec.toml");
    std::fs::write(&path, edit(text)).unwrap();
    load(&path)
}

/// Every kind of assumption, on a positive normalisation so that geometric and harmonic means
/// are possible.
pub fn rich() -> (LoadedSpec, LoadedData, Model) {
    variant("rich", |t| {
        t.replace(
            "normalise = \"ratio_to_max\"",
            "normalise = { method = \"min_max\", low = 1, high = 100 }",
        ) + r#"
[uncertainty]
weight_noise = 0.3
aggregations = ["arithmetic", "geometric", "harmonic"]
aggregation_levels = [2, 3]
normalisations = [{ method = "min_max", low = 10, high = 100 }, { method = "percentile", scale = 100 }]
outliers = [{ method = "skew_kurt" }]
exclude_indicator = true

[[uncertainty.level]]
level = 2
noise = 0.5
"#
    })
}
