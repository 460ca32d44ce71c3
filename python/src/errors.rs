//! The package's exceptions: `cityrank.Error`, and below it `SpecError` (the methodology file
//! is wrong) and `DataError` (a units or data table is). Each carries `file`, `line`, `field`
//! and `fix`, as the command prints them.

use pyo3::prelude::*;
use std::path::Path;

pyo3::create_exception!(
    _cityrank,
    Error,
    pyo3::exceptions::PyValueError,
    "A spec or its data cannot be built; `file`, `line`, `field` and `fix` say where and how to fix it."
);
pyo3::create_exception!(
    _cityrank,
    SpecError,
    Error,
    "The methodology file (spec.toml) is wrong: a setting, the tree or a method."
);
pyo3::create_exception!(
    _cityrank,
    DataError,
    Error,
    "A units or data table is wrong: a missing column, a text where a number belongs, a duplicate."
);

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("SpecError", py.get_type::<SpecError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    Ok(())
}

/// A located error as a SpecError when it points into the spec (or at nothing), else a
/// DataError; the text is the command's.
pub fn to_py(py: Python<'_>, spec: &Path, e: cityrank_io::Error) -> PyErr {
    let in_spec = match &e.file {
        None => true,
        Some(f) => f == spec,
    };
    let err = if in_spec {
        SpecError::new_err(e.to_string())
    } else {
        DataError::new_err(e.to_string())
    };
    let v = err.value(py);
    let file = e.file.as_ref().map(|f| f.to_string_lossy().into_owned());
    let set = || -> PyResult<()> {
        v.setattr("file", file)?;
        v.setattr("line", e.line)?;
        v.setattr("field", e.field.clone())?;
        v.setattr("message", e.message.clone())?;
        v.setattr("fix", e.hint.clone())?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}
