//! Constant-time fixed-base scalar multiplication k·G, for deriving an EC public key from its
//! private scalar (P-384, P-521, SM2, and P-256 when ring cannot be used).
//!
//! The curve crates' own `mul_by_generator` (radix 16, projective table entries, 97 complete
//! additions for P-384) took 137 µs for P-384. This comb uses signed radix-2^w digits (w is the
//! table's `WIDTH`, chosen per curve in `key_match.rs`: 7 for P-384 and P-521, 6 for P-256 and
//! SM2) and a table of affine points: one complete *mixed* addition per digit and no doubling —
//! 55 additions for P-384, 75 for P-521, 43 for P-256 and SM2.
//!
//! The table keeps each entry's coordinates as raw canonical limbs, so the secret-indexed
//! lookup is a scan of every entry of the window with plain masks (three instructions a limb;
//! selecting the curve crates' field elements cost ~15 a limb and was 40 % of the time). The
//! selected entry becomes field elements through their public `from_repr`, and the addition is
//! the complete mixed formula of Renes, Costello and Batina ("Complete addition formulas for
//! prime order elliptic curves", 2015, Algorithm 5, a = −3), written here as primeorder
//! (MIT/Apache-2.0) writes it, on the curve's public field arithmetic.
//!
//! The scalar is secret. Its digits are recoded with arithmetic only; every entry of every
//! window is read for every scalar; a zero digit's addition is computed and then discarded by
//! a constant-time select, and a negative digit's y is negated the same way. Branches and memory
//! accesses are the same for every scalar of a curve.
//!
//! The tables (2^(wi)·j·G for j in 1..=2^(w−1)) are built on first use and kept: 338 KB for
//! P-384, 691 KB for P-521, 88 KB each for P-256 and SM2.

use core::marker::PhantomData;

use primeorder::elliptic_curve::ff::{Field, PrimeField};
use primeorder::elliptic_curve::sec1::ToSec1Point;
use primeorder::elliptic_curve::subtle::{Choice, ConditionallySelectable};
use primeorder::elliptic_curve::{BatchNormalize, Group};
use primeorder::{AffinePoint, PrimeCurveParams, ProjectivePoint};

/// A point in projective coordinates (X : Y : Z), x = X/Z, y = Y/Z.
pub(crate) struct Projective<F> {
    x: F,
    y: F,
    z: F,
}

/// The precomputed multiples of the generator for one curve, for digits of `WIDTH` bits, with
/// coordinates of `WORDS` u64 limbs (fixed, so the lookup loop is unrolled and vectorised).
pub(crate) struct Table<C: PrimeCurveParams, const WIDTH: usize, const WORDS: usize> {
    /// Window after window, entry after entry: [x, y] as big-endian u64 limbs.
    entries: Vec<[[u64; WORDS]; 2]>,
    curve: PhantomData<C>,
}

/// Big-endian bytes into big-endian u64 limbs, left-padded.
fn to_words<const WORDS: usize>(bytes: &[u8]) -> [u64; WORDS] {
    let mut padded = [0u8; 9 * 8];
    let used = WORDS * 8;
    if let Some(tail) = padded.get_mut(used.saturating_sub(bytes.len())..used)
        && tail.len() == bytes.len()
    {
        tail.copy_from_slice(bytes);
    }
    let mut words = [0u64; WORDS];
    for (word, chunk) in words.iter_mut().zip(padded.chunks_exact(8)) {
        let mut be = [0u8; 8];
        be.copy_from_slice(chunk);
        *word = u64::from_be_bytes(be);
    }
    words
}

impl<C: PrimeCurveParams, const WIDTH: usize, const WORDS: usize> Table<C, WIDTH, WORDS> {
    /// Table entries per window.
    const ENTRIES: usize = 1 << (WIDTH - 1);
    /// 2^(WIDTH−1): a digit above it borrows from the next window.
    const HALF: i32 = 1 << (WIDTH - 1);

    /// Builds the table for scalars of `bits` bits.
    pub(crate) fn new(bits: usize) -> Self {
        // One window more than the bits need absorbs the last digit's carry.
        let count = bits / WIDTH + 1;
        let mut base = ProjectivePoint::<C>::generator();
        let mut projective = Vec::with_capacity(count * Self::ENTRIES);
        for _ in 0..count {
            let mut multiple = base;
            for _ in 0..Self::ENTRIES {
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
        let repr = <C::FieldElement as PrimeField>::Repr::default();
        let field_len = AsRef::<[u8]>::as_ref(&repr).len();
        debug_assert_eq!(field_len.div_ceil(8), WORDS, "WORDS does not fit the curve");
        let entries = affine
            .iter()
            .map(|point| {
                let encoded = point.to_sec1_point(false);
                let bytes = encoded.as_bytes();
                // 0x04 || x || y
                let (x, y) = bytes
                    .get(1..)
                    .unwrap_or_default()
                    .split_at(field_len.min(bytes.len().saturating_sub(1)));
                [to_words::<WORDS>(x), to_words::<WORDS>(y)]
            })
            .collect();
        Table {
            entries,
            curve: PhantomData,
        }
    }

    /// k·G for the big-endian scalar `k` (at most the table's bits; the caller has checked it
    /// is in [1, n−1]).
    pub(crate) fn mul(&self, k: &[u8]) -> Projective<C::FieldElement> {
        let mut acc = Projective {
            x: C::FieldElement::ZERO,
            y: C::FieldElement::ONE,
            z: C::FieldElement::ZERO,
        };
        let mut carry = 0i32;
        for (i, window) in self.entries.chunks_exact(Self::ENTRIES).enumerate() {
            // The digit: WIDTH bits plus the carry, moved into ±HALF by arithmetic only.
            let d = bits(k, i * WIDTH, WIDTH) + carry;
            carry = (d + Self::HALF - 1) >> WIDTH;
            let digit = d - (carry << WIDTH);
            let negative = (digit >> 31) & 1;
            let magnitude = ((digit ^ -negative) + negative) as u64;
            // Every entry is read; the one whose multiple equals the magnitude is kept.
            let mut selected = [[0u64; WORDS]; 2];
            for (j, entry) in (1u64..).zip(window) {
                let difference = magnitude ^ j;
                // All ones exactly when difference == 0.
                let keep = core::hint::black_box(
                    ((difference | difference.wrapping_neg()) >> 63).wrapping_sub(1),
                );
                for (cells, limbs) in selected.iter_mut().zip(entry) {
                    for (cell, &limb) in cells.iter_mut().zip(limbs) {
                        *cell |= limb & keep;
                    }
                }
            }
            let [x_limbs, y_limbs] = &selected;
            let x = field_element::<C>(x_limbs);
            let y = field_element::<C>(y_limbs);
            let y = C::FieldElement::conditional_select(&y, &-y, Choice::from(negative as u8));
            let sum = add_mixed::<C>(&acc, &x, &y);
            let zero = Choice::from(u8::from(magnitude == 0));
            let zero = core::hint::black_box(zero);
            acc.x = C::FieldElement::conditional_select(&sum.x, &acc.x, zero);
            acc.y = C::FieldElement::conditional_select(&sum.y, &acc.y, zero);
            acc.z = C::FieldElement::conditional_select(&sum.z, &acc.z, zero);
        }
        acc
    }
}

impl<F: Field> Projective<F> {
    /// True when this is the affine point (x, y) (cross-multiplied: no inversion).
    pub(crate) fn equals_affine(&self, x: &F, y: &F) -> bool {
        let same = (*x * self.z).ct_eq(&self.x) & (*y * self.z).ct_eq(&self.y);
        bool::from(same & !self.z.is_zero())
    }

    /// The affine coordinates, or `None` for the identity.
    pub(crate) fn to_affine(&self) -> Option<(F, F)> {
        let inverse = Option::<F>::from(self.z.invert())?;
        Some((self.x * inverse, self.y * inverse))
    }
}

/// True when `derived` is the point whose SEC1 uncompressed encoding is `uncompressed`
/// (0x04 ‖ x ‖ y with canonical coordinates; cross-multiplied, no inversion). Equality with a
/// derived point is what proves the bytes a point of the curve, so they need no decoding first.
pub(crate) fn is_point<C: PrimeCurveParams>(
    derived: &Projective<C::FieldElement>,
    uncompressed: &[u8],
) -> bool {
    let repr = <C::FieldElement as PrimeField>::Repr::default();
    let len = AsRef::<[u8]>::as_ref(&repr).len();
    let Some((&0x04, coordinates)) = uncompressed.split_first() else {
        return false;
    };
    if coordinates.len() != 2 * len {
        return false;
    }
    let (x, y) = coordinates.split_at(len);
    field_from_tail::<C>(x)
        .zip(field_from_tail::<C>(y))
        .is_some_and(|(x, y)| derived.equals_affine(&x, &y))
}

impl<F: PrimeField> Projective<F> {
    /// The SEC1 uncompressed encoding (0x04 || x || y); empty for the identity, which no
    /// scalar in [1, n−1] gives.
    pub(crate) fn to_uncompressed(&self) -> Vec<u8> {
        let Some((x, y)) = self.to_affine() else {
            return Vec::new();
        };
        let mut out = vec![0x04];
        out.extend_from_slice(x.to_repr().as_ref());
        out.extend_from_slice(y.to_repr().as_ref());
        out
    }
}

/// The field element with these big-endian canonical limbs (table entries are canonical, so
/// this is always `Some` in use; a non-canonical value gives zero).
fn field_element<C: PrimeCurveParams>(limbs: &[u64]) -> C::FieldElement {
    let mut padded = [0u8; 9 * 8];
    for (chunk, limb) in padded.chunks_exact_mut(8).zip(limbs) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    let used = padded.get(..limbs.len() * 8).unwrap_or_default();
    field_from_tail::<C>(used).unwrap_or(C::FieldElement::ZERO)
}

/// The field element encoded (big-endian) by the last field-length bytes of `bytes`, when
/// `bytes` is that long and the value is canonical.
fn field_from_tail<C: PrimeCurveParams>(bytes: &[u8]) -> Option<C::FieldElement> {
    let mut repr = <C::FieldElement as PrimeField>::Repr::default();
    let target: &mut [u8] = repr.as_mut();
    let tail = bytes.get(bytes.len().checked_sub(target.len())?..)?;
    target.copy_from_slice(tail);
    Option::from(C::FieldElement::from_repr(repr))
}

/// `acc + (x, y)` for an affine (x, y) on the curve: Renes–Costello–Batina 2015 Algorithm 5
/// (complete for a = −3), step numbers as in the paper.
fn add_mixed<C: PrimeCurveParams>(
    acc: &Projective<C::FieldElement>,
    x: &C::FieldElement,
    y: &C::FieldElement,
) -> Projective<C::FieldElement> {
    let b = C::EQUATION_B;
    let xx = acc.x * x; // 1
    let yy = acc.y * y; // 2
    let xy_pairs = ((acc.x + acc.y) * (*x + y)) - (xx + yy); // 3, 4, 5, 6, 7
    let yz_pairs = (*y * acc.z) + acc.y; // 8, 9
    let xz_pairs = (*x * acc.z) + acc.x; // 10, 11
    let bz_part = xz_pairs - (b * acc.z); // 12, 13
    let bz3_part = bz_part.double() + bz_part; // 14, 15
    let yy_m_bzz3 = yy - bz3_part; // 16
    let yy_p_bzz3 = yy + bz3_part; // 17
    let z3 = acc.z.double() + acc.z; // 19, 20
    let bxz_part = (b * xz_pairs) - (z3 + xx); // 18, 21, 22
    let bxz3_part = bxz_part.double() + bxz_part; // 23, 24
    let xx3_m_zz3 = xx.double() + xx - z3; // 25, 26, 27
    Projective {
        x: (yy_p_bzz3 * xy_pairs) - (yz_pairs * bxz3_part), // 28, 32, 33
        y: (yy_p_bzz3 * yy_m_bzz3) + (xx3_m_zz3 * bxz3_part), // 29, 30, 31
        z: (yy_m_bzz3 * yz_pairs) + (xy_pairs * xx3_m_zz3), // 34, 35, 36
    }
}

/// The `width` (≤ 9) bits of the big-endian number `k` starting at bit `offset` (bit 0 is the
/// least significant). Which bytes are read depends on `offset` only.
fn bits(k: &[u8], offset: usize, width: usize) -> i32 {
    let byte = |index: usize| -> u16 {
        k.len()
            .checked_sub(index + 1)
            .and_then(|position| k.get(position))
            .map_or(0, |&b| u16::from(b))
    };
    let low = byte(offset / 8);
    let high = byte(offset / 8 + 1);
    let pair = low | (high << 8);
    i32::from((pair >> (offset % 8)) & ((1 << width) - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use primeorder::elliptic_curve::point::AffineCoordinates;

    /// The comb agrees with the curve crates' own multiplication, at several widths.
    fn agrees<C, const WORDS: usize>(bits_count: usize, scalars: &[Vec<u8>])
    where
        C: PrimeCurveParams,
    {
        agrees_at::<C, 6, WORDS>(bits_count, scalars);
        agrees_at::<C, 4, WORDS>(bits_count, scalars);
        agrees_at::<C, 5, WORDS>(bits_count, scalars);
        agrees_at::<C, 7, WORDS>(bits_count, scalars);
    }

    fn agrees_at<C, const WIDTH: usize, const WORDS: usize>(bits_count: usize, scalars: &[Vec<u8>])
    where
        C: PrimeCurveParams,
    {
        let table = Table::<C, WIDTH, WORDS>::new(bits_count);
        for k in scalars {
            let mut repr = <C::Scalar as PrimeField>::Repr::default();
            let bytes: &mut [u8] = repr.as_mut();
            let len = bytes.len();
            bytes[len - k.len()..].copy_from_slice(k);
            let scalar = Option::<C::Scalar>::from(C::Scalar::from_repr(repr)).unwrap();
            let expected = (ProjectivePoint::<C>::generator() * scalar).to_affine();
            let x =
                Option::<C::FieldElement>::from(C::FieldElement::from_repr(expected.x())).unwrap();
            let y =
                Option::<C::FieldElement>::from(C::FieldElement::from_repr(expected.y())).unwrap();
            let derived = table.mul(k);
            assert!(derived.equals_affine(&x, &y), "{k:02x?}");
            assert_eq!(derived.to_affine(), Some((x, y)), "{k:02x?}");
            assert!(!derived.equals_affine(&y, &x), "{k:02x?}");
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
        agrees::<p384::NistP384, 6>(384, &scalars(48));
    }

    #[test]
    fn p256_and_sm2_match_their_curve_crates() {
        agrees::<p256::NistP256, 4>(256, &scalars(32));
        agrees::<sm2::Sm2, 4>(256, &scalars(32));
    }

    #[test]
    fn p521_matches_the_curve_crate() {
        let mut all = scalars(66);
        for k in &mut all {
            if k.len() == 66 {
                k[0] &= 1;
            }
        }
        agrees::<p521::NistP521, 9>(521, &all);
    }

    /// `is_point` takes exactly the uncompressed encoding of the derived point.
    #[test]
    fn is_point_reads_uncompressed_encodings_only() {
        let table = Table::<p384::NistP384, 7, 6>::new(384);
        let k = [7u8];
        let derived = table.mul(&k);
        let encoded = derived.to_uncompressed();
        assert_eq!(encoded.len(), 97);
        assert!(is_point::<p384::NistP384>(&derived, &encoded));
        let mut swapped = vec![0x04];
        swapped.extend_from_slice(&encoded[49..]);
        swapped.extend_from_slice(&encoded[1..49]);
        assert!(!is_point::<p384::NistP384>(&derived, &swapped));
        let mut prefix = encoded.clone();
        prefix[0] = 0x06;
        assert!(!is_point::<p384::NistP384>(&derived, &prefix));
        let mut longer = encoded.clone();
        longer.insert(1, 0);
        longer.insert(50, 0);
        assert!(!is_point::<p384::NistP384>(&derived, &longer));
        assert!(!is_point::<p384::NistP384>(&derived, &encoded[..96]));
        assert!(!is_point::<p384::NistP384>(&derived, &[]));
    }

    #[test]
    fn bits_reads_little_endian_windows() {
        let k = [0b1010_1100, 0b0111_0001];
        assert_eq!(bits(&k, 0, 6), 0b11_0001);
        assert_eq!(bits(&k, 6, 6), 0b1100 << 2 | 0b01);
        assert_eq!(bits(&k, 12, 6), 0b1010);
        assert_eq!(bits(&k, 18, 6), 0);
        for width in 1..=9 {
            for offset in 0..20 {
                let expected = (0xac71u32 >> offset) & ((1 << width) - 1);
                assert_eq!(bits(&k, offset, width) as u32, expected, "{offset} {width}");
            }
        }
    }
}
