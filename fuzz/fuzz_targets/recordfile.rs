//! A record file read as `cityrank sources` reads it: located, checked (UTF-8, NUL characters,
//! quoted line breaks), converted from a declared encoding, loaded by the SQL engine,
//! deduplicated by key, dated, resolved to cities with the bundled gazetteer, and aggregated
//! by every kind of declarative indicator, with the errors located in the file.
//!
//! The first byte chooses how the rest is declared: 0 a UTF-8 CSV, 1 a CSV declared as
//! `encoding = "gbk"`, 2 a CSV with `date_format = "%Y/%m/%d"`, 3 JSON lines, 4 Parquet.
//! The columns are the example's `deals` source: deal_id, city, announced, round, amount_mcny.
//!
//! Every input must give either values for every city or an error, and an error's text stays
//! short whatever the file holds (values are quoted by a prefix).
#![no_main]

use cityrank_gazetteer::Gazetteer;
use cityrank_sources::{RecordsSpec, Run};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Longer than any message the readers write for one problem; a value copied whole into an
/// error (a 4 KB cell, say) goes beyond it.
const MAX_ERROR: usize = 2048;

const INDICATORS: &str = r#"
[indicators.deals]
source = "deals"
measure = "count"
cutoff = 2020-05-31

[indicators.rounds]
source = "deals"
measure = { count_distinct = "round" }

[indicators.financing]
source = "deals"
measure = { sum = "amount_mcny" }
cutoff = 2020-05-31
window_days = 366

[indicators.early]
source = "deals"
measure = { mean = "amount_mcny" }
filters = [{ column = "round", op = "in", value = ["A", "B", "pre-A"] }]
"#;

/// The declaration of each variant: file name and extra keys.
const VARIANTS: [(&str, &str); 5] = [
    ("deals.csv", ""),
    ("deals.csv", "encoding = \"gbk\"\n"),
    ("deals.csv", "date_format = \"%Y/%m/%d\"\n"),
    ("deals.jsonl", ""),
    ("deals.parquet", ""),
];

struct Setup {
    runtime: tokio::runtime::Runtime,
    dir: PathBuf,
    specs: Vec<RecordsSpec>,
    cities: Vec<String>,
    gazetteer: &'static Gazetteer,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("cityrank-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        let specs = VARIANTS
            .iter()
            .map(|(file, extra)| {
                let text = format!(
                    "[[source]]\nid = \"deals\"\nfiles = \"{file}\"\ncity_column = \"city\"\n\
                     date_column = \"announced\"\nkey = [\"deal_id\"]\ncovers = \"all\"\n{extra}\n{INDICATORS}"
                );
                toml::from_str(&text).expect("the fuzzed declaration")
            })
            .collect();
        let cities = ["110000", "310000", "330100", "370100", "440300"]
            .map(String::from)
            .to_vec();
        Setup {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime"),
            dir,
            specs,
            cities,
            gazetteer: Gazetteer::bundled(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let s = setup();
    let variant = choice as usize % VARIANTS.len();
    // One file at a time in the folder, so the glob of the declaration finds only this one.
    for (file, _) in VARIANTS {
        let _ = std::fs::remove_file(s.dir.join(file));
    }
    std::fs::write(s.dir.join(VARIANTS[variant].0), body).expect("writing the record file");
    let resolver = s.gazetteer.resolver();
    let mut run = Run::new(&s.dir, &s.cities, &resolver);
    run.target_partitions = Some(1);
    run.work_dir = Some(s.dir.join("work"));
    match s.runtime.block_on(run.compute(&s.specs[variant])) {
        Ok(out) => {
            for (id, values) in &out.values {
                assert_eq!(values.len(), s.cities.len(), "{id}: a city is missing");
            }
        }
        Err(e) => {
            let text = e.to_string();
            assert!(
                text.len() <= MAX_ERROR,
                "an error of {} bytes: {}…",
                text.len(),
                text.chars().take(300).collect::<String>()
            );
        }
    }
});
