//! The build behind `cityrank.build`: everything `cityrank run` does, with the units and
//! indicator values optionally given in memory, and the folder `run` writes.

use cityrank_io::{Error, LoadedData, LoadedSpec};
use cityrank_sources::Settings;
use std::path::Path;

/// Tables given in memory, as CSV bytes: they replace the files the spec names.
#[derive(Default)]
pub struct Tables {
    pub units: Option<Vec<u8>>,
    /// The key column and the table of indicator values.
    pub data: Option<(String, Vec<u8>)>,
}

/// A loaded and built index.
pub struct Built {
    pub spec: LoadedSpec,
    pub data: LoadedData,
    pub results: cityrank_core::Results,
}

/// The record engine as `cityrank run` runs it by default, so that the manifest is the same.
fn settings() -> Settings {
    Settings::default()
}

/// Loads the data of a loaded spec (record indicators through the SQL engine) and builds once.
pub fn build_loaded(spec: LoadedSpec, tables: Tables) -> Result<Built, Error> {
    let spec = spec.with_tables(tables.units, tables.data);
    let mut data = cityrank_sources::load::load_data(&spec, &settings())?;
    let mut spec = spec;
    let results = cityrank_io::build(&spec, &data)?;
    fix_weights(&mut spec, &mut data, &results);
    Ok(Built {
        spec,
        data,
        results,
    })
}

impl Built {
    /// The settings `cityrank run` records in the manifest (printing on, default engine).
    pub fn run_settings(&self) -> serde_json::Value {
        let s = settings();
        serde_json::json!({
            "engine": s.engine.to_string(),
            "strict_cities": s.strict_cities,
            "memory_limit_bytes": s.memory_limit,
            "quiet": false,
        })
    }

    /// Writes the folder `cityrank run --out DIR` writes.
    pub fn write(&self, out: &Path) -> Result<(), Error> {
        let settings = self.run_settings();
        cityrank_io::write::write_results(out, &self.spec, &self.data, &self.results, settings)?;
        Ok(())
    }

    /// The manifest.json that `write` puts into a new folder.
    pub fn manifest(&self) -> serde_json::Value {
        use cityrank_io::manifest::{Entry, FolderManifest, Manifest, Recipe};
        let files = cityrank_io::write::result_files(&self.spec, &self.results);
        let mut top = Manifest::new(&self.spec, &self.data, &self.results);
        top.add_outputs(&files);
        let recipe = Recipe::of(&self.spec, &self.data);
        let mut entry = Entry::new(
            "run",
            recipe,
            Some(self.spec.spec.meta.seed),
            self.run_settings(),
        );
        entry.add_outputs(&files);
        let mut folder = FolderManifest::default();
        folder.set_build(serde_json::to_value(&top).expect("serialisable"));
        folder.insert(entry);
        serde_json::to_value(&folder).expect("serialisable")
    }
}

/// Records the data-driven weights a build computed as the nodes' weights, so that analyses
/// of the build perturb around the weights the ranking used; how they were derived goes to
/// the manifest (`data_driven_weights`), as `cityrank run` does.
fn fix_weights(spec: &mut LoadedSpec, data: &mut LoadedData, results: &cityrank_core::Results) {
    if results.weighting.is_empty() {
        return;
    }
    let mut nodes = Vec::new();
    for n in &results.weighting {
        for (child, w) in &n.children {
            let k = spec
                .framework
                .find(child)
                .expect("a child of the framework");
            spec.framework.nodes[k].weight = *w;
        }
        nodes.push(serde_json::json!({
            "node": n.node,
            "method": n.method,
            "weights": n.children.iter().map(|(c, w)| serde_json::json!({ "child": c, "weight": w })).collect::<Vec<_>>(),
            "complete_units": n.complete_units,
            "notes": n.notes,
        }));
    }
    data.extra.insert(
        "data_driven_weights".into(),
        serde_json::Value::Array(nodes),
    );
}
