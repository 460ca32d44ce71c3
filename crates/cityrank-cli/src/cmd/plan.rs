//! `cityrank plan`: the plan of the build, step by step in the spec's words, with the
//! data-driven weights as `run` uses them (the plan printed is the plan run runs).

use crate::console::{heading, say};
use cityrank_core::plan::{NodeStep, PlanView};
use cityrank_io::Error;
use serde_json::Value;
use std::path::Path;

/// A spec setting as JSON (spec types always serialise).
macro_rules! to_value {
    ($v:expr) => {
        serde_json::to_value($v).expect("spec types serialise")
    };
}

pub fn plan(
    spec_path: &Path,
    json: bool,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let b = super::build(spec_path, engine)?;
    let view = b.plan.view();
    if json {
        let text = serde_json::to_string_pretty(&view).expect("a plan serialises");
        println!("{text}");
        return Ok(());
    }
    let title = format!(
        "Plan of {} ({})",
        b.spec.spec.meta.name,
        spec_path.display()
    );
    println!("{}", heading(&title));
    print_records(&view);
    print_screen(&view);
    print_indicators(&view);
    print_nodes(&view);
    let divided: Vec<String> = b
        .spec
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
    let r = &view.rank;
    let on = if r.rank_on_rounded {
        format!("scores rounded to {} decimals", r.decimals)
    } else {
        "unrounded scores".into()
    };
    let top = match r.top {
        0 => "all ranked units".to_string(),
        n => format!("top {n}"),
    };
    say!(
        "\n7. rank: ties = {}, on {on}; headline table: {top}",
        r.ties
    );
    Ok(())
}

fn print_records(v: &PlanView) {
    if v.sources.is_empty() {
        return;
    }
    say!("\n0. records (indicators computed from raw records before the build)");
    for s in &v.sources {
        let mut decl = to_value!(s);
        let id = decl
            .as_object_mut()
            .and_then(|m| m.remove("id"))
            .and_then(|id| id.as_str().map(String::from))
            .unwrap_or_default();
        say!("   source {id}: {}", inline(&decl));
    }
}

fn print_screen(v: &PlanView) {
    say!("\n1. screen: {}", inline(&to_value!(&v.screen)));
}

fn print_indicators(v: &PlanView) {
    say!("\n2-4. impute -> treat (transform, outliers) -> normalise, per indicator");
    for i in &v.indicators {
        let records = i
            .records
            .as_ref()
            .map(|r| format!(" [records {}]", inline(&to_value!(r))))
            .unwrap_or_default();
        say!(
            "   {} {}{records}: impute {} -> transform {} -> outliers {} -> normalise {}; {} is better; weight {:.4} (effective {:.4})",
            i.id,
            i.name,
            i.impute,
            i.transform,
            i.outliers,
            i.normalise,
            i.direction,
            i.weight,
            i.effective_weight
        );
        print_rules(&i.rules);
    }
}

fn print_nodes(v: &PlanView) {
    say!("\n5-6. weight -> aggregate, bottom-up");
    for n in &v.nodes {
        say!(
            "   {} [{}] {}: {} mean of {}; min share {}, rescale {}; weight {:.4} (effective {:.4})",
            n.id,
            n.level,
            n.name,
            n.aggregate,
            children(n),
            n.min_share,
            n.rescale,
            n.weight,
            n.effective_weight
        );
        say!("      weighting {}{}", n.weighting, weights_origin(n));
        print_rules(&n.rules);
    }
}

/// A node's applicability, imputation and rounding, when it has any.
fn print_rules(r: &cityrank_core::framework::NodeRules) {
    if !r.is_empty() {
        say!("      rules: {}", inline(&to_value!(r)));
    }
}

fn children(n: &NodeStep) -> String {
    n.children
        .iter()
        .map(|c| format!("{} {:.4}", c.id, c.weight))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a node's weights come from, in a reader's words.
fn weights_origin(n: &NodeStep) -> String {
    if !n.weighting.is_data_driven() {
        return String::new();
    }
    let units = n
        .complete_units
        .map_or(String::new(), |u| format!(" of {u} units"));
    let notes = match n.notes.is_empty() {
        true => String::new(),
        false => format!("; {}", n.notes.join("; ")),
    };
    format!(": computed from the data{units}{notes}")
}

/// A value written as the spec writes it: TOML's inline form (`key = value, ...`); settings
/// left unset are left out.
fn inline(v: &Value) -> String {
    match v {
        Value::Object(m) => m
            .iter()
            .filter(|(_, x)| !x.is_null())
            .map(|(k, x)| format!("{k} = {}", toml_value(x)))
            .collect::<Vec<_>>()
            .join(", "),
        other => toml_value(other),
    }
}

/// Lists longer than this are summarised by their length.
const LONG_LIST: usize = 12;

fn toml_value(v: &Value) -> String {
    match v {
        // Long SQL reads on one line; the spec holds it in full.
        Value::String(s) => {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
        }
        // A long list of city codes is counted, not printed.
        Value::Array(a) if a.len() > LONG_LIST => format!("[{} entries]", a.len()),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(toml_value).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(_) => format!("{{{}}}", inline(v)),
        other => other.to_string(),
    }
}
