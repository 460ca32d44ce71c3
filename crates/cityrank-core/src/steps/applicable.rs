//! Applicability: which nodes apply to which units.
//!
//! A fisheries indicator means nothing for a landlocked country; counting it as missing would
//! lower that country's coverage and invite an imputation of something that does not exist.
//! A node that does not apply to a unit is "not applicable": neither scored nor counted as
//! missing, and its parent is weighted over the children that apply.

use crate::data::{Matrix, Unit};
use crate::error::{BuildError, Location};
use crate::framework::Framework;
use crate::spec::AppliesTo;

/// Units x nodes, column-major: whether the node applies to the unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Applicable {
    rows: usize,
    /// `None` when every node applies to every unit (no `applies_to` in the spec).
    mask: Option<Vec<bool>>,
}

impl Applicable {
    /// Every node applies to every unit.
    pub fn all(rows: usize) -> Applicable {
        Applicable { rows, mask: None }
    }

    /// From the `applies_to` rules of the tree; a node applies to a unit when its own rule and
    /// every ancestor's select it, and (for an aggregate) at least one of its children applies. `raw` (units x indicators, before imputation) decides
    /// `with_data`.
    pub fn new(fw: &Framework, units: &[Unit], raw: &Matrix) -> Result<Applicable, BuildError> {
        let rows = units.len();
        if fw.nodes.iter().all(|n| n.rules.applies_to.is_none()) {
            return Ok(Applicable::all(rows));
        }
        let mut mask = vec![true; rows * fw.nodes.len()];
        // Parents before children: aggregates from the root down, then the indicators.
        let top_down = fw.bottom_up.iter().rev().copied().chain(0..fw.n_indicators);
        for k in top_down {
            let rule = fw.nodes[k].rules.applies_to.as_ref();
            if let Some(r) = rule {
                check_units(fw, k, r, units)?;
            }
            let leaves = fw.leaves_under(k);
            for (i, unit) in units.iter().enumerate() {
                let parent = fw.nodes[k].parent.is_none_or(|p| mask[p * rows + i]);
                let own =
                    rule.is_none_or(|r| selects(r, unit, |j| !raw.get(i, j).is_nan(), &leaves));
                mask[k * rows + i] = parent && own;
            }
        }
        // Children before parents: an aggregate none of whose children apply does not apply.
        for &k in &fw.bottom_up {
            for i in 0..rows {
                let any = fw.nodes[k].children.iter().any(|&c| mask[c * rows + i]);
                mask[k * rows + i] &= any;
            }
        }
        Ok(Applicable {
            rows,
            mask: Some(mask),
        })
    }

    /// From a mask written out before (units x nodes, column-major; `None`: all apply), as
    /// the what-if state carries it. A mask of the wrong length is refused.
    pub fn from_mask(rows: usize, nodes: usize, mask: Option<Vec<bool>>) -> Option<Applicable> {
        match mask {
            Some(m) if m.len() != rows * nodes => None,
            mask => Some(Applicable { rows, mask }),
        }
    }

    pub fn applies(&self, unit: usize, node: usize) -> bool {
        self.mask
            .as_ref()
            .is_none_or(|m| m[node * self.rows + unit])
    }

    /// Whether some node does not apply to some unit.
    pub fn any_not_applicable(&self) -> bool {
        self.mask.as_ref().is_some_and(|m| m.iter().any(|a| !a))
    }

    /// The rows `keep`, in that order.
    pub fn select_rows(&self, keep: &[usize]) -> Applicable {
        let mask = self.mask.as_ref().map(|m| {
            let cols = m.len() / self.rows.max(1);
            (0..cols)
                .flat_map(|k| keep.iter().map(move |&i| m[k * self.rows + i]))
                .collect()
        });
        Applicable {
            rows: keep.len(),
            mask,
        }
    }

    /// The number of not-applicable indicator cells.
    pub fn not_applicable_cells(&self, n_indicators: usize) -> usize {
        self.mask.as_ref().map_or(0, |m| {
            m[..n_indicators * self.rows]
                .iter()
                .filter(|a| !**a)
                .count()
        })
    }
}

fn selects(r: &AppliesTo, unit: &Unit, present: impl Fn(usize) -> bool, leaves: &[usize]) -> bool {
    if r.with_data {
        return leaves.iter().any(|&j| present(j));
    }
    if !r.units.is_empty() {
        return r.units.contains(&unit.id);
    }
    r.group
        .as_ref()
        .and_then(|g| unit.groups.get(g))
        .is_some_and(|v| r.values.contains(v))
}

fn check_units(fw: &Framework, k: usize, r: &AppliesTo, units: &[Unit]) -> Result<(), BuildError> {
    for id in &r.units {
        if !units.iter().any(|u| &u.id == id) {
            let loc = if k < fw.n_indicators {
                Location::Indicator(fw.nodes[k].id.clone())
            } else {
                Location::Node(fw.nodes[k].id.clone())
            };
            return Err(BuildError::new(
                loc,
                format!("`applies_to` lists unit `{id}`, which is not among the units assessed"),
                "use ids from the units file",
            ));
        }
    }
    Ok(())
}
