//! CSV output. The `*_csv` functions are pure; `write_csvs` is the only one touching disk.

use std::io;
use std::path::Path;

use crate::generate::ExampleData;

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("csv of UTF-8 fields")
}

/// `cities.csv`: `unit,name,name_zh,province,province_zh,region`.
pub fn cities_csv(data: &ExampleData) -> String {
    let mut w = writer();
    w.write_record([
        "unit",
        "name",
        "name_zh",
        "province",
        "province_zh",
        "region",
    ])
    .expect("writing to memory");
    for c in &data.plan.cities {
        w.write_record([
            c.unit.to_string().as_str(),
            c.name,
            c.name_zh,
            c.province,
            c.province_zh,
            c.region.id(),
        ])
        .expect("writing to memory");
    }
    finish(w)
}

/// `indicators.csv`: `unit` then one column per indicator; empty cell = missing.
pub fn indicators_csv(data: &ExampleData) -> String {
    let inds = &data.plan.indicators;
    let mut w = writer();
    let header: Vec<&str> = std::iter::once("unit")
        .chain(inds.iter().map(|i| i.id.as_str()))
        .collect();
    w.write_record(&header).expect("writing to memory");
    for (c, row) in data.plan.cities.iter().zip(&data.values) {
        let mut rec = vec![c.unit.to_string()];
        for (ind, v) in inds.iter().zip(row) {
            rec.push(match v {
                Some(x) => format!("{:.*}", ind.decimals as usize, x),
                None => String::new(),
            });
        }
        w.write_record(&rec).expect("writing to memory");
    }
    finish(w)
}

/// Writes `cities.csv` and `indicators.csv` into `dir` (created if absent).
pub fn write_csvs(data: &ExampleData, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("cities.csv"), cities_csv(data))?;
    std::fs::write(dir.join("indicators.csv"), indicators_csv(data))?;
    Ok(())
}
