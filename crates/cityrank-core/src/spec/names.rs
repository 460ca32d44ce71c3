//! One name per method: a method prints as the spec writes it (its serde name and settings),
//! so logs, tables and `cityrank plan` use the spec's own words and never Rust's Debug text;
//! and a name given on the command line or to the API is read by the spec's own parser, so
//! there is no second list of names to keep in step.

use super::methods::{
    shorthand, Aggregate, Direction, Impute, Normalise, Outliers, Preference, Rescale, Ties,
    Transform, Weighting,
};
use serde::de::{value::StrDeserializer, DeserializeOwned};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

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

/// A method named as in the spec (`"entropy"`, `"min_max"`, `"lower"`); its settings take
/// their defaults. The error lists the names the spec accepts.
pub fn from_spec_name<T: SpecName>(name: &str) -> Result<T, String> {
    let d = StrDeserializer::<serde::de::value::Error>::new(name);
    let r = if T::TAGGED {
        shorthand::<_, T>(d).map(|v| v.expect("shorthand always gives a value"))
    } else {
        serde::Deserialize::deserialize(d)
    };
    r.map_err(|e| e.to_string())
}

/// A method type with a spec name; `TAGGED`: written as a table with a `method` key (or its
/// name alone), else as a plain string.
pub trait SpecName: DeserializeOwned + serde::Serialize {
    const TAGGED: bool;
}

macro_rules! spec_names {
    ($tagged:literal: $($t:ty),*) => {$(
        impl SpecName for $t {
            const TAGGED: bool = $tagged;
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(&spec_words(self))
            }
        }

        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                from_spec_name(s)
            }
        }
    )*};
}

spec_names!(false: Direction, Preference, Ties, Weighting);
spec_names!(true: Transform, Outliers, Normalise, Impute, Aggregate, Rescale);
