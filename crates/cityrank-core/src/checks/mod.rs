//! The second validation pass: what each value means.
//!
//! Parsing checks that a spec has the right shape and [`crate::framework::Framework::from_spec`]
//! that it makes a sound tree; this pass checks that every setting, once resolved onto the node
//! that uses it, means something: parameters in range, required parameters given, no setting
//! that contradicts another, sums that stay finite, and names that exist. A setting with no
//! meaning is an error with a fix, never a silent default, because a user who wrote it believes
//! it ran.

mod methods;
mod rules;
mod settings;

use crate::error::SpecError;
use crate::framework::{Framework, NodeKind};
use crate::spec::Spec;

/// Runs every meaning check on a spec and its resolved tree; the first problem is returned.
pub fn check(spec: &Spec, fw: &Framework) -> Result<(), SpecError> {
    for node in &fw.nodes {
        match &node.kind {
            NodeKind::Indicator(m) => methods::indicator(&node.id, m, spec)?,
            NodeKind::Aggregate(m) => {
                let kids: Vec<&str> = node
                    .children
                    .iter()
                    .map(|&c| fw.nodes[c].id.as_str())
                    .collect();
                methods::aggregate(&node.id, m, &kids)?
            }
        }
    }
    settings::weights(fw)?;
    settings::screen(&spec.screen)?;
    settings::publication(&spec.publish)?;
    settings::levels(spec)?;
    rules::nodes(spec, fw)?;
    rules::screen(spec, fw)?;
    if let Some(u) = &spec.uncertainty {
        settings::uncertainty(u, fw)?;
    }
    Ok(())
}

/// Whether `x` is a finite number in `[lo, hi]`.
fn within(x: f64, lo: f64, hi: f64) -> bool {
    x.is_finite() && x >= lo && x <= hi
}
