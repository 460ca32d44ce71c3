//! `cityrank plan`: the resolved method, inspectable before anything runs.

use crate::console::{heading, say};
use cityrank_core::framework::NodeKind;
use cityrank_core::plan::normalise_name;
use cityrank_core::steps::{treat, weight};
use cityrank_io::Error;
use std::path::Path;

pub fn plan(spec_path: &Path) -> Result<(), Error> {
    let spec = cityrank_io::load_spec(spec_path)?;
    let fw = &spec.framework;
    let w = weight::nominal(fw);
    let eff = weight::effective(fw, &w);
    println!(
        "{}",
        heading(&format!(
            "Plan of {} ({})",
            spec.spec.meta.name,
            spec_path.display()
        ))
    );
    let s = &spec.spec.screen;
    say!(
        "screen: coverage >= {:.1}% of indicators, >= {} indicators and >= {:.0}% per dimension; force in [{}], force out [{}]",
        100.0 * s.min_coverage,
        s.min_dimension_indicators,
        100.0 * s.min_dimension_coverage,
        s.force_in
            .iter()
            .map(|f| f.unit())
            .collect::<Vec<_>>()
            .join(", "),
        s.force_out
            .iter()
            .map(|f| f.unit.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let p = &spec.spec.publish;
    say!(
        "rank: {} ties on scores {}; {} decimals; top {}",
        p.ties,
        if p.rank_on_rounded {
            "rounded"
        } else {
            "unrounded"
        },
        p.decimals,
        p.top
    );
    println!();
    print_node(fw, fw.root, 0, &w, &eff);
    let divided: Vec<String> = spec
        .spec
        .indicators
        .iter()
        .filter_map(|i| i.denominator.as_ref().map(|d| format!("{} / {d}", i.id)))
        .collect();
    if !divided.is_empty() {
        println!(
            "\nDivided by a denominator as read, before every step: {}",
            divided.join(", ")
        );
    }
    Ok(())
}

fn print_node(fw: &cityrank_core::Framework, k: usize, depth: usize, w: &[f64], eff: &[f64]) {
    let n = &fw.nodes[k];
    let pad = "  ".repeat(depth);
    let name = n
        .name_zh
        .as_ref()
        .map_or(n.name.clone(), |zh| format!("{} {zh}", n.name));
    let rules = rules_words(&n.rules);
    match &n.kind {
        NodeKind::Aggregate(m) => {
            say!(
                "{pad}{} [{}] {name}: weight {:.4} (effective {:.4}); {} mean, min share {}, rescale {}",
                n.id,
                fw.level_name(n.level),
                w[k],
                eff[k],
                m.aggregate,
                m.min_share,
                m.rescale
            );
            if !rules.is_empty() {
                say!("{pad}  rules: {rules}");
            }
            for &c in &n.children {
                print_node(fw, c, depth + 1, w, eff);
            }
        }
        NodeKind::Indicator(m) => {
            say!(
                "{pad}{} {name}: weight {:.4} (effective {:.4}); {} is better; impute {} -> transform {} -> outliers {} -> normalise {}",
                n.id,
                w[k],
                eff[k],
                m.direction,
                m.impute,
                treat::transform_name(m.transform),
                m.outliers,
                normalise_name(m.normalise)
            );
            if !rules.is_empty() {
                say!("{pad}  rules: {rules}");
            }
        }
    }
}

/// A node's applicability, imputation and rounding in the spec's words (empty when unset).
fn rules_words(r: &cityrank_core::framework::NodeRules) -> String {
    let words = |v: serde_json::Value| {
        v.as_object()
            .into_iter()
            .flatten()
            .map(|(k, x)| format!("{k} = {x}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    if let Some(a) = &r.applies_to {
        out.push(format!(
            "applies to ({})",
            words(serde_json::to_value(a).unwrap_or_default())
        ));
    }
    if let Some(i) = &r.impute {
        out.push(format!(
            "impute node ({})",
            words(serde_json::to_value(i).unwrap_or_default())
        ));
    }
    if let Some(d) = r.round {
        out.push(format!("scores rounded to {d} decimals"));
    }
    out.join("; ")
}
