//! PROMETHEE II, as Brans & Vincke (1985) define it: a generalised criterion per criterion turns
//! each pairwise difference into a preference in [0, 1]; the weighted preferences give the
//! positive and negative outranking flows, and the net flow ranks completely.

use crate::spec::Preference;

/// One criterion's preference function and its thresholds (in the criterion's units).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Criterion {
    pub kind: Preference,
    pub q: f64,
    pub p: f64,
    pub s: f64,
}

impl Criterion {
    pub fn new(kind: Preference, q: f64, p: f64, s: f64) -> Criterion {
        Criterion { kind, q, p, s }
    }
}

/// P(d) for a difference d = g(a) - g(b) already oriented so that positive favours a.
pub fn preference(c: &Criterion, d: f64) -> f64 {
    if d <= 0.0 {
        return 0.0;
    }
    match c.kind {
        Preference::Usual => 1.0,
        Preference::UShape => step(d > c.q),
        Preference::VShape => (d / c.p).min(1.0),
        Preference::Level if d <= c.q => 0.0,
        Preference::Level => {
            if d <= c.p {
                0.5
            } else {
                1.0
            }
        }
        Preference::Linear if d <= c.q => 0.0,
        Preference::Linear => ((d - c.q) / (c.p - c.q)).min(1.0),
        Preference::Gaussian => 1.0 - (-d * d / (2.0 * c.s * c.s)).exp(),
    }
}

fn step(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// Net flows phi = phi+ - phi-, each flow averaged over the n - 1 other alternatives; weights
/// are used as given (they should sum to one).
pub fn net_flows(cols: &[Vec<f64>], w: &[f64], benefit: &[bool], crit: &[Criterion]) -> Vec<f64> {
    let n = cols[0].len();
    let mut phi = vec![0.0; n];
    for a in 0..n {
        for b in (a + 1)..n {
            let (mut ab, mut ba) = (0.0, 0.0);
            for (j, c) in cols.iter().enumerate() {
                let d = if benefit[j] { c[a] - c[b] } else { c[b] - c[a] };
                ab += w[j] * preference(&crit[j], d);
                ba += w[j] * preference(&crit[j], -d);
            }
            phi[a] += ab - ba;
            phi[b] += ba - ab;
        }
    }
    let k = (n.max(2) - 1) as f64;
    phi.iter().map(|x| x / k).collect()
}
