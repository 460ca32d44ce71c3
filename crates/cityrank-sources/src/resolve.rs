//! Mapping messy city strings from records to city codes.

use std::collections::HashMap;

/// Maps a city string found in records (already trimmed, never empty) to a city code.
///
/// Any `Fn(&str) -> Option<String> + Sync` is a resolver, so a closure will do:
///
/// ```
/// use cityrank_sources::CityResolver;
/// let r = |s: &str| if s.starts_with("北京") { Some("110000".to_string()) } else { None };
/// assert_eq!(r.resolve("北京市").as_deref(), Some("110000"));
/// ```
pub trait CityResolver: Sync {
    /// The city code for `raw`, or `None` when unknown.
    fn resolve(&self, raw: &str) -> Option<String>;
}

impl<F> CityResolver for F
where
    F: Fn(&str) -> Option<String> + Sync,
{
    fn resolve(&self, raw: &str) -> Option<String> {
        self(raw)
    }
}

/// A resolver from an exact table of strings (after trimming) to codes.
#[derive(Debug, Clone, Default)]
pub struct MapResolver {
    map: HashMap<String, String>,
}

impl MapResolver {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one spelling of a city.
    pub fn insert(&mut self, raw: impl Into<String>, code: impl Into<String>) -> &mut Self {
        self.map.insert(raw.into().trim().to_string(), code.into());
        self
    }
}

impl<S: Into<String>, C: Into<String>> FromIterator<(S, C)> for MapResolver {
    fn from_iter<I: IntoIterator<Item = (S, C)>>(iter: I) -> Self {
        let mut r = MapResolver::new();
        for (s, c) in iter {
            r.insert(s, c);
        }
        r
    }
}

impl CityResolver for MapResolver {
    fn resolve(&self, raw: &str) -> Option<String> {
        self.map.get(raw.trim()).cloned()
    }
}
