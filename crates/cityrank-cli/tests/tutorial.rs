//! docs/tutorial.md, run: every command of its `sh` blocks, in order, in a fresh folder holding
//! a copy of the tutorial's table, so the page cannot drift from the program.

use crate::root;

/// The commands of the page's ```sh blocks, split into arguments (none needs quoting).
fn commands(markdown: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in markdown.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = !in_sh && t == "```sh";
            continue;
        }
        if in_sh && !t.is_empty() {
            let words: Vec<String> = t.split_whitespace().map(String::from).collect();
            assert_eq!(
                words[0], "cityrank",
                "a tutorial step that is not a command: {t}"
            );
            out.push(words[1..].to_vec());
        }
    }
    out
}

#[test]
fn every_command_of_the_tutorial_runs() {
    let page = std::fs::read_to_string(root().join("docs/tutorial.md")).unwrap();
    let steps = commands(&page);
    let names: Vec<&str> = steps.iter().map(|s| s[0].as_str()).collect();
    for want in [
        "init",
        "validate",
        "run",
        "uncertainty",
        "report",
        "site",
        "audit",
    ] {
        assert!(
            names.contains(&want),
            "the tutorial has a `{want}` step: {names:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("examples/tutorial");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["towns.csv", "published.csv"] {
        std::fs::copy(root().join("examples/tutorial").join(f), data.join(f)).unwrap();
    }
    for args in &steps {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cityrank"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("COLUMNS")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "cityrank {}\n{stdout}\n{stderr}",
            args.join(" ")
        );
        if args[0] == "audit" {
            assert!(
                stdout.contains("pass") && !stdout.contains("FAIL"),
                "{stdout}"
            );
        }
    }
    let results = dir.path().join("towns/results");
    for f in [
        "scores.csv",
        "uncertainty.csv",
        "report.html",
        "site/index.html",
        "manifest.json",
    ] {
        assert!(results.join(f).exists(), "{f} written");
    }
}
