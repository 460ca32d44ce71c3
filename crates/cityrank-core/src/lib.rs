//! The pure core of cityrank.
//!
//! Everything here is a function of its inputs: no files, no clock, no threads. That is what lets
//! a result be rebuilt byte for byte from its recipe, and what lets the analysis crate rebuild the
//! index millions of times with perturbed settings.
//!
//! The construction follows the OECD/JRC Handbook on composite indicators, one module per step:
//! [`steps::screen`], [`steps::impute`], [`steps::treat`], [`steps::normalise`],
//! [`steps::weighting`], [`steps::aggregate`], [`steps::rank`]. A [`Plan`] holds them in order with
//! every setting resolved and runs them; each step returns a log of what it did, so a result
//! explains itself.

// `!(a > b)` is deliberate throughout: it is also true when either side is NaN (missing data),
// which is the case those checks must catch.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod build;
pub mod checks;
pub mod correlation;
pub mod data;
pub mod error;
pub mod explain;
pub mod framework;
pub mod linalg;
pub mod plan;
pub mod powers;
pub mod results;
pub mod spec;
pub mod stats;
pub mod steps;
pub mod validate;

pub use build::build;
pub use data::{Dataset, Unit, UnitInfo};
pub use error::{BuildError, Location, SpecError};
pub use framework::{Framework, Node, NodeKind};
pub use plan::Plan;
pub use results::Results;
pub use spec::Spec;
