//! The analysis crate's integration tests, one binary.

mod audit;
mod coherence;
mod coinr;
mod coinr_variants;
mod common;
mod fast_path;
mod sobol;
mod uncertainty;
mod weighting;
