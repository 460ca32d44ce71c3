//! Ranges and contradictions of the spec-wide settings: weights, screening, publication, levels.

use super::within;
use crate::error::{Location, SpecError};
use crate::framework::Framework;
use crate::spec::{Publication, ScreenRules, Spec, Uncertainty};
use std::collections::HashSet;

/// Printed scores have at most this many decimals: beyond it an `f64` score of 0-100 has no
/// digits left to show, and `10^decimals` overflows soon after.
pub const MAX_DECIMALS: u32 = 12;

fn field(key: &str, msg: String, hint: &str) -> Result<(), SpecError> {
    Err(SpecError::new(Location::Field(key.into()), msg, hint))
}

/// The children's weights of every node must add up to a finite number, or the node's score
/// is not a number.
pub fn weights(fw: &Framework) -> Result<(), SpecError> {
    for &k in &fw.bottom_up {
        let sum: f64 = fw.nodes[k]
            .children
            .iter()
            .map(|&c| fw.nodes[c].weight)
            .sum();
        if !sum.is_finite() {
            return Err(SpecError::new(
                Location::Node(fw.nodes[k].id.clone()),
                format!("the weights of this node's children add up to {sum}, beyond what a number can hold"),
                "weights are relative within a parent: scale them down, e.g. to shares that sum to 1",
            ));
        }
    }
    Ok(())
}

pub fn screen(r: &ScreenRules) -> Result<(), SpecError> {
    for (key, v) in [
        ("screen.min_coverage", r.min_coverage),
        ("screen.min_dimension_coverage", r.min_dimension_coverage),
    ] {
        if !within(v, 0.0, 1.0) {
            return field(
                key,
                format!("{v} is not a share between 0 and 1"),
                "write a share, e.g. 0.6667 for two thirds",
            );
        }
    }
    let mut seen = HashSet::new();
    for u in r.force_in.iter().map(|f| f.unit()) {
        if !seen.insert(u) {
            return field(
                "screen.force_in",
                format!("unit `{u}` is listed twice"),
                "list each unit once",
            );
        }
    }
    let mut out = HashSet::new();
    for f in &r.force_out {
        if !out.insert(f.unit.as_str()) {
            return field(
                "screen.force_out",
                format!("unit `{}` is listed twice", f.unit),
                "list each unit once",
            );
        }
        if f.reason.trim().is_empty() {
            return field(
                "screen.force_out",
                format!("unit `{}` has an empty reason", f.unit),
                "write the reason to publish, e.g. `reason = \"data withdrawn\"`",
            );
        }
        if seen.contains(f.unit.as_str()) {
            return field(
                "screen.force_in",
                format!("unit `{}` is both forced in and forced out", f.unit),
                "remove it from one of `force_in` and `force_out`",
            );
        }
    }
    Ok(())
}

pub fn publication(p: &Publication) -> Result<(), SpecError> {
    if p.decimals > MAX_DECIMALS {
        return field(
            "publish.decimals",
            format!(
                "{} decimals is more than a score holds (at most {MAX_DECIMALS})",
                p.decimals
            ),
            "publish scores with e.g. 1 to 3 decimals",
        );
    }
    let mut prev: Option<f64> = None;
    for t in &p.tiers {
        if !t.min_score.is_finite() {
            return field(
                "publish.tier.min_score",
                format!("tier `{}` has min_score {}", t.name, t.min_score),
                "give every tier a finite lowest score",
            );
        }
        if prev.is_some_and(|q| t.min_score >= q) {
            return field(
                "publish.tier.min_score",
                format!(
                    "tier `{}` (min_score {}) is not below the tier before it",
                    t.name, t.min_score
                ),
                "list [[publish.tier]] best first, each min_score lower than the one before",
            );
        }
        prev = Some(t.min_score);
    }
    Ok(())
}

pub fn levels(spec: &Spec) -> Result<(), SpecError> {
    let mut seen = HashSet::new();
    for l in &spec.levels {
        if !seen.insert(l.level) {
            return field(
                "level.level",
                format!("level {} has two [[level]] entries", l.level),
                "keep one [[level]] per level and merge their settings",
            );
        }
    }
    Ok(())
}

/// The `[uncertainty]` noise and levels: a noise above 1 could make a weight negative, and a
/// level that does not exist would perturb nothing while the analysis claims it did.
pub fn uncertainty(u: &Uncertainty, fw: &Framework) -> Result<(), SpecError> {
    let top = fw.nodes[fw.root].level;
    let share = |key: &str, v: f64| {
        if within(v, 0.0, 1.0) {
            Ok(())
        } else {
            field(
                key,
                format!("noise {v} is not a share between 0 and 1 (each weight is multiplied by a draw in [1 - noise, 1 + noise])"),
                "write e.g. `weight_noise = 0.25` for weights +-25%",
            )
        }
    };
    share("uncertainty.weight_noise", u.weight_noise)?;
    let mut seen = HashSet::new();
    for l in &u.levels {
        share("uncertainty.level.noise", l.noise)?;
        if !(1..top).contains(&l.level) {
            return field(
                "uncertainty.level.level",
                format!("level {} has no weighted children to perturb (the tree's weighted children are at levels 1 to {})", l.level, top - 1),
                "give the level of the children whose weights are uncertain: 1 = indicators",
            );
        }
        if !seen.insert(l.level) {
            return field(
                "uncertainty.level.level",
                format!("level {} has two [[uncertainty.level]] entries", l.level),
                "keep one entry per level",
            );
        }
    }
    for &l in &u.aggregation_levels {
        if !(2..=top).contains(&l) {
            return field(
                "uncertainty.aggregation_levels",
                format!("level {l} has no aggregate nodes (they are at levels 2 to {top})"),
                &format!("list levels from 2 to {top}; {top} is the index"),
            );
        }
    }
    Ok(())
}
