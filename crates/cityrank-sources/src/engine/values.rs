//! From the engine's answer to every city's value: zero for a covered city without records,
//! none for a city the source does not cover, then the division by a denominator (`per`).

use super::{load, Run};
use crate::definition::{Covers, RecordIndicator};
use crate::error::{Position, SourceError};
use std::collections::BTreeMap;

impl Run<'_> {
    /// Every city of the run with its value: a covered city without records has 0, a city
    /// the source does not cover has none. Also the counts of each case.
    pub(super) fn zero_or_missing(
        &self,
        covers: &Covers,
        value: impl Fn(&str) -> Option<f64>,
    ) -> (BTreeMap<String, Option<f64>>, u64, u64) {
        let mut values = BTreeMap::new();
        let (mut without, mut not_covered) = (0u64, 0u64);
        for city in self.cities {
            let v = if covers.contains(city) {
                let v = value(city);
                without += u64::from(v.is_none());
                Some(v.unwrap_or(0.0))
            } else {
                not_covered += 1;
                None
            };
            values.insert(city.clone(), v);
        }
        (values, without, not_covered)
    }

    /// The values divided by the indicator's denominator (`per`), scaled, when it has one.
    pub(super) fn apply_per(
        &self,
        id: &str,
        ind: &RecordIndicator,
        covers: &Covers,
        values: BTreeMap<String, Option<f64>>,
    ) -> Result<BTreeMap<String, Option<f64>>, SourceError> {
        let Some(per) = &ind.per else {
            return Ok(values);
        };
        let path = self.spec_dir.join(&per.file);
        let table = load::read_denominators(&path, per, self.resolver)?;
        let mut out = BTreeMap::new();
        for (city, v) in values {
            let nv = match v {
                None => None,
                Some(v) => {
                    debug_assert!(covers.contains(&city));
                    let Some(&d) = table.get(&city) else {
                        return Err(SourceError::MissingDenominator {
                            indicator: id.to_string(),
                            path,
                            city,
                        });
                    };
                    if d == 0.0 {
                        return Err(SourceError::Denominator {
                            path,
                            position: Position::Line(0),
                            message: format!("the denominator of city `{city}` is 0"),
                        });
                    }
                    Some(v / d * per.scale)
                }
            };
            out.insert(city, nv);
        }
        Ok(out)
    }
}
