//! The build behind `cityrank.build`: the library's entry point, with the units and indicator
//! values optionally given in memory.

use cityrank_engine::{BuildOptions, Built, Error};
use std::path::Path;

/// Tables given in memory, as CSV bytes: they replace the files the spec names.
#[derive(Default)]
pub struct Tables {
    pub units: Option<Vec<u8>>,
    /// The key column and the table of indicator values.
    pub data: Option<(String, Vec<u8>)>,
}

/// Everything `cityrank run` does (record indicators through the SQL engine unless `data`
/// replaces them), with the command's default options so that the manifest is the same.
pub fn build(spec: cityrank_io::LoadedSpec, tables: Tables) -> Result<Built, Error> {
    let opts = BuildOptions::default();
    let spec = spec.with_tables(tables.units, tables.data);
    let data = cityrank_sources::load::load_data(&spec, &opts.records)?;
    cityrank_engine::from_loaded(spec, data, &opts)
}

/// The manifest.json that `Built::write` puts into a new folder.
pub fn manifest(b: &Built) -> serde_json::Value {
    use cityrank_io::manifest::{FolderManifest, Manifest};
    let files = cityrank_io::write::result_files(&b.spec, &b.results);
    let mut top = Manifest::new(&b.spec, &b.data, &b.results);
    top.add_outputs(&files);
    let mut entry = b.entry("run", Some(b.spec.spec.meta.seed), serde_json::json!({}));
    entry.add_outputs(&files);
    let mut folder = FolderManifest::default();
    folder.set_build(serde_json::to_value(&top).expect("serialisable"));
    folder.insert(entry);
    serde_json::to_value(&folder).expect("serialisable")
}

/// Writes the folder `cityrank run --out DIR` writes.
pub fn write(b: &Built, out: &Path) -> Result<(), Error> {
    b.write(out).map(|_| ())
}
