//! The manifest: the recipe of a result (spec, input hashes, seed, program version) and the
//! hashes of what was written, so that anyone can rebuild it and check they got the same bytes.

use crate::data::{InputFile, LoadedData, SkippedRow};
use crate::hash::sha256_hex;
use crate::spec::LoadedSpec;
use cityrank_core::Results;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub program: String,
    pub version: String,
    pub index: IndexInfo,
    pub illustrative: bool,
    pub notice: Option<String>,
    pub seed: u64,
    pub spec: SpecInfo,
    pub inputs: Vec<InputFile>,
    pub counts: Counts,
    pub skipped_rows: Vec<SkippedRow>,
    /// Sections added by other stages (sources, analysis), by name.
    pub extra: BTreeMap<String, serde_json::Value>,
    pub outputs: Vec<OutputFile>,
}

#[derive(Clone, Debug, Serialize)]
pub struct IndexInfo {
    pub id: String,
    pub name: String,
    pub edition: Option<String>,
    pub cutoff: Option<String>,
    pub framework_version: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SpecInfo {
    pub file: String,
    pub sha256: String,
    /// The spec as parsed, every default filled in.
    pub resolved: serde_json::Value,
}

#[derive(Clone, Debug, Serialize)]
pub struct Counts {
    pub assessed: usize,
    pub ranked: usize,
    pub excluded: usize,
    pub indicators: usize,
    pub missing_values: usize,
    pub imputed_values: usize,
    pub winsorised_values: usize,
    pub skipped_rows: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct OutputFile {
    pub file: String,
    pub sha256: String,
    pub bytes: usize,
}

impl Manifest {
    pub fn new(spec: &LoadedSpec, data: &LoadedData, res: &Results) -> Manifest {
        let m = &spec.spec.meta;
        Manifest {
            program: "cityrank".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            index: IndexInfo {
                id: m.id.clone(),
                name: m.name.clone(),
                edition: m.edition.clone(),
                cutoff: m.cutoff.clone(),
                framework_version: m.framework_version.clone(),
            },
            illustrative: m.illustrative,
            notice: m.notice.clone(),
            seed: m.seed,
            spec: SpecInfo {
                file: spec
                    .path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                sha256: spec.sha256.clone(),
                resolved: serde_json::to_value(&spec.spec).unwrap_or(serde_json::Value::Null),
            },
            inputs: data.inputs.clone(),
            counts: Counts {
                assessed: res.assessed,
                ranked: res.n_units(),
                excluded: res.excluded.len(),
                indicators: spec.framework.n_indicators,
                missing_values: data.missing_cells,
                imputed_values: res.log.impute.imputed.len(),
                winsorised_values: res.log.treat.iter().map(|t| t.winsorised.len()).sum(),
                skipped_rows: data.skipped.len(),
            },
            skipped_rows: data.skipped.clone(),
            extra: data.extra.clone(),
            outputs: Vec::new(),
        }
    }

    /// Records the files written, in the order given.
    pub fn add_outputs(&mut self, files: &[(String, Vec<u8>)]) {
        for (name, bytes) in files {
            self.outputs.push(OutputFile {
                file: name.clone(),
                sha256: sha256_hex(bytes),
                bytes: bytes.len(),
            });
        }
    }
}
