//! The compiled core of the `cityrank` Python package (`cityrank._cityrank`). It stays thin:
//! the build is the library's, results leave as the bytes of the files `cityrank run`
//! writes, and the Python layer (python/cityrank) turns them into DataFrames.

mod engine;
mod errors;
mod frames;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Result files as (name, bytes) pairs.
type Files<'py> = Vec<(String, Bound<'py, PyBytes>)>;

fn py_files<'py>(py: Python<'py>, files: &[(String, Vec<u8>)]) -> Files<'py> {
    files
        .iter()
        .map(|(n, b)| (n.clone(), PyBytes::new(py, b)))
        .collect()
}

/// Builds the index of a spec; `data` and `units` are tables in memory (anything with
/// `__arrow_c_stream__`) that replace the spec's files; `key` is the unit id column of `data`.
#[pyfunction]
#[pyo3(signature = (spec, data=None, units=None, key=None))]
fn build(
    py: Python<'_>,
    spec: PathBuf,
    data: Option<&Bound<'_, PyAny>>,
    units: Option<&Bound<'_, PyAny>>,
    key: Option<String>,
) -> PyResult<Built> {
    let units = units.map(|u| frames::csv_of(u, "units")).transpose()?;
    let data = match data {
        Some(d) => Some((key, frames::csv_of(d, "data")?)),
        None if key.is_some() => {
            return Err(PyValueError::new_err(
                "`key` names the unit id column of `data`: give `data` too, or leave `key` out",
            ))
        }
        None => None,
    };
    let built = py.detach(|| {
        let loaded = cityrank_io::load_spec(&spec)?;
        let data = data.map(|(key, bytes)| (key.unwrap_or_else(|| default_key(&loaded)), bytes));
        engine::build(loaded, engine::Tables { units, data })
    });
    built
        .map(|inner| Built { inner })
        .map_err(|e| errors::to_py(py, &spec, e))
}

/// The unit id column of a table in memory: the key the spec's `[[data]]` tables share, else
/// the units file's id column.
fn default_key(spec: &cityrank_io::LoadedSpec) -> String {
    let keys: Vec<&str> = spec.spec.data.iter().map(|d| d.key.as_str()).collect();
    match keys.split_first() {
        Some((first, rest)) if rest.iter().all(|k| k == first) => first.to_string(),
        _ => spec.spec.units.id.clone(),
    }
}

/// A built index: its results as files, writing them, and the analyses around it.
#[pyclass(module = "cityrank._cityrank", frozen)]
struct Built {
    inner: cityrank_engine::Built,
}

#[pymethods]
impl Built {
    /// The result files `cityrank run` writes (without manifest.json), as (name, bytes).
    fn files<'py>(&self, py: Python<'py>) -> Files<'py> {
        let b = &self.inner;
        py_files(py, &cityrank_io::write::result_files(&b.spec, &b.results))
    }

    /// manifest.json of a new results folder, as text.
    fn manifest(&self) -> String {
        serde_json::to_string(&engine::manifest(&self.inner)).expect("serialisable")
    }

    /// Writes the folder `cityrank run --out DIR` writes.
    fn write(&self, py: Python<'_>, out: PathBuf) -> PyResult<()> {
        let spec = self.inner.spec.path.clone();
        py.detach(|| engine::write(&self.inner, &out))
            .map_err(|e| errors::to_py(py, &spec, e))
    }

    /// The id of the index (the root of the tree).
    #[getter]
    fn index(&self) -> String {
        let fw = &self.inner.spec.framework;
        fw.nodes[fw.root].id.clone()
    }

    /// The ids of the dimensions (the index's children), in spec order.
    #[getter]
    fn dimensions(&self) -> Vec<String> {
        let fw = &self.inner.spec.framework;
        fw.dimensions()
            .iter()
            .map(|&d| fw.nodes[d].id.clone())
            .collect()
    }

    /// The seed the spec sets (the default of `uncertainty`).
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.spec.spec.meta.seed
    }

    /// Monte Carlo uncertainty analysis: uncertainty.csv and uncertainty.json, as (name, bytes).
    #[pyo3(signature = (n, seed=None))]
    fn uncertainty<'py>(&self, py: Python<'py>, n: u64, seed: Option<u64>) -> PyResult<Files<'py>> {
        if !(1..=100_000_000).contains(&n) {
            return Err(PyValueError::new_err(format!(
                "n = {n} replications: give 1 to 100,000,000"
            )));
        }
        let b = &self.inner;
        let seed = seed.unwrap_or(b.spec.spec.meta.seed);
        let files = py.detach(|| {
            let model = cityrank_analysis::Model::new(&b.spec.spec, &b.plan, &b.data.dataset)
                .map_err(|e| b.data.locate(&b.spec, e))?;
            let summary = cityrank_analysis::uncertainty::run(&model, n, seed, &|_| {})
                .map_err(|e| b.data.locate(&b.spec, e))?;
            Ok::<_, cityrank_io::Error>(cityrank_analysis::output::uncertainty_files(
                &model, &summary,
            ))
        });
        let spec = b.spec.path.clone();
        files
            .map(|f| py_files(py, &f))
            .map_err(|e| errors::to_py(py, &spec, e))
    }

    /// Re-ranks with other dimension weights (and optionally another aggregation of the
    /// dimensions): rows of (unit, name, rank, score, published score, rank before).
    #[pyo3(signature = (weights, aggregate=None))]
    fn whatif(
        &self,
        weights: BTreeMap<String, f64>,
        aggregate: Option<String>,
    ) -> PyResult<Vec<(String, String, u32, f64, f64, u32)>> {
        let b = &self.inner;
        let state = cityrank_whatif::State::of(&b.spec.framework, &b.data.dataset, &b.results);
        let engine = cityrank_whatif::Engine::new(state).map_err(PyValueError::new_err)?;
        let req = cityrank_whatif::Request { weights, aggregate };
        let out = engine.run(&req).map_err(PyValueError::new_err)?;
        let names: BTreeMap<&str, &str> = b
            .results
            .units
            .iter()
            .map(|u| (u.id.as_str(), u.name.as_str()))
            .collect();
        Ok(out
            .rows
            .into_iter()
            .map(|r| {
                let name = names
                    .get(r.unit.as_str())
                    .copied()
                    .unwrap_or("")
                    .to_string();
                (r.unit, name, r.rank, r.score, r.score_rounded, r.base_rank)
            })
            .collect())
    }
}

#[pymodule]
fn _cityrank(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(build, m)?)?;
    m.add_class::<Built>()?;
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
