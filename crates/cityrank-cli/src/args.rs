//! Command-line flags.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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
    pub sources: SourceArgs,
}

/// How indicators defined on raw records are computed (specs with `[[source]]` sections).
#[derive(Args, Debug, Clone)]
pub struct SourceArgs {
    /// SQL engine for record sources: `local` (DataFusion in this process) or the URL of an
    /// Apache Ballista scheduler, e.g. `df://127.0.0.1:50050`.
    #[arg(long, global = true, env = "CITYRANK_ENGINE", default_value = "local")]
    pub engine: String,
    /// Refuse records whose city string does not resolve, instead of counting them.
    #[arg(long, global = true)]
    pub strict_cities: bool,
    /// Memory bound of the local SQL engine, e.g. `2G`, `512M` (`none`: no bound). Beyond it
    /// the engine spills to disk (temp dir); a query that cannot spill fails, naming the bound.
    #[arg(
        long,
        global = true,
        env = "CITYRANK_MEMORY_LIMIT",
        default_value = "2G"
    )]
    pub memory_limit: String,
}

#[derive(Args, Debug, Clone)]
pub struct SpecArg {
    /// The methodology file (default: the bundled 2020 blockchain example).
    #[arg(long, global = true)]
    pub spec: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the index and write every result to the output folder.
    Run {
        #[command(flatten)]
        spec: SpecArg,
        /// Output folder.
        #[arg(long, default_value = "cityrank-out")]
        out: PathBuf,
        /// Print only the summary, not the tables.
        #[arg(long)]
        quiet: bool,
    },
    /// Check a spec and its data without building: coverage, distributions, duplicates.
    Validate {
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Show the resolved method: the tree, weights and every indicator's steps.
    Plan {
        #[command(flatten)]
        spec: SpecArg,
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
    /// Two cities side by side, node by node and indicator by indicator.
    Compare {
        a: String,
        b: String,
        #[command(flatten)]
        spec: SpecArg,
    },
    /// Rewrite the bundled example's illustrative data from its seeded generator.
    Generate {
        /// Generator settings.
        #[arg(long, default_value = "examples/blockchain-2020/generator.toml")]
        settings: PathBuf,
        /// Folder for cities.csv and indicators.csv.
        #[arg(long, default_value = "examples/blockchain-2020/data")]
        out: PathBuf,
    },
    /// Time builds of a spec and of synthetic data (run with --release).
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
    Publish(crate::cmd::publish::PublishCommand),
    #[command(flatten)]
    Analysis(crate::cmd::analysis::AnalysisCommand),
    #[command(flatten)]
    RecordSets(crate::cmd::records_gen::RecordSetCommand),
    /// Data-driven weights (entropy, entropy_min_max, critic, sd, pca, pca_varimax, ahp, budget, optimised)
    /// and the ranking they give beside the nominal one.
    Weights {
        #[command(flatten)]
        spec: SpecArg,
        #[arg(long)]
        method: String,
        /// One aggregate node (default: every node with more than one child).
        #[arg(long)]
        node: Option<String>,
        #[arg(long, default_value = "cityrank-out")]
        out: PathBuf,
    },
    /// List the raw records behind one city's value of one indicator.
    Records {
        /// Indicator id.
        indicator: String,
        /// City id, English or Chinese name.
        city: String,
        #[command(flatten)]
        spec: SpecArg,
        /// At most this many records.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Print results as CSV (long or wide) or JSON to standard output.
    Export {
        #[command(flatten)]
        spec: SpecArg,
        #[arg(long, value_enum, default_value = "wide")]
        format: ExportFormat,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ExportFormat {
    Long,
    Wide,
    Json,
}
