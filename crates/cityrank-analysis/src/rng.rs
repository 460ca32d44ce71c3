//! Random streams: one independent stream per replication, derived from the seed, so a
//! replication's draws never depend on how the work was split between threads.

use rand::Rng;
use rand_pcg::Pcg64;

/// SplitMix64 finaliser: spreads nearby (seed, index) pairs over the whole state space.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream of replication `index` under `seed`.
pub fn stream(seed: u64, index: u64) -> Pcg64 {
    let state = ((mix(seed) as u128) << 64) | mix(index ^ 0x5851_F42D_4C95_7F2D) as u128;
    Pcg64::new(state, (index as u128) << 1 | 1)
}

/// Fills `out` with uniform draws in [0, 1).
pub fn uniforms(rng: &mut Pcg64, out: &mut [f64]) {
    for u in out.iter_mut() {
        *u = rng.gen::<f64>();
    }
}
