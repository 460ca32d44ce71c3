//! One edition of an index (a spec, its data and its build), and the comparison of two.
//!
//! Cities are joined on the unit id (the administrative code), never on the name, so a city that
//! was renamed keeps its history. Two editions are comparable only when both declare the same
//! `framework_version` and the same index: otherwise a rank change would mix a change of method
//! with a change of the city.

use crate::uncertainty::{self, Interval};
use cityrank_core::Results;
use cityrank_io::manifest::{FolderManifest, Recipe};
use cityrank_io::{Error, LoadedData, LoadedSpec};
use std::collections::HashMap;
use std::path::Path;

/// A built edition.
pub struct Edition {
    pub spec: LoadedSpec,
    pub data: LoadedData,
    pub results: Results,
    /// Rank intervals from `uncertainty.csv`, when the output folder has one.
    pub intervals: Vec<Interval>,
    /// Why the intervals may not belong to this edition, when they were admitted anyway.
    pub intervals_warning: Option<String>,
}

impl Edition {
    /// Loads and builds the spec at `path`.
    pub fn load(path: &Path) -> Result<Edition, Error> {
        let (spec, data) = cityrank_io::load(path)?;
        Edition::from_loaded(spec, data)
    }

    /// Builds an edition from a spec and data loaded by the caller (who may have computed
    /// indicators from raw records first).
    pub fn from_loaded(spec: LoadedSpec, data: LoadedData) -> Result<Edition, Error> {
        let results = cityrank_io::build(&spec, &data)?;
        Ok(Edition::from_built(spec, data, results))
    }

    /// An edition from a build the caller made (the publish crate runs no SQL engine, so a
    /// spec with record sources is loaded and built by the caller, once).
    pub fn from_built(spec: LoadedSpec, data: LoadedData, results: Results) -> Edition {
        Edition {
            spec,
            data,
            results,
            intervals: Vec::new(),
            intervals_warning: None,
        }
    }

    /// Reads the rank intervals of `out/uncertainty.csv`, if that file exists, after checking
    /// the folder's manifest: every listed file must have its recorded hash, and the
    /// intervals must have been computed from this edition's recipe (spec and inputs). With
    /// `allow_other_recipe`, intervals from another recipe are kept with a visible warning.
    pub fn with_intervals_from(
        mut self,
        out: &Path,
        allow_other_recipe: bool,
    ) -> Result<Edition, Error> {
        let csv = out.join("uncertainty.csv");
        if !csv.exists() {
            return Ok(self);
        }
        if let Some(problem) = self.foreign_intervals(out)? {
            let msg = format!("uncertainty.csv does not belong to this spec: {problem}");
            if !allow_other_recipe {
                return Err(Error::new(
                    msg,
                    "rerun `cityrank uncertainty` with this --spec and --out, or pass \
                     --allow-other-recipe to show the intervals with a warning",
                )
                .at(&csv, None));
            }
            self.intervals_warning = Some(format!(
                "Warning: these rank intervals may not belong to this edition ({problem})."
            ));
        }
        self.intervals = uncertainty::read(&csv)?;
        Ok(self)
    }

    /// Why `out`'s uncertainty results are not this edition's, if they are not.
    pub fn foreign_intervals(&self, out: &Path) -> Result<Option<String>, Error> {
        let Some(m) = FolderManifest::read(out)? else {
            return Ok(Some(
                "the folder has no manifest.json saying how it was computed".into(),
            ));
        };
        m.verify(out)?;
        let Some(e) = m.commands.get("uncertainty") else {
            return Ok(Some(
                "manifest.json does not list it as written by `cityrank uncertainty`".into(),
            ));
        };
        Ok(Recipe::of(&self.spec, &self.data).differs(&e.recipe))
    }

    /// A short stable id: the spec's `meta.id`.
    pub fn id(&self) -> &str {
        &self.spec.spec.meta.id
    }

    /// What readers call the edition ("2021"), falling back to the id.
    pub fn label(&self) -> String {
        let m = &self.spec.spec.meta;
        m.edition.clone().unwrap_or_else(|| m.id.clone())
    }

    /// The overall rank and score of every ranked unit, by unit id.
    pub fn overall(&self) -> HashMap<String, (u32, f64)> {
        self.at_node(self.spec.framework.root)
    }

    /// The rank and score of every ranked unit at node `k`, by unit id.
    pub fn at_node(&self, k: usize) -> HashMap<String, (u32, f64)> {
        let r = &self.results;
        (0..r.n_units())
            .filter_map(|i| {
                r.rank(i, k)
                    .map(|rk| (r.units[i].id.clone(), (rk, r.score(i, k))))
            })
            .collect()
    }
}

/// Whether changes between `a` and `b` may be shown, and if not, why.
pub fn comparable(a: &Edition, b: &Edition) -> Result<(), String> {
    let (ma, mb) = (&a.spec.spec.meta, &b.spec.spec.meta);
    let (fa, fb) = (a.spec.framework.root, b.spec.framework.root);
    match (&ma.framework_version, &mb.framework_version) {
        (Some(x), Some(y)) if x == y => {}
        (x, y) => {
            return Err(format!(
                "not comparable: framework version {} vs {}",
                x.as_deref().unwrap_or("unset"),
                y.as_deref().unwrap_or("unset")
            ))
        }
    }
    if a.spec.framework.nodes[fa].id != b.spec.framework.nodes[fb].id {
        return Err("not comparable: the editions rank different indices".into());
    }
    Ok(())
}

/// A unit's move between editions at one node.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Change {
    pub previous_rank: u32,
    /// Positive: moved up (previous rank minus current rank).
    pub rank_change: i64,
    pub score_change: f64,
}

/// Changes at node `id` of `current` since `previous`, by unit id (units ranked in both).
pub fn changes(current: &Edition, previous: &Edition, id: &str) -> HashMap<String, Change> {
    let (Some(kc), Some(kp)) = (
        current.spec.framework.find(id),
        previous.spec.framework.find(id),
    ) else {
        return HashMap::new();
    };
    let before = previous.at_node(kp);
    current
        .at_node(kc)
        .into_iter()
        .filter_map(|(unit, (rank, score))| {
            let &(pr, ps) = before.get(&unit)?;
            Some((
                unit,
                Change {
                    previous_rank: pr,
                    rank_change: pr as i64 - rank as i64,
                    score_change: score - ps,
                },
            ))
        })
        .collect()
}
