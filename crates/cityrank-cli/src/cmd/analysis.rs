//! Robustness commands: `uncertainty` (with optional sensitivity) and the replay of one
//! replication.

use super::{banner, spec_path};
use crate::args::AnalysisCommand;
use crate::console::{heading, table};
use cityrank_analysis::{output, replay, sensitivity, uncertainty, Model};
use cityrank_io::{Error, LoadedData, LoadedSpec};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

pub fn dispatch(c: AnalysisCommand, engine: &cityrank_sources::Settings) -> Result<(), Error> {
    match c {
        AnalysisCommand::Uncertainty {
            spec,
            n,
            seed,
            out,
            sensitivity,
            bootstrap,
            samples,
            replay,
            rows,
        } => {
            let (spec, data, model) = load(&spec_path(&spec)?, engine)?;
            let seed = seed.unwrap_or(spec.spec.meta.seed);
            match replay {
                Some(k) => replay_one(&data, &model, seed, k),
                None => {
                    let opts = Options {
                        n,
                        seed,
                        sensitivity,
                        bootstrap: bootstrap as usize,
                        samples,
                        rows,
                    };
                    run_uncertainty(&spec, &data, &model, &out.out, &opts, engine)
                }
            }
        }
        AnalysisCommand::Coherence { spec, out } => {
            super::coherence::coherence(&spec_path(&spec)?, &out.out, engine)
        }
        AnalysisCommand::Audit {
            spec,
            published,
            out,
        } => super::audit::audit(&spec_path(&spec)?, published.as_deref(), &out.out, engine),
    }
}

struct Options {
    n: u64,
    seed: u64,
    sensitivity: bool,
    bootstrap: usize,
    samples: bool,
    rows: usize,
}

pub fn load(
    path: &Path,
    engine: &cityrank_sources::Settings,
) -> Result<(LoadedSpec, LoadedData, Model), Error> {
    let b = crate::cmd::build(path, engine)?;
    let (spec, data) = (b.spec, b.data);
    let model =
        Model::new(&spec.spec, &b.plan, &data.dataset).map_err(|e| data.locate(&spec, e))?;
    Ok((spec, data, model))
}

fn run_uncertainty(
    spec: &LoadedSpec,
    data: &LoadedData,
    model: &Model,
    out: &Path,
    o: &Options,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let locate = |e| data.locate(spec, e);
    let bar = Progress::new("uncertainty", o.n);
    let summary = uncertainty::run(model, o.n, o.seed, &|k| bar.add(k)).map_err(locate)?;
    bar.done();
    let mut files = output::uncertainty_files(model, &summary);
    let report = if o.sensitivity {
        let r = sensitivity::run(model, o.n as usize, o.seed, o.bootstrap).map_err(locate)?;
        files.extend(output::sensitivity_files(&r));
        Some(r)
    } else {
        None
    };
    if o.samples {
        files.push(output::samples_file(model, o.n, o.seed));
    }
    let own = serde_json::json!({
        "replications": o.n,
        "sensitivity": o.sensitivity,
        "bootstrap": o.bootstrap,
        "samples": o.samples,
    });
    let entry = super::entry("uncertainty", spec, data, Some(o.seed), own, engine);
    output::write(out, &files, entry)?;
    print_summary(spec, model, &summary, o.rows);
    if let Some(r) = &report {
        print_sensitivity(r);
    }
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    println!("\nWritten to {}/: {}", out.display(), names.join(", "));
    if let Some(b) = banner(spec) {
        println!("{b}");
    }
    Ok(())
}

fn print_summary(spec: &LoadedSpec, model: &Model, s: &uncertainty::Summary, rows: usize) {
    println!(
        "{}",
        heading(&format!(
            "Uncertainty of the {} ranking",
            spec.spec.meta.name
        ))
    );
    if let Some(b) = banner(spec) {
        println!("{b}");
    }
    println!(
        "{} replications, seed {}. Uncertain assumptions:",
        s.replications, s.seed
    );
    for d in output::describe(model) {
        println!(
            "  - {}: {}",
            d.name,
            serde_json::to_string(d.factor).unwrap_or_default()
        );
    }
    for n in &model.notes {
        println!("  note: {n}");
    }
    let mut units: Vec<_> = s.units.iter().collect();
    units.sort_by_key(|u| (u.nominal_rank, u.unit.clone()));
    let take = if rows == 0 { units.len() } else { rows };
    let top = format!("P(top {})", s.top_n);
    let header = [
        "Rank",
        "Unit",
        "Median",
        "5-95%",
        "Mean |shift|",
        "P(top 10)",
        top.as_str(),
    ];
    let body = units
        .iter()
        .take(take)
        .map(|u| {
            vec![
                u.nominal_rank.to_string(),
                u.name.clone(),
                u.median_rank.to_string(),
                format!("{}-{}", u.p05_rank, u.p95_rank),
                format!("{:.2}", u.mean_abs_shift),
                format!("{:.3}", u.prob_top10),
                format!("{:.3}", u.prob_top_n),
            ]
        })
        .collect();
    println!("{}", table(&header, body, &[0, 2, 3, 4, 5, 6]));
}

fn print_sensitivity(r: &sensitivity::Report) {
    println!(
        "{}",
        heading(&format!(
            "Sensitivity of the {} ({} base rows, {} runs)",
            r.output, r.base_rows, r.model_runs
        ))
    );
    let header = [
        "Assumption",
        "First order",
        "95% CI",
        "Total order",
        "95% CI",
    ];
    let body = r
        .rows
        .iter()
        .map(|row| {
            let i = &row.indices;
            vec![
                row.assumption.clone(),
                format!("{:.3}", i.first_order),
                format!("{:.3} to {:.3}", i.first_lo, i.first_hi),
                format!("{:.3}", i.total_order),
                format!("{:.3} to {:.3}", i.total_lo, i.total_hi),
            ]
        })
        .collect();
    println!("{}", table(&header, body, &[1, 2, 3, 4]));
}

fn replay_one(data: &LoadedData, model: &Model, seed: u64, k: u64) -> Result<(), Error> {
    let u = uncertainty::draws(model, seed, k);
    let p = model.assumptions.params(&u, &model.nominal, &model.fw);
    let (_, ranks) =
        replay::rebuild(model, &data.dataset, &p).map_err(|e| Error::new(e.message, e.hint))?;
    let ranks = replay::overall_ranks(model, &ranks);
    println!(
        "{}",
        heading(&format!("Replication {k} (seed {seed}), rebuilt alone"))
    );
    let fw = &model.fw;
    for (f, &o) in model
        .assumptions
        .factors
        .iter()
        .zip(&model.assumptions.offsets)
    {
        let what = match f {
            cityrank_analysis::Factor::Weights { nodes, .. } => nodes
                .iter()
                .map(|&n| format!("{}={:.4}", fw.nodes[n].id, p.weights[n]))
                .collect::<Vec<_>>()
                .join(" "),
            _ => f.describe(&u[o..], fw).join(" "),
        };
        println!("  {}: {what}", f.name(fw));
    }
    let mut order: Vec<usize> = (0..model.n_units()).collect();
    order.sort_by_key(|&i| (ranks[i], i));
    let body = order
        .iter()
        .map(|&i| {
            let (r, r0) = (ranks[i], model.nominal_rank[i]);
            vec![
                r.to_string(),
                model.units[i].name.clone(),
                r0.to_string(),
                format!("{:+}", r0 as i64 - r as i64),
            ]
        })
        .collect();
    println!(
        "{}",
        table(&["Rank", "Unit", "Nominal", "Shift"], body, &[0, 2, 3])
    );
    Ok(())
}

/// A progress line on standard error, only when it is a terminal (logs stay clean).
struct Progress {
    what: &'static str,
    total: u64,
    done: AtomicU64,
    show: bool,
}

impl Progress {
    fn new(what: &'static str, total: u64) -> Progress {
        Progress {
            what,
            total,
            done: AtomicU64::new(0),
            show: std::io::stderr().is_terminal(),
        }
    }

    fn add(&self, k: u64) {
        let d = self.done.fetch_add(k, Ordering::Relaxed) + k;
        if self.show {
            let pct = 100 * d / self.total.max(1);
            let bar = "#".repeat((pct / 4) as usize);
            eprint!("\r{} [{bar:<25}] {d}/{} ({pct}%)", self.what, self.total);
        }
    }

    fn done(&self) {
        if self.show {
            eprintln!();
        }
    }
}
