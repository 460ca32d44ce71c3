//! The CSV table of places.

use serde::Deserialize;
use std::fmt;

/// One city-level place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// GB/T 2260 code, 6 digits.
    pub code: String,
    /// Official Chinese name ("深圳市", "延边朝鲜族自治州").
    pub name_zh: String,
    /// English name (pinyin, or the conventional name: "Harbin", "Urumqi").
    pub name_en: String,
    /// Code of the province (for a municipality, its own code).
    pub province_code: String,
    /// Official Chinese name of the province ("广东省").
    pub province_zh: String,
    /// English name of the province.
    pub province_en: String,
    /// Other spellings: short and former names, pinyin forms, English names.
    pub aliases: Vec<String>,
}

/// A malformed gazetteer table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerError {
    /// 1-based line of the CSV text (0 when the error is not tied to a line).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for GazetteerError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "gazetteer line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for GazetteerError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    code: String,
    name_zh: String,
    name_en: String,
    province_code: String,
    province_zh: String,
    province_en: String,
    aliases: String,
}

fn is_code(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) fn parse(text: &str) -> Result<Vec<Place>, GazetteerError> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut places: Vec<Place> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for rec in rdr.deserialize::<Row>() {
        let row = rec.map_err(|e| GazetteerError {
            line: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        let line = places.len() as u64 + 2;
        let bad = |message: String| Err(GazetteerError { line, message });
        if !is_code(&row.code) || !is_code(&row.province_code) {
            return bad(format!(
                "codes must have 6 digits: `{}`, `{}`",
                row.code, row.province_code
            ));
        }
        if row.name_zh.trim().is_empty() || row.name_en.trim().is_empty() {
            return bad(format!("place {} has an empty name", row.code));
        }
        if !seen.insert(row.code.clone()) {
            return bad(format!("code {} appears twice", row.code));
        }
        let aliases = row
            .aliases
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect();
        places.push(Place {
            code: row.code,
            name_zh: row.name_zh,
            name_en: row.name_en,
            province_code: row.province_code,
            province_zh: row.province_zh,
            province_en: row.province_en,
            aliases,
        });
    }
    if places.is_empty() {
        return Err(GazetteerError {
            line: 0,
            message: "no place".into(),
        });
    }
    Ok(places)
}
