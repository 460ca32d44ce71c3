//! Indicators written as SQL: the query runs against the source tables, and its answer must
//! be one finite value per city, in the columns `city` and `value`.

use super::{as_strings, collect, Run};
use crate::error::SourceError;
use datafusion::arrow::array::{Array, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::SessionContext;
use std::collections::BTreeMap;

impl Run<'_> {
    pub(super) async fn run_sql(
        &self,
        ctx: &SessionContext,
        id: &str,
        sql: &str,
    ) -> Result<BTreeMap<String, f64>, SourceError> {
        let what = format!("indicator `{id}` (SQL)");
        let df = ctx
            .sql(sql)
            .await
            .map_err(|e| SourceError::engine(&what, e))?;
        let names: Vec<String> = df
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        if names.len() != 2 || names[0] != "city" || names[1] != "value" {
            return Err(SourceError::SqlColumns {
                indicator: id.to_string(),
                found: names,
            });
        }
        let batches = collect(df, &what, self.query_timeout).await?;
        let mut values: BTreeMap<String, f64> = BTreeMap::new();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for b in &batches {
            let city = as_strings(b.column(0), &what)?;
            let value = cast(b.column(1), &DataType::Float64).map_err(|e| {
                SourceError::engine(format!("{what}: column `value` is not numeric"), e)
            })?;
            let value = value.as_any().downcast_ref::<Float64Array>().expect("f64");
            for i in 0..b.num_rows() {
                if city.is_null(i) {
                    return Err(SourceError::SqlNull {
                        indicator: id.to_string(),
                        what: "as a city".into(),
                    });
                }
                let c = city.value(i).to_string();
                if value.is_null(i) {
                    return Err(SourceError::SqlNull {
                        indicator: id.to_string(),
                        what: format!("as the value of city `{c}`"),
                    });
                }
                let v = value.value(i);
                if !v.is_finite() {
                    return Err(SourceError::SqlNotFinite {
                        indicator: id.to_string(),
                        city: c,
                        value: v,
                    });
                }
                *counts.entry(c.clone()).or_default() += 1;
                values.insert(c, v);
            }
        }
        if let Some((city, count)) = counts.into_iter().find(|(_, n)| *n > 1) {
            return Err(SourceError::SqlDuplicateCity {
                indicator: id.to_string(),
                city,
                count,
            });
        }
        Ok(values)
    }
}
