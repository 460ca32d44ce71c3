//! x³ and x⁴ with the bits of the C library's `pow(x, 3.0)` and `pow(x, 4.0)`, at a fraction
//! of its cost.
//!
//! Skewness and kurtosis sum these over every value, several times per indicator in the outlier
//! rule, and COINr takes them with R's `^`, which calls `pow`: the same bits keep the rule's
//! decisions and the written statistics as they were. The exact power is formed as an unevaluated
//! sum of two doubles (Dekker's error-free products, no FMA needed) and rounded once. glibc
//! documents its `pow` within 0.54 ULP of the exact value (older versions round correctly), so
//! where the exact value lies within 0.45 ULP of that rounding, no other double is within
//! 0.54 ULP and `pow` returns the same one. Near a midpoint (about one value in ten), near the
//! ends of the range and on other C libraries, `pow` itself is called.

/// `x.powf(3.0)`, bit for bit.
#[inline]
pub fn cube(x: f64) -> f64 {
    cube_by(x, two_prod)
}

/// `x.powf(4.0)`, bit for bit.
#[inline]
pub fn fourth(x: f64) -> f64 {
    fourth_by(x, two_prod)
}

/// [`cube`] with the products' errors from a fused multiply-add, which gives the same exact
/// error as Dekker's product in two operations; for code compiled with the `fma` feature.
#[inline(always)]
pub fn cube_fma(x: f64) -> f64 {
    cube_by(x, two_prod_fma)
}

/// [`fourth`] by fused multiply-add, as [`cube_fma`].
#[inline(always)]
pub fn fourth_fma(x: f64) -> f64 {
    fourth_by(x, two_prod_fma)
}

#[inline(always)]
fn cube_by(x: f64, two_prod: impl Fn(f64, f64) -> (f64, f64)) -> f64 {
    let (p, e) = two_prod(x, x);
    let (q, f) = two_prod(p, x);
    settle(q, f + e * x).unwrap_or_else(|| x.powf(3.0))
}

#[inline(always)]
fn fourth_by(x: f64, two_prod: impl Fn(f64, f64) -> (f64, f64)) -> f64 {
    let (p, e) = two_prod(x, x);
    let (q, f) = two_prod(p, p);
    settle(q, f + 2.0 * p * e).unwrap_or_else(|| x.powf(4.0))
}

/// `a * b` and its exact error by one fused multiply-add (exact wherever Dekker's is: the
/// error of a rounded product is a double away from underflow).
#[inline(always)]
fn two_prod_fma(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// Veltkamp's split: `hi + lo == a` exactly, each half with at most 26 significant bits.
#[inline(always)]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// `a * b` as the rounded product and its exact error (Dekker).
#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

/// The rounding of `q + t` (|t| far below |q|) when it is certainly what `pow` returns.
#[inline(always)]
fn settle(q: f64, t: f64) -> Option<f64> {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        return None;
    }
    // Far from overflow and subnormals, where every product above is exact.
    let a = q.abs();
    if !(a > 1e-270 && a < 1e270) {
        return None;
    }
    let r = q + t;
    // The exact error of the sum (Fast2Sum, |q| >= |t|): how far the exact value is from r.
    let off = t - (r - q);
    let bits = r.to_bits();
    // At a power of two the gap below is half the gap above; leave those to `pow`.
    if bits & ((1 << 52) - 1) == 0 {
        return None;
    }
    let ulp = f64::from_bits(bits & 0x7ff0_0000_0000_0000) * f64::EPSILON;
    (off.abs() <= 0.45 * ulp).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::{cube, cube_fma, fourth, fourth_fma};

    /// xorshift64: a fixed, cheap spread of bit patterns.
    fn next(s: &mut u64) -> u64 {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        *s
    }

    #[test]
    fn the_same_bits_as_pow() {
        let mut s = 0x2545_f491_4f6c_dd1d;
        for i in 0..400_000 {
            let r = next(&mut s);
            let x = if i % 2 == 0 {
                // Any sign, mantissa and a wide range of exponents, into subnormal cubes.
                let m = 1.0 + (r >> 12) as f64 / (1u64 << 52) as f64;
                let sign = if r & 0x100 != 0 { -1.0 } else { 1.0 };
                sign * m * 2f64.powi((r & 0xff) as i32 - 128)
            } else {
                // Deviations from a mean, as the moments take them: values with few digits.
                (r % 2_000_000) as f64 / 1000.0 - ((r >> 40) % 2000) as f64 * 0.7
            };
            assert_eq!(cube(x).to_bits(), x.powf(3.0).to_bits(), "{x:e}");
            assert_eq!(fourth(x).to_bits(), x.powf(4.0).to_bits(), "{x:e}");
            // Without the `fma` feature `mul_add` is the C library's exact fma: the same bits.
            assert_eq!(cube_fma(x).to_bits(), cube(x).to_bits(), "{x:e}");
            assert_eq!(fourth_fma(x).to_bits(), fourth(x).to_bits(), "{x:e}");
        }
        for x in [0.0, -0.0, 1.0, -2.0, 1e-300, 1e300, f64::INFINITY, f64::NAN] {
            assert_eq!(cube(x).to_bits(), x.powf(3.0).to_bits(), "{x:e}");
            assert_eq!(fourth(x).to_bits(), x.powf(4.0).to_bits(), "{x:e}");
        }
    }
}
