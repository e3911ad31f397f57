//! The chain as a whole (order, completeness, validity of the intermediates, signatures) and
//! the names the leaf covers. These only warn: the service checks none of them.

use crate::certificate::Certificate;
use crate::failure::Warning;

/// Warnings about the chain; `leaf` is the index of the certificate the key belongs to, `None`
/// when the key matches none of them: then order, completeness and membership cannot be
/// judged and are not (only repeats, validity and signatures are).
pub(crate) fn warnings(chain: &[Certificate<'_>], leaf: Option<usize>, now: i64) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let Some(leaf) = leaf else {
        duplicates(chain, &mut warnings);
        validity_and_signatures(chain, None, now, &mut warnings);
        return warnings;
    };
    let Some(leaf_certificate) = chain.get(leaf) else {
        return warnings;
    };
    let duplicate = duplicates(chain, &mut warnings);
    // The issuing path from the leaf, following issuer names.
    let mut path = vec![leaf];
    let mut current = leaf_certificate;
    while !current.is_self_issued() {
        let next = chain.iter().enumerate().find(|(index, candidate)| {
            !path.contains(index)
                && !duplicate.get(*index).copied().unwrap_or(true)
                && current.is_issued_by(candidate)
        });
        match next {
            Some((index, certificate)) => {
                path.push(index);
                current = certificate;
            }
            None => break,
        }
    }
    let distinct = duplicate.iter().filter(|d| !**d).count();
    if path.len() == 1 && !leaf_certificate.is_self_issued() {
        if distinct == 1 {
            warnings.push(Warning::ChainIncomplete {
                issuer: leaf_certificate.issuer(),
            });
        } else {
            warnings.push(Warning::IssuerMissing {
                index: leaf,
                issuer: leaf_certificate.issuer(),
            });
        }
    }
    if distinct == 1 && leaf_certificate.is_self_issued() {
        warnings.push(Warning::SelfSigned);
    }
    let in_order = path.iter().copied().eq(0..path.len());
    if !in_order && path.len() > 1 {
        warnings.push(Warning::ChainOutOfOrder {
            order: path.clone(),
        });
    }
    for (index, certificate) in chain.iter().enumerate() {
        let is_duplicate = duplicate.get(index).copied().unwrap_or(false);
        if !path.contains(&index) && !is_duplicate {
            warnings.push(Warning::NotInChain {
                index,
                subject: certificate.subject(),
            });
        }
    }
    validity_and_signatures(chain, Some(leaf), now, &mut warnings);
    warnings
}

/// Repeats of an earlier certificate; returns which certificates are repeats.
fn duplicates(chain: &[Certificate<'_>], warnings: &mut Vec<Warning>) -> Vec<bool> {
    let mut duplicate = vec![false; chain.len()];
    for (index, certificate) in chain.iter().enumerate() {
        if let Some(first) = chain
            .iter()
            .take(index)
            .position(|earlier| earlier.der == certificate.der)
        {
            if let Some(flag) = duplicate.get_mut(index) {
                *flag = true;
            }
            warnings.push(Warning::DuplicateCertificate { index, first });
        }
    }
    duplicate
}

/// Expired or not-yet-valid certificates other than the leaf (every one when the leaf is
/// unknown, but the first, whose expiry is row 19), and weak signatures.
fn validity_and_signatures(
    chain: &[Certificate<'_>],
    leaf: Option<usize>,
    now: i64,
    warnings: &mut Vec<Warning>,
) {
    for (index, certificate) in chain.iter().enumerate() {
        if index != leaf.unwrap_or(0) {
            if now > certificate.not_after {
                warnings.push(Warning::IntermediateExpired {
                    index,
                    subject: certificate.subject(),
                    not_after: certificate.not_after,
                });
            } else if now < certificate.not_before {
                warnings.push(Warning::IntermediateNotYetValid {
                    index,
                    subject: certificate.subject(),
                    not_before: certificate.not_before,
                });
            }
        }
        // A root's signature on itself is never checked by clients.
        if !certificate.is_self_issued()
            && let Some(algorithm) = certificate.weak_signature()
        {
            warnings.push(Warning::WeakSignature { index, algorithm });
        }
    }
}

/// True when one of the leaf's DNS names covers `domain`.
///
/// `domain` may be a wildcard domain, written `.example.com` (the service's form) or
/// `*.example.com`; only a wildcard certificate for the same parent covers it. A plain domain is
/// covered by the same name or by a wildcard one label up (RFC 6125 §6.4.3: the wildcard is
/// the whole left-most label). Comparison is case-insensitive, and internationalised names
/// are compared in their punycode (A-label) form.
pub(crate) fn covers(names: &[String], domain: &str) -> bool {
    let domain = ascii_domain(domain);
    let (wildcard, base) = if let Some(rest) = domain.strip_prefix("*.") {
        (true, rest)
    } else if let Some(rest) = domain.strip_prefix('.') {
        (true, rest)
    } else {
        (false, domain.as_str())
    };
    names.iter().any(|name| {
        let name = ascii_domain(name);
        if wildcard {
            return name.strip_prefix("*.") == Some(base);
        }
        if name == base {
            return true;
        }
        match (name.strip_prefix("*."), base.split_once('.')) {
            (Some(parent), Some((label, rest))) => !label.is_empty() && parent == rest,
            _ => false,
        }
    })
}

/// Lower-cases a domain, drops a final dot, and turns labels with non-ASCII characters into
/// their `xn--` form.
fn ascii_domain(domain: &str) -> String {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let mut out = String::with_capacity(domain.len());
    for (i, label) in domain.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        if label.is_ascii() {
            out.push_str(&label.to_ascii_lowercase());
        } else {
            match punycode(&label.to_lowercase()) {
                Some(encoded) => {
                    out.push_str("xn--");
                    out.push_str(&encoded);
                }
                None => out.push_str(label),
            }
        }
    }
    out
}

/// RFC 3492 punycode encoding of one label (§6.3). `None` on overflow.
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta /= if first { DAMP } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
    }
    fn digit(d: u32) -> char {
        let byte = if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        };
        char::from(byte)
    }
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(output.len()).ok()?;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    let total = u32::try_from(input.len()).ok()?;
    while handled < total {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn exact_and_wildcard_coverage() {
        let leaf = names(&["www.example.com", "example.com"]);
        assert!(covers(&leaf, "www.example.com"));
        assert!(covers(&leaf, "WWW.Example.COM."));
        assert!(!covers(&leaf, "cdn.example.com"));
        let wildcard = names(&["*.example.com"]);
        assert!(covers(&wildcard, "cdn.example.com"));
        assert!(!covers(&wildcard, "example.com"));
        assert!(!covers(&wildcard, "a.b.example.com"));
    }

    #[test]
    fn the_services_wildcard_domain_needs_a_wildcard_certificate() {
        assert!(covers(&names(&["*.example.com"]), ".example.com"));
        assert!(covers(&names(&["*.example.com"]), "*.example.com"));
        assert!(!covers(&names(&["www.example.com"]), ".example.com"));
        assert!(!covers(&names(&["*.other.com"]), ".example.com"));
    }

    #[test]
    fn punycode_matches_rfc_3492_and_idna_names() {
        // RFC 3492 §7.1 sample (A): Arabic (Egyptian).
        let arabic = "\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}";
        assert_eq!(punycode(arabic).unwrap(), "egbpdaj6bu4bxfgehfvwxn");
        // RFC 3492 §7.1 sample (L): mixed ASCII.
        assert_eq!(
            punycode("3\u{5E74}b\u{7D44}\u{91D1}\u{516B}\u{5148}\u{751F}").unwrap(),
            "3b-ww4c5e180e575a65lsy2b"
        );
        assert_eq!(ascii_domain("例子.测试"), "xn--fsqu00a.xn--0zwm56d");
        assert!(covers(&names(&["xn--fsqu00a.xn--0zwm56d"]), "例子.测试"));
    }
}
