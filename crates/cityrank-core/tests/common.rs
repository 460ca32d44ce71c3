//! Small specs and datasets built in code.

use cityrank_core::{Dataset, Framework, Spec, Unit};

/// A two-dimension spec: D1 = {a, b}, D2 = {c}; `extra` is appended to the TOML.
pub fn spec(extra: &str) -> Spec {
    toml::from_str(&spec_text(extra)).unwrap_or_else(|e| panic!("{e}"))
}

/// The TOML text of [`spec`].
pub fn spec_text(extra: &str) -> String {
    format!(
        r#"
[meta]
id = "t"
name = "test"
[units]
file = "u.csv"
[index]
id = "I"
name = "Index"
[[node]]
id = "D1"
parent = "I"
name = "One"
[[node]]
id = "D2"
parent = "I"
name = "Two"
[[indicator]]
id = "a"
parent = "D1"
name = "A"
[[indicator]]
id = "b"
parent = "D1"
name = "B"
[[indicator]]
id = "c"
parent = "D2"
name = "C"
{extra}
"#
    )
}

/// A dataset with rows of (a, b, c).
pub fn data(rows: &[[f64; 3]]) -> Dataset {
    let units = (0..rows.len())
        .map(|i| Unit::new(&format!("u{i}"), &format!("Unit {i}")))
        .collect();
    let mut d = Dataset::new(units, vec!["a".into(), "b".into(), "c".into()]);
    for (i, r) in rows.iter().enumerate() {
        for (j, v) in r.iter().enumerate() {
            d.values.set(i, j, *v);
        }
    }
    d
}

pub fn build(spec: &Spec, data: &Dataset) -> cityrank_core::Results {
    let fw = Framework::from_spec(spec).expect("valid spec");
    cityrank_core::build(spec, &fw, data).expect("build")
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}
