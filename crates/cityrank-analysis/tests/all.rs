//! The analysis crate's integration tests, one binary.

mod common;
mod audit;
mod coherence;
mod fast_path;
mod sobol;
mod uncertainty;
