//! `cityrank bench`: how long a build takes, on the bundled example and on synthetic data of
//! given shapes. A command rather than a timed test, because times on shared machines are for
//! reading, not for asserting.

use cityrank_core::spec::{Defaults, Impute, IndicatorDecl, Meta, NodeDecl, Outliers, Spec};
use cityrank_core::{Dataset, Framework, Unit};
use cityrank_io::Error;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::time::Instant;

pub fn bench(
    spec_path: &Path,
    shapes: &[(usize, usize)],
    reps: usize,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let (spec, data) = crate::cmd::load(spec_path, engine)?;
    let t = time(reps, || {
        cityrank_io::build(&spec, &data).expect("builds");
    });
    report(
        &format!(
            "{} ({} units x {} indicators)",
            spec.spec.meta.id,
            data.dataset.n_units(),
            spec.framework.n_indicators
        ),
        t,
        reps,
    );
    let t = time(reps.min(20), || {
        let (s, d) = crate::cmd::load(spec_path, engine).expect("loads");
        cityrank_io::build(&s, &d).expect("builds");
    });
    report(
        "  the same, with loading and checking the files",
        t,
        reps.min(20),
    );
    for &(units, indicators) in shapes {
        let (s, fw, d) = synthetic(units, indicators);
        let n = (reps * 5000 / (units * indicators).max(1)).clamp(3, reps);
        let t = time(n, || {
            cityrank_core::build(&s, &fw, &d).expect("builds");
        });
        report(
            &format!("synthetic {units} units x {indicators} indicators x 4 levels"),
            t,
            n,
        );
    }
    Ok(())
}

fn time(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    let start = Instant::now();
    for _ in 0..reps {
        f();
    }
    start.elapsed().as_secs_f64() / reps as f64
}

fn report(what: &str, secs: f64, reps: usize) {
    println!(
        "{what:<60} {:>10.3} ms per build ({reps} builds)",
        secs * 1e3
    );
}

/// A 4-level tree (indicators, sub-dimensions of up to 10, dimensions of up to 4, index) over
/// log-normal data with 5% missing: mean-imputed, outliers treated by the skew/kurtosis rule,
/// min-max normalised and arithmetically aggregated.
pub fn synthetic(units: usize, indicators: usize) -> (Spec, Framework, Dataset) {
    let subs = indicators.div_ceil(10);
    let dims = subs.div_ceil(4);
    let node = |id: String, parent: &str| NodeDecl {
        id: id.clone(),
        name: id,
        parent: Some(parent.into()),
        ..NodeDecl::default()
    };
    let mut nodes: Vec<NodeDecl> = (0..dims).map(|d| node(format!("D{d}"), "I")).collect();
    nodes.extend((0..subs).map(|s| node(format!("S{s}"), &format!("D{}", s / 4))));
    let inds = (0..indicators)
        .map(|j| IndicatorDecl {
            id: format!("x{j}"),
            name: format!("x{j}"),
            parent: format!("S{}", j / 10),
            ..IndicatorDecl::default()
        })
        .collect();
    let spec = Spec {
        meta: Meta {
            id: "synthetic".into(),
            name: "synthetic".into(),
            ..Meta::default()
        },
        // Like COINr's example build: impute, treat outliers, normalise, aggregate.
        defaults: Defaults {
            impute: Some(Impute::Mean),
            outliers: Some(Outliers::SkewKurt {
                max_skew: 2.0,
                max_kurt: 3.5,
                max_points: 5,
                log_fallback: true,
            }),
            ..Defaults::default()
        },
        index: NodeDecl {
            id: "I".into(),
            name: "Index".into(),
            ..NodeDecl::default()
        },
        nodes,
        indicators: inds,
        ..Spec::default()
    };
    let fw = Framework::from_spec(&spec).expect("synthetic spec is valid");
    let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
    let us = (0..units)
        .map(|i| Unit::new(&format!("u{i}"), &format!("Unit {i}")))
        .collect();
    let mut d = Dataset::new(us, fw.indicator_ids().map(str::to_string).collect());
    for v in d.values.values.iter_mut() {
        let z: f64 = rng.gen::<f64>() * 4.0;
        *v = if rng.gen::<f64>() < 0.05 {
            f64::NAN
        } else {
            z.exp()
        };
    }
    (spec, fw, d)
}
