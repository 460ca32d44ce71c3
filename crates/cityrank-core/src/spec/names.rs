//! One name per method: a method prints as the spec writes it (its serde name and settings),
//! so logs, tables and `cityrank plan` use the spec's own words and never Rust's Debug text.

use super::methods::{Aggregate, Direction, Impute, Normalise, Outliers, Rescale, Ties, Transform};
use serde::Serialize;
use std::fmt;

/// `v` in the spec's words: `min_max (low = 0, high = 100)`, `leader (scale = 100)`, `higher`.
pub fn spec_words<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(m)) => {
            let name = m.get("method").and_then(|x| x.as_str()).unwrap_or("");
            let settings: Vec<String> = m
                .iter()
                .filter(|(k, _)| k.as_str() != "method")
                .map(|(k, x)| match x {
                    serde_json::Value::String(s) => format!("{k} = \"{s}\""),
                    x => format!("{k} = {x}"),
                })
                .collect();
            if settings.is_empty() {
                name.to_string()
            } else {
                format!("{name} ({})", settings.join(", "))
            }
        }
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

macro_rules! spec_display {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(&spec_words(self))
            }
        }
    )*};
}

spec_display!(Direction, Transform, Outliers, Normalise, Impute, Aggregate, Rescale, Ties);
