//! One pipeline: the library entry point, `cityrank run`, the edition `serve` loads and the
//! what-if recompute at nominal weights give the same scores, bit for bit; `plan` shows the
//! weights run uses; no command prints Debug text; run builds the index once.

use crate::{cityrank, root};
use std::path::{Path, PathBuf};

/// Every spec the test suites build: the bundled examples, the tutorial's spec as `init`
/// writes it, and the variants the crates' tests build (data-driven weights, MCDA, positive
/// normalisations for the geometric mean, each rule of real indices in its other forms), each
/// written beside a copy of its example so that its data and record sources resolve.
fn specs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = [
        "asem",
        "blockchain-2020",
        "blockchain-2021",
        "epi2020",
        "rules",
    ]
    .iter()
    .map(|e| root().join("examples").join(e).join("spec.toml"))
    .collect();
    out.push(tutorial_spec(dir));
    let head = |h: &'static str| move |t: String| t.replacen("[index]\n", h, 1);
    let positive = |t: String| {
        t.replace(
            "normalise = \"ratio_to_max\"",
            "normalise = { method = \"min_max\", low = 1, high = 100 }",
        )
        .replace(
            "normalise = { method = \"min_max\", low = 0, high = 100 }",
            "normalise = { method = \"min_max\", low = 1, high = 100 }",
        )
        .replacen("[index]\n", "[index]\naggregate = \"geometric\"\n", 1)
    };
    type Edit = Box<dyn Fn(String) -> String>;
    let variants: Vec<(&str, &str, Edit)> = vec![
        (
            "blockchain-2020",
            "entropy",
            Box::new(head("[index]\nweighting = \"entropy\"\n")),
        ),
        (
            "blockchain-2020",
            "critic",
            Box::new(head("[index]\nweighting = { method = \"critic\" }\n")),
        ),
        (
            "blockchain-2020",
            "pca",
            Box::new(head("[index]\nweighting = \"pca_varimax\"\n")),
        ),
        (
            "blockchain-2020",
            "topsis",
            Box::new(head("[index]\naggregate = \"topsis\"\n")),
        ),
        ("blockchain-2020", "geometric", Box::new(positive)),
        ("asem", "geometric", Box::new(positive)),
        (
            "rules",
            "entropy",
            Box::new(head("[index]\nweighting = \"entropy\"\n")),
        ),
        (
            "rules",
            "raw",
            Box::new(|t: String| t.replace("over = \"scores\"", "over = \"raw\"")),
        ),
        (
            "rules",
            "median",
            Box::new(|t: String| {
                t.replace("order = \"impute_first\"", "order = \"screen_first\"")
                    .replace(
                        "method = \"mean\", group = \"region\", over = \"scores\"",
                        "method = \"median\", over = \"scores\", only_with_data = true",
                    )
            }),
        ),
        (
            "rules",
            "round",
            Box::new(head(
                "[index]\nround = 0\nimpute_node = { method = \"mean\", over = \"scores\" }\n",
            )),
        ),
    ];
    for (example, name, edit) in variants {
        let ex = dir.join(format!("ex-{example}"));
        if !ex.exists() {
            crate::cli::copy_dir(&root().join("examples").join(example), &ex);
        }
        let text = std::fs::read_to_string(ex.join("spec.toml")).unwrap();
        let path = ex.join(format!("{name}.toml"));
        let edited = edit(text.clone());
        assert_ne!(edited, text, "{example}-{name} changes the spec");
        std::fs::write(&path, edited).unwrap();
        out.push(path);
    }
    out
}

/// The spec `cityrank init` writes from the tutorial's table (docs/tutorial.md, step 1).
fn tutorial_spec(dir: &Path) -> PathBuf {
    let towns = dir.join("towns");
    let (ok, _, stderr) = cityrank(&[
        "init",
        towns.to_str().unwrap(),
        "--from",
        "examples/tutorial/towns.csv",
    ]);
    assert!(ok, "{stderr}");
    towns.join("spec.toml")
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

/// Re-weighting in the what-if gives what the engine gives when it builds the spec with those
/// dimension weights written into the index, bit for bit, on every spec (the rules of real
/// indices included).
#[test]
fn whatif_reweighting_equals_a_rebuild_with_those_weights() {
    let dir = tempfile::tempdir().unwrap();
    for spec in specs(dir.path()) {
        let tag = spec
            .strip_prefix(dir.path())
            .unwrap_or(&spec)
            .display()
            .to_string();
        let built = cityrank_engine::build(&spec, &Default::default()).expect("builds");
        let ed = cityrank_publish::edition::Edition::from_built(
            built.spec.clone(),
            built.data.clone(),
            built.results.clone(),
        );
        let engine = cityrank_whatif::Engine::new(cityrank_publish::whatif::state(&ed)).unwrap();
        let fw = &built.spec.framework;
        let dims = fw.dimensions().to_vec();
        let n = dims.len() as f64;
        let weightings: Vec<Vec<f64>> = vec![
            (1..=dims.len()).map(|k| k as f64).collect(),
            (1..=dims.len())
                .map(|k| (n + 1.0 - k as f64) * 0.7)
                .collect(),
            (0..dims.len())
                .map(|k| if k == 0 { 5.0 } else { 0.25 })
                .collect(),
        ];
        for w in weightings {
            let req = cityrank_whatif::Request {
                weights: dims
                    .iter()
                    .map(|&d| fw.nodes[d].id.clone())
                    .zip(w.clone())
                    .collect(),
                aggregate: None,
            };
            let got = engine
                .run(&req)
                .unwrap_or_else(|e| panic!("{tag} {w:?}: {e}"));
            let mut spec_w = built.spec.clone();
            for (&d, &x) in dims.iter().zip(&w) {
                spec_w.framework.nodes[d].weight = x;
            }
            let root = fw.root;
            if let cityrank_core::NodeKind::Aggregate(m) = &mut spec_w.framework.nodes[root].kind {
                m.weighting = cityrank_core::spec::Weighting::Explicit;
            }
            let rebuilt =
                cityrank_engine::from_loaded(spec_w, built.data.clone(), &Default::default())
                    .unwrap_or_else(|e| panic!("{tag} {w:?}: rebuild: {e}"))
                    .results;
            assert_eq!(got.rows.len(), rebuilt.ranking(root).len(), "{tag} {w:?}");
            for r in &got.rows {
                assert_eq!(rebuilt.units[r.index].id, r.unit, "{tag}: same units");
                assert_eq!(
                    r.score.to_bits(),
                    rebuilt.score(r.index, root).to_bits(),
                    "{tag} {w:?}: score of {}",
                    r.unit
                );
                assert_eq!(
                    Some(r.rank),
                    rebuilt.rank(r.index, root),
                    "{tag} {w:?}: rank of {}",
                    r.unit
                );
            }
        }
    }
}

#[test]
fn plan_prints_the_data_driven_weights_run_writes() {
    let dir = tempfile::tempdir().unwrap();
    let spec = specs(dir.path())
        .into_iter()
        .find(|p| p.ends_with("ex-blockchain-2020/entropy.toml"))
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
