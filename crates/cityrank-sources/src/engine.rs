//! Runs record indicators through DataFusion, in-process or on a Ballista cluster.
//!
//! Declarative indicators are compiled with the DataFrame API rather than by
//! generating SQL text: column names and filter values from a spec (Chinese
//! names, quotes, dots) go into expressions as they are, with no quoting or
//! escaping to get wrong, and a plan is checked against the source's schema when
//! it is built. The resulting logical plans are the same for both engines; Ballista
//! serializes them to its scheduler. Only `sql = "..."` indicators go through the
//! SQL parser.
//!
//! The work per source is:
//! 1. files are globbed, hashed and checked for UTF-8 (or converted from a declared encoding);
//! 2. one query groups the (deduplicated) rows by city string: row counts and
//!    unparseable dates; the distinct city strings are resolved in Rust and the
//!    results become a small mapping table (a `VALUES` plan) joined to the records,
//!    which works the same in Ballista, where no Rust callback can run;
//! 3. one aggregate query per source computes every declarative indicator on it,
//!    grouped by city, with the per-filter removal counts computed alongside by
//!    conditional counts (a single scan);
//! 4. SQL indicators see each source as a table named by its id.

mod compile;
mod dedup;
mod load;
mod locate;

use crate::definition::{Covers, Measure, RecordIndicator, RecordsSpec, SourceDecl};
use crate::error::{Position, SourceError};
use crate::provenance::{IndicatorProvenance, SourceProvenance};
use crate::resolve::CityResolver;
use datafusion::arrow::array::{
    Array, ArrayRef, Decimal128Array, Float64Array, Int64Array, StringArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{DataFrame, SessionConfig, SessionContext};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// Which SQL engine runs the queries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Engine {
    /// DataFusion in this process.
    #[default]
    Local,
    /// An Apache Ballista cluster, through its scheduler (for example `df://127.0.0.1:50050`).
    /// Executors read the record files by their absolute paths, so they must see the
    /// same file system.
    Ballista {
        /// `df://host:port` (any scheme; the port defaults to 50050).
        scheduler_url: String,
    },
}

impl FromStr for Engine {
    type Err = SourceError;

    /// `local`, or a scheduler URL such as `df://127.0.0.1:50050` (also `ballista://`, `http://`).
    fn from_str(s: &str) -> Result<Engine, SourceError> {
        let s = s.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("local") || s.eq_ignore_ascii_case("datafusion") {
            return Ok(Engine::Local);
        }
        if s.contains("://") {
            return Ok(Engine::Ballista {
                scheduler_url: s.to_string(),
            });
        }
        Err(SourceError::Spec(format!(
            "engine `{s}`: expected `local` or a Ballista scheduler URL such as df://127.0.0.1:50050"
        )))
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Engine::Local => f.write_str("local"),
            Engine::Ballista { scheduler_url } => f.write_str(scheduler_url),
        }
    }
}

impl Engine {
    /// A session for this engine.
    /// A session for this engine. `memory_limit` bounds the memory of a local run's
    /// queries: operators that can spill to disk (sorts, aggregations with many groups)
    /// do so beyond it, and a query that cannot fit fails with a message naming the limit.
    pub async fn session(
        &self,
        target_partitions: Option<usize>,
        memory_limit: Option<usize>,
    ) -> Result<SessionContext, SourceError> {
        match self {
            Engine::Local => {
                // DataFusion's own settings may be tuned through `DATAFUSION_*` variables
                // (for example DATAFUSION_EXECUTION_BATCH_SIZE); they never change values.
                let mut config = SessionConfig::from_env()
                    .map_err(|e| SourceError::engine("reading DATAFUSION_* settings", e))?;
                if let Some(n) = target_partitions {
                    config = config.with_target_partitions(n.max(1));
                }
                let mut runtime = RuntimeEnvBuilder::new();
                if let Some(bytes) = memory_limit {
                    runtime = runtime.with_memory_limit(bytes, 1.0);
                }
                let runtime = runtime
                    .build_arc()
                    .map_err(|e| SourceError::engine("setting up the engine's memory pool", e))?;
                Ok(SessionContext::new_with_config_rt(config, runtime))
            }
            Engine::Ballista { scheduler_url } => ballista_session(scheduler_url).await,
        }
    }
}

#[cfg(feature = "ballista")]
async fn ballista_session(url: &str) -> Result<SessionContext, SourceError> {
    use ballista::prelude::SessionContextExt;
    SessionContext::remote(url)
        .await
        .map_err(|e| SourceError::engine(format!("connecting to the Ballista scheduler {url}"), e))
}

#[cfg(not(feature = "ballista"))]
async fn ballista_session(url: &str) -> Result<SessionContext, SourceError> {
    Err(SourceError::Spec(format!(
        "engine {url}: this build has no Ballista support (feature `ballista` of cityrank-sources)"
    )))
}

/// The default memory bound of a local run: 2 GiB.
pub const DEFAULT_MEMORY_LIMIT: usize = 2 << 30;

/// Values and provenance of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordsOutput {
    /// Indicator id -> city code -> value. Every city of the run is present:
    /// `Some(0.0)` for a covered city without records, `None` for a city the
    /// source does not cover.
    pub values: BTreeMap<String, BTreeMap<String, Option<f64>>>,
    /// Source id -> counts.
    pub sources: BTreeMap<String, SourceProvenance>,
    /// Indicator id -> counts.
    pub indicators: BTreeMap<String, IndicatorProvenance>,
}

/// One computation of record indicators.
pub struct Run<'a> {
    /// Directory that globs and denominator files are relative to.
    pub spec_dir: &'a Path,
    /// The city codes of the run (the ranked cities).
    pub cities: &'a [String],
    /// Maps record city strings to codes.
    pub resolver: &'a dyn CityResolver,
    /// Local DataFusion or a Ballista scheduler.
    pub engine: Engine,
    /// Unresolved city strings are an error instead of being counted.
    pub strict_cities: bool,
    /// Where converted copies of non-UTF-8 files go (default: a folder in the temp dir).
    pub work_dir: Option<PathBuf>,
    /// Bound on each query (default 30 minutes).
    pub query_timeout: Duration,
    /// Partitions for local execution (default: DataFusion's, the number of cores).
    pub target_partitions: Option<usize>,
    /// Memory bound of a local run in bytes, beyond which the engine spills to disk
    /// (default: [`DEFAULT_MEMORY_LIMIT`]; `None` for no bound).
    pub memory_limit: Option<usize>,
    /// How many unresolved strings to report per source.
    pub top_unresolved: usize,
}

impl<'a> Run<'a> {
    /// A local run with default settings.
    pub fn new(
        spec_dir: &'a Path,
        cities: &'a [String],
        resolver: &'a dyn CityResolver,
    ) -> Run<'a> {
        Run {
            spec_dir,
            cities,
            resolver,
            engine: Engine::Local,
            strict_cities: false,
            work_dir: None,
            query_timeout: Duration::from_secs(30 * 60),
            target_partitions: None,
            memory_limit: Some(DEFAULT_MEMORY_LIMIT),
            top_unresolved: 10,
        }
    }

    /// Computes every indicator of `spec`. Either all values or an error: no partial output.
    pub async fn compute(&self, spec: &RecordsSpec) -> Result<RecordsOutput, SourceError> {
        self.compute_inner(spec)
            .await
            .map_err(|e| match (e, &self.engine) {
                (SourceError::Engine { context, message }, Engine::Ballista { scheduler_url }) => {
                    SourceError::Engine {
                        context: format!("{context} (Ballista scheduler {scheduler_url})"),
                        message,
                    }
                }
                (e, _) => e,
            })
    }

    async fn compute_inner(&self, spec: &RecordsSpec) -> Result<RecordsOutput, SourceError> {
        validate(spec)?;
        let ctx = self
            .engine
            .session(self.target_partitions, self.memory_limit)
            .await?;
        let universe: BTreeSet<&str> = self.cities.iter().map(|s| s.as_str()).collect();

        let mut out = RecordsOutput {
            values: BTreeMap::new(),
            sources: BTreeMap::new(),
            indicators: BTreeMap::new(),
        };
        let mut views: Vec<(String, DataFrame)> = Vec::new();
        let mut source_rows: HashMap<String, u64> = HashMap::new();
        for decl in &spec.sources {
            let on_source: Vec<(&String, &RecordIndicator)> = spec
                .indicators
                .iter()
                .filter(|(_, ind)| ind.source == decl.id)
                .collect();
            // Counts, sums and means are computed in the pass that groups the rows by
            // city string, and added up per city code here; a distinct count cannot be
            // added up, so it is computed over the resolved view in a second pass.
            let (fused, distinct): (Vec<_>, Vec<_>) = on_source
                .iter()
                .copied()
                .filter(|(_, ind)| ind.sql.is_none())
                .partition(|(_, ind)| !matches!(ind.measure, Some(Measure::CountDistinct(_))));
            let (prepared, cleaned, mut results) =
                self.load(&ctx, decl, &on_source, &fused, &universe).await?;
            source_rows.insert(decl.id.clone(), cleaned.provenance.rows_used);

            if !distinct.is_empty() {
                results.extend(
                    compile::run_declarative(
                        decl,
                        &prepared,
                        &cleaned.view,
                        &distinct,
                        self.query_timeout,
                    )
                    .await?,
                );
            }
            {
                for (id, res) in results {
                    let ind = &spec.indicators[&id];
                    let (values, without, not_covered) =
                        self.zero_or_missing(&decl.covers, |c| res.values.get(c).copied());
                    let values = self.apply_per(&id, ind, &decl.covers, values)?;
                    let mut prov = res.provenance;
                    prov.cities_without_records = without;
                    prov.cities_not_covered = not_covered;
                    out.indicators.insert(id.clone(), prov);
                    out.values.insert(id, values);
                }
            }
            out.sources.insert(decl.id.clone(), cleaned.provenance);
            views.push((decl.id.clone(), cleaned.view));
        }

        // SQL indicators see every source as a table named by its id.
        let sql_indicators: Vec<(&String, &RecordIndicator)> = spec
            .indicators
            .iter()
            .filter(|(_, ind)| ind.sql.is_some())
            .collect();
        if !sql_indicators.is_empty() {
            for (id, view) in &views {
                ctx.register_table(id.as_str(), view.clone().into_view())
                    .map_err(|e| SourceError::engine(format!("registering source `{id}`"), e))?;
            }
        }
        for (id, ind) in sql_indicators {
            let decl = spec
                .sources
                .iter()
                .find(|s| s.id == ind.source)
                .expect("validated");
            let sql = ind.sql.as_deref().expect("sql indicator");
            let raw = self.run_sql(&ctx, id, sql).await?;
            let (values, without, not_covered) =
                self.zero_or_missing(&decl.covers, |c| raw.get(c).copied());
            let values = self.apply_per(id, ind, &decl.covers, values)?;
            let rows_in = source_rows.get(&decl.id).copied().unwrap_or(0);
            out.indicators.insert(
                id.clone(),
                IndicatorProvenance {
                    indicator: id.clone(),
                    source: decl.id.clone(),
                    kind: "sql".into(),
                    rows_in,
                    removed_by_filter: Vec::new(),
                    removed_without_date: 0,
                    removed_after_cutoff: 0,
                    removed_before_window: 0,
                    rows_used: rows_in,
                    cities_without_records: without,
                    cities_not_covered: not_covered,
                },
            );
            out.values.insert(id.clone(), values);
        }
        Ok(out)
    }

    /// The records behind one city's value of one indicator: the source's rows
    /// (deduplicated, resolved to `city`) that pass the indicator's filters, cut-off and
    /// window, at most `limit` of them, with the added columns `city_code` and
    /// `record_date`. For an SQL indicator, whose selection only its query knows, all
    /// the city's rows of its source.
    pub async fn records(
        &self,
        spec: &RecordsSpec,
        indicator: &str,
        city: &str,
        limit: usize,
    ) -> Result<Vec<RecordBatch>, SourceError> {
        Ok(self.records_counted(spec, indicator, city, limit).await?.0)
    }

    /// [`Run::records`], with how many records there are in all (the limit only cuts what is
    /// shown, so "3 of 1,548" can be said).
    pub async fn records_counted(
        &self,
        spec: &RecordsSpec,
        indicator: &str,
        city: &str,
        limit: usize,
    ) -> Result<(Vec<RecordBatch>, usize), SourceError> {
        validate(spec)?;
        let ind = spec
            .indicators
            .get(indicator)
            .ok_or_else(|| SourceError::Spec(format!("no indicator `{indicator}`")))?;
        let decl = spec
            .sources
            .iter()
            .find(|s| s.id == ind.source)
            .expect("validated");
        let ctx = self
            .engine
            .session(self.target_partitions, self.memory_limit)
            .await?;
        let universe: BTreeSet<&str> = self.cities.iter().map(|s| s.as_str()).collect();
        let id = indicator.to_string();
        let (prepared, cleaned, _) = self.load(&ctx, decl, &[(&id, ind)], &[], &universe).await?;
        let sel = if ind.sql.is_some() {
            datafusion::prelude::lit(true)
        } else {
            compile::selection_expr(decl, &prepared.provenance[0].path, &cleaned.view, ind)?
        };
        let what = format!("records of indicator `{indicator}` for city `{city}`");
        let df = cleaned
            .view
            .filter(
                datafusion::prelude::col(load::CITY_CODE)
                    .eq(datafusion::prelude::lit(city))
                    .and(sel),
            )
            .map_err(|e| SourceError::engine(&what, e))?;
        let total = match tokio::time::timeout(self.query_timeout, df.clone().count()).await {
            Ok(n) => n.map_err(|e| SourceError::engine(&what, e))?,
            Err(_) => {
                return Err(SourceError::Timeout {
                    context: what,
                    seconds: self.query_timeout.as_secs(),
                })
            }
        };
        let df = df
            .limit(0, Some(limit))
            .map_err(|e| SourceError::engine(&what, e))?;
        Ok((collect(df, &what, self.query_timeout).await?, total))
    }

    /// Files checked and hashed, the source read, deduplicated and resolved; the
    /// indicators `fused` (declarative, no distinct count) computed in the same pass.
    async fn load(
        &self,
        ctx: &SessionContext,
        decl: &SourceDecl,
        on_source: &[(&String, &RecordIndicator)],
        fused: &[(&String, &RecordIndicator)],
        universe: &BTreeSet<&str>,
    ) -> Result<
        (
            crate::files::SourceFiles,
            load::Cleaned,
            Vec<(String, compile::DeclResult)>,
        ),
        SourceError,
    > {
        let needed = load::needed_columns(decl, on_source);
        let prepared = {
            let decl = decl.clone();
            let dir = self.spec_dir.to_path_buf();
            let work_dir = self
                .work_dir
                .clone()
                .unwrap_or_else(|| std::env::temp_dir().join("cityrank-sources"));
            tokio::task::spawn_blocking(move || crate::files::prepare_files(&decl, &dir, &work_dir))
                .await
                .map_err(|e| SourceError::engine("file preparation", e))??
        };
        let raw = load::read_source(ctx, decl, &prepared, &needed).await?;
        let plan = compile::plan_aggregates(decl, &prepared, raw.schema(), fused)?;
        let cleaned = load::clean_source(
            ctx,
            decl,
            &prepared,
            raw,
            universe,
            self.resolver,
            self.strict_cities,
            self.top_unresolved,
            self.query_timeout,
            plan.aggs.clone(),
        )
        .await?;
        let results = if fused.is_empty() {
            Vec::new()
        } else {
            compile::finish(
                decl,
                &prepared,
                plan,
                &cleaned.per_string,
                Some(&cleaned.mapping),
            )?
        };
        Ok((prepared, cleaned, results))
    }

    /// [`Run::compute`] on a runtime of its own, for callers that are not async.
    pub fn compute_blocking(&self, spec: &RecordsSpec) -> Result<RecordsOutput, SourceError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| SourceError::engine("starting the async runtime", e))?;
        rt.block_on(self.compute(spec))
    }

    async fn run_sql(
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

    /// Every city of the run with its value: a covered city without records has 0, a city
    /// the source does not cover has none. Also the counts of each case.
    fn zero_or_missing(
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

    fn apply_per(
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

/// Checks the spec for inconsistencies that need no file.
pub fn validate(spec: &RecordsSpec) -> Result<(), SourceError> {
    let bad = |m: String| Err(SourceError::Spec(m));
    let mut ids = BTreeSet::new();
    for s in &spec.sources {
        if !is_identifier(&s.id) {
            return bad(format!(
                "source id `{}` must match [A-Za-z_][A-Za-z0-9_]* (it is an SQL table name)",
                s.id
            ));
        }
        if !ids.insert(s.id.as_str()) {
            return bad(format!("source `{}` is declared twice", s.id));
        }
        if let Some(f) = &s.date_format {
            if s.date_column.is_none() {
                return bad(format!(
                    "source `{}`: `date_format` needs a `date_column`",
                    s.id
                ));
            }
            if !date_format_is_valid(f) {
                return bad(format!(
                    "source `{}`: date_format `{f}` is not a strftime pattern of a date (for example \"%Y/%m/%d\" or \"%Y年%m月%d日\")",
                    s.id
                ));
            }
        }
        if let Some(key) = &s.key {
            if key.is_empty() {
                return bad(format!("source `{}`: `key` is empty", s.id));
            }
        }
    }
    for (id, ind) in &spec.indicators {
        let Some(src) = spec.sources.iter().find(|s| s.id == ind.source) else {
            return bad(format!("indicator `{id}`: unknown source `{}`", ind.source));
        };
        match (&ind.measure, &ind.sql) {
            (None, None) => return bad(format!("indicator `{id}`: needs `measure` or `sql`")),
            (Some(_), Some(_)) => {
                return bad(format!("indicator `{id}`: has both `measure` and `sql`"))
            }
            (None, Some(_)) => {
                if !ind.filters.is_empty() || ind.cutoff.is_some() || ind.window_days.is_some() {
                    return bad(format!(
                        "indicator `{id}`: `filters`, `cutoff` and `window_days` belong to the declarative form; write them into the SQL"
                    ));
                }
            }
            (Some(_), None) => {}
        }
        if ind.cutoff.is_some() && src.date_column.is_none() {
            return bad(format!(
                "indicator `{id}`: a cut-off needs `date_column` on source `{}`",
                src.id
            ));
        }
        if ind.window_days.is_some() && ind.cutoff.is_none() {
            return bad(format!("indicator `{id}`: `window_days` needs a `cutoff`"));
        }
        if ind.window_days == Some(0) {
            return bad(format!(
                "indicator `{id}`: `window_days` must be at least 1"
            ));
        }
        if let Some(Measure::CountDistinct(c) | Measure::Sum(c) | Measure::Mean(c)) = &ind.measure {
            if c.is_empty() {
                return bad(format!("indicator `{id}`: empty measure column"));
            }
        }
        if let Some(per) = &ind.per {
            if !(per.scale.is_finite() && per.scale > 0.0) {
                return bad(format!(
                    "indicator `{id}`: `per.scale` must be a positive number"
                ));
            }
        }
        for f in &ind.filters {
            compile::check_filter(id, f)?;
        }
    }
    Ok(())
}

/// A strftime pattern without errors that names a whole date: year, month and day (or
/// day of the year), or one of the combined forms `%F`, `%D`, `%x`.
fn date_format_is_valid(f: &str) -> bool {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(f).any(|i| matches!(i, Item::Error)) {
        return false;
    }
    let has = |specs: &[&str]| specs.iter().any(|s| f.contains(s));
    let year = has(&["%Y", "%y", "%G"]);
    let month = has(&["%m", "%b", "%B", "%h"]);
    let day = has(&["%d", "%e"]);
    has(&["%F", "%D", "%x"]) || (year && month && day) || (year && has(&["%j"]))
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub(crate) async fn collect(
    df: DataFrame,
    what: &str,
    timeout: Duration,
) -> Result<Vec<RecordBatch>, SourceError> {
    match tokio::time::timeout(timeout, df.collect()).await {
        Ok(r) => r.map_err(|e| SourceError::engine(what, e)),
        Err(_) => Err(SourceError::Timeout {
            context: what.to_string(),
            seconds: timeout.as_secs(),
        }),
    }
}

/// `a` cast to `dt` and downcast to its concrete array type.
fn cast_as<T: Array + Clone + 'static>(
    a: &ArrayRef,
    dt: &DataType,
    what: &str,
) -> Result<T, SourceError> {
    let c = cast(a, dt).map_err(|e| SourceError::engine(what, e))?;
    Ok(c.as_any()
        .downcast_ref::<T>()
        .expect("cast gives the requested type")
        .clone())
}

pub(crate) fn as_strings(a: &ArrayRef, what: &str) -> Result<StringArray, SourceError> {
    cast_as(a, &DataType::Utf8, what)
}

pub(crate) fn as_i64(a: &ArrayRef, what: &str) -> Result<Int64Array, SourceError> {
    cast_as(a, &DataType::Int64, what)
}

/// Decimal(38, 6) as f64; deterministic whatever the order of summation was.
pub(crate) fn as_decimal(a: &ArrayRef, what: &str) -> Result<Decimal128Array, SourceError> {
    cast_as(a, &compile::DECIMAL, what)
}
