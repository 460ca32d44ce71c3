//! `cityrank report`, `cityrank site` and `cityrank serve`: publishing a build.

use super::{banner, spec_path};
use crate::args::SpecArg;
use cityrank_io::Error;
use cityrank_publish::{report, server, site, Edition};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum PublishCommand {
    /// Write report.html: the whole publication in one self-contained file.
    Report {
        #[command(flatten)]
        spec: SpecArg,
        /// Output folder; an uncertainty.csv found there adds rank intervals.
        #[arg(long, default_value = "cityrank-out")]
        out: PathBuf,
        /// The previous edition's spec, to show rank and score changes.
        #[arg(long)]
        previous: Option<PathBuf>,
    },
    /// Write a static multi-page site into OUT/site (works from file:// and any static host).
    Site {
        #[command(flatten)]
        spec: SpecArg,
        #[arg(long, default_value = "cityrank-out")]
        out: PathBuf,
        #[arg(long)]
        previous: Option<PathBuf>,
    },
    /// Serve the dashboard, the site and a JSON API on 127.0.0.1 (read-only).
    Serve {
        #[command(flatten)]
        spec: SpecArg,
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Further editions to hold (repeatable). Without --spec, the bundled 2020 and 2021.
        #[arg(long)]
        edition: Vec<PathBuf>,
        /// Folder holding uncertainty.csv, if any.
        #[arg(long, default_value = "cityrank-out")]
        out: PathBuf,
    },
}

pub fn dispatch(c: PublishCommand) -> Result<(), Error> {
    match c {
        PublishCommand::Report {
            spec,
            out,
            previous,
        } => {
            let (ed, prev) = load_pair(&spec, &out, previous.as_deref())?;
            let path = report::write(&ed, prev.as_ref(), &out)?;
            done(&ed, &format!("Report written to {}", path.display()));
            Ok(())
        }
        PublishCommand::Site {
            spec,
            out,
            previous,
        } => {
            let (ed, prev) = load_pair(&spec, &out, previous.as_deref())?;
            let dir = out.join("site");
            site::write(&ed, prev.as_ref(), &dir)?;
            done(
                &ed,
                &format!("Site written to {}/ (open index.html)", dir.display()),
            );
            Ok(())
        }
        PublishCommand::Serve {
            spec,
            port,
            edition,
            out,
        } => {
            let mut paths = vec![spec_path(&spec)?];
            if spec.spec.is_none() && edition.is_empty() {
                paths.extend(bundled_2021(&paths[0]));
            }
            paths.extend(edition);
            let eds = paths
                .iter()
                .map(|p| load_edition(p)?.with_intervals_from(&out))
                .collect::<Result<Vec<_>, _>>()?;
            if let Some(b) = banner(&eds[0].spec) {
                println!("{b}");
            }
            server::serve(eds, port)
        }
    }
}

fn load_pair(
    spec: &SpecArg,
    out: &Path,
    previous: Option<&Path>,
) -> Result<(Edition, Option<Edition>), Error> {
    let ed = load_edition(&spec_path(spec)?)?.with_intervals_from(out)?;
    let prev = previous.map(load_edition).transpose()?;
    Ok((ed, prev))
}

/// The imagined 2021 edition beside the bundled 2020 one.
fn bundled_2021(spec_2020: &Path) -> Option<PathBuf> {
    let p = spec_2020
        .parent()?
        .parent()?
        .join("blockchain-2021/spec.toml");
    p.exists().then_some(p)
}

fn done(ed: &Edition, msg: &str) {
    println!("{msg}");
    if let Some(b) = banner(&ed.spec) {
        println!("{b}");
    }
}

/// An edition loaded the way every command loads a spec (record sources included).
fn load_edition(path: &Path) -> Result<Edition, Error> {
    let (spec, data) = super::load(path)?;
    Edition::from_loaded(spec, data)
}
