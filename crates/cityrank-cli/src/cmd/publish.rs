//! `cityrank report`, `cityrank site` and `cityrank serve`: publishing a build.

use super::{banner, spec_path};
use crate::args::{AllowArg, PublishCommand, SpecArg};
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
            allow,
        } => {
            let (ed, prev) = load_pair(&spec, &out.out, previous.as_deref(), allow, engine)?;
            let settings = publish_settings(previous.as_deref(), allow, engine);
            let path = report::write(&ed, prev.as_ref(), &out.out, settings)?;
            done(&ed, &format!("Report written to {}", path.display()));
            Ok(())
        }
        PublishCommand::Site {
            spec,
            out,
            previous,
            allow,
        } => {
            let (ed, prev) = load_pair(&spec, &out.out, previous.as_deref(), allow, engine)?;
            let settings = publish_settings(previous.as_deref(), allow, engine);
            site::write(&ed, prev.as_ref(), &out.out, settings)?;
            let dir = out.out.join("site");
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
            allow,
            limits,
        } => {
            let mut paths = vec![spec_path(&spec)?];
            if spec.spec.is_none() && edition.is_empty() {
                paths.extend(bundled_2021(&paths[0]));
            }
            paths.extend(edition);
            let mut eds = Vec::new();
            for (k, p) in paths.iter().enumerate() {
                let ed = load_edition(p, engine)?;
                // The folder's intervals are the first edition's; another edition shows them only
                // if they were computed from its own recipe.
                let theirs = k == 0 || ed.foreign_intervals(&out.out)?.is_none();
                eds.push(match theirs {
                    true => ed.with_intervals_from(&out.out, allow.allow_other_recipe)?,
                    false => ed,
                });
                if let Some(w) = &eds[k].intervals_warning {
                    eprintln!("{w}");
                }
            }
            if let Some(b) = banner(&eds[0].spec) {
                println!("{b}");
            }
            server::serve(eds, port, limits.limits())
        }
    }
}

fn load_pair(
    spec: &SpecArg,
    out: &Path,
    previous: Option<&Path>,
    allow: AllowArg,
    engine: &Settings,
) -> Result<(Edition, Option<Edition>), Error> {
    let ed = load_edition(&spec_path(spec)?, engine)?
        .with_intervals_from(out, allow.allow_other_recipe)?;
    if let Some(w) = &ed.intervals_warning {
        eprintln!("{w}");
    }
    let prev = previous.map(|p| load_edition(p, engine)).transpose()?;
    Ok((ed, prev))
}

/// What the manifest records of a publishing command's flags.
fn publish_settings(
    previous: Option<&Path>,
    allow: AllowArg,
    engine: &Settings,
) -> serde_json::Value {
    let own = serde_json::json!({
        "previous": previous.map(|p| p.to_string_lossy().into_owned()),
        "allow_other_recipe": allow.allow_other_recipe,
    });
    super::settings(own, engine)
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
