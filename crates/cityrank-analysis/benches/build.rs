//! Time of one full build in memory (screen, impute, treat, normalise, weight, aggregate,
//! rank), loading excluded: the spec and data are read once, then `cityrank_core::build` runs
//! `N` times per round.
//!
//! `cargo bench -p cityrank-analysis --bench build -- SPEC [N]`
//! Prints the median and range of five rounds, wall and on-CPU time.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let spec_path = args.first().expect("usage: build SPEC [N]");
    let n: u32 = args.get(1).map_or(2000, |s| s.parse().expect("N"));
    let (spec, data) = cityrank_io::load(std::path::Path::new(spec_path)).expect("loads");
    let build =
        || cityrank_core::build(&spec.spec, &spec.framework, &data.dataset).expect("builds");
    build();
    let (mut ms, mut cpu) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let (t, c) = (Instant::now(), cpu_ns());
        for _ in 0..n {
            std::hint::black_box(build());
        }
        ms.push(t.elapsed().as_secs_f64() / n as f64 * 1e3);
        cpu.push(
            c.zip(cpu_ns())
                .map(|(a, b)| (b - a) as f64 / n as f64 / 1e6),
        );
    }
    ms.sort_by(f64::total_cmp);
    let mut cpu: Vec<f64> = cpu.into_iter().flatten().collect();
    cpu.sort_by(f64::total_cmp);
    println!(
        "{}: {} units x {} indicators, {n} builds x 5 rounds: median {:.4} ms per build (range {:.4}-{:.4}), on the CPU {}",
        spec.spec.meta.id,
        data.dataset.n_units(),
        spec.framework.n_indicators,
        ms[2],
        ms[0],
        ms[4],
        cpu.get(2).map_or("unknown".into(), |c| format!("{c:.4} ms"))
    );
}

/// Time this thread has run on a CPU (Linux), so that a busy machine's waits do not count.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
