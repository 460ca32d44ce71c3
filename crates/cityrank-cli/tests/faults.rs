//! Results that survive faults: kills while writing, two writers, results from another recipe.

use crate::bad_input::SPEC;
use crate::{cityrank, root};
use cityrank_io::folder::Lock;
use cityrank_io::manifest::FolderManifest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small index of 30 cities in two specs that differ only in their name, so that each
/// command gives other bytes under the other spec.
fn fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut units = String::from("unit,name\n");
    let mut data = String::from("unit,a,b\n");
    for i in 0..30 {
        units.push_str(&format!("c{i},City {i}\n"));
        data.push_str(&format!("c{i},{},{}\n", (i * 7) % 31, (i * 13) % 29 + 1));
    }
    std::fs::write(dir.path().join("units.csv"), units).unwrap();
    std::fs::write(dir.path().join("data.csv"), data).unwrap();
    // The bad-input tests' valid spec, under two names.
    let spec = |name: &str| SPEC.replace("name = \"Test index\"", &format!("name = \"{name}\""));
    let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
    std::fs::write(&a, spec("Index A")).unwrap();
    std::fs::write(&b, spec("Index B")).unwrap();
    (dir, a, b)
}

/// Every file under `dir`, by path relative to it.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(d: &Path, prefix: &str, into: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            let name = format!("{prefix}{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{name}/"), into);
            } else {
                into.insert(name, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, "", &mut m);
    m
}

fn ok(args: &[&str]) {
    let (success, _, stderr) = cityrank(args);
    assert!(success, "{args:?}: {stderr}");
}

/// Kills `cityrank <args> --spec <a|b> --out <out>` at many moments, alternating the spec so
/// that each writer replaces the other's complete result, and checks after every kill that
/// `out` is exactly one of the two complete results with matching hashes. Returns how many
/// kills landed while the new folder was being written.
fn kill_while_writing(args: &[&str], out: &Path, a: &Path, b: &Path) -> usize {
    let states: Vec<BTreeMap<String, Vec<u8>>> = [b, a]
        .iter()
        .map(|spec| {
            let mut full = args.to_vec();
            full.extend([
                "--spec",
                spec.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ]);
            ok(&full);
            snapshot(out)
        })
        .collect();
    assert_ne!(states[0], states[1], "the two specs give other bytes");
    let tmp = out.with_file_name(format!(
        ".{}.cityrank-new",
        out.file_name().unwrap().to_string_lossy()
    ));
    let mut current = 1; // `out` holds the result of spec a.
    let mut mid_write = 0;
    // Microseconds after the new folder appears; the negative ones are after the start.
    let points: [i64; 12] = [
        -20_000, -2_000, 0, 0, 50, 100, 200, 400, 800, 1_500, 3_000, 8_000,
    ];
    for &at in &points {
        let next = 1 - current;
        let spec = [b, a][next];
        let mut child = Command::new(env!("CARGO_BIN_EXE_cityrank"))
            .args(args)
            .args([
                "--spec",
                spec.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        if at < 0 {
            std::thread::sleep(Duration::from_micros(at.unsigned_abs()));
        } else {
            while !tmp.exists() && child.try_wait().unwrap().is_none() {
                if start.elapsed() > Duration::from_secs(30) {
                    break;
                }
                std::thread::yield_now();
            }
            std::thread::sleep(Duration::from_micros(at as u64));
        }
        if tmp.exists() && child.try_wait().unwrap().is_none() {
            mid_write += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        let now = snapshot(out);
        let which = states.iter().position(|s| *s == now);
        assert!(
            which.is_some(),
            "{args:?} killed {at} µs in: `out` is neither result; files: {:?}",
            now.keys().collect::<Vec<_>>()
        );
        let m = FolderManifest::read(out).unwrap().expect("a manifest");
        m.verify(out).unwrap();
        current = which.unwrap();
    }
    mid_write
}

#[test]
fn a_kill_at_any_moment_leaves_the_previous_or_the_new_result() {
    let (dir, a, b) = fixture();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("README-mine.txt"), "a file cityrank did not write").unwrap();
    let mut mid = Vec::new();
    mid.push(kill_while_writing(&["run", "--quiet"], &out, &a, &b));
    // The folder holds spec a's run: uncertainty and report from spec a belong to it.
    mid.push(kill_while_writing(
        &["uncertainty", "-n", "40"],
        &out,
        &a,
        &b,
    ));
    let out2 = dir.path().join("out2");
    ok(&[
        "run",
        "--spec",
        a.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
    ]);
    mid.push(kill_while_writing(&["report"], &out2, &a, &b));
    assert!(
        mid.iter().all(|&n| n > 0),
        "kills during writing for run, uncertainty, report: {mid:?}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("README-mine.txt")).unwrap(),
        "a file cityrank did not write"
    );
}

#[test]
fn a_second_writer_on_one_folder_is_refused() {
    let (dir, a, _) = fixture();
    let out = dir.path().join("out");
    let held = Lock::take(&out).unwrap();
    let (success, _, stderr) = cityrank(&[
        "run",
        "--spec",
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!success);
    assert!(
        stderr.contains("another cityrank command is writing to this output folder"),
        "{stderr}"
    );
    drop(held);
    ok(&[
        "run",
        "--spec",
        a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
}

#[test]
fn every_command_that_writes_a_folder_leaves_its_entry_in_the_manifest() {
    let (dir, a, _) = fixture();
    let out = dir.path().join("out");
    let (s, o) = (a.to_str().unwrap(), out.to_str().unwrap());
    for args in [
        vec!["run"],
        vec!["uncertainty", "-n", "30", "--seed", "7"],
        vec!["coherence"],
        vec!["weights", "--method", "entropy"],
        vec!["report"],
        vec!["site"],
    ] {
        let mut full = args.clone();
        full.extend(["--spec", s, "--out", o]);
        ok(&full);
    }
    let m = FolderManifest::read(&out).unwrap().unwrap();
    m.verify(&out).unwrap();
    let names: Vec<&str> = m.commands.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "coherence",
            "report",
            "run",
            "site",
            "uncertainty",
            "weights --method entropy"
        ]
    );
    let u = &m.commands["uncertainty"];
    assert_eq!(u.settings["replications"], 30);
    assert_eq!(u.seed, Some(7));
    assert!(u.outputs.iter().any(|o| o.file == "uncertainty.csv"));
    assert!(m.commands["site"]
        .outputs
        .iter()
        .any(|o| o.file == "site/index.html"));
}

#[test]
fn report_refuses_rank_intervals_of_another_recipe_unless_allowed() {
    let (dir, a, b) = fixture();
    let out = dir.path().join("out");
    let (o, sa, sb) = (
        out.to_str().unwrap(),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    );
    ok(&["uncertainty", "-n", "30", "--spec", sa, "--out", o]);
    ok(&["report", "--spec", sa, "--out", o]);
    let (success, _, stderr) = cityrank(&["report", "--spec", sb, "--out", o]);
    assert!(!success);
    assert!(
        stderr.contains("uncertainty.csv does not belong to this spec"),
        "{stderr}"
    );
    assert!(stderr.contains("another version of the spec"), "{stderr}");
    ok(&["report", "--spec", sb, "--out", o, "--allow-other-recipe"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Warning: these rank intervals may not belong to this edition"));
    // Intervals written by hand (no manifest entry) are refused too, and a changed file is named.
    ok(&["uncertainty", "-n", "30", "--spec", sa, "--out", o]);
    let csv = out.join("uncertainty.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, text.replacen("c", "x", 1)).unwrap();
    let (success, _, stderr) = cityrank(&["report", "--spec", sa, "--out", o]);
    assert!(!success);
    assert!(
        stderr.contains("uncertainty.csv: changed since cityrank wrote it"),
        "{stderr}"
    );
}

#[test]
fn the_same_build_in_another_folder_has_a_byte_identical_manifest() {
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let manifests: Vec<Vec<u8>> = dirs
        .iter()
        .map(|d| {
            let copy = d.path().join("deep").join("blockchain-2020");
            copy_dir(&root().join("examples/blockchain-2020"), &copy);
            let out = d.path().join("results");
            ok(&[
                "run",
                "--quiet",
                "--spec",
                copy.join("spec.toml").to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ]);
            std::fs::read(out.join("manifest.json")).unwrap()
        })
        .collect();
    assert!(
        manifests[0] == manifests[1],
        "manifests differ between folders"
    );
    let text = String::from_utf8_lossy(&manifests[0]);
    assert!(text.contains("\"path\": \"records/patents.csv\""));
    for d in &dirs {
        let local = d.path().to_string_lossy();
        assert!(
            !text.contains(local.as_ref()),
            "a local path in the manifest"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

#[test]
fn replications_out_of_range_are_refused_before_any_work() {
    for n in ["0", "18446744073709551615", "100000001"] {
        let (success, _, stderr) = cityrank(&["uncertainty", "-n", n, "--out", "/nonexistent/x"]);
        assert!(!success);
        assert!(
            stderr.contains("-n") && stderr.contains("1..=100000000"),
            "{n}: {stderr}"
        );
    }
}
