//! The manifest: the recipe of a result (spec, input hashes, seed, program version) and the
//! hashes of what was written, so that anyone can rebuild it and check they got the same bytes.

use crate::data::{InputFile, LoadedData, SkippedRow};
use crate::hash::sha256_hex;
use crate::spec::LoadedSpec;
use cityrank_core::Results;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

#[derive(Clone, Debug, Serialize)]
pub struct Manifest {
    pub program: String,
    pub version: String,
    pub index: IndexInfo,
    pub illustrative: bool,
    pub notice: Option<String>,
    pub seed: u64,
    pub spec: SpecInfo,
    /// The plan the build ran, step by step, with the data-driven weights it computed (what
    /// `cityrank plan --json` prints).
    pub plan: cityrank_core::plan::PlanView,
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
    /// Scores replaced by published values (`columns` mapping a node).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub published_values: usize,
    /// Indicator cells of ranked units that do not apply to them (`applies_to`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_applicable_values: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
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
            plan: {
                let mut plan = spec.plan();
                plan.fix_weights(res);
                plan.view()
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
                published_values: res.log.overrides.len(),
                not_applicable_values: res
                    .applicable
                    .not_applicable_cells(spec.framework.n_indicators),
            },
            skipped_rows: data.skipped.clone(),
            extra: relative_paths(data.extra.clone(), &spec.dir),
            outputs: Vec::new(),
        }
    }

    /// Records the files written, in the order given.
    pub fn add_outputs(&mut self, files: &[(String, Vec<u8>)]) {
        self.outputs.extend(output_files(files));
    }
}

fn output_files(files: &[(String, Vec<u8>)]) -> Vec<OutputFile> {
    files
        .iter()
        .map(|(name, bytes)| OutputFile {
            file: name.clone(),
            sha256: sha256_hex(bytes),
            bytes: bytes.len(),
        })
        .collect()
}

/// Paths recorded by earlier stages (record files) as written relative to the spec's folder, so
/// the same build in another folder gives the same manifest and no local path is exposed.
fn relative_paths(
    mut extra: BTreeMap<String, serde_json::Value>,
    spec_dir: &Path,
) -> BTreeMap<String, serde_json::Value> {
    let base = std::path::absolute(spec_dir).unwrap_or_else(|_| spec_dir.to_path_buf());
    for v in extra.values_mut() {
        relativise(v, &base);
    }
    extra
}

fn relativise(v: &mut serde_json::Value, base: &Path) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match x {
                    serde_json::Value::String(s) if k == "path" => {
                        *s = relative_to(Path::new(s.as_str()), base)
                    }
                    _ => relativise(x, base),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| relativise(x, base)),
        _ => {}
    }
}

/// `path` written relative to `base` (with `..` where it lies outside), `/`-separated.
pub fn relative_to(path: &Path, base: &Path) -> String {
    if !path.is_absolute() {
        return path.to_string_lossy().replace('\\', "/");
    }
    let (p, b): (Vec<Component>, Vec<Component>) =
        (path.components().collect(), base.components().collect());
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..b.len() {
        rel.push("..");
    }
    for c in &p[common..] {
        rel.push(c.as_os_str());
    }
    rel.to_string_lossy().replace('\\', "/")
}

/// What a result was computed from: the index, its spec and every input's hash. Two outputs
/// belong together only when their recipes are equal.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Recipe {
    pub index: String,
    pub edition: Option<String>,
    pub spec_sha256: String,
    /// One hash over the hashes of the data files and record files read.
    pub inputs_sha256: String,
}

impl Recipe {
    pub fn of(spec: &LoadedSpec, data: &LoadedData) -> Recipe {
        let mut all = String::new();
        for i in &data.inputs {
            all.push_str(&format!("{} {} {}\n", i.role, i.path, i.sha256));
        }
        for v in data.extra.values() {
            collect_hashes(v, &mut all);
        }
        Recipe {
            index: spec.spec.meta.id.clone(),
            edition: spec.spec.meta.edition.clone(),
            spec_sha256: spec.sha256.clone(),
            inputs_sha256: sha256_hex(all.as_bytes()),
        }
    }

    /// The first difference from `other`, in words, or none.
    pub fn differs(&self, other: &Recipe) -> Option<String> {
        if self.index != other.index || self.edition != other.edition {
            Some(format!(
                "they were computed for index `{}` edition {}, not `{}` edition {}",
                other.index,
                other.edition.as_deref().unwrap_or("(none)"),
                self.index,
                self.edition.as_deref().unwrap_or("(none)")
            ))
        } else if self.spec_sha256 != other.spec_sha256 {
            Some("they were computed from another version of the spec".into())
        } else if self.inputs_sha256 != other.inputs_sha256 {
            Some("they were computed from other data files".into())
        } else {
            None
        }
    }
}

fn collect_hashes(v: &serde_json::Value, all: &mut String) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match x {
                    serde_json::Value::String(s) if k == "sha256" => {
                        all.push_str(s);
                        all.push('\n');
                    }
                    _ => collect_hashes(x, all),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_hashes(x, all)),
        _ => {}
    }
}

/// One command's part of a results folder: its recipe, settings and the files it wrote.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub command: String,
    pub version: String,
    pub recipe: Recipe,
    pub seed: Option<u64>,
    /// The command's settings as given (flags after defaults were filled in).
    pub settings: serde_json::Value,
    pub outputs: Vec<OutputFile>,
}

impl Entry {
    pub fn new(
        command: &str,
        recipe: Recipe,
        seed: Option<u64>,
        settings: serde_json::Value,
    ) -> Entry {
        Entry {
            command: command.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            recipe,
            seed,
            settings,
            outputs: Vec::new(),
        }
    }

    pub fn add_outputs(&mut self, files: &[(String, Vec<u8>)]) {
        self.outputs.extend(output_files(files));
    }
}

/// `manifest.json` of a results folder: the recipe of the build (from `run`) and one entry per
/// command that wrote into the folder.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FolderManifest {
    #[serde(flatten)]
    build: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub commands: BTreeMap<String, Entry>,
}

impl FolderManifest {
    /// The folder's manifest, or an empty one when the folder has none.
    pub fn read_or_default(out: &Path) -> Result<FolderManifest, crate::Error> {
        Ok(FolderManifest::read(out)?.unwrap_or_default())
    }

    pub fn read(out: &Path) -> Result<Option<FolderManifest>, crate::Error> {
        let path = out.join(crate::folder::MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(crate::Error::io(&path, e)),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            crate::Error::new(
                format!("not a cityrank manifest: {e}"),
                "remove the file, or choose another --out for cityrank's results",
            )
            .at(&path, Some(e.line()))
        })
    }

    pub fn take_entry(&mut self, command: &str) -> Option<Entry> {
        self.commands.remove(command)
    }

    pub fn insert(&mut self, e: Entry) {
        self.commands.insert(e.command.clone(), e);
    }

    /// Replaces the build recipe (every top-level field but `commands`).
    pub fn set_build(&mut self, v: serde_json::Value) {
        if let serde_json::Value::Object(mut m) = v {
            m.remove("commands");
            self.build = m;
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        crate::write::json_bytes(self)
    }

    /// Checks every file the manifest lists against its hash, naming the first that differs.
    pub fn verify(&self, out: &Path) -> Result<(), crate::Error> {
        for e in self.commands.values() {
            for o in &e.outputs {
                let path = out.join(&o.file);
                let fix = format!(
                    "rerun `cityrank {}` to write it again, or choose another --out",
                    e.command
                );
                let bytes = std::fs::read(&path).map_err(|err| {
                    crate::Error::new(
                        format!("listed in manifest.json but cannot be read ({err})"),
                        fix.clone(),
                    )
                    .at(&path, None)
                })?;
                if sha256_hex(&bytes) != o.sha256 {
                    return Err(crate::Error::new(
                        "changed since cityrank wrote it: its hash differs from manifest.json",
                        fix,
                    )
                    .at(&path, None));
                }
            }
        }
        Ok(())
    }
}
