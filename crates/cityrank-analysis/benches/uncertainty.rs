//! Time per replication of the uncertainty analysis on one thread, start-up excluded: the
//! model is built first, then `N` replications run through `uncertainty::run_range`.
//!
//! `cargo bench -p cityrank-analysis --bench uncertainty -- SPEC [N] [INDICATOR_TABLE]`
//! (a spec with record sources needs the table of its record indicators, as the tests do).
//! Prints the median and range of five rounds and a checksum of the rank histogram, so that
//! a faster kernel can be checked for the same counts.

use cityrank_analysis::{uncertainty, Model};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let spec_path = args.first().expect("usage: uncertainty SPEC [N] [TABLE]");
    let n: u64 = args.get(1).map_or(200_000, |s| s.parse().expect("N"));
    let mut spec = cityrank_io::load_spec(std::path::Path::new(spec_path)).expect("spec");
    if let Some(t) = args.get(2) {
        spec = spec.with_indicator_table(t);
    }
    let data = cityrank_io::load_data(&spec).expect("data");
    let model = Model::new(&spec.spec, &spec.plan(), &data.dataset).expect("model");
    let seed = spec.spec.meta.seed;
    let (mut us, mut cpu) = (Vec::new(), Vec::new());
    let mut check = 0u64;
    for _ in 0..5 {
        let (t, c) = (Instant::now(), cpu_ns());
        let tally = uncertainty::run_range(&model, 0, n, seed).expect("runs");
        us.push(t.elapsed().as_secs_f64() / n as f64 * 1e6);
        cpu.push(
            c.zip(cpu_ns())
                .map(|(a, b)| (b - a) as f64 / n as f64 / 1e3),
        );
        check = tally.checksum();
    }
    us.sort_by(f64::total_cmp);
    let mut cpu: Vec<f64> = cpu.into_iter().flatten().collect();
    cpu.sort_by(f64::total_cmp);
    println!(
        "{}: {} units, {n} replications x 5 rounds, one thread: median {:.3} us per replication (range {:.3}-{:.3}), on the CPU {}; histogram checksum {check:016x}",
        spec.spec.meta.id,
        model.n_units(),
        us[2],
        us[0],
        us[4],
        cpu.get(2).map_or("unknown".into(), |c| format!("{c:.3} us"))
    );
}

/// Time this thread has run on a CPU (Linux), so that a busy machine's waits do not count.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
