//! `cityrank export`: results to standard output, for pipes and spreadsheets.

use crate::args::ExportFormat;
use cityrank_io::Error;
use std::io::Write;
use std::path::Path;

pub fn export(
    spec_path: &Path,
    format: ExportFormat,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let b = super::build(spec_path, engine)?;
    let files = cityrank_io::write::result_files(&b.spec, &b.results);
    let want = match format {
        ExportFormat::Long => "scores.csv",
        ExportFormat::Wide => "scores_wide.csv",
        ExportFormat::Json => "scores.json",
    };
    let bytes = &files
        .iter()
        .find(|(n, _)| n == want)
        .expect("always written")
        .1;
    std::io::stdout()
        .write_all(bytes)
        .map_err(|e| Error::new(format!("cannot write to standard output: {e}"), ""))
}
