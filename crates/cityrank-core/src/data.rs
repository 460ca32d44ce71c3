//! The data matrix: units by indicators, column-major, `NaN` for missing.
//!
//! Column-major because every step works one indicator at a time (min, max, skew of a column),
//! and because flat `f64` slices are what hot loops want.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A unit (a city) as the data name it. Shared: a build's results and every subset of a
/// dataset hold the same units without copying their names and groups; a change through
/// `DerefMut` copies the one unit changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Unit(Arc<UnitInfo>);

/// What is known of a unit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitInfo {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    /// Group memberships, e.g. province or region.
    pub groups: BTreeMap<String, String>,
}

impl Unit {
    pub fn new(id: &str, name: &str) -> Unit {
        Unit::from(UnitInfo {
            id: id.into(),
            name: name.into(),
            ..UnitInfo::default()
        })
    }

    /// What is known of the unit, copied only if it is shared.
    pub fn into_info(self) -> UnitInfo {
        Arc::unwrap_or_clone(self.0)
    }

    /// "Beijing 北京" where a Chinese name is known.
    pub fn label(&self) -> String {
        match &self.name_zh {
            Some(zh) if !zh.is_empty() && zh != &self.name => format!("{} {}", self.name, zh),
            _ => self.name.clone(),
        }
    }
}

impl From<UnitInfo> for Unit {
    fn from(info: UnitInfo) -> Unit {
        Unit(Arc::new(info))
    }
}

impl std::ops::Deref for Unit {
    type Target = UnitInfo;
    fn deref(&self) -> &UnitInfo {
        &self.0
    }
}

impl std::ops::DerefMut for Unit {
    fn deref_mut(&mut self) -> &mut UnitInfo {
        Arc::make_mut(&mut self.0)
    }
}

impl Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Unit, D::Error> {
        UnitInfo::deserialize(d).map(Unit::from)
    }
}

/// A units x columns matrix of `f64`, stored column by column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub values: Vec<f64>,
}

impl Matrix {
    pub fn new(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            values: vec![f64::NAN; rows * cols],
        }
    }

    pub fn col(&self, j: usize) -> &[f64] {
        &self.values[j * self.rows..(j + 1) * self.rows]
    }

    pub fn col_mut(&mut self, j: usize) -> &mut [f64] {
        &mut self.values[j * self.rows..(j + 1) * self.rows]
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.rows + i]
    }

    pub fn set(&mut self, i: usize, j: usize, v: f64) {
        self.values[j * self.rows + i] = v;
    }

    /// The rows `keep`, in that order.
    pub fn select_rows(&self, keep: &[usize]) -> Matrix {
        let mut out = Matrix::new(keep.len(), self.cols);
        for j in 0..self.cols {
            let src = self.col(j);
            for (dst, &i) in out.col_mut(j).iter_mut().zip(keep) {
                *dst = src[i];
            }
        }
        out
    }
}

/// The units assessed and their raw indicator values, columns in the framework's indicator order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    pub units: Vec<Unit>,
    pub indicators: Vec<String>,
    pub values: Matrix,
    /// Published scores of aggregate nodes (a data column mapped to a node), which replace
    /// the computed ones where present.
    pub published: Vec<Published>,
}

/// One node's published scores, one per unit (NaN: none published).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Published {
    pub node: String,
    pub values: Vec<f64>,
}

impl Dataset {
    pub fn new(units: Vec<Unit>, indicators: Vec<String>) -> Dataset {
        let values = Matrix::new(units.len(), indicators.len());
        Dataset {
            units,
            indicators,
            values,
            published: Vec::new(),
        }
    }

    pub fn n_units(&self) -> usize {
        self.units.len()
    }

    pub fn unit_index(&self, id: &str) -> Option<usize> {
        self.units.iter().position(|u| u.id == id)
    }

    /// The units `keep`, in that order.
    pub fn select_units(&self, keep: &[usize]) -> Dataset {
        Dataset {
            units: keep.iter().map(|&i| self.units[i].clone()).collect(),
            indicators: self.indicators.clone(),
            values: self.values.select_rows(keep),
            published: self
                .published
                .iter()
                .map(|p| Published {
                    node: p.node.clone(),
                    values: keep.iter().map(|&i| p.values[i]).collect(),
                })
                .collect(),
        }
    }
}
