//! The whole construction in one call, for callers that hold a spec and its framework.

use crate::data::Dataset;
use crate::error::BuildError;
use crate::framework::Framework;
use crate::results::Results;
use crate::spec::Spec;

/// Builds the index from checked inputs by the spec's [`crate::Plan`], reading the tree in
/// place. Pure: the same inputs give the same results.
pub fn build(spec: &Spec, fw: &Framework, data: &Dataset) -> Result<Results, BuildError> {
    crate::plan::build_spec(spec, fw, data)
}
