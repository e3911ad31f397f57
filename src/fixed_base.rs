//! Constant-time fixed-base scalar multiplication k·G, for deriving an EC public key from its
//! private scalar (P-384, P-521, SM2, and P-256 when ring cannot be used).
//!
//! The curve crates' own `mul_by_generator` (radix 16, projective table entries, 97 complete
//! additions for P-384) took 137 µs for P-384. This comb uses signed radix-64 digits and a
//! table of affine points, so one complete *mixed* addition (Renes–Costello–Batina 2015,
//! Algorithm 5, as primeorder implements it) per 6 bits and no doubling: 65 additions for
//! P-384, 88 for P-521, 43 for SM2.
//!
//! The scalar is secret. Its digits are recoded with arithmetic only; each digit's entry is
//! found by scanning all 32 entries of its window with constant-time selection, then
//! conditionally negated; the additions are complete, so the identity needs no branch. Memory
//! accesses and branches are the same for every scalar of a curve.
//!
//! The tables (2^(6i)·j·G for j in 1..=32) are built on first use and kept: 216 KB for P-384,
//! 410 KB for P-521.

use primeorder::elliptic_curve::subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use primeorder::elliptic_curve::{BatchNormalize, Group};
use primeorder::{AffinePoint, PrimeCurveParams, ProjectivePoint};

/// Bits per digit.
const WIDTH: usize = 6;
/// Table entries per window: the multiples 1..=32 (digits are in −32..=32).
const ENTRIES: usize = 1 << (WIDTH - 1);

/// The precomputed multiples of the generator for one curve.
pub(crate) struct Table<C: PrimeCurveParams> {
    windows: Vec<[AffinePoint<C>; ENTRIES]>,
}

impl<C: PrimeCurveParams> Table<C> {
    /// Builds the table for scalars of `bits` bits.
    pub(crate) fn new(bits: usize) -> Self {
        // One window more than the bits need absorbs the last digit's carry.
        let count = bits / WIDTH + 1;
        let mut base = ProjectivePoint::<C>::generator();
        let mut projective = Vec::with_capacity(count * ENTRIES);
        for _ in 0..count {
            let mut multiple = base;
            for _ in 0..ENTRIES {
                projective.push(multiple);
                multiple += base;
            }
            for _ in 0..WIDTH {
                base = base.double();
            }
        }
        let affine: Vec<AffinePoint<C>> = <ProjectivePoint<C> as BatchNormalize<
            [ProjectivePoint<C>],
        >>::batch_normalize(&projective);
        let windows = affine
            .chunks_exact(ENTRIES)
            .map(|chunk| {
                let mut window = [AffinePoint::<C>::IDENTITY; ENTRIES];
                window.copy_from_slice(chunk);
                window
            })
            .collect();
        Table { windows }
    }

    /// k·G for the big-endian scalar `k` (at most the table's bits; the caller has checked it
    /// is in [1, n−1]).
    pub(crate) fn mul(&self, k: &[u8]) -> ProjectivePoint<C> {
        let mut acc = ProjectivePoint::<C>::identity();
        let mut carry = 0i32;
        for (i, window) in self.windows.iter().enumerate() {
            // The digit: 6 bits plus the carry, moved into −32..=32 by arithmetic only.
            let d = bits(k, i * WIDTH) + carry;
            carry = (d + 31) >> WIDTH;
            let digit = d - (carry << WIDTH);
            let negative = (digit >> 31) & 1;
            let magnitude = ((digit ^ -negative) + negative) as u32;
            let mut point = AffinePoint::<C>::IDENTITY;
            for (j, entry) in (1u32..).zip(window.iter()) {
                point.conditional_assign(entry, magnitude.ct_eq(&j));
            }
            let negated = -point;
            point.conditional_assign(&negated, Choice::from(negative as u8));
            acc += &point;
        }
        acc
    }
}

/// The `WIDTH` bits of the big-endian number `k` starting at bit `offset` (bit 0 is the least
/// significant). Which bytes are read depends on `offset` only.
fn bits(k: &[u8], offset: usize) -> i32 {
    let byte = |index: usize| -> u16 {
        k.len()
            .checked_sub(index + 1)
            .and_then(|position| k.get(position))
            .map_or(0, |&b| u16::from(b))
    };
    let low = byte(offset / 8);
    let high = byte(offset / 8 + 1);
    let pair = low | (high << 8);
    i32::from((pair >> (offset % 8)) & ((1 << WIDTH) - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use primeorder::elliptic_curve::PrimeField;

    /// The comb agrees with the curve crates' own multiplication.
    fn agrees<C>(bits_count: usize, scalars: &[Vec<u8>])
    where
        C: PrimeCurveParams,
    {
        let table = Table::<C>::new(bits_count);
        for k in scalars {
            let mut repr = <C::Scalar as PrimeField>::Repr::default();
            let bytes: &mut [u8] = repr.as_mut();
            let len = bytes.len();
            bytes[len - k.len()..].copy_from_slice(k);
            let scalar = Option::<C::Scalar>::from(C::Scalar::from_repr(repr)).unwrap();
            let expected = ProjectivePoint::<C>::generator() * scalar;
            assert_eq!(table.mul(k).to_affine(), expected.to_affine(), "{k:02x?}");
        }
    }

    fn scalars(len: usize) -> Vec<Vec<u8>> {
        let mut all = vec![
            vec![1],
            vec![2],
            vec![31],
            vec![32],
            vec![33],
            vec![63],
            vec![64],
        ];
        let mut k = vec![0u8; len];
        for (i, b) in k.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37).wrapping_add(11);
        }
        k[0] = 0x7f;
        all.push(k.clone());
        k.iter_mut().for_each(|b| *b = 0xa5);
        k[0] = 0x5a;
        all.push(k);
        all.push(vec![0x20; len - 1]);
        all
    }

    #[test]
    fn p384_matches_the_curve_crate() {
        agrees::<p384::NistP384>(384, &scalars(48));
    }

    #[test]
    fn p256_and_sm2_match_their_curve_crates() {
        agrees::<p256::NistP256>(256, &scalars(32));
        agrees::<sm2::Sm2>(256, &scalars(32));
    }

    #[test]
    fn p521_matches_the_curve_crate() {
        let mut all = scalars(66);
        for k in &mut all {
            if k.len() == 66 {
                k[0] &= 1;
            }
        }
        agrees::<p521::NistP521>(521, &all);
    }

    #[test]
    fn bits_reads_little_endian_windows() {
        let k = [0b1010_1100, 0b0111_0001];
        assert_eq!(bits(&k, 0), 0b11_0001);
        assert_eq!(bits(&k, 6), 0b1100 << 2 | 0b01);
        assert_eq!(bits(&k, 12), 0b1010);
        assert_eq!(bits(&k, 18), 0);
    }
}
