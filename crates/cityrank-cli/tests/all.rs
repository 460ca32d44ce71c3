//! End-to-end tests of the `cityrank` command and the engine on real and bundled data.
//! One binary, a module per subject.

mod bad_input;
mod cli;
mod epi;
mod example;
mod faults;
mod help;
mod init;
mod limits;
mod pipeline;
mod tutorial;

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

/// Runs the binary with no console width (so nothing is wrapped); returns (success, stdout,
/// stderr).
pub fn cityrank(args: &[&str]) -> (bool, String, String) {
    cityrank_in(None, args)
}

/// Runs the binary as in a console `columns` wide (`$COLUMNS`), or with none.
pub fn cityrank_in(columns: Option<usize>, args: &[&str]) -> (bool, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cityrank"));
    cmd.args(args).current_dir(root()).env_remove("COLUMNS");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c.to_string());
    }
    let out = cmd.output().expect("run cityrank");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
