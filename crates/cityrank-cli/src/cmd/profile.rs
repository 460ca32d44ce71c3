//! `cityrank profile` and `cityrank compare`: one city, or two side by side.

use super::{banner, build, find_unit};
use crate::console::{heading, table};
use cityrank_core::explain;
use cityrank_io::{write::num, Error};
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
    let i = find_unit(&b, query)?;
    let (fw, r) = (&b.spec.framework, &b.results);
    let p = explain::profile(r, fw, i, 3);
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
            vec![
                n.node.clone(),
                n.name.clone(),
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

pub fn compare(
    spec_path: &Path,
    a: &str,
    bq: &str,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let b = build(spec_path, engine)?;
    let (i, j) = (find_unit(&b, a)?, find_unit(&b, bq)?);
    let (fw, r) = (&b.spec.framework, &b.results);
    let (ua, ub) = (&r.units[i], &r.units[j]);
    println!("{}", heading(&format!("{} vs {}", ua.label(), ub.label())));
    if let Some(bn) = banner(&b.spec) {
        println!("{bn}");
    }
    let mut order: Vec<usize> = fw.bottom_up.iter().rev().copied().collect();
    order.extend(0..fw.n_indicators);
    let rows = order
        .into_iter()
        .map(|k| {
            let (sa, sb) = (r.score(i, k), r.score(j, k));
            let diff = if sa.is_nan() || sb.is_nan() {
                String::new()
            } else {
                format!("{:+.2}", sa - sb)
            };
            let rk = |x: Option<u32>| x.map(|v| v.to_string()).unwrap_or_default();
            vec![
                fw.nodes[k].id.clone(),
                r.display(sa),
                rk(r.rank(i, k)),
                r.display(sb),
                rk(r.rank(j, k)),
                diff,
            ]
        })
        .collect();
    println!(
        "{}",
        table(
            &["node", &ua.name, "rank", &ub.name, "rank", "difference"],
            rows,
            &[1, 2, 3, 4, 5]
        )
    );
    Ok(())
}
