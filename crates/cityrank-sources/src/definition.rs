//! The spec sections for record sources and the indicators computed from them.
//!
//! They are plain data and belong to the methodology file, so they live in the core's spec
//! (`cityrank_core::spec::records`); this crate only runs them.

pub use cityrank_core::spec::records::*;
