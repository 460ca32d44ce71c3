//! `--spec DIR` reads DIR/spec.toml; a data file given as the spec says what to do instead.

use cityrank_io::spec::spec_file;

#[test]
fn a_folder_means_its_spec_toml() {
    let dir = tempfile::tempdir().unwrap();
    let e = spec_file(dir.path()).unwrap_err().to_string();
    assert!(e.contains("the folder has no spec.toml"), "{e}");
    std::fs::write(dir.path().join("spec.toml"), "").unwrap();
    assert_eq!(spec_file(dir.path()).unwrap(), dir.path().join("spec.toml"));
}

#[test]
fn a_data_file_as_the_spec_suggests_init() {
    for name in ["cities.csv", "Book1.XLSX"] {
        let e = cityrank_io::load_spec(std::path::Path::new(name))
            .unwrap_err()
            .to_string();
        assert!(e.contains("this is a data file"), "{e}");
        assert!(
            e.contains(&format!("cityrank init DIR --from {name}")),
            "{e}"
        );
    }
}
