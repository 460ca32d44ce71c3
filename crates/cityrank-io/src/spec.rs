//! Loading the methodology file, with errors that point at the line.

use crate::error::Error;
use crate::hash::sha256_hex;
use cityrank_core::framework::suggest;
use cityrank_core::{Framework, Location, Spec, SpecError};
use std::path::{Path, PathBuf};

/// A parsed and checked spec, with where it came from.
#[derive(Clone, Debug)]
pub struct LoadedSpec {
    pub spec: Spec,
    pub framework: Framework,
    pub path: PathBuf,
    /// Paths inside the spec are relative to this folder.
    pub dir: PathBuf,
    pub text: String,
    pub sha256: String,
    /// Tables given in memory (a caller's data frames), by the name the spec gives them; they
    /// are read instead of files of that name.
    pub tables: std::collections::BTreeMap<String, Vec<u8>>,
}

impl LoadedSpec {
    /// The same method reading every indicator from one wide table (a `unit` column and one
    /// column per indicator) instead of from raw records: for rebuilding from an intermediate
    /// indicator table without the SQL engine. `file` is relative to the spec's folder.
    pub fn with_indicator_table(mut self, file: &str) -> LoadedSpec {
        for ind in &mut self.spec.indicators {
            ind.records = None;
        }
        self.spec.sources.clear();
        self.spec.data = vec![cityrank_core::spec::DataDecl {
            file: file.into(),
            key: "unit".into(),
            ..Default::default()
        }];
        self
    }

    /// The plan the spec describes (data-driven weights still to be computed).
    pub fn plan(&self) -> cityrank_core::Plan {
        cityrank_core::Plan::new(&self.spec, &self.framework)
    }

    /// The same method reading its units and/or indicator values from tables in memory (CSV
    /// bytes) instead of the files the spec names. `data` replaces every `[[data]]` file and
    /// every record source: one row per unit, its id in column `key`, one column per indicator.
    /// The tables are named `<units>` and `<data>` in errors and in the manifest.
    pub fn with_tables(mut self, units: Option<Vec<u8>>, data: Option<(String, Vec<u8>)>) -> Self {
        if let Some(bytes) = units {
            self.spec.units.file = UNITS_TABLE.into();
            self.tables.insert(UNITS_TABLE.into(), bytes);
        }
        if let Some((key, bytes)) = data {
            let mut me = self.with_indicator_table(DATA_TABLE);
            me.spec.data[0].key = key;
            me.tables.insert(DATA_TABLE.into(), bytes);
            self = me;
        }
        self
    }

    /// A path written in the spec, resolved against the spec's folder.
    pub fn resolve(&self, p: &str) -> PathBuf {
        self.dir.join(p)
    }

    /// Opens a table the spec names, with the path to report: a table given in memory, else
    /// the file.
    pub fn open_table(
        &self,
        name: &str,
        sheet: Option<&cityrank_core::spec::Sheet>,
        field: &str,
    ) -> Result<(PathBuf, crate::input::InputTable), Error> {
        if let Some(bytes) = self.tables.get(name) {
            let path = PathBuf::from(name);
            let table = crate::input::InputTable::from_csv_bytes(&path, bytes.clone())?;
            return Ok((path, table));
        }
        let path = self.resolve(name);
        let table = crate::input::InputTable::open(&path, sheet, field)?;
        Ok((path, table))
    }
}

/// The names of tables given in memory by [`LoadedSpec::with_tables`].
pub const UNITS_TABLE: &str = "<units>";
pub const DATA_TABLE: &str = "<data>";

/// The spec file a path names: a folder means its `spec.toml`; a data file is refused with the
/// command that writes a spec for it.
pub fn spec_file(path: &Path) -> Result<PathBuf, Error> {
    if path.is_dir() {
        let file = path.join("spec.toml");
        if !file.is_file() {
            return Err(Error::new(
                "the folder has no spec.toml",
                format!(
                    "pass the spec file itself, or write one with `cityrank init {}`",
                    path.display()
                ),
            )
            .at(path, None));
        }
        return Ok(file);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if let Some(ext @ ("csv" | "tsv" | "xlsx" | "xlsm" | "xls" | "parquet")) = ext.as_deref() {
        return Err(Error::new(
            format!("this is a data file (.{ext}), not a methodology file"),
            format!(
                "write a spec and data folder for it with `cityrank init DIR --from {}`, then pass --spec DIR",
                path.display()
            ),
        )
        .at(path, None));
    }
    Ok(path.to_path_buf())
}

/// Loads a spec from its file, or from a folder's `spec.toml`.
pub fn load_spec(path: &Path) -> Result<LoadedSpec, Error> {
    let path = &spec_file(path)?;
    let bytes = crate::limits::read_small(path, crate::limits::MAX_SPEC).map_err(|e| Error {
        hint: format!("{}; pass the path of a spec.toml with --spec", e.hint),
        ..e
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::new(
            "the spec is not valid UTF-8",
            "save it as UTF-8; pass the path of a spec.toml with --spec",
        )
        .at(path, None)
    })?;
    LoadedSpec::from_text(path, text)
}

impl LoadedSpec {
    /// Parses and checks spec text read from `path` (which names it in errors and anchors its
    /// relative paths). Touches no file, so that the spec's checks can be driven from memory.
    pub fn from_text(path: &Path, text: String) -> Result<LoadedSpec, Error> {
        let spec = parse_spec(&text).map_err(|e| {
            let line = e.line;
            e.at(path, line)
        })?;
        let framework = Framework::from_spec(&spec).map_err(|e| {
            let err = locate_spec_error(&text, e);
            let line = err.line;
            err.at(path, line)
        })?;
        Ok(LoadedSpec {
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path: path.to_path_buf(),
            sha256: sha256_hex(text.as_bytes()),
            text,
            spec,
            framework,
            tables: Default::default(),
        })
    }
}

/// Parses spec text; the error carries the line (file is added by the caller).
pub fn parse_spec(text: &str) -> Result<Spec, Error> {
    toml::from_str::<Spec>(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        let message = e.message().trim().to_string();
        let hint = hint_for(&message);
        let mut err = Error::new(message, hint);
        err.line = line;
        err
    })
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// "did you mean" for serde's unknown field and unknown variant messages.
fn hint_for(message: &str) -> String {
    let grab = |m: &str, marker: &str| -> Option<(String, Vec<String>)> {
        let rest = m.split(marker).nth(1)?;
        let got = rest.split('`').nth(1)?.to_string();
        let expected = m.split("expected one of").nth(1)?;
        let known = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        Some((got, known))
    };
    for (marker, what) in [("unknown field", "key"), ("unknown variant", "method")] {
        if let Some((got, known)) = grab(message, marker) {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            return suggest(&got, &known, what);
        }
    }
    if let Some(method) = message
        .split("method `")
        .nth(1)
        .filter(|_| message.contains("takes no parameters"))
        .and_then(|r| r.split('`').next())
    {
        return format!(
            "remove the key, or choose a method that has it (docs/spec.md lists each method's keys); without keys the method is written `\"{method}\"`"
        );
    }
    if message.contains("missing field") {
        return "add the field; see docs/spec.md for every section and key".into();
    }
    "see docs/spec.md for the spec format".into()
}

/// Points a framework error at the line of the entry it names.
fn locate_spec_error(text: &str, e: SpecError) -> Error {
    let line = match &e.location {
        Location::Node(id) | Location::Indicator(id) | Location::Column(id) => {
            find_id_line(text, id)
        }
        Location::Field(key) => find_key_line(text, key),
        _ => None,
    };
    let mut err = Error::new(e.message, e.hint);
    err.line = line;
    err.field = match e.location {
        Location::Node(id) => Some(format!("node {id}")),
        Location::Indicator(id) => Some(format!("indicator {id}")),
        Location::Field(k) => Some(k),
        _ => None,
    };
    err
}

/// The line of `id = "X"`.
pub fn find_id_line(text: &str, id: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let l = l.trim();
            l.starts_with("id")
                && l.trim_start_matches("id").trim_start().starts_with('=')
                && l.contains(&format!("\"{id}\""))
        })
        .map(|i| i + 1)
}

/// The line of a section key such as `screen.min_coverage` (found by its last part).
pub fn find_key_line(text: &str, key: &str) -> Option<usize> {
    let key = key.rsplit('.').next().unwrap_or(key);
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map(|i| i + 1)
}
