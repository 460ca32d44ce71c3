//! `cityrank run`: build and publish the ranking tables.

use super::{banner, build, Built};
use crate::console::{heading, say, table};
use cityrank_io::Error;
use std::path::Path;

pub fn run(
    spec_path: &Path,
    out: &Path,
    quiet: bool,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let b = build(spec_path, engine)?;
    b.write(out)?;
    print_header(&b);
    if !quiet {
        println!("{}", overall_table(&b));
        println!("{}", dimension_tables(&b));
    }
    println!("{}", excluded_table(&b));
    let data_driven = b.data.extra.get("data_driven_weights");
    for n in data_driven.and_then(|v| v.as_array()).into_iter().flatten() {
        let notes: Vec<&str> = n["notes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str())
            .collect();
        println!(
            "Weights of {} computed by {} from {} units. {}",
            n["node"].as_str().unwrap_or(""),
            n["method"].as_str().unwrap_or(""),
            n["complete_units"],
            notes.join("; ")
        );
    }
    say!("\nResults written to {}/ (scores.csv, scores_wide.csv, scores.json, excluded.csv, weights.csv, profiles.json, steps/, manifest.json)", out.display());
    if let Some(bn) = banner(&b.spec) {
        println!("{bn}");
    }
    Ok(())
}

pub fn print_header(b: &Built) {
    let m = &b.spec.spec.meta;
    let title = match &m.name_zh {
        Some(zh) => format!("{} ({zh})", m.name),
        None => m.name.clone(),
    };
    println!("{}", heading(&title));
    let mut facts = Vec::new();
    if let Some(e) = &m.edition {
        facts.push(format!("edition {e}"));
    }
    if let Some(c) = &m.cutoff {
        facts.push(format!("data cut-off {c}"));
    }
    if !facts.is_empty() {
        println!("{}", facts.join(", "));
    }
    if let Some(bn) = banner(&b.spec) {
        println!("{bn}");
    }
    let label = &b.spec.spec.units.label;
    let r = &b.results;
    println!(
        "Assessed {} {label}; ranked {}; not ranked {}.",
        r.assessed,
        r.n_units(),
        r.excluded.len()
    );
    let skipped = b.data.skipped.len();
    if skipped > 0 {
        println!("Skipped {skipped} data rows for units not assessed (listed in manifest.json).");
    }
    let imputed = r.log.impute.imputed.len();
    if imputed > 0 {
        println!("Imputed {imputed} values (flagged in steps/imputed.csv and in profiles).");
    }
    let published = r.log.overrides.len();
    if published > 0 {
        println!("Published values replaced {published} computed scores (listed in steps/published.csv, flagged in profiles).");
    }
    let na = r
        .applicable
        .not_applicable_cells(b.spec.framework.n_indicators);
    if na > 0 {
        println!("{na} indicator values do not apply to the unit (`applies_to`): neither scored nor counted as missing.");
    }
    for line in super::forced_lines(&b.spec.spec.screen, &r.log.screen) {
        println!("{line}");
    }
}

/// The headline table: rank, unit, group, overall and dimension scores, tier.
fn overall_table(b: &Built) -> String {
    let (fw, r) = (&b.spec.framework, &b.results);
    let dims = fw.dimensions();
    let top = match r.publication.top {
        0 => r.n_units(),
        n => n.min(r.n_units()),
    };
    let group = b.spec.spec.units.groups.first().cloned();
    let mut header: Vec<String> = vec!["Rank".into(), singular(&b.spec.spec.units.label)];
    header.extend(group.clone());
    header.push(fw.nodes[fw.root].id.clone());
    header.extend(dims.iter().map(|&d| fw.nodes[d].name.clone()));
    let has_tiers = !r.publication.tiers.is_empty();
    if has_tiers {
        header.push("Tier".into());
    }
    let rows = r.ranking(fw.root).into_iter().take(top).map(|i| {
        let u = &r.units[i];
        let mut row = vec![
            r.rank(i, fw.root)
                .map(|k| k.to_string())
                .unwrap_or_default(),
            u.label(),
        ];
        row.extend(
            group
                .as_ref()
                .map(|g| u.groups.get(g).cloned().unwrap_or_default()),
        );
        row.push(r.display(r.score(i, fw.root)));
        row.extend(dims.iter().map(|&d| r.display(r.score(i, d))));
        if has_tiers {
            row.push(r.tier(fw, i).map(|t| t.name.clone()).unwrap_or_default());
        }
        row
    });
    let rows: Vec<Vec<String>> = rows.collect();
    let first_num = if group.is_some() { 3 } else { 2 };
    let right: Vec<usize> = std::iter::once(0)
        .chain(first_num..first_num + 1 + dims.len())
        .collect();
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    let title = if top < r.n_units() {
        format!("Overall ranking, Top {top}")
    } else {
        "Overall ranking".into()
    };
    format!("{}\n{}", heading(&title), table(&h, rows, &right))
}

/// Each dimension's ranking, side by side.
fn dimension_tables(b: &Built) -> String {
    let (fw, r) = (&b.spec.framework, &b.results);
    let dims = fw.dimensions();
    let top = match r.publication.top {
        0 => r.n_units(),
        n => n.min(r.n_units()),
    };
    let rankings: Vec<Vec<usize>> = dims.iter().map(|&d| r.ranking(d)).collect();
    let mut header = Vec::new();
    for &d in dims {
        header.push("#".to_string());
        header.push(
            fw.nodes[d]
                .name_zh
                .clone()
                .map_or(fw.nodes[d].name.clone(), |zh| {
                    format!("{} {zh}", fw.nodes[d].name)
                }),
        );
        header.push("score".to_string());
    }
    let rows = (0..top)
        .map(|pos| {
            let mut row = Vec::new();
            for (k, &d) in dims.iter().enumerate() {
                match rankings[k].get(pos) {
                    Some(&i) => {
                        row.push(r.rank(i, d).map(|x| x.to_string()).unwrap_or_default());
                        row.push(r.units[i].label());
                        row.push(r.display(r.score(i, d)));
                    }
                    None => row.extend([String::new(), String::new(), String::new()]),
                }
            }
            row
        })
        .collect();
    let right: Vec<usize> = (0..dims.len()).flat_map(|k| [3 * k, 3 * k + 2]).collect();
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    format!(
        "{}\n{}",
        heading(&format!("Dimension rankings, Top {top}")),
        table(&h, rows, &right)
    )
}

fn excluded_table(b: &Built) -> String {
    let r = &b.results;
    if r.excluded.is_empty() {
        return format!(
            "\nAll {} assessed {} are ranked.",
            r.assessed, b.spec.spec.units.label
        );
    }
    let rows = r
        .excluded
        .iter()
        .map(|e| vec![e.unit.clone(), e.name.clone(), e.reason.clone()])
        .collect();
    let title = format!("Assessed but not ranked ({})", r.excluded.len());
    format!(
        "{}\n{}",
        heading(&title),
        table(&["id", "name", "reason"], rows, &[])
    )
}

/// "cities" -> "City", for a column heading.
fn singular(plural: &str) -> String {
    let s = if let Some(stem) = plural.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        plural.strip_suffix('s').unwrap_or(plural).to_string()
    };
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
