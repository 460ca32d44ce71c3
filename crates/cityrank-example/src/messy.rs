//! City strings as real record files have them: "深圳市", "深圳", "广东省深圳市",
//! "Shenzhen", "SHENZHEN", "Shenzhen, Guangdong", full-width spaces; and strings
//! that name no city ("海外", "N/A", a province alone, a spelling two cities share).
//!
//! Every spelling of a city is one the bundled gazetteer resolves to that city, so
//! messy strings never move a record between cities; the tests check it.

#[cfg(test)]
use cityrank_gazetteer::Resolution;
use cityrank_gazetteer::{Gazetteer, Place};

use crate::rng::Draws;

/// The ways a record may write one city.
#[derive(Debug, Clone)]
pub(crate) struct Spellings {
    /// Short Chinese name, with and without 市 etc.: "深圳", "深圳市".
    short_zh: String,
    full_zh: String,
    /// "广东省深圳市" (municipalities: just the full name).
    with_province_zh: String,
    /// "广东深圳".
    with_province_short_zh: Option<String>,
    /// English forms that resolve to this city alone.
    english: Vec<String>,
    /// Lower-case pinyin run together, when unambiguous: "xian".
    pinyin: Option<String>,
    /// A former name still seen in records: "襄樊".
    former: Option<String>,
}

/// Former names of candidate cities that records still use.
const FORMER: [(u32, &str); 2] = [(420600, "襄樊"), (530800, "思茅")];

impl Spellings {
    pub(crate) fn new(gazetteer: &Gazetteer, code: u32) -> Spellings {
        let code_s = code.to_string();
        let p = gazetteer
            .lookup(&code_s)
            .unwrap_or_else(|| panic!("city {code} is not in the gazetteer"));
        let short_zh = short_zh(p);
        let municipality = p.code == p.province_code;
        let province_short = province_short_zh(&p.province_zh);
        let unique = |s: &str| gazetteer.resolve(s) == Some(p.code.as_str());
        let en = p.name_en.clone();
        let mut english: Vec<String> = if unique(&en) {
            let mut forms = vec![en.clone(), en.to_uppercase(), format!("{en} City")];
            if !municipality {
                forms.push(format!("{en}, {}", p.province_en));
            }
            forms
        } else {
            // A spelling two cities share (Taizhou) is written with its province.
            vec![
                format!("{en}, {}", p.province_en),
                format!("{} {en}", p.province_en),
                format!("{} ({})", en.to_uppercase(), p.province_en.to_uppercase()),
            ]
        };
        english.retain(|s| unique(s));
        let pinyin: String = en
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_lowercase();
        Spellings {
            full_zh: p.name_zh.clone(),
            with_province_zh: if municipality {
                p.name_zh.clone()
            } else {
                format!("{}{}", p.province_zh, p.name_zh)
            },
            with_province_short_zh: (!municipality).then(|| format!("{province_short}{short_zh}")),
            short_zh,
            english,
            pinyin: unique(&pinyin).then_some(pinyin),
            former: FORMER
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, f)| f.to_string()),
        }
    }

    /// The short Chinese name ("深圳").
    pub(crate) fn short_zh(&self) -> &str {
        &self.short_zh
    }

    /// One spelling, drawn with the frequencies of a typical scraped record set.
    pub(crate) fn pick(&self, d: &mut Draws) -> String {
        let u = d.uniform();
        let en = |d: &mut Draws| self.english[d.below(self.english.len())].clone();
        match u {
            _ if u < 0.26 => self.full_zh.clone(),
            _ if u < 0.44 => self.short_zh.clone(),
            _ if u < 0.54 => self.with_province_zh.clone(),
            _ if u < 0.58 => self
                .with_province_short_zh
                .clone()
                .unwrap_or_else(|| self.short_zh.clone()),
            _ if u < 0.78 => en(d),
            _ if u < 0.80 => self.pinyin.clone().unwrap_or_else(|| en(d)),
            _ if u < 0.84 => format!("{}\u{3000}", self.full_zh),
            _ if u < 0.86 => format!("\u{3000}{}", self.short_zh),
            _ if u < 0.88 => self.with_province_zh.replacen('省', "省\u{3000}", 1),
            _ if u < 0.92 => format!(" {} ", self.full_zh),
            _ if u < 0.93 => full_width(&en(d)),
            _ if u < 0.95 => self.former.clone().unwrap_or_else(|| self.full_zh.clone()),
            _ => format!("{} ", en(d)),
        }
    }
}

/// The short Chinese name: the first alias that begins the official name.
fn short_zh(p: &Place) -> String {
    p.aliases
        .iter()
        .find(|a| p.name_zh.starts_with(a.as_str()) && a.as_str() != p.name_zh)
        .cloned()
        .unwrap_or_else(|| p.name_zh.clone())
}

fn province_short_zh(name: &str) -> String {
    for s in [
        "特别行政区",
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "省",
        "市",
    ] {
        if let Some(short) = name.strip_suffix(s) {
            return short.to_string();
        }
    }
    name.to_string()
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Strings that name no city, as found in record files: no place, foreign places,
/// a province alone, a district alone, and spellings two cities share.
pub(crate) const UNRESOLVED: [&str; 20] = [
    "海外",
    "未知",
    "N/A",
    "其他",
    "境外",
    "全国",
    "-",
    "unknown",
    "Overseas",
    "新加坡",
    "Singapore",
    "美国",
    "广东省",
    "浙江",
    "Jiangsu",
    "浦东新区",
    "Taizhou",
    "Suzhou",
    "FUZHOU",
    "Yulin",
];

/// One unresolvable string; about one in five is an ambiguous spelling.
pub(crate) fn pick_unresolved(d: &mut Draws) -> &'static str {
    UNRESOLVED[d.below(UNRESOLVED.len())]
}

/// Cities outside the example's 100 candidates whose records appear in the sources
/// (they resolve, and are counted as outside the run).
pub(crate) const OUTSIDE: [u32; 24] = [
    130500, 130900, 210400, 222400, 230200, 320800, 341300, 341500, 361000, 370900, 410700, 420200,
    429004, 430400, 450500, 513400, 522600, 530800, 540200, 610600, 652300, 654000, 810000, 152500,
];

/// Whether the gazetteer reports `raw` as ambiguous.
#[cfg(test)]
pub(crate) fn is_ambiguous(gazetteer: &Gazetteer, raw: &str) -> bool {
    matches!(gazetteer.resolve_detailed(raw), Resolution::Ambiguous(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_resolves_to_its_city() {
        let g = Gazetteer::bundled();
        let mut d = Draws::new(1, 1);
        let codes = crate::CANDIDATES.iter().map(|c| c.unit).chain(OUTSIDE);
        for code in codes {
            let s = Spellings::new(g, code);
            for _ in 0..200 {
                let raw = s.pick(&mut d);
                assert_eq!(g.resolve(&raw), Some(code.to_string().as_str()), "{raw:?}");
            }
        }
    }

    #[test]
    fn unresolved_strings_do_not_resolve() {
        let g = Gazetteer::bundled();
        for raw in UNRESOLVED {
            assert_eq!(g.resolve(raw), None, "{raw}");
        }
        let ambiguous = UNRESOLVED.iter().filter(|r| is_ambiguous(g, r)).count();
        assert_eq!(ambiguous, 4);
    }

    #[test]
    fn outside_cities_are_not_candidates() {
        for code in OUTSIDE {
            assert!(crate::CANDIDATES.iter().all(|c| c.unit != code), "{code}");
        }
    }
}
