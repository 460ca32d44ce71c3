//! `cityrank init`: a new index from a table of units x indicators, or a small illustrative one.
//!
//! The spec it writes is meant to be read: each section says what it does and what to change,
//! so that it is the first lesson in the format. The data file is copied beside the spec
//! unchanged and read through it, so the analyst's spreadsheet stays the source of the values.

use crate::error::Error;
use crate::input::{InputTable, WholeTable as Table};
use cityrank_core::spec::{default_missing, Sheet};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What `init` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct InitOptions {
    /// A CSV or XLSX table, one row per unit; none for the illustrative example.
    pub from: Option<PathBuf>,
    /// The worksheet of an XLSX `from` (default: the first).
    pub sheet: Option<Sheet>,
    pub id_column: Option<String>,
    pub name_column: Option<String>,
    /// Write into a folder that is not empty (files of the same names are replaced).
    pub force: bool,
}

/// What `init` wrote and what it made of the table.
#[derive(Clone, Debug)]
pub struct Written {
    pub spec: PathBuf,
    pub data: PathBuf,
    pub layout: Layout,
}

/// How the columns of the table were read.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub id_column: String,
    pub name_column: String,
    /// Text columns, kept as unit groups.
    pub groups: Vec<String>,
    /// (indicator id, column) in table order.
    pub indicators: Vec<(String, String)>,
    /// (dimension id, indicator ids); one entry when the columns share no prefixes.
    pub dimensions: Vec<(String, Vec<String>)>,
    /// Columns with no value at all, not used.
    pub empty: Vec<String>,
}

/// Writes `dir/spec.toml` and `dir/data/FILE`, then loads them as a check.
pub fn init(dir: &Path, opts: &InitOptions) -> Result<Written, Error> {
    check_target(dir, opts.force)?;
    let data_dir = dir.join("data");
    std::fs::create_dir_all(&data_dir).map_err(|e| write_error(&data_dir, e))?;
    let (data, illustrative) = match &opts.from {
        Some(from) => (copy_into(from, &data_dir)?, false),
        None => {
            if opts.sheet.is_some() {
                return Err(Error::new(
                    "--sheet names a worksheet, but no --from file was given",
                    "add --from FILE.xlsx, or drop --sheet",
                ));
            }
            let path = data_dir.join("cities.csv");
            std::fs::write(&path, EXAMPLE_CSV).map_err(|e| write_error(&path, e))?;
            (path, true)
        }
    };
    let from = opts.from.as_deref().unwrap_or(&data);
    let table = InputTable::open(&data, opts.sheet.as_ref(), "--sheet")
        .and_then(InputTable::read_all)
        .map_err(|e| relocate(e, &data, from))?;
    let layout = layout(&table, opts).map_err(|e| relocate(e, &data, from))?;
    let file_name = data.file_name().and_then(|n| n.to_str()).unwrap_or("data");
    let text = spec_text(
        dir,
        &format!("data/{file_name}"),
        &table,
        &layout,
        illustrative,
    );
    let spec = dir.join("spec.toml");
    std::fs::write(&spec, text).map_err(|e| write_error(&spec, e))?;
    crate::load(&spec)?;
    Ok(Written { spec, data, layout })
}

/// Errors about the copy name the file the analyst gave.
fn relocate(mut e: Error, copy: &Path, from: &Path) -> Error {
    if e.file.as_deref() == Some(copy) {
        e.file = Some(from.to_path_buf());
    }
    e
}

pub(crate) fn write_error(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        format!("cannot write: {e}"),
        "check that the folder is writable",
    )
    .at(path, None)
}

pub(crate) fn check_target(dir: &Path, force: bool) -> Result<(), Error> {
    if dir.is_file() {
        return Err(Error::new(
            "this is a file; init writes a new folder",
            "give the path of a folder to create (or an empty one)",
        )
        .at(dir, None));
    }
    let busy = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if busy && !force {
        return Err(Error::new(
            "the folder is not empty",
            "choose a new folder, or add --force to write spec.toml and data/ into it (files of the same names are replaced)",
        )
        .at(dir, None));
    }
    Ok(())
}

/// Copies the table into `data/` (unless it is already the file there).
pub(crate) fn copy_into(from: &Path, data_dir: &Path) -> Result<PathBuf, Error> {
    if !from.is_file() {
        return Err(Error::new(
            "no such file",
            "give a CSV or XLSX table: one row per unit, a column of ids, one column per indicator",
        )
        .at(from, None));
    }
    let name = from.file_name().expect("a file has a name");
    let to = data_dir.join(name);
    let same = std::fs::canonicalize(from).ok() == std::fs::canonicalize(&to).ok();
    if !same {
        std::fs::copy(from, &to).map_err(|e| write_error(&to, e))?;
    }
    Ok(to)
}

/// Header names taken for the unit id and name when no flag says, compared without case.
const ID_NAMES: &[&str] = &[
    "id",
    "unit",
    "code",
    "ucode",
    "unit_id",
    "iso3",
    "iso",
    "geo",
    "city_code",
];
const NAME_NAMES: &[&str] = &[
    "name",
    "uname",
    "unit_name",
    "city",
    "country",
    "label",
    "region_name",
];

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Numbers,
    Text,
    Empty,
}

fn is_missing(t: &str) -> bool {
    t.is_empty() || default_missing().iter().any(|m| m == t)
}

/// The kind of a column; a column of numbers with a stray text is refused at that cell.
fn kind(table: &Table, c: usize) -> Result<Kind, Error> {
    let mut numbers = None;
    let mut text = None;
    for (line, row) in &table.rows {
        let t = row[c].trim();
        if is_missing(t) {
            continue;
        }
        let slot = if t.parse::<f64>().is_ok_and(f64::is_finite) {
            &mut numbers
        } else {
            &mut text
        };
        slot.get_or_insert((*line, t.to_string()));
    }
    match (numbers, text) {
        (None, None) => Ok(Kind::Empty),
        (Some(_), None) => Ok(Kind::Numbers),
        (None, Some(_)) => Ok(Kind::Text),
        // Mostly text with a few numbers: a label column (codes, names).
        (Some(_), Some(_)) if !numeric_share_high(table, c) => Ok(Kind::Text),
        (Some(_), Some((line, t))) => {
            let e = Error::new(
                format!(
                    "column `{}` holds numbers, and `{t}` here, which is not a number",
                    table.headers[c]
                ),
                "write the number, or leave the cell empty (or NA) if the value is missing",
            )
            .field(&table.headers[c]);
            Err(table.error(e, Some(line), Some(c)))
        }
    }
}

/// Most present cells are numbers: the column is an indicator with a bad cell, not a label.
fn numeric_share_high(table: &Table, c: usize) -> bool {
    let (mut n, mut total) = (0, 0);
    for (_, row) in &table.rows {
        let t = row[c].trim();
        if !is_missing(t) {
            total += 1;
            n += usize::from(t.parse::<f64>().is_ok());
        }
    }
    2 * n > total
}

fn find_column(table: &Table, name: &str, flag: &str) -> Result<usize, Error> {
    table.headers.iter().position(|h| h == name).ok_or_else(|| {
        let known: Vec<&str> = table.headers.iter().map(String::as_str).collect();
        let e = Error::new(
            format!("there is no column `{name}` (given by {flag})"),
            cityrank_core::framework::suggest(name, &known, "column"),
        );
        table.error(e, Some(table.header_line), None)
    })
}

fn named(table: &Table, names: &[&str], not: Option<usize>) -> Option<usize> {
    table
        .headers
        .iter()
        .enumerate()
        .find(|(i, h)| Some(*i) != not && names.contains(&h.to_lowercase().as_str()))
        .map(|(i, _)| i)
}

/// The id column: the flag's, else a column named like an id, else the first column.
fn id_column(table: &Table, opts: &InitOptions) -> Result<usize, Error> {
    let c = match &opts.id_column {
        Some(n) => find_column(table, n, "--id-column")?,
        None => named(table, ID_NAMES, None).unwrap_or(0),
    };
    let mut seen = BTreeMap::new();
    for (line, row) in &table.rows {
        let id = row[c].trim();
        let at = |m: String| {
            let e = Error::new(
                m,
                "give every unit its own id, or name the id column with --id-column",
            );
            table.error(e.field(&table.headers[c]), Some(*line), Some(c))
        };
        if id.is_empty() {
            return Err(at(format!(
                "the unit id column `{}` is empty here",
                table.headers[c]
            )));
        }
        if let Some(first) = seen.insert(id.to_string(), *line) {
            return Err(at(format!(
                "unit id `{id}` appears twice (first on {} {first}) in the id column `{}`",
                table.row_word(),
                table.headers[c]
            )));
        }
    }
    Ok(c)
}

fn layout(table: &Table, opts: &InitOptions) -> Result<Layout, Error> {
    if let Some((c, h)) = duplicate_header(table) {
        let e = Error::new(
            format!("column `{h}` appears twice in the header"),
            "give every column its own name",
        );
        return Err(table.error(e, Some(table.header_line), Some(c)));
    }
    if table.rows.is_empty() {
        let e = Error::new("the table has a header but no rows", "add one row per unit");
        return Err(table.error(e, None, None));
    }
    let id = id_column(table, opts)?;
    let kinds = (0..table.headers.len())
        .map(|c| kind(table, c))
        .collect::<Result<Vec<_>, _>>()?;
    let name = match &opts.name_column {
        Some(n) => find_column(table, n, "--name-column")?,
        None => named(table, NAME_NAMES, Some(id))
            .or_else(|| (0..kinds.len()).find(|&c| c != id && kinds[c] == Kind::Text))
            .unwrap_or(id),
    };
    let mut out = Layout {
        id_column: table.headers[id].clone(),
        name_column: table.headers[name].clone(),
        groups: Vec::new(),
        indicators: Vec::new(),
        dimensions: Vec::new(),
        empty: Vec::new(),
    };
    let mut used: BTreeSet<String> = BTreeSet::from(["index".to_string()]);
    for (c, h) in table.headers.iter().enumerate() {
        if c == id || c == name {
            continue;
        }
        match kinds[c] {
            Kind::Numbers => out.indicators.push((unique_id(h, &mut used), h.clone())),
            Kind::Text => out.groups.push(h.clone()),
            Kind::Empty => out.empty.push(h.clone()),
        }
    }
    if out.indicators.is_empty() {
        return Err(table.error(Error::new(
            format!(
                "no column of numbers besides the unit id (`{}`) and name (`{}`), so there is nothing to rank",
                out.id_column, out.name_column
            ),
            "give one column per indicator, with numbers (empty cells for missing values); name the id and name columns with --id-column and --name-column",
        ), None, None));
    }
    out.dimensions = dimensions(&out.indicators, &mut used);
    Ok(out)
}

fn duplicate_header(table: &Table) -> Option<(usize, String)> {
    let mut seen = BTreeSet::new();
    table
        .headers
        .iter()
        .enumerate()
        .find(|(_, h)| !seen.insert(h.as_str()))
        .map(|(c, h)| (c, h.clone()))
}

/// A spec id for a column name: kept when it is one, else lower case with `_` for the rest.
pub(crate) fn unique_id(header: &str, used: &mut BTreeSet<String>) -> String {
    let valid =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c));
    let base = if valid(header) {
        header.to_string()
    } else {
        let mut s = String::new();
        for ch in header.trim().chars() {
            if ch.is_alphanumeric() {
                s.extend(ch.to_lowercase());
            } else if !s.ends_with('_') {
                s.push('_');
            }
        }
        let s = s.trim_matches('_').to_string();
        if s.is_empty() {
            "indicator".into()
        } else {
            s
        }
    };
    let mut id = base.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}_{n}");
        n += 1;
    }
    id
}

/// One dimension per prefix before `_` of the column names, when every column has one, there
/// are at least two, and one is shared; else one dimension holding every indicator.
fn dimensions(
    indicators: &[(String, String)],
    used: &mut BTreeSet<String>,
) -> Vec<(String, Vec<String>)> {
    let prefix = |h: &str| {
        h.split_once('_')
            .filter(|(p, rest)| !p.is_empty() && !rest.is_empty())
            .map(|(p, _)| p.to_string())
    };
    let mut dims: Vec<(String, Vec<String>)> = Vec::new();
    let prefixes: Option<Vec<String>> = indicators.iter().map(|(_, h)| prefix(h)).collect();
    for ((id, _), p) in indicators.iter().zip(prefixes.iter().flatten()) {
        match dims.iter_mut().find(|(d, _)| d == p) {
            Some((_, v)) => v.push(id.clone()),
            None => dims.push((p.clone(), vec![id.clone()])),
        }
    }
    let shared = dims.iter().any(|(_, v)| v.len() > 1);
    if prefixes.is_some() && dims.len() > 1 && shared {
        for d in &mut dims {
            d.0 = unique_id(&d.0, used);
        }
        return dims;
    }
    let all = indicators.iter().map(|(id, _)| id.clone()).collect();
    vec![(unique_id("all", used), all)]
}

/// A TOML string literal.
pub(crate) fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML key: bare where it can be.
pub(crate) fn key(s: &str) -> String {
    let bare = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c));
    if bare {
        s.to_string()
    } else {
        q(s)
    }
}

/// The spec `init` writes; `@...@` are filled in by [`spec_text`].
const TEMPLATE: &str = r#"# The methodology of `@FOLDER@`, written by `cityrank init`.
#
# One file holds the whole method. Edit it, then check and build with
#   cityrank validate --spec @FOLDER@
#   cityrank run --spec @FOLDER@
# Every section and key is described in docs/spec.md of the cityrank project.
@ILLUSTRATIVE_NOTE@
# Who makes the index and for when. `seed` fixes the random draws of
# `cityrank uncertainty`, so that its results can be reproduced.
[meta]
id = @ID@
name = @NAME@
# edition = "2026"
sources = [@SOURCE@]
@ILLUSTRATIVE@seed = 1

# The units ranked (cities, regions, countries): one row each in this file. `id` and
# `name` name its columns; `groups` are text columns kept for reports and for imputation
# by group; `label` is how printed output calls the units.
[units]
file = @FILE@
@SHEET@id = @ID_COLUMN@
name = @NAME_COLUMN@
groups = [@GROUPS@]
label = "units"

# Where the indicator values are: the same table, one column per indicator
# (`[data.columns]` maps each indicator id to its column). Empty cells, NA, n/a and ..
# are missing values.@EMPTY@
[[data]]
file = @FILE@
@SHEET@key = @ID_COLUMN@

[data.columns]
@COLUMNS@
# The method of every indicator and node unless it sets its own (the steps of the
# OECD/JRC Handbook): no imputation of missing values, no transformation, no outlier
# treatment; min-max normalisation onto 0-100 (the worst unit 0, the best 100);
# arithmetic means of the children's scores with their weights, renormalised over the
# children a unit has data for. Other choices, for example:
#   impute = "mean"   transform = "log1p"   outliers = { method = "skew_kurt" }
#   normalise = "z_score"   aggregate = "geometric"
[defaults]
impute = "none"
transform = "none"
outliers = "none"
normalise = { method = "min_max", low = 0, high = 100 }
aggregate = "arithmetic"

# Which units are ranked: here every unit with a value. For example `min_coverage = 0.75`
# ranks only the units with data for three quarters of the indicators.
[screen]
min_coverage = 0

# How the ranking is published: the top @TOP@ printed (0 would print all), scores with
# 2 decimals, ranks on the rounded scores (units that print the same score share a rank).
[publish]
top = @TOP@
decimals = 2

# What `cityrank uncertainty` varies: each weight by up to +-25%.
[uncertainty]
weight_noise = 0.25

# The tree: the index, its dimensions, their indicators. Weights are relative among
# siblings (1 and 1 is the same as 50% and 50%): all equal here. `direction` is
# "higher" when more is better; set "lower" where less is better (e.g. pollution).
[index]
id = "index"
name = @NAME@
@TREE@"#;

const ILLUSTRATIVE_NOTE: &str = "#
# THE DATA ARE ILLUSTRATIVE: made-up values for eight imaginary towns, to show the
# format. Start your own index with `cityrank init DIR --from your-table.csv` (or .xlsx).
";

const ILLUSTRATIVE: &str = "illustrative = true
notice = \"ILLUSTRATIVE DATA: made-up values to show the format, not real measurements.\"
";

fn spec_text(dir: &Path, file: &str, table: &Table, l: &Layout, illustrative: bool) -> String {
    let sheet = table.place.sheet.as_deref();
    let units = table.rows.len();
    let folder = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("index")
        .to_string();
    let id = unique_id(&folder, &mut BTreeSet::new());
    let empty = if l.empty.is_empty() {
        String::new()
    } else {
        let e: Vec<String> = l.empty.iter().map(|e| format!("`{e}`")).collect();
        format!("\n# Not used, having no values: {}.", e.join(", "))
    };
    let columns: String = l
        .indicators
        .iter()
        .map(|(id, col)| format!("{} = {}\n", key(id), q(col)))
        .collect();
    let pick = |yes: bool, s: &str| if yes { s.to_string() } else { String::new() };
    TEMPLATE
        .replace(
            "@ILLUSTRATIVE_NOTE@\n",
            &pick(illustrative, ILLUSTRATIVE_NOTE),
        )
        .replace("@ILLUSTRATIVE@", &pick(illustrative, ILLUSTRATIVE))
        .replace("@FOLDER@", &folder)
        .replace("@ID@", &q(&id))
        .replace("@NAME@", &q(&format!("{folder} index")))
        .replace("@SOURCE@", &q(&format!("{file} (one row per unit)")))
        .replace("@FILE@", &q(file))
        .replace(
            "@SHEET@",
            &sheet
                .map(|s| format!("sheet = {}\n", q(s)))
                .unwrap_or_default(),
        )
        .replace("@ID_COLUMN@", &q(&l.id_column))
        .replace("@NAME_COLUMN@", &q(&l.name_column))
        .replace(
            "@GROUPS@",
            &l.groups.iter().map(|g| q(g)).collect::<Vec<_>>().join(", "),
        )
        .replace("@EMPTY@", &empty)
        .replace("@COLUMNS@", &columns)
        .replace("@TREE@", &tree_text(l))
        .replace("@TOP@", &units.min(10).to_string())
}

/// The `[[node]]` and `[[indicator]]` sections.
fn tree_text(l: &Layout) -> String {
    let prefixes = l.dimensions.len() > 1;
    let mut t = String::new();
    for (d, inds) in &l.dimensions {
        let (name, description) = if prefixes {
            (d.clone(), format!("the columns {d}_..."))
        } else {
            (
                "All indicators".to_string(),
                "every column of numbers".to_string(),
            )
        };
        let _ = write!(
            t,
            "\n[[node]]\nid = {}\nparent = \"index\"\nname = {}\ndescription = {}\nweight = 1\n",
            q(d),
            q(&name),
            q(&description)
        );
        for i in inds {
            let col = &l.indicators.iter().find(|(x, _)| x == i).expect("listed").1;
            let _ = write!(
                t,
                "\n[[indicator]]\nid = {}\nparent = {}\nname = {}\nweight = 1\ndirection = \"higher\"\n",
                q(i),
                q(d),
                q(col)
            );
        }
    }
    t
}

/// The illustrative example's table: eight imaginary towns, two dimensions of two indicators,
/// one missing value.
const EXAMPLE_CSV: &str = "\
unit,name,region,env_green_space,env_recycling,soc_doctors,soc_broadband
T01,Alderford,North,31.5,42.0,28.1,91.2
T02,Brightwater,North,18.2,55.5,31.4,88.0
T03,Cobham Vale,South,44.9,38.1,19.7,79.5
T04,Dunmere,South,12.4,61.3,35.0,95.1
T05,Eastwick,East,27.0,47.8,24.6,
T06,Fernlea,East,39.3,29.9,22.2,83.4
T07,Glenhollow,West,22.8,51.2,40.3,90.6
T08,Harrowgate,West,15.6,44.4,26.9,86.7
";
