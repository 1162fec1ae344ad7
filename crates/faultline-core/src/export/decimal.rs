//! Floats as text, exactly as `format!` writes them, without the standard library's float formatter.
//!
//! Why: any `{}` or `{:.N}` on an `f64` links core's whole float formatting (Grisu with its Dragon4
//! fallback, their bignums and tables) into the wasm module, and the crate prints only six floats: a
//! confidence, a duration and a size with fixed decimals ([`fixed`], by hand: exact integer arithmetic
//! on the float's binary value, rounded half to even as `format!` does), and a float quoted in a rule
//! file's error ([`shortest`], the shortest digits from zmij, which serde_json already links, laid out
//! as `to_string` lays them out; on an exact tie its last digit is the even one). The tests check both
//! against `format!` over every kind of double.

/// `x` with `decimals` digits after the point (at most 9), exactly as `format!("{x:.decimals$}")`.
pub fn fixed(x: f64, decimals: u32) -> String {
    let decimals = decimals.min(9);
    if x.is_nan() {
        return "NaN".to_string();
    }
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    if x.is_infinite() {
        out.push_str("inf");
        return out;
    }
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exp) =
        if exponent == 0 { (fraction, -1074) } else { (fraction | (1 << 52), exponent - 1075) };
    let scale = 10u128.pow(decimals);
    let digits = if exp >= 0 {
        // An integer: its digits, then the decimals' zeros.
        let mut d = shifted_digits(mantissa, exp.unsigned_abs());
        d.extend(std::iter::repeat_n('0', decimals as usize));
        d
    } else {
        // mantissa · 10^decimals / 2^k, rounded half to even; below 2^-2 for any k over 128.
        let k = exp.unsigned_abs();
        let t = u128::from(mantissa) * scale;
        let q = if k >= 128 {
            0
        } else {
            let q = t >> k;
            let r = t - (q << k);
            let half = 1u128 << (k - 1);
            if r > half || (r == half && q & 1 == 1) { q + 1 } else { q }
        };
        format!("{q:0>width$}", width = decimals as usize + 1)
    };
    let point = digits.len() - decimals as usize;
    out.push_str(&digits[..point]);
    if decimals > 0 {
        out.push('.');
        out.push_str(&digits[point..]);
    }
    out
}

/// `x` as `x.to_string()` writes it: the shortest digits that read back as `x`, never in exponent form
/// (`1e21` is `1000000000000000000000`, `1.0` is `1`). One difference, on exact ties only: where two
/// shortest digit strings are equally near `x`, this takes the even one (`…493.2` for `…493.25`) and
/// `to_string` the upper one (`…493.3`); both read back as `x`.
pub fn shortest(x: f64) -> String {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format(x);
    if !x.is_finite() {
        return text.to_string();
    }
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (rest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The significant digits, and where the point goes among them.
    let all = format!("{int}{frac}");
    let lead = all.bytes().take_while(|&b| b == b'0').count();
    let digits = all[lead..].trim_end_matches('0');
    if digits.is_empty() {
        return format!("{sign}0");
    }
    let point = int.len() as i64 + exponent - lead as i64;
    let len = digits.len() as i64;
    let zeros = |n: i64| "0".repeat(usize::try_from(n).unwrap_or(0));
    if point <= 0 {
        format!("{sign}0.{}{digits}", zeros(-point))
    } else if point >= len {
        format!("{sign}{digits}{}", zeros(point - len))
    } else {
        let at = point as usize;
        format!("{sign}{}.{}", &digits[..at], &digits[at..])
    }
}

/// The decimal digits of `m · 2^shift`, through base-10^9 limbs (least significant first).
fn shifted_digits(m: u64, shift: u32) -> String {
    const BASE: u64 = 1_000_000_000;
    let mut limbs = vec![m % BASE, (m / BASE) % BASE, m / (BASE * BASE)];
    let mut left = shift;
    while left > 0 {
        let s = left.min(29);
        let mut carry = 0;
        for limb in &mut limbs {
            let v = (*limb << s) + carry;
            *limb = v % BASE;
            carry = v / BASE;
        }
        while carry > 0 {
            limbs.push(carry % BASE);
            carry /= BASE;
        }
        left -= s;
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut out = String::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        if i == 0 {
            out.push_str(&limb.to_string());
        } else {
            out.push_str(&format!("{limb:09}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fixed, shortest};
    use proptest::prelude::*;

    fn check(x: f64) {
        for d in 0..=3u32 {
            assert_eq!(fixed(x, d), format!("{x:.*}", d as usize), "{x:e} with {d} decimals");
        }
        let (ours, std) = (shortest(x), x.to_string());
        if x.is_finite() {
            // Where two shortest digit strings are equally near (an exact tie in the last digit), zmij
            // takes the even one and `to_string` the upper one: same length, both read back as `x`.
            assert_eq!(ours.parse::<f64>().ok().map(f64::to_bits), Some(x.to_bits()), "{x:e}: {ours}");
            assert_eq!(ours.len(), std.len(), "{x:e}: {ours} against {std}");
        } else {
            assert_eq!(ours, std);
        }
    }

    #[test]
    fn ties_round_half_to_even_on_the_exact_value() {
        for x in [0.125, 0.375, 2.5, 3.5, 0.5, 1.5, 0.05, 0.25, 0.35, 1.005, 999.5, 59.95, 1023.95] {
            check(x);
        }
        assert_eq!(
            (fixed(0.125, 2), fixed(2.5, 0), fixed(3.5, 0), fixed(0.05, 1)),
            ("0.12".to_string(), "2".to_string(), "4".to_string(), "0.1".to_string())
        );
    }

    #[test]
    fn edges() {
        for x in [
            0.0,
            -0.0,
            -0.001,
            1.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::MIN,
            1e300,
            2f64.powi(53),
            2f64.powi(64),
            2f64.powi(128) + 2f64.powi(76),
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            0.95,
            1e-7,
            1e21,
            1e-5,
            123456.789,
            0.1,
            0.30000000000000004,
            1e15,
            1e16,
            1.5e-7,
            -2.5e300,
        ] {
            check(x);
        }
    }

    #[test]
    fn shortest_lays_digits_out_as_to_string() {
        for x in [1e21, 1e-7, 1.0, -0.0, 0.1, 123456.789, 2.5e-300, 5e-324, f64::MAX, 1e15, 0.95] {
            assert_eq!(shortest(x), x.to_string(), "{x:e}");
        }
        // An exact tie in the 17th digit (the float is exactly …493.25): the even neighbour rather
        // than the upper one.
        let tie = -(1_591_611_049_531_493.0 + 0.25);
        assert_eq!(shortest(tie), "-1591611049531493.2");
        assert_eq!(tie.to_string(), "-1591611049531493.3");
    }

    proptest! {
        #[test]
        fn any_double_as_format_writes_it(bits in any::<u64>()) {
            check(f64::from_bits(bits));
        }

        #[test]
        fn the_reports_numbers_as_format_writes_them(x in 0.0..2e7f64) {
            check(x);
        }
    }
}
