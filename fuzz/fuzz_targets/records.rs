//! The record side that runs without the SQL engine: a `records.toml` (its `[[source]]`
//! declarations and `[indicators.*]` definitions, as `cityrank sources` parses it), and each
//! line as a city string for the bundled gazetteer and as a `YYYY-MM-DD` date.
#![no_main]

use cityrank_core::spec::records::{Date, RecordsSpec};
use cityrank_gazetteer::Gazetteer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = toml::from_str::<RecordsSpec>(text);
    let gazetteer = Gazetteer::bundled();
    for line in text.lines() {
        if let Some(code) = gazetteer.resolve_detailed(line).code() {
            assert!(
                gazetteer.lookup(code).is_some(),
                "{line:?} resolves to unknown code {code}"
            );
        }
        if let Some(date) = Date::parse(line) {
            let back = Date::from_days_since_epoch(date.days_since_epoch());
            assert_eq!(back, date, "{line:?} does not survive days since the epoch");
        }
    }
});
