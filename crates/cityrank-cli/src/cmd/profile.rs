//! `cityrank profile` and `cityrank compare`: one city, or several side by side. Nodes are
//! listed in spec order (index, then its dimensions as written), the order readers know.

use super::{banner, build, find_unit, Built};
use crate::console::{heading, table};
use cityrank_core::explain;
use cityrank_io::{write::num, Error};
use cityrank_publish::lookup::{self, Found};
use std::path::Path;

fn rank_of(r: Option<u32>, of: usize) -> String {
    r.map(|k| format!("{k}/{of}")).unwrap_or_else(|| "-".into())
}

pub fn profile(
    spec_path: &Path,
    query: &str,
    json: bool,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let b = build(spec_path, engine)?;
    let (fw, r) = (&b.spec.framework, &b.results);
    if let Some(Found::Excluded(k)) = lookup::find(r, &b.data.dataset, query) {
        return excluded(&b, k, json);
    }
    let i = find_unit(&b, query)?;
    let mut p = explain::profile(r, fw, i, 3);
    p.nodes
        .sort_by_key(|n| (std::cmp::Reverse(n.level), fw.find(&n.node)));
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&p).expect("serialisable")
        );
        return Ok(());
    }
    let u = &r.units[i];
    println!("{}", heading(&format!("{} ({})", u.label(), u.id)));
    if let Some(bn) = banner(&b.spec) {
        println!("{bn}");
    }
    for (g, v) in &u.groups {
        println!("{g}: {v}");
    }
    if let Some(t) = r.tier(fw, i) {
        println!("tier: {}", t.name);
    }
    let nodes = p
        .nodes
        .iter()
        .map(|n| {
            let flag = match (n.imputed, n.published, n.not_applicable) {
                (true, _, _) => " (imputed)",
                (_, true, _) => " (published value)",
                (_, _, true) => " (not applicable)",
                _ => "",
            };
            vec![
                n.node.clone(),
                format!("{}{flag}", n.name),
                r.display(n.score),
                rank_of(n.rank, n.of),
            ]
        })
        .collect();
    println!(
        "{}",
        table(&["node", "name", "score", "rank"], nodes, &[2, 3])
    );
    let of = r.n_units();
    let inds = p
        .indicators
        .iter()
        .map(|l| {
            let flag = if l.imputed {
                "imputed"
            } else if l.not_applicable {
                "not applicable"
            } else if l.missing {
                "missing"
            } else {
                ""
            };
            vec![
                l.indicator.clone(),
                l.name.clone(),
                l.parent.clone(),
                num(l.raw),
                r.display(l.score),
                rank_of(l.rank, of),
                flag.into(),
            ]
        })
        .collect();
    println!(
        "{}",
        table(
            &["indicator", "name", "in", "raw", "score", "rank", "flag"],
            inds,
            &[3, 4, 5]
        )
    );
    println!("strengths: {}", p.strengths.join(", "));
    println!("weaknesses: {}", p.weaknesses.join(", "));
    Ok(())
}

/// An excluded city: what the screen saw and why it left the city out.
fn excluded(b: &Built, k: usize, json: bool) -> Result<(), Error> {
    let fw = &b.spec.framework;
    let e = cityrank_publish::excluded::describe(fw, &b.data.dataset, &b.results, k);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&e).expect("serialisable")
        );
        return Ok(());
    }
    let label = match &e.name_zh {
        Some(z) if z != &e.name => format!("{} {z}", e.name),
        _ => e.name.clone(),
    };
    println!("{}", heading(&format!("{label} ({})", e.unit)));
    if let Some(bn) = banner(&b.spec) {
        println!("{bn}");
    }
    for (g, v) in &e.groups {
        println!("{g}: {v}");
    }
    println!("not ranked: {}", e.reason);
    println!("{} of {} indicators have a value", e.present, e.of);
    let rows = e
        .indicators
        .iter()
        .map(|v| {
            vec![
                v.id.clone(),
                v.name.clone(),
                v.dim.clone(),
                v.raw.map(num).unwrap_or_else(|| "missing".into()),
                v.unit.clone().unwrap_or_default(),
            ]
        })
        .collect();
    println!(
        "{}",
        table(&["indicator", "name", "in", "raw", "unit"], rows, &[3])
    );
    Ok(())
}

/// Two or more cities side by side; with exactly two, their difference too.
pub fn compare(
    spec_path: &Path,
    cities: &[String],
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let b = build(spec_path, engine)?;
    let picked = cities
        .iter()
        .map(|c| find_unit(&b, c))
        .collect::<Result<Vec<_>, _>>()?;
    let (fw, r) = (&b.spec.framework, &b.results);
    let labels: Vec<String> = picked.iter().map(|&i| r.units[i].label()).collect();
    println!("{}", heading(&labels.join(" vs ")));
    if let Some(bn) = banner(&b.spec) {
        println!("{bn}");
    }
    let mut order: Vec<usize> = fw.bottom_up.clone();
    order.sort_by_key(|&k| (std::cmp::Reverse(fw.nodes[k].level), k));
    order.extend(0..fw.n_indicators);
    let two = picked.len() == 2;
    let rows = order
        .into_iter()
        .map(|k| {
            let mut row = vec![fw.nodes[k].id.clone()];
            for &i in &picked {
                row.push(r.display(r.score(i, k)));
                row.push(r.rank(i, k).map(|v| v.to_string()).unwrap_or_default());
            }
            if two {
                let (sa, sb) = (r.score(picked[0], k), r.score(picked[1], k));
                row.push(if sa.is_nan() || sb.is_nan() {
                    String::new()
                } else {
                    format!("{:+.2}", sa - sb)
                });
            }
            row
        })
        .collect();
    let mut header: Vec<&str> = vec!["node"];
    for &i in &picked {
        header.push(&r.units[i].name);
        header.push("rank");
    }
    if two {
        header.push("difference");
    }
    let right: Vec<usize> = (1..header.len()).collect();
    println!("{}", table(&header, rows, &right));
    Ok(())
}
