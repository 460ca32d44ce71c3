//! Every flag of the `cityrank` command and its help, in one place.
//!
//! Arguments that several commands share are one struct each ([`SpecArg`], [`OutArg`],
//! [`EngineArgs`]), so that their name, default and help are written once. Values are
//! typed when parsed (a size, an engine URL), so a command never sees a malformed one.

use crate::cmd::records_gen::RecordSetCommand;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// The results folder when `--out` is not given.
pub const DEFAULT_OUT: &str = "cityrank-out";

#[derive(Parser, Debug)]
#[command(
    name = "cityrank",
    version,
    about = "Build, audit and publish rankings of cities from one methodology file"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub engine: EngineArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

/// How input files are read.
#[derive(Args, Debug, Clone, Copy)]
pub struct InputArgs {
    /// Accept a pipe or device (e.g. `<(zcat units.csv.gz)`) as the spec, units or data file.
    /// Without it only regular files are read, so a FIFO with no writer or /dev/zero fails at
    /// once instead of blocking or filling memory. A stream is read to at most 4 GiB.
    #[arg(long, global = true)]
    pub allow_stream: bool,
}

/// How indicators defined on raw records are computed (specs with `[[source]]` sections).
#[derive(Args, Debug, Clone)]
pub struct EngineArgs {
    /// SQL engine for record sources: `local` (DataFusion in this process) or the URL of an
    /// Apache Ballista scheduler, e.g. `df://127.0.0.1:50050`.
    #[arg(
        long,
        global = true,
        env = "CITYRANK_ENGINE",
        default_value = "local",
        value_name = "local|URL",
        value_parser = parse_engine
    )]
    pub engine: cityrank_sources::Engine,
    /// Refuse records whose city string does not resolve, instead of counting them.
    #[arg(long, global = true)]
    pub strict_cities: bool,
    /// Memory pool of the local SQL engine's aggregations and sorts, e.g. `2G`, `512M`
    /// (`none`: no pool limit). Beyond it they spill to disk (temp dir); a query that cannot
    /// spill fails, naming the bound. File reading and decoding buffers and the program itself
    /// are outside the pool, so peak resident memory is higher (docs/sources.md has figures).
    #[arg(
        long,
        global = true,
        env = "CITYRANK_MEMORY_LIMIT",
        default_value = "2G",
        value_name = "SIZE",
        value_parser = parse_size
    )]
    pub memory_limit: MemoryLimit,
}

impl EngineArgs {
    /// The record-engine settings these flags describe.
    pub fn settings(&self) -> cityrank_sources::Settings {
        cityrank_sources::Settings {
            engine: self.engine.clone(),
            strict_cities: self.strict_cities,
            memory_limit: self.memory_limit.0,
        }
    }
}

/// A memory bound in bytes; `None` for no bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryLimit(pub Option<usize>);

#[derive(Args, Debug, Clone)]
pub struct SpecArg {
    /// The methodology file, or a folder holding one as spec.toml (default: the bundled 2020
    /// blockchain example).
    #[arg(long, global = true, value_name = "FILE|DIR")]
    pub spec: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct OutArg {
    /// Results folder: commands that build write their files here; report, site and serve
    /// read an uncertainty.csv found here.
    #[arg(long, default_value = DEFAULT_OUT, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Args, Debug, Clone, Copy)]
pub struct AllowArg {
    /// Show an uncertainty.csv computed from another spec, edition or data (with a visible
    /// warning) instead of refusing it.
    #[arg(long)]
    pub allow_other_recipe: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start a new index: write DIR/spec.toml (commented, to read as a tutorial) and DIR/data/
    /// from a CSV, XLSX or Parquet table of units x indicators, or a small illustrative example.
    Init {
        /// The folder to write (created; must be empty unless --force).
        dir: PathBuf,
        /// A CSV, XLSX or Parquet table: one row per unit, a unit id column, a column per indicator
        /// (numeric columns become indicators; prefixes such as `env_` become dimensions).
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// The worksheet of an XLSX file, by name or position (1 = the first).
        #[arg(long, requires = "from", value_parser = parse_sheet)]
        sheet: Option<cityrank_core::spec::Sheet>,
        /// The column of unit ids (default: one named id, code, unit... else the first).
        #[arg(long, value_name = "COLUMN")]
        id_column: Option<String>,
        /// The column of unit names (default: one named name, city, country... else the
        /// first text column).
        #[arg(long, value_name = "COLUMN")]
        name_column: Option<String>,
        /// Write into a folder that is not empty (spec.toml and data files are replaced).
        #[arg(long)]
        force: bool,
    },
    /// Turn another tool's files into a cityrank spec and data.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Build the index and write every result to the output folder.
    Run {
        #[command(flatten)]
        spec: SpecArg,
        #[command(flatten)]
        out: OutArg,
        /// Print only the summary, not the tables.
        #[arg(long)]
        quiet: bool,
    },
    /// Check a spec and its data without building: coverage, distributions, duplicates.
    Validate {
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Show the plan of the build, step by step, with every setting resolved and the
    /// data-driven weights as run uses them.
    Plan {
        #[command(flatten)]
        spec: SpecArg,
        /// Print the plan as JSON (the form stored in manifest.json).
        #[arg(long)]
        json: bool,
    },
    /// One city's profile: values, scores, ranks, strengths and weaknesses.
    Profile {
        /// Unit id, English name or Chinese name.
        unit: String,
        #[command(flatten)]
        spec: SpecArg,
        /// Print JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Two or more cities side by side, node by node and indicator by indicator.
    Compare {
        /// Two or more cities: unit id, English name or Chinese name.
        #[arg(required = true, num_args = 2..)]
        cities: Vec<String>,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Developer command (hidden from --help): rewrite the bundled example's illustrative data
    /// from its seeded generator.
    #[command(hide = true)]
    Generate {
        /// Generator settings.
        #[arg(long, default_value = "examples/blockchain-2020/generator.toml")]
        settings: PathBuf,
        /// Folder for cities.csv and indicators.csv.
        #[arg(long, default_value = "examples/blockchain-2020/data")]
        out: PathBuf,
    },
    /// Developer command (hidden from --help; benches/run.sh is the benchmark): time builds of
    /// a spec and of synthetic data (run an optimised build).
    #[command(hide = true)]
    Bench {
        #[command(flatten)]
        spec: SpecArg,
        /// Builds to time per case.
        #[arg(long, default_value_t = 200)]
        reps: usize,
        /// Synthetic shapes as UNITSxINDICATORS.
        #[arg(long, value_delimiter = ',', default_value = "51x49,10000x200")]
        shapes: Vec<String>,
    },
    #[command(flatten)]
    Publish(PublishCommand),
    #[command(flatten)]
    Analysis(AnalysisCommand),
    #[command(flatten)]
    RecordSets(RecordSetCommand),
    /// Data-driven weights (entropy, entropy_min_max, critic, sd, pca, pca_varimax, ahp, budget, optimised)
    /// and the ranking they give beside the nominal one.
    Weights {
        #[command(flatten)]
        spec: SpecArg,
        /// The weighting method, by its spec name (e.g. `entropy`, `pca`).
        #[arg(long)]
        method: String,
        /// One aggregate node (default: every node with more than one child).
        #[arg(long)]
        node: Option<String>,
        #[command(flatten)]
        out: OutArg,
    },
    /// List the raw records behind one city's value of one indicator.
    Records {
        /// Indicator id.
        indicator: String,
        /// City id, English or Chinese name.
        city: String,
        #[command(flatten)]
        spec: SpecArg,
        /// At most this many records, 1 to 100,000.
        #[arg(long, default_value_t = 50,
              value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
    },
    /// Print results as CSV (long or wide) or JSON to standard output.
    Export {
        #[command(flatten)]
        spec: SpecArg,
        /// `long`: one row per unit and node; `wide`: one row per unit; `json`: everything.
        #[arg(long, value_enum, default_value = "wide")]
        format: ExportFormat,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// COINr's iData and iMeta (CSV or XLSX) as DIR/spec.toml and DIR/data/, with COINr's
    /// default build (min-max 0-100, arithmetic means, metadata weights).
    Coinr {
        /// The iData table: uCode, uName, groups, denominators and one column per indicator.
        #[arg(long, value_name = "FILE")]
        idata: PathBuf,
        /// The iMeta table: iCode, Level, Parent, Direction, Weight, Type...
        #[arg(long, value_name = "FILE")]
        imeta: PathBuf,
        /// The folder to write (created; must be empty unless --force).
        dir: PathBuf,
        /// Divide each indicator by its iMeta Denominator (COINr's Denominate); without it
        /// the denominators are written as comments, as COINr's default build does not use them.
        #[arg(long)]
        denominate: bool,
        /// Write into a folder that is not empty.
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ExportFormat {
    Long,
    Wide,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum PublishCommand {
    /// Write report.html: the whole publication in one self-contained file.
    Report {
        #[command(flatten)]
        spec: SpecArg,
        #[command(flatten)]
        out: OutArg,
        /// The previous edition's spec, to show rank and score changes.
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
        #[command(flatten)]
        allow: AllowArg,
    },
    /// Write a static multi-page site into OUT/site (works from file:// and any static host).
    Site {
        #[command(flatten)]
        spec: SpecArg,
        #[command(flatten)]
        out: OutArg,
        /// The previous edition's spec, to show rank and score changes.
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
        #[command(flatten)]
        allow: AllowArg,
    },
    /// Serve the dashboard, the site and a JSON API on 127.0.0.1 (read-only).
    Serve {
        #[command(flatten)]
        spec: SpecArg,
        /// Port on 127.0.0.1.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Further editions to hold (repeatable). Without --spec, the bundled 2020 and 2021.
        #[arg(long, value_name = "FILE")]
        edition: Vec<PathBuf>,
        #[command(flatten)]
        out: OutArg,
        #[command(flatten)]
        allow: AllowArg,
        #[command(flatten)]
        limits: ServeLimits,
    },
}

/// How `serve` bounds its clients, so that slow or many of them cannot stall it.
#[derive(Args, Debug, Clone, Copy)]
pub struct ServeLimits {
    /// Seconds a client has to send a request's headers (from connecting, or from the end of
    /// its previous response: also the longest a kept-alive connection may sit idle), 1 to 3600.
    #[arg(long, default_value_t = 10, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout: u64,
    /// Seconds from a request's headers to its response, body included (408 after), 1 to 3600.
    #[arg(long, default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout: u64,
    /// Open connections at most, 1 to 100,000; one more gets 503 and is closed. Keep it below
    /// the open-file limit (`ulimit -n`).
    #[arg(long, default_value_t = 512, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_connections: u32,
    /// Requests on one kept-alive connection at most (1: no keep-alive), 1 to 1,000,000.
    #[arg(long, default_value_t = 1000, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_requests: u32,
}

impl ServeLimits {
    pub fn limits(&self) -> cityrank_publish::server::Limits {
        use std::time::Duration;
        cityrank_publish::server::Limits {
            header_timeout: Duration::from_secs(self.header_timeout),
            request_timeout: Duration::from_secs(self.request_timeout),
            max_connections: self.max_connections as usize,
            max_requests: self.max_requests as usize,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum AnalysisCommand {
    /// Monte Carlo uncertainty analysis of the ranking under the spec's [uncertainty] section.
    Uncertainty {
        #[command(flatten)]
        spec: SpecArg,
        /// Replications (and base rows of the sensitivity design), 1 to 100,000,000; outside
        /// that range the count is refused before any work starts.
        #[arg(short = 'n', long, default_value_t = 10_000,
              value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        n: u64,
        /// Seed (default: the spec's meta.seed).
        #[arg(long)]
        seed: Option<u64>,
        #[command(flatten)]
        out: OutArg,
        /// Also run the Saltelli design and write sensitivity.csv.
        #[arg(long)]
        sensitivity: bool,
        /// Bootstrap resamples for the sensitivity intervals, 1 to 10,000 (each holds one
        /// index per base row, so more would only fill memory).
        #[arg(long, default_value_t = 1000,
              value_parser = clap::value_parser!(u32).range(1..=10_000))]
        bootstrap: u32,
        /// Write every replication's sampled recipe to samples.csv.
        #[arg(long)]
        samples: bool,
        /// Rebuild replication K alone and print its recipe and ranking.
        #[arg(long, value_name = "K")]
        replay: Option<u64>,
        /// Rows printed (0 = all).
        #[arg(long, default_value_t = 20)]
        rows: usize,
    },
    /// Statistical coherence: correlations, Cronbach's alpha, PCA, effective importance, and the
    /// ranking without each indicator and dimension.
    Coherence {
        #[command(flatten)]
        spec: SpecArg,
        #[command(flatten)]
        out: OutArg,
    },
    /// Compare the built ranking with a published one (default: the spec's published.csv).
    Audit {
        #[command(flatten)]
        spec: SpecArg,
        /// Published facts: unit,name,node,score,rank (bounds such as <88 or <=50 allowed).
        #[arg(long, value_name = "CSV")]
        published: Option<PathBuf>,
        #[command(flatten)]
        out: OutArg,
    },
}

/// `--sheet`: a position (digits, 1 = the first) or a name.
fn parse_sheet(s: &str) -> Result<cityrank_core::spec::Sheet, String> {
    use cityrank_core::spec::Sheet;
    match s.parse::<usize>() {
        Ok(0) => Err("sheet positions start at 1 (the first sheet)".into()),
        Ok(n) => Ok(Sheet::Position(n)),
        Err(_) => Ok(Sheet::Name(s.to_string())),
    }
}

/// `--engine`: `local` or a scheduler URL.
fn parse_engine(s: &str) -> Result<cityrank_sources::Engine, String> {
    s.parse().map_err(|_: cityrank_sources::SourceError| {
        "neither `local` nor a URL; fix: use `local` or a Ballista scheduler URL such as \
         df://127.0.0.1:50050"
            .to_string()
    })
}

/// `--memory-limit`: a number with an optional K, M, G or T suffix (powers of 1024), or `none`.
fn parse_size(s: &str) -> Result<MemoryLimit, String> {
    let fix = "fix: give a size such as 2G, 512M or 1500000000, or `none`";
    let t = s.trim();
    if t.eq_ignore_ascii_case("none") {
        return Ok(MemoryLimit(None));
    }
    let upper = t.to_ascii_uppercase();
    let digits = upper.trim_end_matches('B').trim_end_matches('I');
    let (num, shift) = match digits.chars().last() {
        Some('K') => (&digits[..digits.len() - 1], 10),
        Some('M') => (&digits[..digits.len() - 1], 20),
        Some('G') => (&digits[..digits.len() - 1], 30),
        Some('T') => (&digits[..digits.len() - 1], 40),
        _ => (digits, 0),
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("not a size; {fix}"))?;
    if !(n.is_finite() && n > 0.0) {
        return Err(format!("a size must be positive; {fix}"));
    }
    Ok(MemoryLimit(Some((n * (1u64 << shift) as f64) as usize)))
}
