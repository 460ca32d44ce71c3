//! Paths, builds and hostile fixtures shared by the test modules.

use cityrank_publish::Edition;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn spec(edition: &str) -> PathBuf {
    root().join(format!("examples/blockchain-{edition}/spec.toml"))
}

pub fn edition(year: &str) -> Edition {
    load(&spec(year))
}

/// Builds an edition; record-based indicators are read from the generator's indicator table
/// (the CLI's tests prove the records give exactly those values), so no SQL engine is needed.
pub fn load(path: &Path) -> Edition {
    let mut spec = cityrank_io::load_spec(path).expect("spec loads");
    if spec.spec.records().is_some() {
        spec = spec.with_indicator_table("data/indicators.csv");
    }
    let data = cityrank_io::load_data(&spec).expect("data loads");
    Edition::from_loaded(spec, data).expect("bundled example builds")
}

pub const HOSTILE: &str = "<script>alert(1)</script>";

/// A copy of the 2020 example in `dir` where Beijing is called `<script>alert(1)</script>`.
pub fn hostile_edition(dir: &Path) -> Edition {
    let src = root().join("examples/blockchain-2020");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(src.join("spec.toml"), dir.join("spec.toml")).unwrap();
    std::fs::copy(
        src.join("data/indicators.csv"),
        dir.join("data/indicators.csv"),
    )
    .unwrap();
    let cities = std::fs::read_to_string(src.join("data/cities.csv")).unwrap();
    let cities = cities.replacen("110000,Beijing,", &format!("110000,\"{HOSTILE}\","), 1);
    std::fs::write(dir.join("data/cities.csv"), cities).unwrap();
    load(&dir.join("spec.toml"))
}

/// A copy of the 2020 example in `dir` that does not say its data are illustrative, with its
/// own id and a label after 2020 and before 2021, to test which edition is shown first.
pub fn real_edition(dir: &Path) -> Edition {
    let src = root().join("examples/blockchain-2020");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    for f in ["data/indicators.csv", "data/cities.csv"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let spec = std::fs::read_to_string(src.join("spec.toml")).unwrap();
    let spec = spec
        .replacen("illustrative = true", "illustrative = false", 1)
        .replacen("id = \"blockchain-2020\"", "id = \"blockchain-real\"", 1)
        .replacen("edition = \"2020\"", "edition = \"2020b\"", 1);
    std::fs::write(dir.join("spec.toml"), spec).unwrap();
    load(&dir.join("spec.toml"))
}
