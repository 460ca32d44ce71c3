//! Audit of a built ranking against a published one: every published fact checked (numbers
//! within rounding, limits such as `<88` or `<=50` as pass or fail), rank agreement (Spearman,
//! Kendall tau-b), Top-N overlap, and the simplex weights that best reproduce the published
//! overall scores from the built dimension scores.

use crate::correlation::spearman;
use crate::fit::simplex_least_squares;
use cityrank_core::{Framework, Results};
use serde::Serialize;

/// A published value: a number, or a bound the release only stated.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Fact {
    Missing,
    Exact(f64),
    Below(f64),
    AtMost(f64),
    Above(f64),
    AtLeast(f64),
}

impl Fact {
    pub fn parse(s: &str) -> Option<Fact> {
        let s = s.trim();
        let num = |t: &str| t.trim().parse::<f64>().ok();
        Some(match s {
            "" => Fact::Missing,
            _ if s.starts_with("<=") => Fact::AtMost(num(&s[2..])?),
            _ if s.starts_with(">=") => Fact::AtLeast(num(&s[2..])?),
            _ if s.starts_with('<') => Fact::Below(num(&s[1..])?),
            _ if s.starts_with('>') => Fact::Above(num(&s[1..])?),
            _ => Fact::Exact(num(s)?),
        })
    }

    /// Whether `x` satisfies the fact; exact numbers within `tol`.
    pub fn holds(self, x: f64, tol: f64) -> Option<bool> {
        match self {
            Fact::Missing => None,
            Fact::Exact(v) => Some((x - v).abs() <= tol),
            Fact::Below(v) => Some(x < v),
            Fact::AtMost(v) => Some(x <= v),
            Fact::Above(v) => Some(x > v),
            Fact::AtLeast(v) => Some(x >= v),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Published {
    pub unit: String,
    pub name: String,
    pub node: String,
    pub score: Fact,
    /// Decimals of the published score as written: its precision, and so the tolerance of the
    /// check (half a unit of the last printed digit).
    pub score_decimals: u32,
    pub rank: Fact,
}

#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub unit: String,
    pub name: String,
    pub node: String,
    pub published_score: Fact,
    pub built_score: f64,
    /// The published score's decimals, at which the built score is shown.
    #[serde(skip)]
    pub score_decimals: u32,
    pub score_ok: Option<bool>,
    pub published_rank: Fact,
    pub built_rank: Option<u32>,
    pub rank_ok: Option<bool>,
    pub rank_shift: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Audit {
    pub checks: Vec<Check>,
    pub passed: usize,
    pub failed: usize,
    /// Units with an exact published overall rank.
    pub compared_units: usize,
    pub spearman: f64,
    pub kendall_tau_b: f64,
    pub top_n: usize,
    /// Units published inside the Top N that the build also puts there, of those published.
    pub top_n_overlap: usize,
    pub top_n_published: usize,
    pub fitted_weights: Vec<(String, f64)>,
    pub nominal_weights: Vec<(String, f64)>,
    pub fit_rmse: f64,
    pub fit_units: usize,
}

/// The node a published row names: its id, or the index for `OVERALL`/`INDEX`.
fn node_of(fw: &Framework, id: &str) -> Option<usize> {
    match id.to_ascii_uppercase().as_str() {
        "OVERALL" | "INDEX" => Some(fw.root),
        _ => fw.find(id),
    }
}

pub fn audit(fw: &Framework, res: &Results, published: &[Published], top_n: usize) -> Audit {
    let checks: Vec<Check> = published.iter().map(|p| check(fw, res, p)).collect();
    let passed = checks
        .iter()
        .flat_map(|c| [c.score_ok, c.rank_ok])
        .filter(|v| *v == Some(true))
        .count();
    let failed = checks
        .iter()
        .flat_map(|c| [c.score_ok, c.rank_ok])
        .filter(|v| *v == Some(false))
        .count();
    let overall: Vec<&Check> = checks
        .iter()
        .filter(|c| node_of(fw, &c.node) == Some(fw.root))
        .collect();
    let pairs: Vec<(f64, f64)> = overall
        .iter()
        .filter_map(|c| match (c.published_rank, c.built_rank) {
            (Fact::Exact(p), Some(b)) => Some((p, b as f64)),
            _ => None,
        })
        .collect();
    let (pr, br): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    let in_top = |f: Fact| {
        f.holds(top_n as f64, 0.0).is_some()
            && matches!(f, Fact::Exact(v) | Fact::AtMost(v) | Fact::Below(v) if v <= top_n as f64)
    };
    let published_top: Vec<&&Check> = overall
        .iter()
        .filter(|c| in_top(c.published_rank))
        .collect();
    let overlap = published_top
        .iter()
        .filter(|c| c.built_rank.is_some_and(|r| r as usize <= top_n))
        .count();
    let (fitted, rmse, fit_units) = fit_weights(fw, res, &overall);
    let dims = fw.dimensions();
    Audit {
        passed,
        failed,
        compared_units: pairs.len(),
        spearman: spearman(&pr, &br),
        kendall_tau_b: kendall_tau_b(&pr, &br),
        top_n,
        top_n_overlap: overlap,
        top_n_published: published_top.len(),
        fitted_weights: dims
            .iter()
            .zip(&fitted)
            .map(|(&d, &w)| (fw.nodes[d].id.clone(), w))
            .collect(),
        nominal_weights: dims
            .iter()
            .map(|&d| (fw.nodes[d].id.clone(), res.weights[d]))
            .collect(),
        fit_rmse: rmse,
        fit_units,
        checks,
    }
}

fn check(fw: &Framework, res: &Results, p: &Published) -> Check {
    let tol = 0.5 * 10f64.powi(-(p.score_decimals as i32)) + 1e-9;
    let unit = res.unit_index(&p.unit);
    let node = node_of(fw, &p.node);
    let (score, rank) = match (unit, node) {
        (Some(i), Some(k)) => (res.score(i, k), res.rank(i, k)),
        _ => (f64::NAN, None),
    };
    let score_ok = if score.is_nan() {
        p.score.holds(f64::NAN, tol).map(|_| false)
    } else {
        p.score.holds(score, tol)
    };
    let rank_ok = match rank {
        Some(r) => p.rank.holds(r as f64, 0.0),
        None => p.rank.holds(f64::NAN, 0.0).map(|_| false),
    };
    let rank_shift = match (p.rank, rank) {
        (Fact::Exact(v), Some(r)) => Some(r as i64 - v as i64),
        _ => None,
    };
    Check {
        unit: p.unit.clone(),
        name: p.name.clone(),
        node: p.node.clone(),
        published_score: p.score,
        built_score: score,
        score_decimals: p.score_decimals,
        score_ok,
        published_rank: p.rank,
        built_rank: rank,
        rank_ok,
        rank_shift,
    }
}

/// Fits the published exact overall scores from the built dimension scores.
fn fit_weights(fw: &Framework, res: &Results, overall: &[&Check]) -> (Vec<f64>, f64, usize) {
    let dims = fw.dimensions();
    let mut x = Vec::new();
    let mut y = Vec::new();
    for c in overall {
        let (Fact::Exact(s), Some(i)) = (c.published_score, res.unit_index(&c.unit)) else {
            continue;
        };
        let row: Vec<f64> = dims.iter().map(|&d| res.score(i, d)).collect();
        if row.iter().all(|v| !v.is_nan()) {
            x.push(row);
            y.push(s);
        }
    }
    if x.is_empty() {
        return (vec![f64::NAN; dims.len()], f64::NAN, 0);
    }
    let (w, rmse) = simplex_least_squares(&x, &y);
    (w, rmse, y.len())
}

/// Kendall's tau-b: (C - D) / sqrt((n0 - n1)(n0 - n2)), ties in either variable corrected
/// (Kendall 1945).
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len();
    let (mut c, mut d, mut tx, mut ty) = (0i64, 0i64, 0i64, 0i64);
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = ((x[i] - x[j]).signum(), (y[i] - y[j]).signum());
            let (ax, by) = (x[i] == x[j], y[i] == y[j]);
            match (ax, by) {
                (true, true) => {}
                (true, false) => tx += 1,
                (false, true) => ty += 1,
                _ if a == b => c += 1,
                _ => d += 1,
            }
        }
    }
    let denom = (((c + d + tx) as f64) * ((c + d + ty) as f64)).sqrt();
    if denom > 0.0 {
        (c - d) as f64 / denom
    } else {
        f64::NAN
    }
}

/// Digits after the decimal point of a number as written (`<88.5` has 1, `72` has 0).
pub fn decimals_of(s: &str) -> u32 {
    let t = s.trim().trim_start_matches(['<', '>', '=']).trim();
    let mantissa = t.split(['e', 'E']).next().unwrap_or("");
    mantissa.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

/// Reads a published file: `unit,name,node,score,rank[,source]`.
pub fn read_published(path: &std::path::Path) -> Result<Vec<Published>, cityrank_io::Error> {
    let err = |line: Option<usize>, m: String| {
        cityrank_io::Error::new(m, "columns are unit,name,node,score,rank; score and rank may be empty, a number or a bound like <88 or <=50").at(path, line)
    };
    let mut r = csv::Reader::from_path(path).map_err(|e| err(None, e.to_string()))?;
    let mut out = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let line = Some(k + 2);
        let rec = rec.map_err(|e| err(line, e.to_string()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        let fact = |i: usize| {
            Fact::parse(&get(i))
                .ok_or_else(|| err(line, format!("`{}` is not a number or a bound", get(i))))
        };
        out.push(Published {
            unit: get(0),
            name: get(1),
            node: get(2),
            score: fact(3)?,
            score_decimals: decimals_of(&get(3)),
            rank: fact(4)?,
        });
    }
    Ok(out)
}
