//! `cityrank audit`: the built ranking against a published one.

use super::{banner, build};
use crate::console::{heading, table};
use cityrank_analysis::{audit, output};
use cityrank_io::Error;
use std::path::Path;

/// The published facts beside the bundled example.
pub const BUNDLED_PUBLISHED: &str = "published.csv";

pub fn audit(
    spec_path: &Path,
    published: Option<&Path>,
    out: &Path,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let b = build(spec_path, engine)?;
    let path = published
        .map(Path::to_path_buf)
        .unwrap_or_else(|| b.spec.dir.join(BUNDLED_PUBLISHED));
    let facts = audit::read_published(&path)?;
    let top = match b.results.publication.top {
        0 => b.results.n_units(),
        n => n,
    };
    let a = audit::audit(&b.spec.framework, &b.results, &facts, top);
    let files = output::audit_files(&a);
    let own = serde_json::json!({ "published": path.to_string_lossy() });
    let entry = super::entry("audit", &b.spec, &b.data, None, own, engine);
    output::write(out, &files, entry)?;
    println!("{}", heading(&format!("Audit against {}", path.display())));
    if let Some(bn) = banner(&b.spec) {
        println!("{bn}");
    }
    print_checks(&a);
    print_summary(&a);
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    println!("\nWritten to {}/: {}", out.display(), names.join(", "));
    Ok(())
}

fn print_checks(a: &audit::Audit) {
    let ok = |o: Option<bool>| match o {
        None => "",
        Some(true) => "pass",
        Some(false) => "FAIL",
    };
    let fact = |f: audit::Fact| match f {
        audit::Fact::Missing => String::new(),
        audit::Fact::Exact(v) => format!("{v}"),
        audit::Fact::Below(v) => format!("<{v}"),
        audit::Fact::AtMost(v) => format!("<={v}"),
        audit::Fact::Above(v) => format!(">{v}"),
        audit::Fact::AtLeast(v) => format!(">={v}"),
    };
    let rows = a
        .checks
        .iter()
        .map(|c| {
            vec![
                c.name.clone(),
                c.node.clone(),
                fact(c.published_score),
                if c.built_score.is_nan() {
                    String::new()
                } else {
                    format!("{:.*}", c.score_decimals as usize, c.built_score)
                },
                ok(c.score_ok).into(),
                fact(c.published_rank),
                c.built_rank.map(|r| r.to_string()).unwrap_or_default(),
                ok(c.rank_ok).into(),
            ]
        })
        .collect();
    let header = [
        "Unit",
        "Node",
        "Published",
        "Built",
        "Score",
        "Pub. rank",
        "Rank",
        "Rank check",
    ];
    println!("{}", table(&header, rows, &[2, 3, 5, 6]));
}

fn print_summary(a: &audit::Audit) {
    println!("\nChecks passed {}, failed {}.", a.passed, a.failed);
    println!(
        "Overall ranks compared for {} units: Spearman {:.3}, Kendall tau-b {:.3}.",
        a.compared_units, a.spearman, a.kendall_tau_b
    );
    println!(
        "Top {}: {} of the {} units published inside it are inside it in the build.",
        a.top_n, a.top_n_overlap, a.top_n_published
    );
    let w = |v: &[(String, f64)]| {
        v.iter()
            .map(|(k, x)| format!("{k} {x:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "Weights best reproducing the {} published overall scores from the built dimension scores: {} (RMSE {:.3}); nominal: {}.",
        a.fit_units,
        w(&a.fitted_weights),
        a.fit_rmse,
        w(&a.nominal_weights)
    );
}
