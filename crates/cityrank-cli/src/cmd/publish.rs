//! `cityrank report`, `cityrank site` and `cityrank serve`: publishing a build.

use super::{banner, spec_path};
use crate::args::{PublishCommand, SpecArg};
use cityrank_io::Error;
use cityrank_publish::{report, server, site, Edition};
use cityrank_sources::Settings;
use std::path::{Path, PathBuf};

pub fn dispatch(c: PublishCommand, engine: &Settings) -> Result<(), Error> {
    match c {
        PublishCommand::Report {
            spec,
            out,
            previous,
        } => {
            let (ed, prev) = load_pair(&spec, &out.out, previous.as_deref(), engine)?;
            let path = report::write(&ed, prev.as_ref(), &out.out)?;
            done(&ed, &format!("Report written to {}", path.display()));
            Ok(())
        }
        PublishCommand::Site {
            spec,
            out,
            previous,
        } => {
            let (ed, prev) = load_pair(&spec, &out.out, previous.as_deref(), engine)?;
            let dir = out.out.join("site");
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
                .map(|p| load_edition(p, engine)?.with_intervals_from(&out.out))
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
    engine: &Settings,
) -> Result<(Edition, Option<Edition>), Error> {
    let ed = load_edition(&spec_path(spec)?, engine)?.with_intervals_from(out)?;
    let prev = previous.map(|p| load_edition(p, engine)).transpose()?;
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
fn load_edition(path: &Path, engine: &Settings) -> Result<Edition, Error> {
    let b = super::build(path, engine)?;
    Ok(Edition::from_built(b.spec, b.data, b.results))
}
