//! `cityrank validate`: check a spec and its data without building.

use super::banner;
use crate::console::{heading, table};
use cityrank_core::validate;
use cityrank_io::Error;
use std::path::Path;

pub fn validate(spec_path: &Path, engine: &cityrank_sources::Settings) -> Result<(), Error> {
    let (spec, data) = crate::cmd::load(spec_path, engine)?;
    let fw = &spec.framework;
    let ds = &data.dataset;
    println!(
        "{}",
        heading(&format!("Validation of {}", spec_path.display()))
    );
    if let Some(bn) = banner(&spec) {
        println!("{bn}");
    }
    println!(
        "Spec OK: {} nodes, {} indicators, {} levels. Data OK: {} {}, {} input files, {} missing values, {} rows skipped.",
        fw.nodes.len(),
        fw.n_indicators,
        fw.nodes[fw.root].level,
        ds.n_units(),
        spec.spec.units.label,
        data.inputs.len(),
        data.missing_cells,
        data.skipped.len()
    );
    let rep = validate::report(ds);
    let f = |x: f64| {
        if x.is_nan() {
            "-".into()
        } else {
            format!("{x:.3}")
        }
    };
    let rows = rep
        .indicators
        .iter()
        .map(|s| {
            let mut flags = Vec::new();
            if s.zero_variance {
                flags.push("zero variance");
            }
            if s.outlier_flag {
                flags.push("skew/kurtosis outliers");
            }
            if s.coverage < 0.65 {
                flags.push("low coverage");
            }
            vec![
                s.indicator.clone(),
                format!("{:.0}%", 100.0 * s.coverage),
                f(s.min),
                f(s.max),
                f(s.mean),
                f(s.skewness),
                f(s.kurtosis),
                flags.join(", "),
            ]
        })
        .collect();
    println!("{}", heading("Indicators"));
    println!(
        "{}",
        table(
            &[
                "indicator",
                "coverage",
                "min",
                "max",
                "mean",
                "skew",
                "kurtosis",
                "flags"
            ],
            rows,
            &[1, 2, 3, 4, 5, 6]
        )
    );
    // The screen as the build runs it: over the indicators that apply to each unit, on the
    // raw or the imputed data as `[screen] order` says.
    let screened = cityrank_core::Plan::new(&spec.spec, fw)
        .screen(ds)
        .map_err(|e| data.locate(&spec, e))?;
    println!("{}", heading("Coverage and screening"));
    let low: Vec<Vec<String>> = rep
        .unit_coverage
        .iter()
        .filter(|(_, c)| *c < 1.0)
        .map(|(u, c)| vec![u.clone(), format!("{:.0}%", 100.0 * c)])
        .collect();
    println!(
        "{} of {} {} have every indicator.",
        ds.n_units() - low.len(),
        ds.n_units(),
        spec.spec.units.label
    );
    println!(
        "The screening rules would rank {} and exclude {}:",
        screened.kept.len(),
        screened.excluded.len()
    );
    let ex = screened
        .excluded
        .iter()
        .map(|e| vec![e.unit.clone(), e.name.clone(), e.reason.clone()])
        .collect();
    println!("{}", table(&["id", "name", "reason"], ex, &[]));
    for line in super::forced_lines(&spec.spec.screen, &screened) {
        println!("{line}");
    }
    for (a, b) in &rep.duplicate_indicators {
        println!("warning: indicators `{a}` and `{b}` have identical data");
    }
    for (a, b) in &rep.duplicate_units {
        println!("warning: units `{a}` and `{b}` have identical data");
    }
    // Every check `run` makes (transform domains, constant columns, scores of ranked units...)
    // lives in the build, so a spec passes validation only if it builds.
    cityrank_io::build(&spec, &data)?;
    println!("Build OK: every check of `cityrank run` passes.");
    Ok(())
}
