//! `cityrank init` and `cityrank import coinr`: a new spec folder, and what to do next.

use cityrank_io::coinr::{CoinrOptions, Kind};
use cityrank_io::init::InitOptions;
use cityrank_io::Error;
use std::path::Path;

pub fn init(dir: &Path, opts: &InitOptions) -> Result<(), Error> {
    let w = cityrank_io::init::init(dir, opts)?;
    let l = &w.layout;
    match &opts.from {
        Some(from) => println!("{}: a new index from {}", dir.display(), from.display()),
        None => println!(
            "{}: a new index with ILLUSTRATIVE data (eight imaginary towns)",
            dir.display()
        ),
    }
    println!(
        "  unit ids: column `{}`, names: column `{}`",
        l.id_column, l.name_column
    );
    let dims: Vec<String> = l
        .dimensions
        .iter()
        .map(|(d, i)| format!("{d} ({})", i.len()))
        .collect();
    println!(
        "  {} indicators in {} dimension(s): {}",
        l.indicators.len(),
        l.dimensions.len(),
        dims.join(", ")
    );
    if !l.groups.is_empty() {
        println!("  text columns kept as groups: {}", l.groups.join(", "));
    }
    if !l.empty.is_empty() {
        println!("  columns not used (no values): {}", l.empty.join(", "));
    }
    println!("  wrote {} and {}", w.spec.display(), w.data.display());
    next_steps(dir);
    Ok(())
}

pub fn import_coinr(dir: &Path, opts: &CoinrOptions) -> Result<(), Error> {
    let i = cityrank_io::coinr::import(dir, opts)?;
    println!(
        "{}: imported from COINr: {} indicators, {} aggregates, {} groups, {} denominators",
        dir.display(),
        i.count(Kind::Indicator),
        i.count(Kind::Aggregate),
        i.count(Kind::Group),
        i.count(Kind::Denominator),
    );
    let denominated = i
        .entries
        .iter()
        .filter(|e| e.kind == Kind::Indicator && e.denominator.is_some())
        .count();
    if denominated > 0 {
        if opts.denominate {
            println!("  {denominated} indicators divided by their denominator");
        } else {
            println!(
                "  {denominated} indicators have a denominator in iMeta, written as comments (COINr's default build does not divide; --denominate does)"
            );
        }
    }
    let other = i.count(Kind::Other);
    if other > 0 || !i.unused.is_empty() {
        println!(
            "  not used: {other} iMeta rows of Type Other, iData columns not in iMeta: {}",
            if i.unused.is_empty() {
                "none".to_string()
            } else {
                i.unused.join(", ")
            }
        );
    }
    println!("  wrote {}", i.spec.display());
    next_steps(dir);
    Ok(())
}

fn next_steps(dir: &Path) {
    println!("next:");
    println!("  cityrank validate --spec {}", dir.display());
    println!("  cityrank run --spec {}", dir.display());
}
