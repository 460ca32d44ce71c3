//! Robustness and audit of a composite index built by cityrank.
//!
//! The uncertainty analysis rebuilds the index from a perturbed recipe thousands of times, so
//! the expensive, unperturbed part (screen, impute, treat, normalise) is done once per variant
//! in [`model::Model`] and each replication only weights, aggregates and ranks, through the
//! same core functions a full build uses. [`replay`] rebuilds any replication alone through the
//! core's public entry points, which is how the fast path is checked.

pub mod assumptions;
pub mod audit;
pub mod coherence;
pub mod correlation;
pub mod fit;
pub mod kernel;
pub mod linalg;
pub mod model;
pub mod output;
pub mod replay;
pub mod rng;
pub mod sensitivity;
pub mod sobol;
pub mod uncertainty;
pub mod weighting;

pub use assumptions::{Assumptions, Factor, Params};
pub use model::Model;
