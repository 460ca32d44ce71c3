//! `cityrank coherence`: the statistical checks of a JRC audit, printed and written.

use super::banner;
use crate::console::{heading, table};
use cityrank_analysis::{coherence, output};
use cityrank_io::Error;
use std::path::Path;

pub fn coherence(
    spec_path: &Path,
    out: &Path,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let b = super::build(spec_path, engine)?;
    let model = cityrank_analysis::Model::new(&b.spec.spec, &b.plan, &b.data.dataset)
        .map_err(|e| b.data.locate(&b.spec, e))?;
    let (spec, data, res) = (b.spec, b.data, b.results);
    let c = coherence::analyse(&spec.framework, &res, &model).map_err(|e| data.locate(&spec, e))?;
    let files = output::coherence_files(&c);
    let entry = super::entry(
        "coherence",
        &spec,
        &data,
        None,
        serde_json::json!({}),
        engine,
    );
    output::write(out, &files, entry)?;
    println!(
        "{}",
        heading(&format!(
            "Statistical coherence of the {}",
            spec.spec.meta.name
        ))
    );
    if let Some(b) = banner(&spec) {
        println!("{b}");
    }
    print_parents(&c);
    print_flags(&c);
    print_pca(&c);
    print_importance(&c);
    print_removal(&c);
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    println!("\nWritten to {}/: {}", out.display(), names.join(", "));
    Ok(())
}

fn f3(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x:.3}")
    }
}

fn print_parents(c: &coherence::Coherence) {
    let rows = c
        .pairs
        .iter()
        .filter(|p| p.relation != "within-parent")
        .map(|p| {
            vec![
                p.a.clone(),
                p.b.clone(),
                f3(p.pearson),
                f3(p.spearman),
                p.flag.clone(),
            ]
        })
        .collect();
    println!("\nCorrelation with the parent and the index");
    println!(
        "{}",
        table(
            &["Component", "With", "Pearson", "Spearman", "Flag"],
            rows,
            &[2, 3]
        )
    );
}

fn print_flags(c: &coherence::Coherence) {
    let flagged: Vec<_> = c.pairs.iter().filter(|p| !p.flag.is_empty()).collect();
    println!(
        "\nFlags: {} (weak < {}, redundant > {})",
        flagged.len(),
        coherence::WEAK,
        coherence::REDUNDANT
    );
    for p in flagged {
        println!("  {} ~ {}: {} (r = {:.3})", p.a, p.b, p.flag, p.pearson);
    }
}

fn print_pca(c: &coherence::Coherence) {
    let rows = c
        .pca
        .iter()
        .map(|p| {
            vec![
                p.node.clone(),
                p.columns.len().to_string(),
                f3(p.cronbach_alpha),
                f3(p.eigenvalues.first().copied().unwrap_or(f64::NAN)),
                f3(p.variance_shares.first().copied().unwrap_or(f64::NAN)),
                p.eigenvalues
                    .iter()
                    .filter(|&&e| e > 1.0)
                    .count()
                    .to_string(),
            ]
        })
        .collect();
    println!("\nCronbach's alpha and principal components (on complete units)");
    println!(
        "{}",
        table(
            &[
                "Node",
                "Columns",
                "Alpha",
                "Eigenvalue 1",
                "Share PC1",
                "Eigenvalues > 1"
            ],
            rows,
            &[1, 2, 3, 4, 5]
        )
    );
}

fn print_importance(c: &coherence::Coherence) {
    let rows = c
        .importance
        .iter()
        .map(|i| {
            vec![
                i.indicator.clone(),
                f3(i.nominal_weight),
                f3(i.r2_index),
                f3(i.effective_share),
            ]
        })
        .collect();
    println!(
        "\nEffective importance (squared correlation with the index) beside the nominal weight"
    );
    println!(
        "{}",
        table(
            &[
                "Indicator",
                "Nominal weight",
                "r2 with index",
                "Share of r2"
            ],
            rows,
            &[1, 2, 3]
        )
    );
}

fn print_removal(c: &coherence::Coherence) {
    let rows = c
        .removal
        .iter()
        .map(|r| {
            vec![
                r.removed.clone(),
                format!("{:.2}", r.mean_abs_shift),
                r.max_abs_shift.to_string(),
                format!("{} ({} -> {})", r.most_moved, r.from, r.to),
            ]
        })
        .collect();
    println!("\nThe ranking without each component (siblings reweighted)");
    println!(
        "{}",
        table(
            &["Removed", "Mean |shift|", "Max |shift|", "Most moved"],
            rows,
            &[1, 2]
        )
    );
}
