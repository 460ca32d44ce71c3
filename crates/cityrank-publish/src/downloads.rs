//! The data offered for download: result CSVs and an XLSX workbook of the same tables.

use crate::edition::Edition;
use crate::xlsx;
use cityrank_io::sheet::{guard, guard_document};
use cityrank_io::write::result_files;

/// A downloadable file.
pub struct Download {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
    pub label: &'static str,
}

const CSVS: [(&str, &str); 4] = [
    (
        "scores_wide.csv",
        "Scores and ranks, one row per city 各城市得分与排名",
    ),
    ("scores.csv", "Scores and ranks, long form 长表"),
    (
        "excluded.csv",
        "Assessed but not ranked, with reasons 未排名城市及原因",
    ),
    ("weights.csv", "Weights 权重"),
];

/// The CSVs of the build plus the workbook.
pub fn files(ed: &Edition) -> Vec<Download> {
    let all = result_files(&ed.spec, &ed.results);
    let mut out: Vec<Download> = CSVS
        .iter()
        .filter_map(|(name, label)| {
            let (_, bytes) = all.iter().find(|(n, _)| n == name)?;
            Some(Download {
                name: (*name).into(),
                mime: "text/csv",
                bytes: bytes.clone(),
                label,
            })
        })
        .collect();
    out.push(Download {
        name: "raw_values.csv".into(),
        mime: "text/csv",
        bytes: raw_values(ed),
        label: "Raw values of every assessed city, ranked or not 全部参评城市原始数据",
    });
    if !ed.intervals.is_empty() {
        out.push(Download {
            name: "rank_intervals.csv".into(),
            mime: "text/csv",
            bytes: intervals(ed),
            label: "Rank intervals from the uncertainty analysis 排名不确定性区间",
        });
    }
    out.push(Download {
        name: "spec.toml".into(),
        mime: "text/plain",
        bytes: ed.spec.text.clone().into_bytes(),
        label: "The methodology file these results were built from 方法文件",
    });
    out.push(Download {
        name: "manifest.json".into(),
        mime: "application/json",
        bytes: recipe(ed, &all),
        label: "The recipe: program version, spec and input hashes, seed, output hashes 构建记录",
    });
    out.push(Download {
        name: "scores.xlsx".into(),
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes: xlsx::workbook(ed),
        label: "Workbook: ranking, indicators, raw values, rank intervals 工作簿",
    });
    out
}

/// The manifest `cityrank run` writes for this build (without the entries of other commands), so
/// a reader of the page can check the downloads against their recipe.
fn recipe(ed: &Edition, files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut m = cityrank_io::manifest::Manifest::new(&ed.spec, &ed.data, &ed.results);
    m.add_outputs(files);
    let top = serde_json::to_value(&m).expect("serialisable");
    let mut bytes = serde_json::to_vec_pretty(&top).expect("serialisable");
    bytes.push(b'\n');
    bytes
}

/// One assessed city's raw data: code, name, the exclusion reason (none when ranked) and the raw
/// value of every indicator as supplied (NaN when missing).
pub struct RawRow<'a> {
    pub unit: &'a str,
    pub name: &'a str,
    pub reason: Option<&'a str>,
    pub values: Vec<f64>,
}

/// Every assessed city, ranked or not, in the order of the units file.
pub fn raw_rows(ed: &Edition) -> Vec<RawRow<'_>> {
    let (fw, d, r) = (&ed.spec.framework, &ed.data.dataset, &ed.results);
    d.units
        .iter()
        .enumerate()
        .map(|(i, u)| RawRow {
            unit: &u.id,
            name: &u.name,
            reason: r
                .excluded
                .iter()
                .find(|e| e.unit == u.id)
                .map(|e| e.reason.as_str()),
            values: (0..fw.n_indicators).map(|j| d.values.get(i, j)).collect(),
        })
        .collect()
}

/// The header of the raw-values table: unit, name, ranked, reason, then the indicator ids.
pub fn raw_header(ed: &Edition) -> Vec<String> {
    let mut head: Vec<String> = ["unit", "name", "ranked", "reason"]
        .map(String::from)
        .into();
    head.extend(ed.spec.framework.indicator_ids().map(String::from));
    head
}

/// The raw-values table as CSV (empty cells where a value is missing).
fn raw_values(ed: &Edition) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let head = raw_header(ed);
    let head: Vec<_> = head.iter().map(|c| guard(c)).collect();
    w.write_record(head.iter().map(|c| c.as_ref()))
        .expect("writing to memory");
    for r in raw_rows(ed) {
        let mut row = vec![
            r.unit.to_string(),
            r.name.to_string(),
            if r.reason.is_some() { "no" } else { "yes" }.to_string(),
            r.reason.unwrap_or_default().to_string(),
        ];
        row.extend(r.values.iter().map(|&x| cityrank_io::write::num(x)));
        let row: Vec<_> = row.iter().map(|c| guard(c)).collect();
        w.write_record(row.iter().map(|c| c.as_ref()))
            .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

fn intervals(ed: &Edition) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for x in &ed.intervals {
        w.serialize(x).expect("writing to memory");
    }
    guard_document(&w.into_inner().expect("writing to memory"))
}

/// A `data:` URI, so a single HTML file can carry its own downloads. Only base64 characters and
/// a fixed MIME type, so it may be written into an attribute unescaped.
pub fn data_uri(d: &Download) -> String {
    format!("data:{};base64,{}", d.mime, base64(&d.bytes))
}

pub fn base64(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                s.push(T[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(super::base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(super::base64(b"foob"), "Zm9vYg==");
        assert_eq!(super::base64(b""), "");
    }
}
