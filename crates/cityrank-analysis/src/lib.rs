//! Robustness and audit of a composite index built by cityrank.
//!
//! The uncertainty analysis rebuilds the index from a perturbed recipe thousands of times, so
//! the expensive, unperturbed part (screen, impute, treat, normalise) is done once per variant
//! in [`model::Model`] and each replication only weights, aggregates and ranks, through the
//! same core functions a full build uses. [`replay`] rebuilds any replication alone through the
//! core's public entry points, which is how the fast path is checked.

pub mod assumptions;
pub mod audit;
pub mod batched;
pub mod coherence;
pub mod fit;
pub mod kernel;
pub mod model;
pub mod output;
pub mod replay;
pub mod rng;
pub mod sensitivity;
pub mod sobol;
pub mod uncertainty;

/// Moved into the core with the weighting methods that need them; kept here by name.
pub use cityrank_core::{correlation, linalg};

pub use assumptions::{Assumptions, Factor, Params};
pub use model::Model;
