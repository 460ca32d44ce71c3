//! Record sets written by the tests, and an independent computation of the
//! values the engine should produce.

use cityrank_sources::{MapResolver, RecordsSpec};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub const BEIJING: &str = "110000";
pub const SHANGHAI: &str = "310000";
pub const SHENZHEN: &str = "440300";
pub const HANGZHOU: &str = "330100";

/// The cities of the test runs (Chengdu, 510100, resolves but is not one of them).
pub fn cities() -> Vec<String> {
    [BEIJING, SHANGHAI, SHENZHEN, HANGZHOU]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

pub fn resolver() -> MapResolver {
    [
        ("北京", BEIJING),
        ("北京市", BEIJING),
        ("Beijing", BEIJING),
        ("上海", SHANGHAI),
        ("上海市", SHANGHAI),
        ("Shanghai", SHANGHAI),
        ("深圳市", SHENZHEN),
        ("Shenzhen", SHENZHEN),
        ("杭州", HANGZHOU),
        ("杭州市", HANGZHOU),
        ("成都市", "510100"),
        // Codes resolve to themselves, as in a gazetteer.
        (BEIJING, BEIJING),
        (SHANGHAI, SHANGHAI),
        (SHENZHEN, SHENZHEN),
        (HANGZHOU, HANGZHOU),
        ("510100", "510100"),
    ]
    .into_iter()
    .collect()
}

/// City strings as they appear in records (messy on purpose); "" is an empty cell.
const CITY_STRINGS: &[&str] = &[
    "北京市",
    " 北京 ",
    "Beijing",
    "上海市",
    "上海",
    "Shanghai ",
    "深圳市",
    "Shenzhen",
    "杭州市",
    "成都市",
    "Atlantis",
    "",
    "北京市",
];
const STATUS: &[&str] = &["active", "revoked", "active", "dissolved"];
const INDUSTRY: &[&str] = &["AI", "blockchain", "retail", "finance", "AI"];

/// A small deterministic generator (no external crate).
pub struct Lcg(u64);
impl Lcg {
    pub fn new(seed: u64) -> Self {
        Lcg(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, Debug)]
pub struct Firm {
    pub id: String,
    pub city: String,
    pub date: String,
    pub status: String,
    pub industry: String,
    pub capital: String,
}

pub fn firms(n: usize, seed: u64) -> Vec<Firm> {
    let mut r = Lcg::new(seed);
    (0..n)
        .map(|i| {
            let day = r.below(7 * 365) as i32; // 2015-01-01 .. about 2021-12
            let date = cityrank_sources::Date::from_days_since_epoch(
                cityrank_sources::Date::new(2015, 1, 1)
                    .unwrap()
                    .days_since_epoch()
                    + day,
            );
            let capital = match r.below(10) {
                0 => String::new(),
                1 => format!("{}", r.below(100_000)),
                _ => format!("{}.{:02}", r.below(1_000_000), r.below(100)),
            };
            Firm {
                id: format!("F{i:05}"),
                city: CITY_STRINGS[r.below(CITY_STRINGS.len() as u64) as usize].to_string(),
                date: date.to_string(),
                status: STATUS[r.below(STATUS.len() as u64) as usize].to_string(),
                industry: INDUSTRY[r.below(INDUSTRY.len() as u64) as usize].to_string(),
                capital,
            }
        })
        .collect()
}

pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn write_firms_csv(path: &Path, rows: &[Firm]) {
    let mut s = String::from("firm_id,city,registered,status,industry,capital\n");
    for f in rows {
        s.push_str(&format!(
            "{},{},{},{},{},{}\n",
            f.id,
            csv_field(&f.city),
            f.date,
            f.status,
            f.industry,
            f.capital
        ));
    }
    std::fs::write(path, s).unwrap();
}

pub fn write_firms_jsonl(path: &Path, rows: &[Firm]) {
    let mut s = String::new();
    for f in rows {
        let capital = if f.capital.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::Value::from(f.capital.parse::<f64>().unwrap())
        };
        let v = serde_json::json!({
            "firm_id": f.id, "city": f.city, "registered": f.date,
            "status": f.status, "industry": f.industry, "capital": capital,
        });
        s.push_str(&v.to_string());
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

pub fn write_firms_parquet(path: &Path, rows: &[Firm]) {
    use datafusion::arrow::array::{ArrayRef, Float64Array, StringArray};
    use datafusion::arrow::record_batch::RecordBatch;
    use datafusion::parquet::arrow::ArrowWriter;
    use std::sync::Arc;
    let s = |f: &dyn Fn(&Firm) -> &str| -> ArrayRef {
        Arc::new(rows.iter().map(|r| Some(f(r))).collect::<StringArray>())
    };
    let capital: ArrayRef = Arc::new(
        rows.iter()
            .map(|r| r.capital.parse::<f64>().ok())
            .collect::<Float64Array>(),
    );
    let batch = RecordBatch::try_from_iter(vec![
        ("firm_id", s(&|r| &r.id)),
        ("city", s(&|r| &r.city)),
        ("registered", s(&|r| &r.date)),
        ("status", s(&|r| &r.status)),
        ("industry", s(&|r| &r.industry)),
        ("capital", capital),
    ])
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

/// Population denominators (resolved like records: one row uses a name, not a code).
pub fn write_population(path: &Path) {
    std::fs::write(
        path,
        "city,population\n110000,21893095\n上海市,24870895\n440300,17560061\n330100,11936010\n510100,20937757\n",
    )
    .unwrap();
}

pub fn population(city: &str) -> f64 {
    match city {
        BEIJING => 21893095.0,
        SHANGHAI => 24870895.0,
        SHENZHEN => 17560061.0,
        HANGZHOU => 11936010.0,
        _ => unreachable!(),
    }
}

/// The spec used by the value tests; `files` is the firms glob.
pub fn firms_spec(files: &str) -> RecordsSpec {
    let text = format!(
        r#"
[[source]]
id = "firms"
files = "{files}"
city_column = "city"
date_column = "registered"
covers = "all"
key = ["firm_id"]

[indicators.active_ai]
source = "firms"
measure = "count"
filters = [
  {{ column = "status", op = "=", value = "active" }},
  {{ column = "industry", op = "in", value = ["AI", "blockchain"] }},
]
cutoff = 2020-06-30

[indicators.recent]
source = "firms"
measure = "count"
cutoff = 2020-06-30
window_days = 365

[indicators.capital]
source = "firms"
measure = {{ sum = "capital" }}
filters = [{{ column = "status", op = "!=", value = "revoked" }}]
cutoff = 2020-06-30

[indicators.mean_capital]
source = "firms"
measure = {{ mean = "capital" }}
filters = [{{ column = "capital", op = ">=", value = 1000 }}]

[indicators.industries]
source = "firms"
measure = {{ count_distinct = "industry" }}
filters = [{{ column = "industry", op = "contains", value = "i" }}]

[indicators.per_10k]
source = "firms"
measure = "count"
per = {{ file = "population.csv", column = "population", scale = 10000 }}

[indicators.revoked_sql]
source = "firms"
sql = "SELECT city_code AS city, count(*) AS value FROM firms WHERE status = 'revoked' GROUP BY city_code"
"#
    );
    toml::from_str(&text).unwrap()
}

fn resolve_row(f: &Firm, universe: &BTreeSet<String>) -> Option<String> {
    use cityrank_sources::CityResolver;
    let t = f.city.trim();
    if t.is_empty() {
        return None;
    }
    resolver().resolve(t).filter(|c| universe.contains(c))
}

fn micro(s: &str) -> Option<i128> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else {
        Some((t.parse::<f64>().unwrap() * 1e6).round() as i128)
    }
}

/// The values of `firms_spec`, computed here row by row.
pub fn expected_firm_values(rows: &[Firm]) -> BTreeMap<String, BTreeMap<String, Option<f64>>> {
    let universe: BTreeSet<String> = cities().into_iter().collect();
    let mut seen = BTreeSet::new();
    let rows: Vec<&Firm> = rows.iter().filter(|f| seen.insert(f.id.clone())).collect();
    let cutoff = "2020-06-30";
    // The window is the 365 days ending on the cut-off: (2019-07-01, 2020-06-30].
    let window_start = "2019-07-01";
    let mut out: BTreeMap<String, BTreeMap<String, Option<f64>>> = BTreeMap::new();
    for city in cities() {
        let mine: Vec<&&Firm> = rows
            .iter()
            .filter(|f| resolve_row(f, &universe).as_deref() == Some(&city))
            .collect();
        let active_ai = mine
            .iter()
            .filter(|f| {
                f.status == "active"
                    && (f.industry == "AI" || f.industry == "blockchain")
                    && f.date.as_str() <= cutoff
            })
            .count() as f64;
        let recent = mine
            .iter()
            .filter(|f| f.date.as_str() <= cutoff && f.date.as_str() > window_start)
            .count() as f64;
        let capital: i128 = mine
            .iter()
            .filter(|f| f.status != "revoked" && f.date.as_str() <= cutoff)
            .filter_map(|f| micro(&f.capital))
            .sum();
        let big: Vec<i128> = mine
            .iter()
            .filter_map(|f| micro(&f.capital))
            .filter(|&m| m >= 1000 * 1_000_000)
            .collect();
        let mean = if big.is_empty() {
            0.0
        } else {
            (big.iter().sum::<i128>() as f64 / 1e6) / big.len() as f64
        };
        let industries: BTreeSet<&str> = mine
            .iter()
            .filter(|f| f.industry.contains('i'))
            .map(|f| f.industry.as_str())
            .collect();
        let per = mine.len() as f64 / population(&city) * 10000.0;
        let revoked = mine.iter().filter(|f| f.status == "revoked").count() as f64;
        for (k, v) in [
            ("active_ai", active_ai),
            ("recent", recent),
            ("capital", capital as f64 / 1e6),
            ("mean_capital", mean),
            ("industries", industries.len() as f64),
            ("per_10k", per),
            ("revoked_sql", revoked),
        ] {
            out.entry(k.to_string())
                .or_default()
                .insert(city.clone(), Some(v));
        }
    }
    out
}

/// Writes firms as two CSV files plus 25 exact duplicate rows, and the population table.
pub fn firm_dir(n: usize) -> (tempfile::TempDir, Vec<Firm>) {
    let dir = tempfile::tempdir().unwrap();
    let rows = firms(n, 7);
    let half = n / 2;
    let mut second: Vec<Firm> = rows[half..].to_vec();
    second.extend(rows[..25].iter().cloned());
    std::fs::create_dir_all(dir.path().join("records")).unwrap();
    write_firms_csv(&dir.path().join("records/firms-1.csv"), &rows[..half]);
    write_firms_csv(&dir.path().join("records/firms-2.csv"), &second);
    write_population(&dir.path().join("population.csv"));
    (dir, rows)
}

pub fn run<'a>(
    dir: &'a Path,
    cities: &'a [String],
    resolver: &'a MapResolver,
) -> cityrank_sources::Run<'a> {
    let mut r = cityrank_sources::Run::new(dir, cities, resolver);
    r.work_dir = Some(dir.join("work"));
    r.query_timeout = std::time::Duration::from_secs(120);
    r
}

/// Computes `spec` over the records in `dir` for the test cities; panics on an error.
pub async fn compute(dir: &Path, spec: &RecordsSpec) -> cityrank_sources::RecordsOutput {
    let cities = cities();
    let resolver = resolver();
    run(dir, &cities, &resolver).compute(spec).await.unwrap()
}
