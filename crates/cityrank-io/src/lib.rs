//! The adapters around the core that touch files: specs, data tables, results and the manifest.
//!
//! Every error here names the file, the line and the field, and says what would fix it, because
//! the person reading it is usually an analyst with a spreadsheet open, not a programmer.

pub mod coinr;
pub mod data;
pub mod error;
pub mod folder;
pub mod hash;
pub mod init;
pub mod input;
pub mod limits;
pub mod manifest;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod sheet;
pub mod spec;
pub mod table;
pub mod write;

pub use data::{load_data, load_data_with, ExternalValues, LoadedData};
pub use error::Error;
pub use spec::{load_spec, LoadedSpec};

/// Loads a spec and its data, ready to build.
pub fn load(spec_path: &std::path::Path) -> Result<(LoadedSpec, LoadedData), Error> {
    let spec = load_spec(spec_path)?;
    let data = load_data(&spec)?;
    Ok((spec, data))
}

/// Builds a loaded spec by its plan, turning core errors into located ones. Indicators
/// defined on raw records need the sources engine: `cityrank_engine::build` computes them.
pub fn build(spec: &LoadedSpec, data: &LoadedData) -> Result<cityrank_core::Results, Error> {
    spec.plan()
        .build(&data.dataset)
        .map_err(|e| data.locate(spec, e))
}
