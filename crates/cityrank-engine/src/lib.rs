//! The one entry point of cityrank as a library: [`build`] does everything `cityrank run`
//! does (load the spec and its data, compute the indicators defined on raw records through
//! the sources engine, make the [`Plan`] and run it once) and returns the results with their
//! recipe; [`Built::write`] writes the folder `run` writes, byte for byte. The command line,
//! the publishing commands and the analyses all start here, so a program that uses the crates
//! gets the ranking the command prints.
//!
//! ```no_run
//! let built = cityrank_engine::build(
//!     "examples/blockchain-2020/spec.toml".as_ref(),
//!     &cityrank_engine::BuildOptions::default(),
//! )?;
//! let fw = &built.spec.framework;
//! println!("{} leads", built.results.units[built.results.ranking(fw.root)[0]].name);
//! built.write("out".as_ref())?;
//! # Ok::<(), cityrank_engine::Error>(())
//! ```

// The sources engine's errors carry file, line and value; they are built only on the way out.
#![allow(clippy::result_large_err)]

use cityrank_core::{Plan, Results};
use cityrank_io::manifest::{Entry, Manifest, Recipe};
use cityrank_io::{LoadedData, LoadedSpec};
use std::path::Path;

pub use cityrank_io::Error;
pub use cityrank_sources::{Engine, Settings as RecordSettings};

/// How a build is run. Only how record sources are computed can be chosen: everything that
/// changes the ranking is in the spec.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The SQL engine, city-string strictness and memory bound for record sources.
    pub records: RecordSettings,
}

/// A built index and everything needed to explain and reproduce it.
pub struct Built {
    pub spec: LoadedSpec,
    pub data: LoadedData,
    /// What was run, the data-driven weights fixed at the values the build computed.
    pub plan: Plan,
    pub results: Results,
    /// The options the build ran with (recorded in the manifest).
    pub options: BuildOptions,
}

/// Loads and builds the spec at `spec`: record indicators first when the spec defines them,
/// then every step of the plan, once.
pub fn build(spec: &Path, opts: &BuildOptions) -> Result<Built, Error> {
    let (spec, data) = cityrank_sources::load(spec, &opts.records)?;
    from_loaded(spec, data, opts)
}

/// [`build`] for a spec and data the caller loaded (e.g. with indicator values of its own).
pub fn from_loaded(
    mut spec: LoadedSpec,
    mut data: LoadedData,
    opts: &BuildOptions,
) -> Result<Built, Error> {
    let mut plan = Plan::new(&spec.spec, &spec.framework);
    let results = plan
        .build(&data.dataset)
        .map_err(|e| data.locate(&spec, e))?;
    plan.fix_weights(&results);
    record_weights(&mut spec, &mut data, &results);
    Ok(Built {
        spec,
        data,
        plan,
        results,
        options: opts.clone(),
    })
}

impl Built {
    /// Writes the results folder `cityrank run` writes: the tables, the step logs and the
    /// manifest with the recipe.
    pub fn write(&self, dir: &Path) -> Result<Manifest, Error> {
        cityrank_io::write::write_results(
            dir,
            &self.spec,
            &self.data,
            &self.results,
            settings(&self.options.records, serde_json::json!({})),
        )
    }

    /// The manifest entry of a command that writes `own` settings into a results folder.
    pub fn entry(&self, command: &str, seed: Option<u64>, own: serde_json::Value) -> Entry {
        let recipe = Recipe::of(&self.spec, &self.data);
        Entry::new(command, recipe, seed, settings(&self.options.records, own))
    }
}

/// A command's settings for its manifest entry: its own and how record sources were run.
pub fn settings(records: &RecordSettings, own: serde_json::Value) -> serde_json::Value {
    let mut v = serde_json::json!({
        "engine": records.engine.to_string(),
        "strict_cities": records.strict_cities,
        "memory_limit_bytes": records.memory_limit,
    });
    if let (Some(m), serde_json::Value::Object(o)) = (v.as_object_mut(), own) {
        m.extend(o);
    }
    v
}

/// Records the data-driven weights a build computed (entropy, CRITIC, PCA, AHP, ...) as the
/// nodes' weights, so that every reader of the framework (coherence, the what-if state, the
/// pages) sees the weights the ranking used; how they were derived goes to the manifest
/// (`data_driven_weights`).
fn record_weights(spec: &mut LoadedSpec, data: &mut LoadedData, results: &Results) {
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
