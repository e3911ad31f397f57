//! Multi-precision arithmetic for the RSA consistency check, on little-endian `u64` limbs.
//!
//! Every function runs in time that depends on the lengths of its operands only — which, for
//! an RSA key, are public (p and q are half the modulus) — never on their values: no branch
//! and no memory index depends on a limb, comparisons produce masks, and the one division step
//! uses the constant-time reciprocal method of Möller and Granlund ("Improved division by
//! invariant integers", IEEE Trans. Computers 60(2), 2011), ported from crypto-bigint 0.7
//! (MIT/Apache-2.0). The profile is why this exists: crypto-bigint's `BoxedUint` reduction
//! spent ~1,500 instructions per quotient limb where this spends ~250, and the reductions were
//! three quarters of an RSA-4096 check.
//!
//! Buffers holding values are `Zeroizing`: they are key material.

use zeroize::Zeroizing;

/// A number: little-endian limbs, zeroized on drop.
pub(crate) type Limbs = Zeroizing<Vec<u64>>;

/// All ones when `flag` is 1, zero when it is 0; the barrier keeps the compiler from turning
/// the mask back into a branch.
#[inline(always)]
fn mask(flag: u64) -> u64 {
    core::hint::black_box(flag).wrapping_neg()
}

/// All ones when `x < y`.
#[inline(always)]
fn lt_mask(x: u64, y: u64) -> u64 {
    mask(((u128::from(x)).wrapping_sub(u128::from(y)) >> 127) as u64)
}

/// All ones when `x <= y`.
#[inline(always)]
fn le_mask(x: u64, y: u64) -> u64 {
    !lt_mask(y, x)
}

/// All ones when `x <= y` (128-bit).
#[inline(always)]
fn le_mask_wide(x: u128, y: u128) -> u128 {
    let (_, borrow) = y.overflowing_sub(x);
    let ones = mask(u64::from(!borrow));
    u128::from(ones) | (u128::from(ones) << 64)
}

/// All ones when `x == y` (128-bit).
#[inline(always)]
fn eq_mask_wide(x: u128, y: u128) -> u64 {
    let diff = x ^ y;
    let folded = (diff as u64) | ((diff >> 64) as u64);
    // folded == 0 ⇔ equal; (folded | −folded) has its top bit set ⇔ folded ≠ 0.
    !mask((folded | folded.wrapping_neg()) >> 63)
}

/// Divides the constant `dividend` (of `dividend_bits` bits) by `divisor` (of `divisor_bits`
/// bits) by shift-and-subtract, in constant time.
#[inline(always)]
fn short_div(mut dividend: u32, dividend_bits: u32, divisor: u32, divisor_bits: u32) -> u32 {
    let mut divisor = divisor << (dividend_bits - divisor_bits);
    let mut quotient = 0u32;
    let mut i = dividend_bits - divisor_bits + 1;
    while i > 0 {
        i -= 1;
        let smaller = lt_mask(u64::from(dividend), u64::from(divisor)) as u32;
        dividend = (dividend & smaller) | (dividend.wrapping_sub(divisor) & !smaller);
        divisor >>= 1;
        quotient |= !smaller & (1 << i);
    }
    quotient
}

/// The reciprocal ⌊(β² − 1) / d⌋ − β of a normalised limb (top bit set): Algorithm 2.
fn reciprocal(d: u64) -> u64 {
    let d0 = d & 1;
    let d9 = d >> 55;
    let d40 = (d >> 24) + 1;
    let d63 = (d >> 1) + d0;
    let v0 = u64::from(short_div((1 << 19) - 3 * (1 << 8), 19, d9 as u32, 9));
    let v1 = (v0 << 11)
        .wrapping_sub(v0.wrapping_mul(v0).wrapping_mul(d40) >> 40)
        .wrapping_sub(1);
    let v2 = (v1 << 13)
        .wrapping_add(v1.wrapping_mul((1u64 << 60).wrapping_sub(v1.wrapping_mul(d40))) >> 47);
    let e = v2
        .wrapping_mul(d63)
        .wrapping_neg()
        .wrapping_add((v2 >> 1) & mask(d0));
    let hi = ((u128::from(v2) * u128::from(e)) >> 64) as u64;
    let v3 = (v2 << 31).wrapping_add(hi >> 1);
    let x = v3.wrapping_add(1);
    let hi = ((u128::from(x) * u128::from(d)) >> 64) as u64;
    // When x wrapped to 0 the product is d·β, whose high word is d.
    let x_zero = !mask((x | x.wrapping_neg()) >> 63);
    let hi = (d & x_zero) | (hi & !x_zero);
    v3.wrapping_sub(hi).wrapping_sub(d)
}

/// The reciprocal of the two-limb divisor (d1, d0), d1 normalised: Algorithm 6.
fn reciprocal_3by2(d0: u64, d1: u64) -> u64 {
    let mut v = reciprocal(d1);
    let mut p = d1.wrapping_mul(v).wrapping_add(d0);
    let p_lt_d0 = lt_mask(p, d0);
    v = v.wrapping_sub(1 & p_lt_d0);
    let p_ge_d1 = le_mask(d1, p) & p_lt_d0;
    v = v.wrapping_sub(1 & p_ge_d1);
    p = p.wrapping_sub(d1 & p_ge_d1);
    p = p.wrapping_sub(d1 & p_lt_d0);
    let product = u128::from(v) * u128::from(d0);
    let (t0, t1) = (product as u64, (product >> 64) as u64);
    let p = p.wrapping_add(t1);
    let p_lt_t1 = lt_mask(p, t1);
    v = v.wrapping_sub(1 & p_lt_t1);
    let d = (u128::from(d1) << 64) | u128::from(d0);
    let t0p = (u128::from(p) << 64) | u128::from(t0);
    let t0p_ge_d = (le_mask_wide(d, t0p) as u64) & p_lt_t1;
    v.wrapping_sub(1 & t0p_ge_d)
}

/// The quotient limb of (u2, u1, u0) / (d1, d0), capped at β − 1, given (u2, u1) ≤ (d1, d0),
/// d1 normalised and `v` its 3-by-2 reciprocal: Algorithm 5. Off by at most one above.
fn div3by2(u0: u64, u1: u64, u2: u64, d0: u64, d1: u64, v: u64) -> u64 {
    let d = (u128::from(d1) << 64) | u128::from(d0);
    let u_hi = (u128::from(u2) << 64) | u128::from(u1);
    let q = (u128::from(v) * u128::from(u2)).wrapping_add(u_hi);
    let (q0, q1) = (q as u64, (q >> 64) as u64);
    let r1 = u1.wrapping_sub(q1.wrapping_mul(d1));
    let t = u128::from(d0) * u128::from(q1);
    let r = ((u128::from(r1) << 64) | u128::from(u0))
        .wrapping_sub(t)
        .wrapping_sub(d);
    let r1_ge_q0 = le_mask(q0, (r >> 64) as u64);
    let q1 = q1.wrapping_add(!r1_ge_q0 & 1);
    let r = r.wrapping_add(d & (u128::from(r1_ge_q0) | (u128::from(r1_ge_q0) << 64)));
    let r_ge_d = le_mask_wide(d, r) as u64;
    let q1 = q1.wrapping_add(r_ge_d & 1);
    q1 | eq_mask_wide(u_hi, d)
}

/// A number from big-endian bytes (leading zero bytes dropped: the length is public).
pub(crate) fn from_be_bytes(bytes: &[u8]) -> Limbs {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let bytes = bytes.get(start..).unwrap_or_default();
    let mut limbs = Zeroizing::new(Vec::with_capacity(bytes.len().div_ceil(8)));
    let mut chunks = bytes.rchunks_exact(8);
    for chunk in &mut chunks {
        let mut word = 0u64;
        for &b in chunk {
            word = (word << 8) | u64::from(b);
        }
        limbs.push(word);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        limbs.push(
            rest.iter()
                .fold(0u64, |word, &b| (word << 8) | u64::from(b)),
        );
    }
    limbs
}

/// `a · b`.
pub(crate) fn mul(a: &[u64], b: &[u64]) -> Limbs {
    let mut product = Zeroizing::new(vec![0u64; a.len() + b.len()]);
    for (i, &ai) in a.iter().enumerate() {
        let row = product.get_mut(i..).unwrap_or_default();
        let mut carry = 0u64;
        let mut cells = row.iter_mut();
        // `b` first: zip must not pull (and drop) a cell once `b` is exhausted.
        for (&bj, cell) in b.iter().zip(&mut cells) {
            let t = u128::from(ai) * u128::from(bj) + u128::from(*cell) + u128::from(carry);
            *cell = t as u64;
            carry = (t >> 64) as u64;
        }
        if let Some(cell) = cells.next() {
            *cell = carry;
        }
    }
    product
}

/// `a − 1`, wrapping (callers make sure `a ≥ 1`).
pub(crate) fn sub_one(a: &[u64]) -> Limbs {
    let mut borrow = 1u64;
    let mut out = Zeroizing::new(Vec::with_capacity(a.len()));
    for &limb in a {
        let (value, b) = limb.overflowing_sub(borrow);
        out.push(value);
        borrow = u64::from(b);
    }
    out
}

/// `a < b`, as numbers of any lengths.
pub(crate) fn lt(a: &[u64], b: &[u64]) -> bool {
    let len = a.len().max(b.len());
    let mut borrow = 0u64;
    for i in 0..len {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        let diff = u128::from(x)
            .wrapping_sub(u128::from(y))
            .wrapping_sub(u128::from(borrow));
        borrow = (diff >> 127) as u64;
    }
    borrow == 1
}

/// `a == b` as numbers of any lengths.
pub(crate) fn eq(a: &[u64], b: &[u64]) -> bool {
    let len = a.len().max(b.len());
    let mut diff = 0u64;
    for i in 0..len {
        diff |= a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0);
    }
    diff == 0
}

/// `x mod m`, or `None` when `m` is zero. Time depends on the lengths of `x` and `m` and on
/// the bit length of `m`, not on their values.
pub(crate) fn rem(x: &[u64], m: &[u64]) -> Option<Limbs> {
    // The divisor's length without zero top limbs, and its normalising shift: its bit length.
    let n = m.iter().rposition(|&limb| limb != 0)? + 1;
    let m = m.get(..n)?;
    if n == 1 {
        // Algorithm D needs two divisor limbs: divide x·β by m·β and drop the low limb.
        let mut wide_x = Zeroizing::new(Vec::with_capacity(x.len() + 1));
        wide_x.push(0);
        wide_x.extend_from_slice(x);
        let r = rem(&wide_x, &[0, *m.first()?])?;
        return Some(Zeroizing::new(vec![r.get(1).copied().unwrap_or(0)]));
    }
    if x.len() < n {
        let mut r = Zeroizing::new(x.to_vec());
        r.resize(n, 0);
        return Some(r);
    }
    let shift = m.last()?.leading_zeros();
    let divisor = shl(m, shift, n);
    let mut rem = shl(x, shift, x.len() + 1);
    let (d1, d0) = (*divisor.get(n - 1)?, *divisor.get(n - 2)?);
    let v = reciprocal_3by2(d0, d1);
    for j in (0..=x.len() - n).rev() {
        let window = rem.get_mut(j..=j + n)?;
        let u2 = *window.get(n)?;
        let u1 = *window.get(n - 1)?;
        let u0 = *window.get(n - 2)?;
        let q = div3by2(u0, u1, u2, d0, d1, v);
        // window −= q · divisor
        let mut carry = 0u64;
        let mut borrow = 0u64;
        for (cell, &limb) in window.iter_mut().zip(divisor.iter()) {
            let t = u128::from(limb) * u128::from(q) + u128::from(carry);
            carry = (t >> 64) as u64;
            let (value, b1) = cell.overflowing_sub(t as u64);
            let (value, b2) = value.overflowing_sub(borrow);
            *cell = value;
            borrow = u64::from(b1 | b2);
        }
        let top = window.last_mut()?;
        let (value, b1) = top.overflowing_sub(carry);
        let (value, b2) = value.overflowing_sub(borrow);
        *top = value;
        // q was one too many: add the divisor back (always computed, applied under a mask).
        let add_back = mask(u64::from(b1 | b2));
        let mut carry = 0u64;
        for (cell, &limb) in window.iter_mut().zip(divisor.iter()) {
            let t = u128::from(*cell) + u128::from(limb & add_back) + u128::from(carry);
            *cell = t as u64;
            carry = (t >> 64) as u64;
        }
        let top = window.last_mut()?;
        *top = top.wrapping_add(carry);
    }
    // The remainder is the low n limbs, shifted back.
    let low = rem.get(..=n)?;
    Some(shr(low, shift, n))
}

/// `x − y` when `x ≥ y`, else `None` (the comparison is constant time; only its verdict
/// branches).
pub(crate) fn checked_sub(x: &[u64], y: &[u64]) -> Option<Limbs> {
    let len = x.len().max(y.len());
    let mut out = Zeroizing::new(Vec::with_capacity(len));
    let mut borrow = 0u64;
    for i in 0..len {
        let diff = u128::from(x.get(i).copied().unwrap_or(0))
            .wrapping_sub(u128::from(y.get(i).copied().unwrap_or(0)))
            .wrapping_sub(u128::from(borrow));
        out.push(diff as u64);
        borrow = (diff >> 127) as u64;
    }
    (borrow == 0).then_some(out)
}

/// True when `m` divides `x` (`m` non-zero).
///
/// For odd `m` this is one Montgomery reduction: with R = 2^(64k) > x / m, REDC(x) = x·R⁻¹ mod m
/// lies in [0, 2m), and x ≡ 0 (mod m) ⇔ REDC(x) ∈ {0, m}. That is k multiply-accumulate passes
/// over m, about half what a division costs (no quotient estimate, no add-back pass). An even
/// `m = 2^s·m'` (p − 1) is tested as "the low s bits of x are zero and m' divides x", m' taken
/// by a constant-time barrel shift. Only when the low limb of `m` is zero (p ≡ 1 mod 2^64, which
/// no generated prime is) does it fall back to [`rem`].
pub(crate) fn divisible(x: &[u64], m: &[u64]) -> Option<bool> {
    let low = *m.first()?;
    if low == 0 {
        return rem(x, m).map(|r| r.iter().all(|&limb| limb == 0));
    }
    let shift = low.trailing_zeros();
    // x's low `shift` bits must be zero.
    let low_bits = x.first().copied().unwrap_or(0) & ((1u64 << shift) - 1);
    let odd = shr_secret(m, shift);
    let odd_divides = redc_divisible(x, &odd)?;
    Some(odd_divides & (low_bits == 0))
}

/// `a >> shift` for a secret `shift` < 64: six conditional stages, each applied under a mask.
fn shr_secret(a: &[u64], shift: u32) -> Limbs {
    let mut value = Zeroizing::new(a.to_vec());
    for stage in 0..6 {
        let amount = 1u32 << stage;
        let apply = mask(u64::from((shift >> stage) & 1));
        // In place, low limb first: each limb reads only itself and the next (not yet moved).
        for i in 0..value.len() {
            let low = value.get(i).copied().unwrap_or(0) >> amount;
            let high = value.get(i + 1).copied().unwrap_or(0) << (64 - amount);
            if let Some(cell) = value.get_mut(i) {
                *cell = (*cell & !apply) | ((low | high) & apply);
            }
        }
    }
    value
}

/// REDC divisibility test for odd `m`; `None` when `m` is zero or even.
fn redc_divisible(x: &[u64], m: &[u64]) -> Option<bool> {
    let n = m.iter().rposition(|&limb| limb != 0)? + 1;
    let m = m.get(..n)?;
    let m0 = *m.first()?;
    if m0 & 1 == 0 {
        return None;
    }
    // −m⁻¹ mod 2^64 by Newton's iteration (each step doubles the correct low bits).
    let mut inverse = m0;
    for _ in 0..6 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(m0.wrapping_mul(inverse)));
    }
    let minus_inverse = inverse.wrapping_neg();
    // k passes eliminate k low limbs; x < m·2^(64k) needs k = len(x) − n + 1.
    let passes = (x.len() + 1).saturating_sub(n).max(1);
    let mut t = Zeroizing::new(vec![0u64; passes + n + 1]);
    for (cell, &limb) in t.iter_mut().zip(x) {
        *cell = limb;
    }
    // The carry out of pass i lands in limb i + n; what overflows from there (at most 1) is
    // held in `top` and added with the next pass's carry, one limb higher — so each pass
    // touches n + 1 limbs, whatever the value (constant time).
    let mut top = 0u64;
    for i in 0..passes {
        let row = t.get_mut(i..)?;
        let u = row.first()?.wrapping_mul(minus_inverse);
        let mut carry = 0u64;
        let (head, tail) = row.split_at_mut(n);
        for (cell, &limb) in head.iter_mut().zip(m) {
            let sum = u128::from(*cell) + u128::from(limb) * u128::from(u) + u128::from(carry);
            *cell = sum as u64;
            carry = (sum >> 64) as u64;
        }
        let next = tail.first_mut()?;
        let sum = u128::from(*next) + u128::from(carry) + u128::from(top);
        *next = sum as u64;
        top = (sum >> 64) as u64;
    }
    // The last overflow goes to the top limb (t has passes + n + 1 limbs).
    let last = t.last_mut()?;
    *last = last.wrapping_add(top);
    let reduced = t.get(passes..)?;
    Some(eq(reduced, &[]) | eq(reduced, m))
}

/// `a << shift` (shift < 64) into `len` limbs.
fn shl(a: &[u64], shift: u32, len: usize) -> Limbs {
    let mut out = Zeroizing::new(vec![0u64; len]);
    let mut carry = 0u64;
    for (cell, &limb) in out.iter_mut().zip(a) {
        *cell = (limb << shift) | carry;
        carry = if shift == 0 { 0 } else { limb >> (64 - shift) };
    }
    if let Some(cell) = out.get_mut(a.len()) {
        *cell = carry;
    }
    out
}

/// `a >> shift` (shift < 64), keeping `len` limbs.
fn shr(a: &[u64], shift: u32, len: usize) -> Limbs {
    let mut out = Zeroizing::new(vec![0u64; len]);
    for (i, cell) in out.iter_mut().enumerate() {
        let low = a.get(i).copied().unwrap_or(0) >> shift;
        let high = if shift == 0 {
            0
        } else {
            a.get(i + 1).copied().unwrap_or(0) << (64 - shift)
        };
        *cell = low | high;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    fn big(limbs: &[u64]) -> BigUint {
        let mut bytes = Vec::new();
        for limb in limbs.iter().rev() {
            bytes.extend_from_slice(&limb.to_be_bytes());
        }
        BigUint::from_bytes_be(&bytes)
    }

    #[test]
    fn divisibility_edges() {
        assert_eq!(divisible(&[6], &[3]), Some(true));
        assert_eq!(divisible(&[7], &[3]), Some(false));
        assert_eq!(divisible(&[], &[5]), Some(true));
        assert_eq!(divisible(&[12], &[4]), Some(true));
        assert_eq!(divisible(&[10], &[4]), Some(false));
        // m = 1 and m = 2^s divide by their low bits alone.
        assert_eq!(divisible(&[u64::MAX, 5], &[1]), Some(true));
        assert_eq!(divisible(&[0, 5], &[0, 1]), Some(true));
        assert_eq!(divisible(&[1, 5], &[0, 1]), Some(false));
        assert_eq!(divisible(&[1], &[0]), None);
        assert_eq!(checked_sub(&[5], &[7]), None);
        assert_eq!(
            checked_sub(&[0, 1], &[1]).unwrap().to_vec(),
            vec![u64::MAX, 0]
        );
    }

    #[test]
    fn reciprocal_matches_its_definition() {
        for d in [
            u64::MAX,
            1 << 63,
            (1 << 63) | 1,
            0xdead_beef_0123_4567 | (1 << 63),
        ] {
            let expected = u128::MAX / u128::from(d) - u128::from(u64::MAX) - 1;
            assert_eq!(u128::from(reciprocal(d)), expected, "{d:#x}");
        }
    }

    #[test]
    fn remainders_at_the_edges() {
        let cases: [(&[u64], &[u64]); 6] = [
            (&[5], &[3]),
            (&[0, 0, 1], &[u64::MAX, u64::MAX]),
            (&[u64::MAX, u64::MAX, u64::MAX], &[1, 1 << 63]),
            (&[7], &[0, 1]),
            (&[u64::MAX; 8], &[u64::MAX, u64::MAX, 0]),
            (&[0, 0, 0, 0, 1], &[1, 0, 1]),
        ];
        for (x, m) in cases {
            let r = rem(x, m).unwrap();
            assert_eq!(big(&r), big(x) % big(m), "{x:x?} mod {m:x?}");
        }
        assert!(rem(&[1, 2], &[0, 0]).is_none());
    }

    /// All-ones limbs make every REDC pass carry out of its top limb.
    #[test]
    fn divisibility_with_carries_everywhere() {
        for m_len in 1..6 {
            for q_len in 0..8 {
                let m = big(&vec![u64::MAX; m_len]);
                let q = big(&vec![u64::MAX; q_len]);
                for offset in [0u8, 1] {
                    let x = &q * &m + BigUint::from(offset);
                    let got = divisible(&x.to_u64_digits(), &m.to_u64_digits()).unwrap();
                    assert_eq!(got, offset == 0, "{m_len} {q_len} {offset}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn rem_and_mul_match_num_bigint(
            x in prop::collection::vec(any::<u64>(), 0..12),
            m in prop::collection::vec(any::<u64>(), 1..8),
            top in prop::sample::select(vec![0u64, 1, u64::MAX, 1 << 63]),
        ) {
            let mut m = m;
            if let Some(last) = m.last_mut() { *last |= top; }
            if big(&m) != BigUint::from(0u8) {
                let r = rem(&x, &m).unwrap();
                prop_assert_eq!(big(&r), big(&x) % big(&m));
            }
            prop_assert_eq!(big(&mul(&x, &m)), big(&x) * big(&m));
            prop_assert_eq!(lt(&x, &m), big(&x) < big(&m));
            prop_assert_eq!(eq(&x, &m), big(&x) == big(&m));
        }

        /// Dividends whose top limbs equal the divisor: the quotient-limb estimate is capped.
        #[test]
        fn capped_quotient_limbs(
            low in prop::collection::vec(any::<u64>(), 0..4),
            m in prop::collection::vec(any::<u64>(), 2..5),
            tail in any::<u64>(),
        ) {
            let mut m = m;
            if let Some(last) = m.last_mut() { *last |= 1 << 63; }
            let mut x = low;
            x.push(tail);
            x.extend_from_slice(&m);
            let r = rem(&x, &m).unwrap();
            prop_assert_eq!(big(&r), big(&x) % big(&m));
            // And unnormalised divisors shifted into the same shape.
            let m_small: Vec<u64> = m.iter().map(|l| l >> 3).collect();
            if big(&m_small) != BigUint::from(0u8) {
                let r = rem(&x, &m_small).unwrap();
                prop_assert_eq!(big(&r), big(&x) % big(&m_small));
            }
        }

        /// `divisible` agrees with `%` for odd, even and 2^s-heavy moduli.
        #[test]
        fn divisible_matches_num_bigint(
            q in prop::collection::vec(any::<u64>(), 0..6),
            m in prop::collection::vec(any::<u64>(), 1..6),
            zeros in 0u32..70,
            offset in prop::sample::select(vec![0u64, 1, 2]),
        ) {
            let m = big(&m) << zeros;
            if m == BigUint::from(0u8) {
                return Ok(());
            }
            // x = q·m + offset: divisible exactly when offset ≡ 0 (mod m).
            let x = big(&q) * &m + BigUint::from(offset);
            let limbs = |v: &BigUint| v.to_u64_digits();
            let got = divisible(&limbs(&x), &limbs(&m)).unwrap();
            prop_assert_eq!(got, &x % &m == BigUint::from(0u8), "{} {}", x, m);
        }

        #[test]
        fn sub_one_and_bytes_round_trip(bytes in prop::collection::vec(any::<u8>(), 1..40)) {
            let value = from_be_bytes(&bytes);
            prop_assert_eq!(big(&value), BigUint::from_bytes_be(&bytes));
            if big(&value) > BigUint::from(0u8) {
                prop_assert_eq!(big(&sub_one(&value)), BigUint::from_bytes_be(&bytes) - 1u8);
            }
        }
    }
}
