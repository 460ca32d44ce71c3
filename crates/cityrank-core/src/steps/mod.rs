//! The construction steps, in the order of the OECD/JRC Handbook.
//!
//! Each step is a function of its input and its settings, and returns a log of what it changed,
//! so a result can be explained and audited without re-running anything.

pub mod aggregate;
pub mod impute;
pub mod mcda;
pub mod normalise;
pub mod rank;
pub mod screen;
pub mod treat;
pub mod weight;
pub mod weighting;
