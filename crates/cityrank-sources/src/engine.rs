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

mod arrays;
mod compile;
mod dedup;
mod load;
mod locate;
mod session;
mod sql;
mod validate;
mod values;

pub(crate) use arrays::{as_decimal, as_i64, as_strings, collect};
pub use session::{Engine, DEFAULT_MEMORY_LIMIT};
pub use validate::validate;

use crate::definition::{Measure, RecordIndicator, RecordsSpec, SourceDecl};
use crate::error::SourceError;
use crate::provenance::{IndicatorProvenance, SourceProvenance};
use crate::resolve::CityResolver;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::{DataFrame, SessionContext};
use futures::StreamExt;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
        // Sources are read side by side (most are one file in one partition, so one
        // source's query keeps one core busy). A slot is freed as soon as its source is
        // done, whichever it is, so a long source does not hold the others back; the
        // results are then taken in the spec's order: the same values, and the same
        // first error, as one after another.
        let in_flight = self
            .target_partitions
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1);
        let mut slots: Vec<Option<Result<_, SourceError>>> =
            (0..spec.sources.len()).map(|_| None).collect();
        // Sources after the first failed one are not started: their result is not used.
        let first_failed = std::cell::Cell::new(usize::MAX);
        {
            let mut done = futures::stream::iter(spec.sources.iter().enumerate())
                .filter(|(i, _)| std::future::ready(*i < first_failed.get()))
                .map(|(i, decl)| {
                    let (ctx, universe) = (&ctx, &universe);
                    async move { (i, self.source(ctx, spec, decl, universe).await) }
                })
                .buffer_unordered(in_flight);
            while let Some((i, source)) = done.next().await {
                if source.is_err() && i < first_failed.get() {
                    first_failed.set(i);
                }
                slots[i] = Some(source);
                if slots[..first_failed.get().min(slots.len())]
                    .iter()
                    .all(Option::is_some)
                    && first_failed.get() < slots.len()
                {
                    break;
                }
            }
        }
        for slot in slots {
            let Some(source) = slot else { break };
            let (decl, cleaned, results) = source?;
            source_rows.insert(decl.id.clone(), cleaned.provenance.rows_used);
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

    /// One source read and its declarative indicators computed: those counted, summed or
    /// averaged in the pass that groups the rows by city string (added up per city code
    /// later), and distinct counts, which cannot be added up, in a second pass over the
    /// resolved view.
    async fn source<'s>(
        &self,
        ctx: &SessionContext,
        spec: &RecordsSpec,
        decl: &'s SourceDecl,
        universe: &BTreeSet<&str>,
    ) -> Result<
        (
            &'s SourceDecl,
            load::Cleaned,
            Vec<(String, compile::DeclResult)>,
        ),
        SourceError,
    > {
        let on_source: Vec<(&String, &RecordIndicator)> = spec
            .indicators
            .iter()
            .filter(|(_, ind)| ind.source == decl.id)
            .collect();
        let (fused, distinct): (Vec<_>, Vec<_>) = on_source
            .iter()
            .copied()
            .filter(|(_, ind)| ind.sql.is_none())
            .partition(|(_, ind)| !matches!(ind.measure, Some(Measure::CountDistinct(_))));
        let (prepared, cleaned, mut results) =
            self.load(ctx, decl, &on_source, &fused, universe).await?;
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
        Ok((decl, cleaned, results))
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
}
