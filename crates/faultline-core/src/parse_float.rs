//! Decimal text to `f64`, exactly as `str::parse::<f64>` reads it, without the standard library's
//! reader.
//!
//! Why by hand: the standard reader (Eisel–Lemire with a 10 KB table of 128-bit powers of five)
//! put 14 KB gzipped into the browser package for the few floats faultline reads (JUnit and Robot
//! durations, numbers compared by rules, a rule file's floats). The float-reading crates
//! (fast-float2, lexical) use the same table-driven algorithm, for speed. This one takes the exact
//! fast path (Clinger: a mantissa of at most 53 bits scaled by an exactly representable power of
//! ten), then 128-bit integer arithmetic for up to 19 digits near the decimal point (a float
//! printed in full), and otherwise big integers: slow, but only for long or extreme text. The
//! grammar, the results (bit for bit, signed zeros and NaN included) and the rejections are the
//! standard reader's; tests compare the two over every kind of input, and `cargo bench --bench
//! junit -- float/` times both on durations.

/// Significant digits kept; later ones only matter as "something non-zero follows". A halfway
/// point between two doubles has at most 767 significant digits, so any cut past that rounds the same.
const MAX_DIGITS: usize = 800;

/// `text` as `str::parse::<f64>` reads it: an optional sign, then `inf`, `infinity` or `nan` in any
/// case, or decimal digits with an optional point and an optional exponent (`e` or `E`, optional
/// sign, digits). No spaces, no underscores. `None` where the standard reader gives an error.
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, rest) = sign(text.as_bytes());
    let magnitude = if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
        f64::INFINITY
    } else if rest.eq_ignore_ascii_case(b"nan") {
        f64::NAN
    } else {
        finite(&Decimal::read(rest)?)
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// A decimal number as written: `int.frac × 10^exp`, the digits still text (read only as far as
/// the value needs: most numbers never leave a `u64`).
struct Decimal<'a> {
    int: &'a [u8],
    frac: &'a [u8],
    exp: i64,
}

impl<'a> Decimal<'a> {
    /// The number in `b` (no sign), or `None` if `b` is not one.
    fn read(b: &'a [u8]) -> Option<Decimal<'a>> {
        let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let int_len = digits(0);
        let (frac, mut i) = match b.get(int_len) {
            Some(b'.') => {
                let n = digits(int_len + 1);
                (&b[int_len + 1..int_len + 1 + n], int_len + 1 + n)
            }
            _ => (&b[..0], int_len),
        };
        if int_len + frac.len() == 0 {
            return None;
        }
        let mut exp = 0;
        if i < b.len() {
            if b[i] != b'e' && b[i] != b'E' {
                return None;
            }
            i += 1;
            exp = exponent(&b[i..])?;
        }
        Some(Decimal { int: &b[..int_len], frac, exp })
    }

    /// The significant digits' values, leading zeros skipped.
    fn significant(&self) -> impl Iterator<Item = u8> + '_ {
        self.int.iter().chain(self.frac).skip_while(|&&c| c == b'0').map(|c| c - b'0')
    }
}

/// An optional leading `-` or `+`: whether it was `-`, and the rest.
fn sign(b: &[u8]) -> (bool, &[u8]) {
    match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    }
}

/// The exponent's value after `e`, saturated far beyond any double's range.
fn exponent(b: &[u8]) -> Option<i64> {
    let (negative, digits) = sign(b);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = digits.iter().fold(0i64, |acc, c| (acc * 10 + i64::from(c - b'0')).min(1 << 40));
    Some(if negative { -v } else { v })
}

/// Powers of ten that are exact doubles.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// The double nearest `d` (ties to even), positive.
fn finite(d: &Decimal<'_>) -> f64 {
    let n = d.significant().count() as i64;
    if n == 0 {
        return 0.0;
    }
    // The value is the significant digits × 10^e, within [10^(n-1+e), 10^(n+e)): past the doubles'
    // range either way, there is nothing to compute.
    let e = d.exp.saturating_sub(d.frac.len() as i64);
    if n - 1 + e > 308 {
        return f64::INFINITY;
    }
    if n + e < -324 {
        return 0.0;
    }
    if n <= 19 {
        let m = d.significant().fold(0u64, |acc, v| acc * 10 + u64::from(v));
        if m <= 1 << 53 && (-22..=22).contains(&e) {
            // Both exact, so the one rounding of the multiply or divide is the correct one.
            let p = EXACT_POWERS[e.unsigned_abs() as usize];
            return if e < 0 { m as f64 / p } else { m as f64 * p };
        }
        // Up to 19 digits by a power of ten that keeps the arithmetic within 128 bits: the digits
        // of a float printed in full (`0.0012345678901234567`) end here.
        if (0..=19).contains(&e) {
            return round(u128::from(m) * 10u128.pow(e as u32), 0, false);
        }
        if (-21..0).contains(&e) {
            let p = 10u128.pow(e.unsigned_abs() as u32);
            // At least 55 quotient bits: 53, the rounding bit, and one to spare.
            let shift = (55 + bits(p) - bits(u128::from(m))).max(0);
            let scaled = u128::from(m) << shift;
            return round(scaled / p, -shift, !scaled.is_multiple_of(p));
        }
    }
    exact(d, n, e)
}

fn bits(x: u128) -> i32 {
    128 - x.leading_zeros() as i32
}

/// The correctly rounded value of `n` significant digits × 10^e by big-integer arithmetic: at
/// least 65 leading bits and whether anything non-zero follows them.
fn exact(d: &Decimal<'_>, n: i64, mut e: i64) -> f64 {
    let kept = n.min(MAX_DIGITS as i64) as usize;
    let mut digits = Big::from_digits(d.significant().take(kept));
    if n > kept as i64 {
        e += n - kept as i64;
        if d.significant().skip(kept).any(|v| v != 0) {
            // Stands for every non-zero digit dropped: strictly between the kept digits and the
            // next value they can spell, which is all a correct rounding needs to know.
            digits.mul_add(10, 1);
            e -= 1;
        }
    }
    if e >= 0 {
        digits.mul_pow10(e as u32);
        let bits = digits.bits();
        let cut = bits.saturating_sub(66);
        let sticky = digits.any_below(cut);
        digits.shr(cut);
        return round(digits.low_u128(), cut as i32, sticky);
    }
    let mut divisor = Big::from_u32(1);
    divisor.mul_pow10(e.unsigned_abs() as u32);
    // Scale so that the quotient has 65 or 66 bits: enough for 53 with a rounding bit and room.
    let shift = divisor.bits() as i64 - digits.bits() as i64 + 65;
    if shift >= 0 {
        digits.shl(shift as usize);
    } else {
        divisor.shl((-shift) as usize);
    }
    let (quotient, remainder) = digits.div_small_quotient(&divisor, 67);
    round(quotient, -shift as i32, !remainder.is_zero())
}

/// `m × 2^e2` (plus a little more when `sticky`) rounded to a double, ties to even.
fn round(m: u128, e2: i32, sticky: bool) -> f64 {
    if m == 0 {
        return 0.0;
    }
    let len = 128 - m.leading_zeros() as i32;
    let lead = e2 + len - 1;
    if lead > 1023 {
        return f64::INFINITY;
    }
    // Bits the result keeps: 53 for a normal double, fewer below 2^-1022 (none at all below 2^-1075).
    let keep = if lead >= -1022 { 53 } else { lead + 1075 };
    if keep < 0 {
        return 0.0;
    }
    let drop = len - keep;
    let mut mant = if drop <= 0 {
        m << (-drop)
    } else {
        let kept = m >> drop;
        let rest = m & ((1u128 << drop) - 1);
        let half = 1u128 << (drop - 1);
        let up = rest > half || (rest == half && (sticky || kept & 1 == 1));
        kept + u128::from(up)
    };
    let mut lead = lead;
    if keep == 53 {
        if mant == 1 << 53 {
            mant >>= 1;
            lead += 1;
            if lead > 1023 {
                return f64::INFINITY;
            }
        }
        f64::from_bits((((lead + 1023) as u64) << 52) | (mant as u64 & ((1 << 52) - 1)))
    } else {
        // Subnormal (or, rounded up to 2^52, the smallest normal): the encoding is the mantissa.
        f64::from_bits(mant as u64)
    }
}

/// An unsigned big integer, little-endian 32-bit limbs, no trailing zero limbs.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn from_u32(v: u32) -> Big {
        let mut b = Big(vec![v]);
        b.trim();
        b
    }

    fn from_digits(digits: impl Iterator<Item = u8>) -> Big {
        let mut b = Big(Vec::new());
        let (mut chunk, mut len) = (0u32, 0u32);
        for d in digits {
            chunk = chunk * 10 + u32::from(d);
            len += 1;
            if len == 9 {
                b.mul_add(1_000_000_000, chunk);
                (chunk, len) = (0, 0);
            }
        }
        if len > 0 {
            b.mul_add(10u32.pow(len), chunk);
        }
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn mul_add(&mut self, by: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(by) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    fn mul_pow10(&mut self, mut e: u32) {
        while e >= 9 {
            self.mul_add(1_000_000_000, 0);
            e -= 9;
        }
        self.mul_add(10u32.pow(e), 0);
    }

    fn bits(&self) -> usize {
        match self.0.last() {
            Some(top) => self.0.len() * 32 - top.leading_zeros() as usize,
            None => 0,
        }
    }

    /// Whether any of the lowest `n` bits is set.
    fn any_below(&self, n: usize) -> bool {
        let (limbs, bits) = (n / 32, n % 32);
        self.0.iter().take(limbs).any(|&l| l != 0)
            || (bits > 0 && self.0.get(limbs).is_some_and(|&l| l & ((1 << bits) - 1) != 0))
    }

    fn shl(&mut self, n: usize) {
        let (limbs, bits) = (n / 32, n % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = *limb;
                *limb = (v << bits) | carry;
                carry = v >> (32 - bits);
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
        self.trim();
    }

    fn shr(&mut self, n: usize) {
        let (limbs, bits) = (n / 32, n % 32);
        self.0.drain(..limbs.min(self.0.len()));
        if bits > 0 {
            let mut carry = 0u32;
            for limb in self.0.iter_mut().rev() {
                let v = *limb;
                *limb = (v >> bits) | carry;
                carry = v << (32 - bits);
            }
        }
        self.trim();
    }

    /// The lowest 128 bits.
    fn low_u128(&self) -> u128 {
        self.0.iter().take(4).rev().fold(0u128, |acc, &l| (acc << 32) | u128::from(l))
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// `self - other`, for `self >= other`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(v < 0);
            *limb = v.rem_euclid(1 << 32) as u32;
        }
        self.trim();
    }

    /// `(self / divisor, self % divisor)` when the quotient is known to fit in `bits` bits: schoolbook
    /// binary division, one bit at a time, which is all a 67-bit quotient needs.
    fn div_small_quotient(mut self, divisor: &Big, bits: usize) -> (u128, Big) {
        let mut shifted = divisor.clone();
        shifted.shl(bits - 1);
        let mut q = 0u128;
        for _ in 0..bits {
            q <<= 1;
            if self.cmp(&shifted) != std::cmp::Ordering::Less {
                self.sub(&shifted);
                q |= 1;
            }
            shifted.shr(1);
        }
        (q, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Ours against the standard reader, bit for bit, and rejected alike.
    fn same(text: &str) {
        let std = text.parse::<f64>().ok().map(f64::to_bits);
        let ours = parse_f64(text).map(f64::to_bits);
        assert_eq!(
            ours,
            std,
            "{text:?}: ours {:?}, std {:?}",
            ours.map(f64::from_bits),
            std.map(f64::from_bits)
        );
    }

    #[test]
    fn the_grammar_is_the_standard_readers() {
        for t in [
            "",
            "+",
            "-",
            ".",
            "+.",
            "e",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1e-",
            "1e+-5",
            "1.2.3",
            "1..2",
            " 1",
            "1 ",
            "1_000",
            "0x10",
            "1f",
            "1.5e5x",
            "inf",
            "INF",
            "-Infinity",
            "+infinity",
            "infinit",
            "infinityy",
            "nan",
            "NaN",
            "-nan",
            "+NAN",
            "nana",
            "0",
            "-0",
            "+0",
            "0.",
            ".0",
            "-.5",
            "5.",
            "00012",
            "1E5",
            "1e-5",
            "1e0005",
            "1e+5",
            "1.e5",
            ".1e5",
            "0e999999999999999999999",
            "1e999999999999999999999",
            "1e-999999999999999999999",
            "0.0000000000000000000000000000001",
            "١",
            "1٫5",
            "--1",
            "+-1",
        ] {
            same(t);
        }
    }

    #[test]
    fn known_hard_cases_round_as_the_standard_reader_does() {
        for t in [
            "9007199254740993",
            "9007199254740995",
            "9007199254740993.0000000000000000000000001",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "2.2250738585072012e-308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.47032822920623272088e-324",
            "1e-400",
            "1e309",
            "1e308",
            "123456789012345678901234567890e-40",
            "0.1",
            "0.3",
            "1.5",
            "8.589973e9",
            "7.038531e-26",
            "3.0540412e5",
            "4.35679e-10",
            "2.2250738585072011e-308",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
        ] {
            same(t);
            same(&format!("-{t}"));
        }
    }

    #[test]
    fn a_thousand_digits_keep_only_what_rounding_needs() {
        // The exact halfway point between 1 and the next double, then a non-zero digit far past the
        // 800 kept: it must round up, where the halfway point alone rounds to even (down).
        let half = "1.00000000000000011102230246251565404236316680908203125";
        same(half);
        same(&format!("{half}{}1", "0".repeat(1000)));
        same(&format!("{half}{}", "0".repeat(1000)));
        same(&format!("{}e-1000", "1".repeat(1200)));
        same(&format!("0.{}1", "0".repeat(330)));
        same(&format!("{}.5", "9".repeat(400)));
    }

    /// Text for `x` as faultline's inputs write it: shortest, scientific, or fixed with few or many
    /// decimals (the standard formatter prints the exact value when asked for enough of them).
    fn spellings(x: f64) -> Vec<String> {
        vec![
            format!("{x}"),
            format!("{x:e}"),
            format!("{x:E}"),
            format!("{x:.3}"),
            format!("{x:.20e}"),
            format!("{x:.40e}"),
        ]
    }

    /// The decimal text of the exact midpoint between a double of mantissa `m` (53 bits at most)
    /// and the next one up, scaled by 2^-k: `(2m+1) × 5^(k+1) × 10^-(k+1)`, exact in a u128.
    fn midpoint(m: u64, k: u32) -> String {
        let digits = u128::from(2 * m + 1) * 5u128.pow(k + 1);
        format!("{digits}e-{}", k + 1)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn every_double_reads_back_as_the_standard_reader_reads_it(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            for s in spellings(x) {
                same(&s);
            }
        }

        #[test]
        fn digit_strings_with_any_exponent(
            digits in "[0-9]{1,40}",
            point in 0usize..40,
            exp in -400i32..400,
        ) {
            let p = point.min(digits.len());
            same(&format!("{}.{}e{exp}", &digits[..p], &digits[p..]));
            same(&format!("{digits}e{exp}"));
        }

        #[test]
        fn exact_halfway_points_round_to_even(m in (1u64 << 52)..(1u64 << 53), k in 0u32..24) {
            same(&midpoint(m, k));
            same(&midpoint(m - 1, k));
        }

        #[test]
        fn halfway_integers_round_to_even(m in (1u64 << 52)..(1u64 << 53), j in 1u32..10, zeros in 0usize..4) {
            let tie = u128::from(2 * m + 1) << (j - 1);
            same(&format!("{tie}"));
            same(&format!("{tie}.{}", "0".repeat(zeros)));
            same(&format!("{}e-{zeros}", tie * 10u128.pow(zeros as u32)));
        }
    }
}
