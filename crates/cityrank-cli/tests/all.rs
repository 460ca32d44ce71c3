//! End-to-end tests of the `cityrank` command and the engine on real and bundled data.
//! One binary, a module per subject.

mod bad_input;
mod cli;
mod epi;
mod example;
mod help;

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// Runs the binary; returns (success, stdout, stderr).
pub fn cityrank(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cityrank"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run cityrank");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
