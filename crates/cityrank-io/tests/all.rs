//! Tests of the file adapters. One binary, a module per subject.

mod folder;
mod generated;
mod rules;
