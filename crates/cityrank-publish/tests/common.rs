//! Paths and builds shared by the test modules.

use std::path::PathBuf;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn spec(edition: &str) -> PathBuf {
    root().join(format!("examples/blockchain-{edition}/spec.toml"))
}
