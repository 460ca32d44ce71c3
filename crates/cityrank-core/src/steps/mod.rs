//! The construction steps, in the order of the OECD/JRC Handbook.
//!
//! Each step is a function of its input and its settings, and returns a log of what it changed,
//! so a result can be explained and audited without re-running anything.

pub mod aggregate;
pub mod applicable;
pub mod impute;
pub mod mcda;
pub mod node_rules;
pub mod normalise;
pub mod rank;
pub mod screen;
pub mod screen_impute;
pub mod treat;
pub mod weight;
pub mod weighting;
