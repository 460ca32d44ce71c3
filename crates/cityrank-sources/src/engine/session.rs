//! The SQL engine a run uses: DataFusion in this process, or a Ballista cluster, and the
//! session each gives.

use crate::error::SourceError;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use std::fmt;
use std::str::FromStr;

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
