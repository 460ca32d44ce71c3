//! x³ and x⁴ with the bits of the C library's `pow(x, 3.0)` and `pow(x, 4.0)`, at a fraction
//! of its cost.
//!
//! Skewness and kurtosis sum these over every value, several times per indicator in the outlier
//! rule, and COINr takes them with R's `^`, which calls `pow`: the same bits keep the rule's
//! decisions and the written statistics as they were. The exact power is formed as an unevaluated
//! sum of two doubles (Dekker's error-free products, no FMA needed) and rounded once. Where the
//! exact value lies close enough to that rounding that glibc's stated error bound leaves `pow` no
//! other double to return ([`settle`]), the rounding is used; near a midpoint (about one value
//! in 25), near the ends of the range and on other C libraries, `pow` itself is called.

/// `x.powf(3.0)`, bit for bit.
#[inline]
pub fn cube(x: f64) -> f64 {
    or_pow(cube_by(x, two_prod), x, 3.0)
}

/// `x.powf(4.0)`, bit for bit.
#[inline]
pub fn fourth(x: f64) -> f64 {
    or_pow(fourth_by(x, two_prod), x, 4.0)
}

/// [`cube`] with the products' errors from a fused multiply-add, which gives the same exact
/// error as Dekker's product in two operations; for code compiled with the `fma` feature.
#[inline(always)]
pub fn cube_fma(x: f64) -> f64 {
    or_pow(cube_by(x, two_prod_fma), x, 3.0)
}

/// [`fourth`] by fused multiply-add, as [`cube_fma`].
#[inline(always)]
pub fn fourth_fma(x: f64) -> f64 {
    or_pow(fourth_by(x, two_prod_fma), x, 4.0)
}

/// The cubes and fourth powers of `x` into `c3` and `c4` (as long as `x`), bit for bit
/// [`cube`] and [`fourth`]; a missing value (NaN) gives NaN. The certain roundings are taken for
/// every value in one branch-free pass (which vectorises), then `pow` for the few left.
#[inline(always)]
pub fn cubes_fourths(x: &[f64], c3: &mut [f64], c4: &mut [f64]) {
    cubes_fourths_by(x, c3, c4, two_prod);
}

/// [`cubes_fourths`] by fused multiply-add, as [`cube_fma`].
#[inline(always)]
pub fn cubes_fourths_fma(x: &[f64], c3: &mut [f64], c4: &mut [f64]) {
    cubes_fourths_by(x, c3, c4, two_prod_fma);
}

#[inline(always)]
fn cubes_fourths_by(
    x: &[f64],
    c3: &mut [f64],
    c4: &mut [f64],
    two_prod: impl Fn(f64, f64) -> (f64, f64) + Copy,
) {
    for ((&v, a), b) in x.iter().zip(c3.iter_mut()).zip(c4.iter_mut()) {
        *a = cube_by(v, two_prod);
        *b = fourth_by(v, two_prod);
    }
    for ((&v, a), b) in x.iter().zip(c3.iter_mut()).zip(c4.iter_mut()) {
        if (a.is_nan() || b.is_nan()) && !v.is_nan() {
            *a = or_pow(*a, v, 3.0);
            *b = or_pow(*b, v, 4.0);
        }
    }
}

/// `pow(x, y)` where the certain rounding `r` could not be had (NaN).
#[inline(always)]
fn or_pow(r: f64, x: f64, y: f64) -> f64 {
    if r.is_nan() {
        x.powf(y)
    } else {
        r
    }
}

/// x³ rounded once where that is certainly `pow`'s result, else NaN.
#[inline(always)]
fn cube_by(x: f64, two_prod: impl Fn(f64, f64) -> (f64, f64)) -> f64 {
    let (p, e) = two_prod(x, x);
    let (q, f) = two_prod(p, x);
    settle(q, f + e * x)
}

/// x⁴ rounded once where that is certainly `pow`'s result, else NaN.
#[inline(always)]
fn fourth_by(x: f64, two_prod: impl Fn(f64, f64) -> (f64, f64)) -> f64 {
    let (p, e) = two_prod(x, x);
    let (q, f) = two_prod(p, p);
    settle(q, f + 2.0 * p * e)
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

/// The rounding of `q + t` (|t| far below |q|) when it is certainly what `pow` returns, else
/// NaN; without branches, so that a loop of them vectorises.
///
/// glibc's `pow` (since 2.28) states its error bound as 0.509 ULP for the final `exp` plus the
/// log's relative error (at most 1.5 * 2^-68) times |y ln x| in units of 2^-53, which is
/// 0.54 ULP at the ends of the range and under 0.513 ULP for results within 2^±60. It can
/// return the other neighbour of the exact value only where that neighbour is within the
/// bound, so the rounding is certain when the exact value lies within 1 - bound of it: here
/// 0.48 ULP inside 2^±60 and 0.45 ULP elsewhere (both with a margin).
#[inline(always)]
fn settle(q: f64, t: f64) -> f64 {
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        return f64::NAN;
    }
    let a = q.abs();
    let r = q + t;
    // The exact error of the sum (Fast2Sum, |q| >= |t|): how far the exact value is from r.
    let off = t - (r - q);
    let bits = r.to_bits();
    let ulp = f64::from_bits(bits & 0x7ff0_0000_0000_0000) * f64::EPSILON;
    let within = if a > TWO_M60 && a < TWO_60 {
        0.48
    } else {
        0.45
    };
    // Far from overflow and subnormals, where every product above is exact; and not at a
    // power of two, where the gap below is half the gap above.
    let certain =
        a > 1e-270 && a < 1e270 && bits & ((1 << 52) - 1) != 0 && off.abs() <= within * ulp;
    if certain {
        r
    } else {
        f64::NAN
    }
}

const TWO_60: f64 = 1_152_921_504_606_846_976.0;
const TWO_M60: f64 = 1.0 / TWO_60;

#[cfg(test)]
mod tests {
    use super::{cube, cube_fma, cubes_fourths, cubes_fourths_fma, fourth, fourth_fma};

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
        let mut xs = Vec::new();
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
            xs.push(x);
        }
        // The batch forms: the same bits, with missing values left missing.
        xs.extend([f64::NAN, 0.0, -0.0, 1e300, f64::INFINITY]);
        let n = xs.len();
        let (mut c3, mut c4) = (vec![0.0; n], vec![0.0; n]);
        let (mut f3, mut f4) = (vec![0.0; n], vec![0.0; n]);
        cubes_fourths(&xs, &mut c3, &mut c4);
        cubes_fourths_fma(&xs, &mut f3, &mut f4);
        for (i, &x) in xs.iter().enumerate() {
            assert_eq!(c3[i].to_bits(), x.powf(3.0).to_bits(), "{x:e}");
            assert_eq!(c4[i].to_bits(), x.powf(4.0).to_bits(), "{x:e}");
            assert_eq!(
                (f3[i].to_bits(), f4[i].to_bits()),
                (c3[i].to_bits(), c4[i].to_bits())
            );
        }
        for x in [0.0, -0.0, 1.0, -2.0, 1e-300, 1e300, f64::INFINITY, f64::NAN] {
            assert_eq!(cube(x).to_bits(), x.powf(3.0).to_bits(), "{x:e}");
            assert_eq!(fourth(x).to_bits(), x.powf(4.0).to_bits(), "{x:e}");
        }
    }
}
