//! The command line as a user runs it.

use crate::{cityrank, root};

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn run_prints_the_ranking_and_writes_every_result() {
    let dir = tmp();
    let out = dir.path().join("out");
    let (ok, stdout, stderr) = cityrank(&["run", "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    for want in [
        "ILLUSTRATIVE DATA",
        "Assessed 100 cities; ranked 83; not ranked 17.",
        "Top 50",
        "Beijing 北京",
        "99.82",
        "Chongqing 重庆",
        "Assessed but not ranked (17)",
    ] {
        assert!(stdout.contains(want), "missing `{want}` in:\n{stdout}");
    }
    for f in [
        "scores.csv",
        "scores_wide.csv",
        "scores.json",
        "excluded.csv",
        "weights.csv",
        "profiles.json",
        "manifest.json",
        "NOTICE.txt",
        "steps/treatment.csv",
        "steps/screen.json",
    ] {
        assert!(out.join(f).exists(), "{f} written");
    }
    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    assert!(
        scores.starts_with("unit,name,node,level,score,rank"),
        "contract columns first"
    );
    assert!(
        scores
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("110000,Beijing,BCI,3,99.8"),
        "{}",
        scores.lines().nth(1).unwrap()
    );
    assert!(scores.lines().nth(1).unwrap().ends_with(",illustrative"));
    let excluded = std::fs::read_to_string(out.join("excluded.csv")).unwrap();
    assert_eq!(excluded.lines().count(), 18);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["illustrative"], true);
    assert_eq!(
        manifest["inputs"].as_array().unwrap().len(),
        1,
        "the units file; records are listed under extra.records"
    );
    assert_eq!(
        manifest["extra"]["records"]["sources"]["patents"]["files"][0]["sha256"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
    assert_eq!(manifest["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(manifest["counts"]["ranked"], 83);
}

#[test]
fn two_builds_give_byte_identical_files() {
    let dir = tmp();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(cityrank(&["run", "--quiet", "--out", a.to_str().unwrap()]).0);
    assert!(cityrank(&["run", "--quiet", "--out", b.to_str().unwrap()]).0);
    let mut n = 0;
    for entry in walk(&a) {
        let rel = entry.strip_prefix(&a).unwrap();
        assert_eq!(
            std::fs::read(&entry).unwrap(),
            std::fs::read(b.join(rel)).unwrap(),
            "{}",
            rel.display()
        );
        n += 1;
    }
    assert!(n >= 12, "{n} files compared");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn validate_reports_coverage_and_screening() {
    let (ok, stdout, stderr) = cityrank(&["validate"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("16 indicators"), "{stdout}");
    assert!(stdout.contains("would rank 83 and exclude 17"), "{stdout}");
    assert!(stdout.contains("skew"), "{stdout}");
}

#[test]
fn profile_finds_a_city_by_any_of_its_names() {
    for q in ["330100", "Hangzhou", "杭州", "杭州市"] {
        let (ok, stdout, stderr) = cityrank(&["profile", q]);
        assert!(ok, "{q}: {stderr}");
        assert!(stdout.contains("Hangzhou 杭州 (330100)"), "{stdout}");
        assert!(stdout.contains("strengths:") && stdout.contains("weaknesses:"));
    }
    let (ok, _, stderr) = cityrank(&["profile", "Hangzou"]);
    assert!(!ok);
    assert!(
        stderr.contains("did you mean") && stderr.contains("Hangzhou"),
        "{stderr}"
    );
}

/// Baoding is assessed but screened out of the 2020 edition: its profile shows the reason and
/// its raw values as the data file holds them, and exits 0.
#[test]
fn an_excluded_city_has_a_profile() {
    let (ok, stdout, stderr) = cityrank(&["profile", "Baoding"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("Baoding 保定 (130600)"), "{stdout}");
    assert!(
        stdout.contains("not ranked: data for 8 of 16 indicators"),
        "{stdout}"
    );
    let file =
        std::fs::read_to_string(crate::root().join("examples/blockchain-2020/data/indicators.csv"))
            .unwrap();
    let mut lines = file.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines
        .find(|l| l.starts_with("130600,"))
        .unwrap()
        .split(',')
        .collect();
    for (id, x) in header.iter().zip(&row).skip(1) {
        let line = stdout
            .lines()
            .find(|l| l.contains(&format!(" {id} ")))
            .unwrap();
        let want = if x.is_empty() {
            "missing"
        } else {
            x.trim_end_matches(".00")
        };
        assert!(line.contains(&format!(" {want} ")), "{id}: {line}");
    }
    let (ok, _, stderr) = cityrank(&["compare", "Beijing", "Baoding"]);
    assert!(
        !ok && stderr.contains("not ranked") && stderr.contains("cityrank profile 130600"),
        "{stderr}"
    );
}

/// Dimensions in spec order (RD, IND, PUB, POL), as the spec writes them.
#[test]
fn profile_and_compare_list_dimensions_in_spec_order() {
    let order = |out: &str| -> Vec<usize> {
        ["BCI", "RD", "IND", "PUB", "POL"]
            .iter()
            .map(|d| {
                out.find(&format!("│ {d} "))
                    .unwrap_or_else(|| panic!("{d} in {out}"))
            })
            .collect()
    };
    let (_, stdout, _) = cityrank(&["profile", "Hangzhou"]);
    let at = order(&stdout);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{stdout}");
    let (ok, stdout, _) = cityrank(&["compare", "Beijing", "上海", "hangzhou"]);
    assert!(ok, "{stdout}");
    let at = order(&stdout);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{stdout}");
    let head = stdout.lines().find(|l| l.contains("node")).unwrap();
    assert!(head.contains("Beijing") && head.contains("Shanghai") && head.contains("Hangzhou"));
    assert!(
        !head.contains("difference"),
        "a difference only between two"
    );
    let (ok, _, stderr) = cityrank(&["compare", "Beijing"]);
    assert!(!ok && stderr.contains("2"), "{stderr}");
}

#[test]
fn compare_and_plan_and_export() {
    let (ok, stdout, _) = cityrank(&["compare", "Beijing", "Shanghai"]);
    assert!(
        ok && stdout.contains("difference") && stdout.contains("+11.92"),
        "{stdout}"
    );
    let (ok, stdout, _) = cityrank(&["plan"]);
    assert!(
        ok && stdout.contains("transform log1p") && stdout.contains("normalise ratio_to_max"),
        "{stdout}"
    );
    let (ok, stdout, _) = cityrank(&["export", "--format", "long"]);
    assert!(ok && stdout.starts_with("unit,name,node,level,score,rank"));
    let (ok, stdout, _) = cityrank(&["export", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(ok && v["units"].as_array().unwrap().len() == 83);
}

#[test]
fn the_epi_example_runs_from_the_command_line() {
    let dir = tmp();
    let spec = root().join("examples/epi2020/spec.toml");
    let (ok, stdout, stderr) = cityrank(&[
        "run",
        "--quiet",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("Assessed 180 countries; ranked 180"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Skipped"),
        "rows for units not assessed are counted: {stdout}"
    );
}

#[test]
fn records_behind_an_sql_indicator_are_the_city_rows_of_its_source() {
    let (ok, stdout, stderr) = cityrank(&["records", "pol_docs", "重庆", "--limit", "5"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("500000"), "{stdout}");
    assert!(stdout.contains("is an SQL query"), "{stdout}");
    assert!(stdout.contains("FROM policies"), "{stdout}");
}

#[test]
fn records_lists_what_is_behind_a_value() {
    let (ok, stdout, stderr) = cityrank(&["records", "rd_patents", "九江", "--limit", "3"]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("Records behind Jiujiang 九江 for `rd_patents` (360400)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("patent_no") && stdout.contains("360400"),
        "{stdout}"
    );
}

/// `--limit` cuts what is shown, not the count: Beijing's 1,548 patent records are its
/// rd_patents value in the generator's indicator table.
#[test]
fn records_say_how_many_of_how_many_are_shown() {
    let file =
        std::fs::read_to_string(crate::root().join("examples/blockchain-2020/data/indicators.csv"))
            .unwrap();
    let row = file.lines().find(|l| l.starts_with("110000,")).unwrap();
    let n: usize = row.split(',').nth(1).unwrap().parse().unwrap();
    assert!(n > 1000);
    let said = format!("3 of {},{:03} records", n / 1000, n % 1000);
    let (ok, stdout, stderr) = cityrank(&["records", "rd_patents", "Beijing", "--limit", "3"]);
    assert!(ok && stdout.contains(&said), "{said}: {stdout}{stderr}");
}

#[test]
fn memory_limit_bounds_the_engine_and_names_itself_when_too_small() {
    let (ok, _, stderr) = cityrank(&["--memory-limit", "lots", "plan"]);
    assert!(!ok);
    assert!(
        stderr.contains("'lots' for '--memory-limit") && stderr.contains("fix: give a size"),
        "{stderr}"
    );
    let records = "examples/blockchain-2020/records.toml";
    let (ok, _, stderr) = cityrank(&["--memory-limit", "1K", "sources", "--records", records]);
    assert!(!ok, "1 KB cannot hold an aggregate");
    assert!(stderr.contains("Resources exhausted"), "{stderr}");
    assert!(
        stderr.contains("fix: raise the engine's memory bound"),
        "{stderr}"
    );
    // A bound that forces nothing to spill gives the same values as no bound.
    let (ok, bounded, stderr) =
        cityrank(&["--memory-limit", "64M", "sources", "--records", records]);
    assert!(ok, "{stderr}");
    let (ok, unbounded, stderr) =
        cityrank(&["--memory-limit", "none", "sources", "--records", records]);
    assert!(ok, "{stderr}");
    let values = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.contains(" s ") && !l.contains("seconds"))
            .map(String::from)
            .collect()
    };
    assert_eq!(values(&bounded), values(&unbounded));
    assert!(bounded.contains("16 indicators computed"), "{bounded}");
}

/// Copies a folder (the example, with its records) so that a test may edit its spec.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn data_driven_weights_are_the_same_for_every_command() {
    let dir = tmp();
    let ex = dir.path().join("ex");
    copy_dir(&root().join("examples/blockchain-2020"), &ex);
    let spec_path = ex.join("spec.toml");
    let spec = std::fs::read_to_string(&spec_path).unwrap();
    let spec = spec.replacen(
        "[index]\n",
        "[index]\nweighting = { method = \"entropy\" }\n",
        1,
    );
    std::fs::write(&spec_path, spec).unwrap();
    let spec_arg = spec_path.to_str().unwrap();
    let out = dir.path().join("out");
    let (ok, stdout, stderr) =
        cityrank(&["run", "--spec", spec_arg, "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("Weights of BCI computed by entropy"),
        "{stdout}"
    );
    let run_wide = std::fs::read_to_string(out.join("scores_wide.csv")).unwrap();
    let (ok, exported, stderr) = cityrank(&["export", "--spec", spec_arg, "--format", "wide"]);
    assert!(ok, "{stderr}");
    assert_eq!(exported, run_wide, "export ranks with the weights run used");
    // The library gives the same bytes as the command: the weights are a step of the build.
    let (lspec, ldata) = cityrank_sources::load(&spec_path, &Default::default()).unwrap();
    let lres = cityrank_io::build(&lspec, &ldata).unwrap();
    assert_eq!(lres.weighting.len(), 1, "one node weighted by entropy");
    let lib_out = dir.path().join("lib");
    cityrank_io::write::write_results(&lib_out, &lspec, &ldata, &lres, serde_json::json!({}))
        .unwrap();
    for f in ["scores.csv", "scores_wide.csv", "weights.csv"] {
        assert_eq!(
            std::fs::read(lib_out.join(f)).unwrap(),
            std::fs::read(out.join(f)).unwrap(),
            "{f}: library build == cityrank run"
        );
    }
    let (ok, bundled, _) = cityrank(&["export", "--format", "wide"]);
    assert!(ok);
    assert_ne!(exported, bundled, "entropy weights are not the equal ones");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let w = &manifest["extra"]["data_driven_weights"][0];
    assert_eq!(w["node"], "BCI");
    assert_eq!(w["weights"].as_array().unwrap().len(), 4);
}

#[test]
fn a_spec_named_without_a_folder_is_read_from_the_current_one() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cityrank"))
        .args(["plan", "--spec", "spec.toml"])
        .current_dir(root().join("examples/blockchain-2020"))
        .output()
        .expect("run cityrank");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("rd_patents"));
}

/// Display width of a line: Chinese characters take two columns.
fn display_width(line: &str) -> usize {
    line.chars()
        .map(|c| {
            if ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// With `$COLUMNS`, every line of run, plan, profile and compare fits; the tables' numbers
/// are still there (wrapped or stacked, not dropped).
#[test]
fn console_output_fits_the_width_it_is_given() {
    let out = tmp();
    let out = out.path().to_str().unwrap();
    for cols in [60, 80, 120] {
        for args in [
            vec!["run", "--out", out],
            vec!["plan"],
            vec!["profile", "Hangzhou"],
            vec!["compare", "Beijing", "Shanghai", "Hangzhou"],
        ] {
            let (ok, stdout, stderr) = crate::cityrank_in(Some(cols), &args);
            assert!(ok, "{args:?}: {stderr}");
            let widest = stdout.lines().map(display_width).max().unwrap();
            assert!(
                widest <= cols,
                "{args:?} at {cols}: a line of {widest}\n{stdout}"
            );
        }
        let (_, stdout, _) = crate::cityrank_in(Some(cols), &["run", "--out", out]);
        assert!(
            stdout.contains("Beijing") && stdout.contains("99.82"),
            "{stdout}"
        );
    }
    let (_, wide, _) = crate::cityrank(&["run", "--out", out]);
    assert!(
        wide.lines().map(display_width).max().unwrap() > 120,
        "no width: not wrapped"
    );
}

/// scores_wide.csv: each node's full-precision score, its published (rounded) score and its
/// rank, nodes in spec order; the ranks follow the published scores (ties where they are equal,
/// as the spec ranks on rounded scores), which the full scores alone would not explain.
#[test]
fn wide_scores_carry_the_published_value_beside_full_precision() {
    let (ok, stdout, _) = cityrank(&["export", "--format", "wide"]);
    assert!(ok);
    let mut rdr = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[4..19],
        [
            "BCI",
            "BCI_published",
            "BCI_rank",
            "RD",
            "RD_published",
            "RD_rank",
            "IND",
            "IND_published",
            "IND_rank",
            "PUB",
            "PUB_published",
            "PUB_rank",
            "POL",
            "POL_published",
            "POL_rank"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    for node in ["BCI", "RD", "POL", "pub_search"] {
        let c = header.iter().position(|h| h == node).unwrap();
        let mut ranked: Vec<(f64, u32)> = Vec::new();
        for r in &rows {
            if r[c].is_empty() {
                continue;
            }
            let full: f64 = r[c].parse().unwrap();
            assert_eq!(r[c + 1], format!("{full:.2}"), "{node} of {}", &r[0]);
            if let Ok(rank) = r[c + 2].parse::<u32>() {
                ranked.push((r[c + 1].parse().unwrap(), rank));
            }
        }
        for a in &ranked {
            for b in &ranked {
                assert!(a.0 <= b.0 || a.1 < b.1, "{node}: {a:?} above {b:?}");
                assert!(
                    a.0 != b.0 || a.1 == b.1,
                    "{node}: equal published scores tie: {a:?} {b:?}"
                );
            }
        }
    }
}

#[test]
fn plan_speaks_the_spec_vocabulary_not_debug_text() {
    for spec in [
        "examples/blockchain-2020/spec.toml",
        "examples/asem/spec.toml",
        "examples/epi2020/spec.toml",
    ] {
        let (ok, stdout, stderr) = cityrank(&["plan", "--spec", spec]);
        assert!(ok, "{stderr}");
        for debug in ["{ ", "None", "Some(", "Leader", "MinMax"] {
            assert!(
                !stdout.contains(debug),
                "`{debug}` in the plan of {spec}:\n{stdout}"
            );
        }
        assert!(stdout.contains(" is better;"), "{stdout}");
    }
    let (_, stdout, _) = cityrank(&["plan"]);
    assert!(
        stdout.contains("rescale leader (scale = 100.0)"),
        "{stdout}"
    );
}
