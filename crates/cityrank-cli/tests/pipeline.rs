//! One pipeline: the library entry point, `cityrank run`, the edition `serve` loads and the
//! what-if recompute at nominal weights give the same scores, bit for bit; `plan` shows the
//! weights run uses; no command prints Debug text; run builds the index once.

use crate::{cityrank, root};
use std::path::{Path, PathBuf};

/// The bundled examples and the method variants the test suites build (data-driven weights,
/// MCDA and a positive normalisation for the geometric mean), written beside a copy of the
/// example so that their record sources resolve.
fn specs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = ["asem", "blockchain-2020", "blockchain-2021", "epi2020"]
        .iter()
        .map(|e| root().join("examples").join(e).join("spec.toml"))
        .collect();
    let ex = dir.join("ex");
    crate::cli::copy_dir(&root().join("examples/blockchain-2020"), &ex);
    let text = std::fs::read_to_string(ex.join("spec.toml")).unwrap();
    let variants = [
        ("entropy", "[index]\nweighting = \"entropy\"\n"),
        ("critic", "[index]\nweighting = { method = \"critic\" }\n"),
        ("pca", "[index]\nweighting = \"pca_varimax\"\n"),
        ("topsis", "[index]\naggregate = \"topsis\"\n"),
    ];
    for (name, head) in variants {
        let path = ex.join(format!("{name}.toml"));
        std::fs::write(&path, text.replacen("[index]\n", head, 1)).unwrap();
        out.push(path);
    }
    out
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn library_run_serve_and_whatif_give_the_same_scores() {
    let dir = tempfile::tempdir().unwrap();
    for spec in specs(dir.path()) {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let parent = spec
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let tag = format!("{parent}-{name}");
        let run_out = dir.path().join(format!("run-{tag}"));
        let (ok, _, stderr) = cityrank(&[
            "run",
            "--quiet",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            run_out.to_str().unwrap(),
        ]);
        assert!(ok, "{tag}: {stderr}");
        let built = cityrank_engine::build(&spec, &Default::default()).expect("builds");
        let lib_out = dir.path().join(format!("lib-{tag}"));
        built.write(&lib_out).unwrap();
        assert_eq!(files(&lib_out), files(&run_out), "{tag}: engine == run");

        // The edition `serve` and `site` load: the engine's build handed over.
        let n = built.results.n_units();
        let root_node = built.spec.framework.root;
        let run_scores = built.results.scores.col(root_node).to_vec();
        let ed = cityrank_publish::edition::Edition::from_built(
            built.spec.clone(),
            built.data.clone(),
            built.results.clone(),
        );
        let served = dir.path().join(format!("serve-{tag}"));
        cityrank_io::write::write_results(
            &served,
            &ed.spec,
            &ed.data,
            &ed.results,
            cityrank_engine::settings(&Default::default(), serde_json::json!({})),
        )
        .unwrap();
        for f in [
            "scores.csv",
            "scores_wide.csv",
            "weights.csv",
            "scores.json",
        ] {
            assert_eq!(
                std::fs::read(served.join(f)).unwrap(),
                std::fs::read(run_out.join(f)).unwrap(),
                "{tag}: {f} of the served edition == run"
            );
        }

        // The what-if recompute at the nominal weights.
        let engine = cityrank_whatif::Engine::new(cityrank_publish::whatif::state(&ed)).unwrap();
        let req = cityrank_whatif::Request {
            weights: engine.nominal(),
            aggregate: None,
        };
        let out = engine.run(&req).expect("recomputes");
        assert_eq!(out.rows.len(), n, "{tag}: every ranked unit");
        for r in &out.rows {
            assert_eq!(
                r.score.to_bits(),
                run_scores[r.index].to_bits(),
                "{tag}: what-if score of {}",
                r.unit
            );
            assert_eq!(r.rank, r.base_rank, "{tag}: what-if rank of {}", r.unit);
        }
    }
}

#[test]
fn plan_prints_the_data_driven_weights_run_writes() {
    let dir = tempfile::tempdir().unwrap();
    let spec = specs(dir.path())
        .into_iter()
        .find(|p| p.ends_with("entropy.toml"))
        .unwrap();
    let spec = spec.to_str().unwrap();
    let out = dir.path().join("out");
    let (ok, _, stderr) = cityrank(&["run", "--spec", spec, "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let (ok, text, stderr) = cityrank(&["plan", "--spec", spec]);
    assert!(ok, "{stderr}");
    let (ok, json, stderr) = cityrank(&["plan", "--json", "--spec", spec]);
    assert!(ok, "{stderr}");
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["plan"], plan, "the manifest stores the plan");
    let index = plan["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["weighting"] == "entropy")
        .expect("the entropy node");
    assert_eq!(index["weights_from_data"], true);
    let csv = std::fs::read_to_string(out.join("weights.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let (node_col, w_col) = (
        header.iter().position(|h| *h == "node").unwrap(),
        header.iter().position(|h| *h == "weight").unwrap(),
    );
    let mut checked = 0;
    for c in index["children"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let row = csv
            .lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|r| r[node_col] == id)
            .unwrap_or_else(|| panic!("{id} in weights.csv:\n{csv}"));
        let written: f64 = row[w_col].parse().unwrap();
        let planned = c["weight"].as_f64().unwrap();
        assert_eq!(written, planned, "{id}: plan --json == weights.csv");
        assert!(
            text.contains(&format!("{id} {planned:.4}")),
            "{id} {planned:.4} in the plan:\n{text}"
        );
        checked += 1;
    }
    assert_eq!(checked, 4, "four dimensions");
    assert!(
        text.contains("weighting entropy: computed from the data of"),
        "{text}"
    );
}

/// Every command's console output (and errors) in the spec's words, never Rust's Debug text.
#[test]
fn no_command_prints_debug_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    let spec = "examples/blockchain-2020/spec.toml";
    let commands: Vec<Vec<&str>> = vec![
        vec!["run", "--spec", spec, "--out", o],
        vec!["validate", "--spec", spec],
        vec!["plan", "--spec", spec],
        vec!["plan", "--spec", "examples/epi2020/spec.toml"],
        vec!["plan", "--json", "--spec", spec],
        vec!["profile", "Beijing", "--spec", spec],
        vec!["compare", "Beijing", "Shanghai", "--spec", spec],
        vec!["weights", "--method", "entropy", "--spec", spec, "--out", o],
        vec![
            "weights", "--method", "nonsense", "--spec", spec, "--out", o,
        ],
        vec!["records", "ind_firms", "Beijing", "--spec", spec],
        vec!["export", "--format", "wide", "--spec", spec],
        vec!["export", "--format", "json", "--spec", spec],
        vec!["uncertainty", "-n", "200", "--spec", spec, "--out", o],
        vec!["coherence", "--spec", spec, "--out", o],
        vec!["audit", "--spec", spec, "--out", o],
        vec!["report", "--spec", spec, "--out", o],
        vec!["site", "--spec", spec, "--out", o],
    ];
    for args in commands {
        let (ok, stdout, stderr) = cityrank(&args);
        // One deliberate error: its message is checked too.
        let should_fail = args.contains(&"nonsense");
        assert_eq!(ok, !should_fail, "`cityrank {}`: {stderr}", args.join(" "));
        for debug in ["{ ", "None", "Some("] {
            for (what, text) in [("stdout", &stdout), ("stderr", &stderr)] {
                assert!(
                    !text.contains(debug),
                    "`{debug}` in the {what} of `cityrank {}`:\n{text}",
                    args.join(" ")
                );
            }
        }
    }
}

#[test]
fn run_builds_the_index_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_cityrank"))
        .args(["run", "--quiet", "--out", out.to_str().unwrap()])
        .current_dir(root())
        .env("CITYRANK_LOG_BUILDS", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.contains("index built 1 time(s)"), "{stderr}");
}
