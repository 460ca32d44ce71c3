//! The static site (stub).
use crate::edition::Edition;
use cityrank_io::Error;
use std::path::Path;
pub fn write(_ed: &Edition, _p: Option<&Edition>, _dir: &Path) -> Result<(), Error> {
    Ok(())
}
