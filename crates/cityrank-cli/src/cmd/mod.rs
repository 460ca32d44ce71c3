//! One module per command.

pub mod analysis;
mod audit;
mod bench;
mod coherence;
mod export;
mod generate;
mod init;
mod plan;
mod profile;
pub mod publish;
pub mod records_gen;
mod run;
mod validate;
mod weights;

use crate::args::{Cli, Command, ImportCommand, SpecArg};
use cityrank_io::{Error, LoadedData, LoadedSpec};
use cityrank_sources::Settings;
use std::path::PathBuf;

pub fn dispatch(cli: Cli) -> Result<(), Error> {
    cityrank_io::limits::set_allow_streams(cli.input.allow_stream);
    let engine = cli.engine.settings();
    let engine = &engine;
    match cli.command {
        Command::Init {
            dir,
            from,
            sheet,
            id_column,
            name_column,
            force,
        } => init::init(
            &dir,
            &cityrank_io::init::InitOptions {
                from,
                sheet,
                id_column,
                name_column,
                force,
            },
        ),
        Command::Import(ImportCommand::Coinr {
            idata,
            imeta,
            dir,
            denominate,
            force,
        }) => init::import_coinr(
            &dir,
            &cityrank_io::coinr::CoinrOptions {
                idata,
                imeta,
                denominate,
                force,
            },
        ),
        Command::Run { spec, out, quiet } => run::run(&spec_path(&spec)?, &out.out, quiet, engine),
        Command::Validate { spec } => validate::validate(&spec_path(&spec)?, engine),
        Command::Plan { spec, json } => plan::plan(&spec_path(&spec)?, json, engine),
        Command::Profile { unit, spec, json } => {
            profile::profile(&spec_path(&spec)?, &unit, json, engine)
        }
        Command::Compare { cities, spec } => profile::compare(&spec_path(&spec)?, &cities, engine),
        Command::Records {
            indicator,
            city,
            spec,
            limit,
        } => records(
            &spec_path(&spec)?,
            &indicator,
            &city,
            limit as usize,
            engine,
        ),
        Command::Export { spec, format } => export::export(&spec_path(&spec)?, format, engine),
        Command::Publish(c) => publish::dispatch(c, engine),
        Command::Analysis(c) => analysis::dispatch(c, engine),
        Command::Generate { settings, out } => generate::generate(&settings, &out),
        Command::Weights {
            spec,
            method,
            node,
            out,
        } => weights::weights(
            &spec_path(&spec)?,
            &method,
            node.as_deref(),
            &out.out,
            engine,
        ),
        Command::RecordSets(c) => records_gen::dispatch(c, engine),
        Command::Bench { spec, reps, shapes } => {
            bench::bench(&spec_path(&spec)?, &parse_shapes(&shapes)?, reps, engine)
        }
    }
}

/// The bundled example, looked for in the working folder and then in the source tree.
const BUNDLED: &str = "examples/blockchain-2020/spec.toml";

pub fn spec_path(arg: &SpecArg) -> Result<PathBuf, Error> {
    if let Some(p) = &arg.spec {
        return cityrank_io::spec::spec_file(p);
    }
    let here = PathBuf::from(BUNDLED);
    if here.exists() {
        return Ok(here);
    }
    let source = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../")).join(BUNDLED);
    if source.exists() {
        return Ok(source);
    }
    Err(Error::new(
        "no --spec given and the bundled example is not found",
        "run from the project folder or pass --spec PATH",
    ))
}

pub use cityrank_engine::Built;

/// A command's settings for its manifest entry: its own flags and how record sources were run.
pub fn settings(own: serde_json::Value, engine: &Settings) -> serde_json::Value {
    cityrank_engine::settings(engine, own)
}

/// The manifest entry of a command that writes into a results folder.
pub fn entry(
    command: &str,
    spec: &LoadedSpec,
    data: &LoadedData,
    seed: Option<u64>,
    own: serde_json::Value,
    engine: &Settings,
) -> cityrank_io::manifest::Entry {
    let recipe = cityrank_io::manifest::Recipe::of(spec, data);
    cityrank_io::manifest::Entry::new(command, recipe, seed, settings(own, engine))
}

/// Loads a spec and its data (record indicators computed first, through the SQL engine).
pub fn load(path: &std::path::Path, engine: &Settings) -> Result<(LoadedSpec, LoadedData), Error> {
    Ok(cityrank_sources::load(path, engine)?)
}

fn records(
    path: &std::path::Path,
    indicator: &str,
    city: &str,
    limit: usize,
    engine: &Settings,
) -> Result<(), Error> {
    let spec = cityrank_io::load_spec(path)?;
    let (units, _) = cityrank_io::data::load_units(&spec)?;
    let q = city.trim().to_lowercase();
    let unit = units
        .iter()
        .find(|u| {
            u.id == city.trim()
                || u.name.to_lowercase() == q
                || u.name_zh
                    .as_deref()
                    .is_some_and(|z| z.trim_end_matches('市') == city.trim().trim_end_matches('市'))
        })
        .ok_or_else(|| {
            Error::new(
                format!("no assessed city is called `{city}`"),
                "use the id, English or Chinese name of a city in the units file",
            )
        })?;
    println!(
        "Records behind {} for `{indicator}` ({}):",
        unit.label(),
        unit.id
    );
    let table = cityrank_sources::records_table(path, engine, indicator, &unit.id, limit)?;
    println!("{table}");
    Ok(())
}

/// Loads and builds once, through the library's entry point: record indicators, then every
/// step of the plan including data-driven weights.
pub fn build(path: &std::path::Path, engine: &Settings) -> Result<Built, Error> {
    let opts = cityrank_engine::BuildOptions {
        records: engine.clone(),
    };
    cityrank_engine::build(path, &opts)
}

/// Finds a ranked unit by id, English name or Chinese name (case-insensitive); an excluded
/// one is an error that gives the screen's reason.
pub fn find_unit(b: &Built, query: &str) -> Result<usize, Error> {
    use cityrank_publish::lookup::{find, Found};
    match find(&b.results, &b.data.dataset, query) {
        Some(Found::Ranked(i)) => Ok(i),
        Some(Found::Excluded(k)) => {
            let e = &b.results.excluded[k];
            Err(Error::new(
                format!(
                    "{} ({}) was assessed but not ranked: {}",
                    e.name, e.unit, e.reason
                ),
                format!("`cityrank profile {}` shows its data", e.unit),
            ))
        }
        None => {
            let names: Vec<&str> = b.results.units.iter().map(|u| u.name.as_str()).collect();
            Err(Error::new(
                format!("no ranked unit is called `{query}`"),
                cityrank_core::framework::suggest(query, &names, ""),
            ))
        }
    }
}

/// The illustrative-data banner, when the spec says the data are synthetic.
pub fn banner(spec: &LoadedSpec) -> Option<String> {
    let m = &spec.spec.meta;
    m.illustrative.then(|| {
        let n = m
            .notice
            .clone()
            .unwrap_or_else(|| "ILLUSTRATIVE DATA: these values are synthetic.".into());
        crate::console::wrap(&format!("*** {n} ***"))
    })
}

fn parse_shapes(shapes: &[String]) -> Result<Vec<(usize, usize)>, Error> {
    shapes
        .iter()
        .map(|s| {
            let (u, i) = s.split_once('x').ok_or_else(|| {
                Error::new(
                    format!("shape `{s}` is not UNITSxINDICATORS"),
                    "write e.g. 51x49",
                )
            })?;
            let n = |t: &str| {
                t.parse::<usize>().map_err(|_| {
                    Error::new(
                        format!("shape `{s}` is not UNITSxINDICATORS"),
                        "write e.g. 51x49",
                    )
                })
            };
            Ok((n(u)?, n(i)?))
        })
        .collect()
}

/// The units the spec forces in or out and the coverage thresholds that differ, each with its
/// reason, as `run` and `validate` print them (nothing when the spec sets none).
pub fn forced_lines(
    rules: &cityrank_core::spec::ScreenRules,
    log: &cityrank_core::steps::screen::ScreenLog,
) -> Vec<String> {
    let mut out = Vec::new();
    for f in &rules.force_in {
        let why = f.reason().unwrap_or("no reason given");
        let needed = if log.forced_in.iter().any(|u| u == f.unit()) {
            "ranked only because forced in"
        } else {
            "meets the screening rules anyway"
        };
        out.push(format!("Forced in: {} ({why}; {needed}).", f.unit()));
    }
    for f in &rules.force_out {
        out.push(format!("Forced out: {} ({}).", f.unit, f.reason));
    }
    for c in &rules.coverage {
        let n = log
            .thresholds
            .iter()
            .filter(|(_, t, why)| *t == c.min_coverage && *why == c.reason)
            .count();
        out.push(format!(
            "Coverage threshold {:.0}% for {n} unit(s) ({}).",
            100.0 * c.min_coverage,
            c.reason
        ));
    }
    out
}
