//! Results folders: atomic replacement, foreign files kept, one writer at a time, hashes checked.

use cityrank_io::folder::{self, Lock};
use cityrank_io::manifest::{relative_to, Entry, FolderManifest, Recipe};
use std::path::Path;

fn recipe() -> Recipe {
    Recipe {
        index: "t".into(),
        edition: None,
        spec_sha256: "s".into(),
        inputs_sha256: "i".into(),
    }
}

fn entry(command: &str) -> Entry {
    Entry::new(command, recipe(), None, serde_json::json!({}))
}

fn files(list: &[(&str, &str)]) -> folder::Files {
    list.iter()
        .map(|(n, b)| (n.to_string(), b.as_bytes().to_vec()))
        .collect()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn a_command_replaces_only_its_own_files_and_keeps_foreign_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("notes")).unwrap();
    std::fs::write(out.join("notes/mine.txt"), "kept").unwrap();
    let first = files(&[("a.csv", "1"), ("steps/b.csv", "2")]);
    folder::write(&out, &first, entry("run"), None).unwrap();
    folder::write(&out, &files(&[("u.csv", "u")]), entry("uncertainty"), None).unwrap();
    // `run` again, no longer writing steps/b.csv: its old file goes, the others stay.
    folder::write(&out, &files(&[("a.csv", "3")]), entry("run"), None).unwrap();
    assert_eq!(read(&out.join("a.csv")), "3");
    assert!(!out.join("steps/b.csv").exists());
    assert_eq!(read(&out.join("u.csv")), "u");
    assert_eq!(read(&out.join("notes/mine.txt")), "kept");
    let m = FolderManifest::read(&out).unwrap().unwrap();
    assert_eq!(
        m.commands.keys().collect::<Vec<_>>(),
        ["run", "uncertainty"]
    );
    m.verify(&out).unwrap();
    // Nothing is left beside the folder but its lock file.
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
}

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let held = Lock::take(&out).unwrap();
    let err = folder::write(&out, &files(&[("a.csv", "1")]), entry("run"), None).unwrap_err();
    assert!(
        err.message.contains("another cityrank command is writing"),
        "{err}"
    );
    assert!(!out.exists(), "the refused writer wrote nothing");
    drop(held);
    folder::write(&out, &files(&[("a.csv", "1")]), entry("run"), None).unwrap();
}

#[test]
fn verify_names_a_file_changed_or_removed_after_writing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let f = files(&[("a.csv", "1"), ("b.csv", "2")]);
    folder::write(&out, &f, entry("run"), None).unwrap();
    let m = FolderManifest::read(&out).unwrap().unwrap();
    std::fs::write(out.join("b.csv"), "two").unwrap();
    let err = m.verify(&out).unwrap_err();
    assert_eq!(err.file.as_deref(), Some(out.join("b.csv").as_path()));
    assert!(err.message.contains("hash differs"), "{err}");
    assert!(err.hint.contains("cityrank run"), "{err}");
    std::fs::remove_file(out.join("b.csv")).unwrap();
    let err = m.verify(&out).unwrap_err();
    assert!(err.message.contains("cannot be read"), "{err}");
}

#[test]
fn a_leftover_of_a_killed_writer_is_cleared_and_the_folder_needs_a_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(dir.path().join(".out.cityrank-new/half")).unwrap();
    folder::write(&out, &files(&[("a.csv", "1")]), entry("run"), None).unwrap();
    assert!(!dir.path().join(".out.cityrank-new").exists());
    assert!(!out.join("half").exists());
    let err = folder::write(Path::new("."), &files(&[]), entry("run"), None).unwrap_err();
    assert!(err.hint.contains("not `.`"), "{err}");
    std::fs::write(dir.path().join("file"), "x").unwrap();
    let err = folder::write(&dir.path().join("file"), &files(&[]), entry("run"), None).unwrap_err();
    assert!(err.message.contains("is a file"), "{err}");
}

#[test]
fn paths_are_written_relative_to_the_spec_folder() {
    let base = Path::new("/data/specs/blockchain");
    assert_eq!(
        relative_to(Path::new("/data/specs/blockchain/records/a.csv"), base),
        "records/a.csv"
    );
    assert_eq!(
        relative_to(Path::new("/data/other/b.parquet"), base),
        "../../other/b.parquet"
    );
    assert_eq!(relative_to(Path::new("c.csv"), base), "c.csv");
}

#[test]
fn recipes_name_their_first_difference() {
    let a = recipe();
    let mut b = recipe();
    assert_eq!(a.differs(&b), None);
    b.inputs_sha256 = "other".into();
    assert!(a.differs(&b).unwrap().contains("other data files"));
    b.spec_sha256 = "other".into();
    assert!(a
        .differs(&b)
        .unwrap()
        .contains("another version of the spec"));
    b.edition = Some("2021".into());
    assert!(a.differs(&b).unwrap().contains("edition 2021"));
}
