//! Tests of the file adapters. One binary, a module per subject.

mod denominator;
mod folder;
mod generated;
mod init;
mod parquet;
mod rules;
mod spec_path;
mod xlsx;
