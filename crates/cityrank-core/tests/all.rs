//! The core's tests: one binary, a module per subject.

mod common;
mod framework;
mod mcda;
mod methods;
mod properties;
mod rules;
mod semantics;
mod variants;
