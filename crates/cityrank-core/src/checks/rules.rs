//! The real-index rules: applicability, node imputation, rounding, coverage thresholds by
//! group or unit, forced units and the order of screening and imputation.

use super::settings::MAX_DECIMALS;
use super::within;
use crate::error::{Location, SpecError};
use crate::framework::{Framework, NodeKind};
use crate::spec::{AppliesTo, Impute, ScreenOrder, Spec};
use std::collections::HashSet;

fn at(fw: &Framework, k: usize) -> Location {
    if k < fw.n_indicators {
        Location::Indicator(fw.nodes[k].id.clone())
    } else {
        Location::Node(fw.nodes[k].id.clone())
    }
}

/// The rules written on each node of the tree.
pub fn nodes(spec: &Spec, fw: &Framework) -> Result<(), SpecError> {
    for (k, n) in fw.nodes.iter().enumerate() {
        let err = |msg: String, hint: String| Err(SpecError::new(at(fw, k), msg, hint));
        if let Some(r) = &n.rules.applies_to {
            if k == fw.root {
                return err(
                    "the index has `applies_to`, but every ranked unit needs an index score".into(),
                    "set `applies_to` on the indicators or nodes that only some units have".into(),
                );
            }
            if let Some((msg, hint)) = selection("applies_to", r, spec) {
                return err(msg, hint);
            }
            let parent = n.parent.expect("only the index has no parent");
            if fw.aggregate_methods(parent).aggregate.is_mcda() {
                return err(
                    format!("`applies_to` on a child of `{}`, whose MCDA method compares every unit on every criterion", fw.nodes[parent].id),
                    "aggregate that node with an arithmetic, geometric or harmonic mean, or remove `applies_to`".into(),
                );
            }
        }
        if let Some(imp) = &n.rules.impute {
            if let Some(g) = imp
                .group
                .as_ref()
                .filter(|g| !spec.units.groups.contains(g))
            {
                return err(
                    format!("`impute_node` takes peers by group `{g}`, which `[units] groups` does not declare"),
                    declared(spec, g),
                );
            }
        }
        if let Some(d) = n.rules.round.filter(|d| *d > MAX_DECIMALS) {
            return err(
                format!(
                    "`round = {d}` is more decimals than a score holds (at most {MAX_DECIMALS})"
                ),
                "round intermediate scores to e.g. 1 to 3 decimals".into(),
            );
        }
    }
    Ok(())
}

/// Exactly one of group (with values), units, with_data; names that exist.
fn selection(key: &str, r: &AppliesTo, spec: &Spec) -> Option<(String, String)> {
    let given = [r.group.is_some(), !r.units.is_empty(), r.with_data];
    if given.iter().filter(|g| **g).count() != 1 {
        return Some((
            format!("`{key}` must select units in exactly one way"),
            "write one of `{ group = \"region\", values = [\"...\"] }`, `{ units = [\"...\"] }` or `{ with_data = true }`".into(),
        ));
    }
    if let Some(g) = &r.group {
        if !spec.units.groups.contains(g) {
            return Some((
                format!("`{key}` selects by group `{g}`, which `[units] groups` does not declare"),
                declared(spec, g),
            ));
        }
        if r.values.is_empty() {
            return Some((
                format!("`{key}` names group `{g}` but no `values`"),
                "list the group values it selects, e.g. `values = [\"coastal\"]`".into(),
            ));
        }
    } else if !r.values.is_empty() {
        return Some((
            format!("`{key}` has `values` without a `group`"),
            "name the `group` column the values belong to".into(),
        ));
    }
    let mut seen = HashSet::new();
    if let Some(u) = r.units.iter().find(|u| !seen.insert(u.as_str())) {
        return Some((
            format!("`{key}` lists unit `{u}` twice"),
            "list each unit once".into(),
        ));
    }
    None
}

fn declared(spec: &Spec, g: &str) -> String {
    if spec.units.groups.is_empty() {
        format!("declare the column in `[units] groups = [\"{g}\"]`")
    } else {
        format!(
            "declared groups: {}; or add `{g}` to `[units] groups`",
            spec.units.groups.join(", ")
        )
    }
}

fn field(key: &str, msg: String, hint: &str) -> Result<(), SpecError> {
    Err(SpecError::new(Location::Field(key.into()), msg, hint))
}

/// `[[screen.coverage]]`, reasons of `force_in` and `[screen] order`.
pub fn screen(spec: &Spec, fw: &Framework) -> Result<(), SpecError> {
    let r = &spec.screen;
    let (mut units, mut values) = (HashSet::new(), HashSet::new());
    for c in &r.coverage {
        let key = "screen.coverage";
        if !within(c.min_coverage, 0.0, 1.0) {
            return field(
                "screen.coverage.min_coverage",
                format!("{} is not a share between 0 and 1", c.min_coverage),
                "write a share, e.g. 0.5 for half",
            );
        }
        let sel = AppliesTo {
            group: c.group.clone(),
            values: c.values.clone(),
            units: c.units.clone(),
            with_data: false,
        };
        if let Some((msg, hint)) = selection(key, &sel, spec) {
            return field(key, msg, &hint);
        }
        if c.reason.trim().is_empty() {
            return field(
                "screen.coverage.reason",
                "a `[[screen.coverage]]` entry has an empty reason".into(),
                "write why these units have another threshold, e.g. `reason = \"ranked in the 2019 edition\"`",
            );
        }
        if let Some(u) = c.units.iter().find(|u| !units.insert(u.as_str())) {
            return field(
                key,
                format!("unit `{u}` is in two `[[screen.coverage]]` entries"),
                "give each unit one threshold",
            );
        }
        let g = c.group.as_deref().unwrap_or("");
        if let Some(v) = c.values.iter().find(|v| !values.insert((g, v.as_str()))) {
            return field(
                key,
                format!("group `{g}` value `{v}` is in two `[[screen.coverage]]` entries"),
                "give each group value one threshold",
            );
        }
    }
    if let Some(f) = r
        .force_in
        .iter()
        .find(|f| f.reason().is_some_and(|s| s.trim().is_empty()))
    {
        return field(
            "screen.force_in",
            format!("unit `{}` has an empty reason", f.unit()),
            "write the reason to publish, e.g. `reason = \"host city\"`",
        );
    }
    if r.order == ScreenOrder::ImputeFirst {
        order(fw)?;
    }
    Ok(())
}

/// Screening imputed data needs a raw-value imputation, and none that runs after the screen.
fn order(fw: &Framework) -> Result<(), SpecError> {
    let methods = fw.nodes[..fw.n_indicators]
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Indicator(m) => Some((&n.id, &m.impute)),
            NodeKind::Aggregate(_) => None,
        });
    let mut any = false;
    for (id, m) in methods {
        match m {
            Impute::ParentMean => {
                return field(
                    "screen.order",
                    format!("`order = \"impute_first\"`, but indicator `{id}` imputes by `parent_mean`, which needs normalised scores and so runs after the screen"),
                    "impute it with a raw-value method (mean, median, group_mean), or screen first",
                );
            }
            Impute::None => {}
            _ => any = true,
        }
    }
    if !any {
        return field(
            "screen.order",
            "`order = \"impute_first\"`, but no indicator is imputed, so the order changes nothing"
                .into(),
            "set `impute` (e.g. in [defaults]), or remove `order`",
        );
    }
    Ok(())
}
