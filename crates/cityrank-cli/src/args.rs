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
    /// Data-driven weights (entropy, entropy_min_max, critic, sd, pca, ahp, budget, optimised)
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
