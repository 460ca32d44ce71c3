//! `cityrank import coinr`: a COINr user's iData and iMeta as a cityrank spec and data.
//!
//! COINr's conventions (`new_coin`): iData holds one row per unit, `uCode` (id), `uName`,
//! optional `Time`, and a column per indicator, group and denominator; iMeta has a row per
//! iData column and per aggregate: `iCode`, `Level` (1 = indicators), `Parent`, `Direction`
//! (1 / -1), `Weight` (relative within the parent), `Type` (Indicator, Aggregate, Group,
//! Denominator, Other), and optional `iName`, `Unit`, `Target`, `Denominator`. The spec
//! written reproduces COINr's default build (min-max onto [0, 100] after the direction,
//! arithmetic means with the metadata weights, ranks on unrounded scores, ties at the
//! minimum). Denominators are a choice in COINr (`Denominate`), so they are written active
//! only when asked for.

use crate::error::Error;
use crate::init::{check_target, copy_into, key, q};
use crate::input::{InputTable, WholeTable as Table};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct CoinrOptions {
    pub idata: PathBuf,
    pub imeta: PathBuf,
    /// Divide each indicator by its iMeta `Denominator` (COINr's `Denominate`).
    pub denominate: bool,
    pub force: bool,
}

/// One row of iMeta.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub code: String,
    pub name: String,
    pub kind: Kind,
    pub level: Option<u32>,
    pub parent: Option<String>,
    pub direction: Option<i32>,
    pub weight: Option<f64>,
    pub unit: Option<String>,
    pub target: Option<String>,
    pub denominator: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Indicator,
    Aggregate,
    Group,
    Denominator,
    Other,
}

/// What was imported.
#[derive(Clone, Debug)]
pub struct Imported {
    pub spec: PathBuf,
    pub entries: Vec<Entry>,
    /// iData columns that iMeta does not describe (besides uCode, uName and Time), not used.
    pub unused: Vec<String>,
}

impl Imported {
    pub fn count(&self, kind: Kind) -> usize {
        self.entries.iter().filter(|e| e.kind == kind).count()
    }
}

/// Writes `dir/spec.toml` with iData and iMeta copied into `dir/data/`, then loads it as a check.
pub fn import(dir: &Path, opts: &CoinrOptions) -> Result<Imported, Error> {
    check_target(dir, opts.force)?;
    let meta_table = InputTable::open(&opts.imeta, None, "--imeta")?.read_all()?;
    let entries = read_meta(&meta_table)?;
    let data_table = InputTable::open(&opts.idata, None, "--idata")?.read_all()?;
    let unused = check_data(&data_table, &entries)?;
    let data_dir = dir.join("data");
    std::fs::create_dir_all(&data_dir).map_err(|e| crate::init::write_error(&data_dir, e))?;
    let idata = copy_into(&opts.idata, &data_dir)?;
    let imeta = copy_into(&opts.imeta, &data_dir)?;
    let name = |p: &Path| {
        format!(
            "data/{}",
            p.file_name().and_then(|n| n.to_str()).unwrap_or("")
        )
    };
    let text = spec_text(
        dir,
        &name(&idata),
        &name(&imeta),
        &data_table,
        &entries,
        &unused,
        opts.denominate,
    );
    let spec = dir.join("spec.toml");
    std::fs::write(&spec, text).map_err(|e| crate::init::write_error(&spec, e))?;
    crate::load(&spec)?;
    Ok(Imported {
        spec,
        entries,
        unused,
    })
}

/// The iMeta columns read.
struct MetaColumns {
    code: usize,
    kind: usize,
    level: usize,
    parent: usize,
    optional: [Option<usize>; 5],
}

fn meta_columns(t: &Table) -> Result<MetaColumns, Error> {
    let find = |n: &str| t.headers.iter().position(|h| h == n);
    let need = |n: &str| {
        find(n).ok_or_else(|| {
            let e = Error::new(
                format!("iMeta has no column `{n}`"),
                "iMeta needs the columns iCode, Level, Parent, Type (and Direction and Weight for indicators and aggregates), as COINr's new_coin does",
            );
            t.error(e, Some(t.header_line), None)
        })
    };
    Ok(MetaColumns {
        code: need("iCode")?,
        kind: need("Type")?,
        level: need("Level")?,
        parent: need("Parent")?,
        optional: ["iName", "Direction", "Weight", "Unit", "Target"].map(find),
    })
}

fn read_meta(t: &Table) -> Result<Vec<Entry>, Error> {
    let c = meta_columns(t)?;
    let denominator = t.headers.iter().position(|h| h == "Denominator");
    let mut out: Vec<Entry> = Vec::new();
    for (line, row) in &t.rows {
        let at = |col: usize, m: String, fix: &str| {
            let e = Error::new(m, fix).field(&t.headers[col]);
            t.error(e, Some(*line), Some(col))
        };
        let get = |col: Option<usize>| {
            col.map(|i| row[i].trim().to_string())
                .filter(|s| !s.is_empty() && s != "NA")
        };
        let code = get(Some(c.code))
            .ok_or_else(|| at(c.code, "empty iCode".into(), "give every row its code"))?;
        let kind = match get(Some(c.kind)).as_deref() {
            Some("Indicator") => Kind::Indicator,
            Some("Aggregate") => Kind::Aggregate,
            Some("Group") => Kind::Group,
            Some("Denominator") => Kind::Denominator,
            Some("Other") => Kind::Other,
            other => {
                return Err(at(
                    c.kind,
                    format!("Type `{}` is not one of COINr's types", other.unwrap_or("")),
                    "use Indicator, Aggregate, Group, Denominator or Other",
                ))
            }
        };
        let structural = matches!(kind, Kind::Indicator | Kind::Aggregate);
        let number = |col: Option<usize>, what: &str| -> Result<Option<f64>, Error> {
            let Some(s) = get(col) else {
                return Ok(None);
            };
            s.parse::<f64>().map(Some).map_err(|_| {
                at(
                    col.expect("present"),
                    format!("{what} `{s}` is not a number"),
                    "write a number",
                )
            })
        };
        let level = number(Some(c.level), "Level")?;
        let [name_col, dir_col, weight_col, unit_col, target_col] = c.optional;
        let direction = number(dir_col, "Direction")?;
        let weight = number(weight_col, "Weight")?;
        if structural {
            let lv = level.filter(|l| l.fract() == 0.0 && *l >= 1.0);
            let lv_ok = match kind {
                Kind::Indicator => lv == Some(1.0),
                _ => lv.is_some_and(|l| l >= 2.0),
            };
            if !lv_ok {
                return Err(at(
                    c.level,
                    format!(
                        "Level of {kind:?} `{code}` must be {}",
                        if kind == Kind::Indicator {
                            "1"
                        } else {
                            "2 or more"
                        }
                    ),
                    "indicators are level 1; each aggregate level counts up from there",
                ));
            }
            if kind == Kind::Indicator && direction.is_none() {
                let col = dir_col.unwrap_or(c.code);
                return Err(at(
                    col,
                    format!("indicator `{code}` has no Direction"),
                    "give 1 (higher is better) or -1 (lower is better)",
                ));
            }
            if direction.is_some_and(|d| d != 1.0 && d != -1.0) {
                return Err(at(
                    dir_col.expect("present"),
                    format!("Direction of `{code}` must be 1 or -1"),
                    "1: higher is better; -1: lower is better",
                ));
            }
            if weight.is_none() {
                let col = weight_col.unwrap_or(c.code);
                return Err(at(
                    col,
                    format!("`{code}` has no Weight"),
                    "give a Weight (relative within the parent; 1 for equal weights)",
                ));
            }
        }
        out.push(Entry {
            code,
            name: get(name_col).unwrap_or_default(),
            kind,
            level: level.map(|l| l as u32),
            parent: get(Some(c.parent)),
            direction: direction.map(|d| d as i32),
            weight,
            unit: get(unit_col),
            target: get(target_col),
            denominator: get(denominator),
        });
    }
    check_tree(&out, t)?;
    Ok(out)
}

/// Parents are aggregates, one aggregate has none (the index), denominators are declared.
fn check_tree(entries: &[Entry], t: &Table) -> Result<(), Error> {
    let aggregates: BTreeSet<&str> = entries
        .iter()
        .filter(|e| e.kind == Kind::Aggregate)
        .map(|e| e.code.as_str())
        .collect();
    let denominators: BTreeSet<&str> = entries
        .iter()
        .filter(|e| e.kind == Kind::Denominator)
        .map(|e| e.code.as_str())
        .collect();
    let at = |m: String, fix: &str| t.error(Error::new(m, fix), None, None);
    for e in entries
        .iter()
        .filter(|e| matches!(e.kind, Kind::Indicator | Kind::Aggregate))
    {
        if let Some(p) = &e.parent {
            if !aggregates.contains(p.as_str()) {
                return Err(at(
                    format!("the Parent `{p}` of `{}` is not an Aggregate row", e.code),
                    "add a row with Type Aggregate for it, or correct the Parent",
                )
                .field(&e.code));
            }
        } else if e.kind == Kind::Indicator {
            return Err(at(
                format!("indicator `{}` has no Parent", e.code),
                "give the code of the aggregate it belongs to",
            )
            .field(&e.code));
        }
        if let Some(d) = &e.denominator {
            if !denominators.contains(d.as_str()) {
                return Err(at(
                    format!(
                        "the Denominator `{d}` of `{}` is not a Denominator row",
                        e.code
                    ),
                    "add a row with Type Denominator for that iData column, or clear the cell",
                )
                .field(&e.code));
            }
        }
    }
    let roots: Vec<&str> = entries
        .iter()
        .filter(|e| e.kind == Kind::Aggregate && e.parent.is_none())
        .map(|e| e.code.as_str())
        .collect();
    if roots.len() != 1 {
        return Err(at(
            format!(
                "{} aggregates have no Parent ({}); one, the index, must",
                roots.len(),
                roots.join(", ")
            ),
            "give every aggregate but the top one a Parent",
        ));
    }
    Ok(())
}

/// iData has the columns iMeta names, one row per uCode and one time point.
fn check_data(t: &Table, entries: &[Entry]) -> Result<Vec<String>, Error> {
    let at_head = |m: String, fix: &str| t.error(Error::new(m, fix), Some(t.header_line), None);
    if !t.headers.iter().any(|h| h == "uCode") {
        return Err(at_head(
            "iData has no column `uCode`".into(),
            "COINr's iData needs a uCode column with the unit codes",
        ));
    }
    for e in entries.iter().filter(|e| e.kind != Kind::Aggregate) {
        if !t.headers.contains(&e.code) {
            return Err(at_head(
                format!(
                    "iMeta lists `{}` ({:?}), but iData has no such column",
                    e.code, e.kind
                ),
                "add the column to iData or remove the row from iMeta",
            ));
        }
    }
    if let Some(c) = t.headers.iter().position(|h| h == "Time") {
        let times: BTreeSet<&str> = t.rows.iter().map(|(_, r)| r[c].trim()).collect();
        if times.len() > 1 {
            let list: Vec<&str> = times.into_iter().collect();
            return Err(at_head(
                format!(
                    "iData is a panel of {} time points ({}); a spec ranks one",
                    list.len(),
                    list.join(", ")
                ),
                "keep the rows of one Time in iData (one edition per spec)",
            )
            .field("Time"));
        }
    }
    let known: BTreeSet<&str> = entries.iter().map(|e| e.code.as_str()).collect();
    Ok(t.headers
        .iter()
        .filter(|h| {
            !["uCode", "uName", "Time"].contains(&h.as_str()) && !known.contains(h.as_str())
        })
        .cloned()
        .collect())
}

const HEAD: &str = r#"# Imported from COINr (iData and iMeta) by `cityrank import coinr`.
#
# COINr's default build: min-max onto [0, 100] after the direction, arithmetic means with
# the metadata weights renormalised over the children present, no imputation, no outlier
# treatment, ranks on unrounded scores with ties at the minimum. Edit it as any spec; check
# and build with `cityrank validate --spec DIR` and `cityrank run --spec DIR`.
# The iMeta is kept in @IMETA@ for reference; this file is what is read.
"#;

const METHOD: &str = r#"
[defaults]
impute = "none"
transform = "none"
outliers = "none"
normalise = { method = "min_max", low = 0, high = 100 }
aggregate = "arithmetic"

[publish]
top = @TOP@
decimals = 2
rank_on_rounded = false
ties = "min"

[uncertainty]
weight_noise = 0.25
"#;

fn spec_text(
    dir: &Path,
    idata: &str,
    imeta: &str,
    data: &Table,
    entries: &[Entry],
    unused: &[String],
    denominate: bool,
) -> String {
    let has_name = data.headers.iter().any(|h| h == "uName");
    let units = data.rows.len();
    let folder = dir.file_name().and_then(|n| n.to_str()).unwrap_or("index");
    let root = entries
        .iter()
        .find(|e| e.kind == Kind::Aggregate && e.parent.is_none())
        .expect("checked");
    let codes = |k: Kind| -> Vec<&Entry> { entries.iter().filter(|e| e.kind == k).collect() };
    let mut t = HEAD.replace("@IMETA@", imeta);
    if !unused.is_empty() {
        let _ = writeln!(
            t,
            "# iData columns that iMeta does not list, not used: {}.",
            unused.join(", ")
        );
    }
    for o in codes(Kind::Other) {
        let _ = writeln!(t, "# `{}` has Type Other in iMeta: not used.", o.code);
    }
    let _ = write!(
        t,
        "\n[meta]\nid = {}\nname = {}\nsources = [{}, {}]\nseed = 1\n",
        q(&crate::init::unique_id(folder, &mut BTreeSet::new())),
        q(if root.name.is_empty() {
            &root.code
        } else {
            &root.name
        }),
        q(&format!("COINr iData: {idata}")),
        q(&format!("COINr iMeta: {imeta}")),
    );
    let groups: Vec<String> = codes(Kind::Group).iter().map(|g| q(&g.code)).collect();
    let _ = write!(
        t,
        "\n[units]\nfile = {}\nid = \"uCode\"\nname = {}\ngroups = [{}]\n",
        q(idata),
        q(if has_name { "uName" } else { "uCode" }),
        groups.join(", ")
    );
    let _ = write!(
        t,
        "\n[[data]]\nfile = {}\nkey = \"uCode\"\n\n[data.columns]\n",
        q(idata)
    );
    for i in codes(Kind::Indicator) {
        let _ = writeln!(t, "{} = {}", key(&i.code), q(&i.code));
    }
    t.push_str(&METHOD.replace("@TOP@", &units.min(10).to_string()));
    let _ = write!(
        t,
        "\n[index]\nid = {}\nname = {}\n",
        q(&root.code),
        q(&display(root))
    );
    let mut aggregates = codes(Kind::Aggregate);
    // Top-down, so that the file reads from the index to the indicators.
    aggregates.sort_by_key(|e| std::cmp::Reverse(e.level));
    for a in aggregates.iter().filter(|a| a.parent.is_some()) {
        let _ = write!(
            t,
            "\n[[node]]\nid = {}\nparent = {}\nname = {}\nweight = {}\n",
            q(&a.code),
            q(a.parent.as_deref().expect("filtered")),
            q(&display(a)),
            a.weight.expect("checked")
        );
    }
    for i in codes(Kind::Indicator) {
        t.push_str(&indicator_text(i, denominate));
    }
    t
}

fn display(e: &Entry) -> String {
    if e.name.is_empty() {
        e.code.clone()
    } else {
        e.name.clone()
    }
}

fn indicator_text(i: &Entry, denominate: bool) -> String {
    let mut t = String::new();
    let _ = write!(
        t,
        "\n[[indicator]]\nid = {}\nparent = {}\nname = {}\n",
        q(&i.code),
        q(i.parent.as_deref().expect("checked")),
        q(&display(i))
    );
    if let Some(u) = &i.unit {
        let _ = writeln!(t, "unit = {}", q(u));
    }
    let direction = if i.direction == Some(-1) {
        "lower"
    } else {
        "higher"
    };
    let _ = writeln!(
        t,
        "weight = {}\ndirection = \"{direction}\"",
        i.weight.expect("checked")
    );
    if let Some(d) = &i.denominator {
        if denominate {
            let _ = writeln!(t, "denominator = {}", q(d));
        } else {
            let _ = writeln!(
                t,
                "# denominator = {}   # iMeta's Denominator; COINr's default build does not divide",
                q(d)
            );
        }
    }
    if let Some(target) = &i.target {
        let _ = writeln!(t, "# iMeta Target: {target} (for normalise = {{ method = \"distance_to_target\", target = {target} }})");
    }
    t
}
