//! The command's help: every command and every argument explains itself.

use crate::cityrank;

/// The names in the `Commands:` list of `cityrank --help`.
fn commands() -> Vec<String> {
    let (ok, stdout, stderr) = cityrank(&["--help"]);
    assert!(ok, "{stderr}");
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect()
}

/// Argument lines of a short help (`-h`, one line each) that carry no description.
fn undocumented(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !(l.starts_with("Arguments:") || l.starts_with("Options:")))
        .filter(|l| l.starts_with("  ") && !l.trim_start().is_empty())
        .filter(|l| {
            let t = l.trim_start();
            // A name line is `-x, --long <V>` or `<NAME>`; its description follows two spaces.
            (t.starts_with('-') || t.starts_with('<')) && t.split("  ").nth(1).is_none()
        })
        .map(String::from)
        .collect()
}

#[test]
fn every_command_and_argument_has_help() {
    let cmds = commands();
    assert!(cmds.len() > 15, "{cmds:?}");
    for c in &cmds {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cityrank"))
            .args([c.as_str(), "-h"])
            .env("COLUMNS", "400")
            .output()
            .expect("run cityrank");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{c} -h");
        let missing = undocumented(&help);
        assert!(
            missing.is_empty(),
            "`{c}` arguments without help: {missing:?}\n{help}"
        );
    }
}

#[test]
fn help_wraps_to_the_terminal() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cityrank"))
        .args(["run", "--help"])
        .env("COLUMNS", "60")
        .output()
        .expect("run cityrank");
    let help = String::from_utf8_lossy(&out.stdout);
    let widest = help.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= 60, "widest line {widest}:\n{help}");
}

#[test]
fn typed_flags_refuse_a_bad_value_before_anything_runs() {
    let (ok, _, stderr) = cityrank(&["--engine", "nowhere", "plan"]);
    assert!(!ok);
    assert!(
        stderr.contains("'nowhere' for '--engine") && stderr.contains("fix: use `local`"),
        "{stderr}"
    );
}

#[test]
fn developer_commands_are_hidden_from_help_but_still_run() {
    let cmds = commands();
    for dev in ["bench", "generate", "generate-records"] {
        assert!(!cmds.iter().any(|c| c == dev), "{dev} listed in {cmds:?}");
        let (ok, stdout, stderr) = cityrank(&[dev, "--help"]);
        assert!(
            ok && stdout.contains("Developer command"),
            "{dev}: {stderr}"
        );
    }
}
