//! Bounds on what comes from the user: file kinds, line and cell lengths, early stops, tree
//! size and depth, counts given on the command line, and what reaches the terminal.

use crate::bad_input::{case, fails, SPEC};
use crate::cityrank;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `cityrank run` on a spec, ending it if it has not ended within `limit` (a guard against a
/// hang, not a measure of speed). Returns (finished, success, stderr).
fn run_guarded(spec: &Path, extra: &[&str], limit: Duration) -> (bool, bool, String) {
    let out = spec.with_file_name("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cityrank"))
        .args(["run", "--quiet", "--spec", spec.to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            child.wait().unwrap();
            return (false, false, String::new());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().unwrap();
    (
        true,
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo");
}

#[test]
fn a_fifo_named_as_a_data_file_is_refused_at_once() {
    let (dir, spec) = case(&[]);
    let data = dir.path().join("data.csv");
    std::fs::remove_file(&data).unwrap();
    mkfifo(&data);
    // Nobody writes to the FIFO: reading it would block for ever.
    let (finished, ok, err) = run_guarded(&spec, &[], Duration::from_secs(60));
    assert!(finished, "cityrank blocked on a FIFO");
    assert!(!ok);
    assert!(err.contains("data.csv"), "{err}");
    assert!(
        err.contains("not a regular file: it is a pipe (FIFO)"),
        "{err}"
    );
    assert!(err.contains("--allow-stream"), "{err}");
}

#[test]
fn dev_zero_named_as_the_units_file_is_refused_and_with_allow_stream_stops_at_the_line_bound() {
    let spec_text = SPEC.replace("file = \"units.csv\"", "file = \"/dev/zero\"");
    let (dir, spec) = case(&[("spec.toml", &spec_text)]);
    let err = fails(dir.path(), &spec);
    assert!(err.contains("/dev/zero"), "{err}");
    assert!(err.contains("it is a character device"), "{err}");
    // Allowed as a stream, /dev/zero is one endless line: the read stops at the line bound.
    let (finished, ok, err) = run_guarded(&spec, &["--allow-stream"], Duration::from_secs(120));
    assert!(finished, "cityrank read /dev/zero without end");
    assert!(!ok);
    assert!(err.contains("/dev/zero:1"), "{err}");
    assert!(err.contains("line 1 is longer than 1 MiB"), "{err}");
    assert!(
        err.len() < 1_000,
        "the error quotes a short prefix: {} bytes",
        err.len()
    );
}

#[test]
fn a_stream_is_read_when_allowed() {
    let (dir, spec) = case(&[]);
    let data = dir.path().join("data.csv");
    std::fs::remove_file(&data).unwrap();
    mkfifo(&data);
    let writer = {
        let data = data.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(data).unwrap();
            f.write_all(b"unit,a,b\nc1,1,10\nc2,2,\nc3,3,30\n").unwrap();
        })
    };
    let (finished, ok, err) = run_guarded(&spec, &["--allow-stream"], Duration::from_secs(60));
    writer.join().unwrap();
    assert!(finished && ok, "{err}");
}

#[test]
fn a_duplicate_row_stops_the_read_there() {
    // With the whole file read first, the malformed row after the duplicate would be reported.
    let data = "unit,a,b\nc1,1,10\nc1,2,20\nc2,2,\nc3,3,30\nc4\n";
    let (dir, spec) = case(&[("data.csv", data)]);
    let err = fails(dir.path(), &spec);
    assert!(err.contains("data.csv:3"), "{err}");
    assert!(
        err.contains("unit `c1` has two rows (first on line 2)"),
        "{err}"
    );

    // A units file fed through a pipe whose writer stays open after a million duplicate rows'
    // worth of lines would never end; the error must come at the first duplicate, while the
    // writer still holds the pipe open.
    let (dir, spec) = case(&[]);
    let units = dir.path().join("units.csv");
    std::fs::remove_file(&units).unwrap();
    mkfifo(&units);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let writer = {
        let units = units.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(units).unwrap();
            let _ = f.write_all(b"unit,name\nc1,One\nc2,Two\nc1,One again\n");
            let _ = f.flush();
            // Hold the pipe open until the test is done (the reader has failed by then).
            let _ = done_rx.recv_timeout(Duration::from_secs(120));
        })
    };
    let (finished, ok, err) = run_guarded(&spec, &["--allow-stream"], Duration::from_secs(60));
    done_tx.send(()).unwrap();
    writer.join().unwrap();
    assert!(finished, "the read went on past the first duplicate");
    assert!(!ok);
    assert!(err.contains("units.csv:4"), "{err}");
    assert!(
        err.contains("unit id `c1` appears twice (first on line 2)"),
        "{err}"
    );
}

#[test]
fn a_ten_megabyte_cell_is_quoted_by_a_short_prefix() {
    let big = format!(
        "unit,name\nc1,{}\nc2,Two\nc3,Three\n",
        "A".repeat(10_000_000)
    );
    let (dir, spec) = case(&[("units.csv", &big)]);
    let err = fails(dir.path(), &spec);
    assert!(err.contains("units.csv:2"), "{err:.300}");
    assert!(
        err.contains("line 2 is longer than 1 MiB; it starts `c1,AAAA"),
        "{err:.300}"
    );
    assert!(err.len() < 1_000, "{} bytes of error", err.len());
    // Under the line bound but over the cell bound: the cell is named and quoted short.
    let cell = format!("unit,a,b\nc1,1,10\nc2,{},\nc3,3,30\n", "7".repeat(100_000));
    let (dir, spec) = case(&[("data.csv", &cell)]);
    let err = fails(dir.path(), &spec);
    assert!(err.contains("data.csv:3"), "{err}");
    assert!(err.contains("`a`"), "{err}");
    assert!(err.contains("a cell of 100000 bytes"), "{err}");
    assert!(err.len() < 1_000, "{} bytes of error", err.len());
}

#[test]
fn a_tree_deeper_than_the_bound_is_refused() {
    // 70 nested nodes between the index and the indicator.
    let mut spec = String::from(
        "[meta]\nid = \"t\"\nname = \"T\"\n[units]\nfile = \"units.csv\"\n[[data]]\nfile = \"data.csv\"\n\
         [defaults]\ntransform = \"none\"\nnormalise = \"min_max\"\n[index]\nid = \"I\"\nname = \"I\"\n",
    );
    let mut parent = "I".to_string();
    for k in 0..70 {
        spec.push_str(&format!(
            "[[node]]\nid = \"n{k}\"\nparent = \"{parent}\"\nname = \"N\"\n"
        ));
        parent = format!("n{k}");
    }
    spec.push_str(&format!(
        "[[indicator]]\nid = \"a\"\nparent = \"{parent}\"\nname = \"A\"\n\
         [[indicator]]\nid = \"b\"\nparent = \"{parent}\"\nname = \"B\"\n"
    ));
    let (dir, path) = case(&[("spec.toml", &spec)]);
    let err = fails(dir.path(), &path);
    assert!(err.contains("more than 64 levels below the index"), "{err}");
}

#[test]
fn a_tree_larger_than_the_bound_is_refused() {
    let mut spec = SPEC.to_string();
    for k in 0..100_000 {
        spec.push_str(&format!(
            "[[indicator]]\nid = \"x{k}\"\nparent = \"D1\"\nname = \"X\"\n"
        ));
    }
    let (dir, path) = case(&[("spec.toml", &spec)]);
    let err = fails(dir.path(), &path);
    assert!(err.contains("more than the 100000 allowed"), "{err}");
}

#[test]
fn a_headline_longer_than_the_units_is_refused() {
    for top in ["4", "9223372036854775807"] {
        let spec = format!("{SPEC}\n[publish]\ntop = {top}\n");
        let (dir, path) = case(&[("spec.toml", &spec)]);
        let err = fails(dir.path(), &path);
        assert!(
            err.contains(&format!(
                "top = {top}, but the units file lists only 3 units"
            )),
            "{err}"
        );
        assert!(err.contains("publish.top"), "{err}");
    }
}

#[test]
fn counts_out_of_range_on_the_command_line_are_refused() {
    for (args, what) in [
        (&["uncertainty", "--bootstrap", "0"][..], "--bootstrap"),
        (
            &["uncertainty", "--bootstrap", "18446744073709551615"][..],
            "--bootstrap",
        ),
        (&["records", "a", "b", "--limit", "0"][..], "--limit"),
        (
            &["records", "a", "b", "--limit", "4294967296"][..],
            "--limit",
        ),
    ] {
        let (ok, _, err) = cityrank(args);
        assert!(!ok, "{args:?}");
        assert!(err.contains(what), "{args:?}: {err}");
    }
}

#[test]
fn control_characters_in_a_city_name_do_not_reach_the_terminal_raw() {
    let units =
        "unit,name\nc1,\"City\u{1b}]0;owned\u{7}\u{1b}[2J One\"\nc2,Two\u{202e}owt\nc3,Three\n";
    let (dir, spec) = case(&[("units.csv", units)]);
    let out = dir.path().join("out");
    let (ok, stdout, stderr) = cityrank(&[
        "run",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{202e}'), "{stdout}");
    assert!(
        stdout.contains("City\\u{1b}]0;owned\\u{7}\\u{1b}[2J One"),
        "{stdout}"
    );
    // The data keep the name as written.
    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    assert!(scores.contains("City\u{1b}]0;owned"), "{scores}");
}

#[test]
fn export_writes_a_formula_in_a_city_name_as_text() {
    let units = "unit,name\nc1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"One\"\")\"\nc2,@Two\nc3,Three\n";
    let (dir, spec) = case(&[("units.csv", units)]);
    let (ok, stdout, stderr) = cityrank(&["export", "--spec", spec.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"One\"\")\""),
        "{stdout}"
    );
    assert!(stdout.contains(",'@Two,"), "{stdout}");
    drop(dir);
}
