//! What-if re-weighting of a built index: new dimension weights or another mean, and the
//! ranking that results.
//!
//! The normalised indicator scores do not depend on the weights, so a build is reduced once to a
//! [`State`] (the tree, the indicator scores, the nominal weights and the publication rules) and
//! only the engine's own aggregate and rank steps run per request. The same code serves the
//! dashboard natively and the static pages as WebAssembly ([`wasm`]), so the numbers a reader
//! sees in a browser are the engine's.

mod engine;
mod state;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use engine::{mean_names, Computed, Engine, Outcome, Ranked, RankedRow, Request, MAX_WEIGHT};
pub use state::{NodeState, PublishedState, State};
