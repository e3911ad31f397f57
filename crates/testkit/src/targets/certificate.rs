//! `certificate`: chain parsing from DER and PEM.

use cert_preflight::Warning;
#[cfg(fuzzing)]
use cert_preflight::fuzzing;
// Without the hooks: the pipeline.
#[cfg(not(fuzzing))]
use {
    super::{P256_PAIR, fixture, profile},
    crate::leak::{check_verdict, upload_secrets},
    crate::pem,
    cert_preflight::{Options, Request, validate},
};

use crate::common::NOW;
use crate::der;

/// The indexes a warning names are indexes of the chain.
fn check_warnings(warnings: &[Warning], len: usize) {
    for warning in warnings {
        let indexes: Vec<usize> = match warning {
            Warning::DuplicateCertificate { index, first } => {
                assert!(first < index);
                vec![*index, *first]
            }
            Warning::IssuerMissing { index, .. }
            | Warning::NotInChain { index, .. }
            | Warning::IntermediateExpired { index, .. }
            | Warning::IntermediateNotYetValid { index, .. }
            | Warning::WeakSignature { index, .. } => vec![*index],
            Warning::ChainOutOfOrder { order } => order.clone(),
            _ => Vec::new(),
        };
        for index in indexes {
            assert!(index < len, "{warning:?} in a chain of {len}");
        }
        assert!(!warning.to_string().is_empty());
    }
}

#[cfg(fuzzing)]
fn check_chain(ders: &[&[u8]]) {
    let now = NOW.unix_timestamp();
    for leaf in 0..ders.len().min(3) {
        match fuzzing::chain(ders, leaf, now) {
            Ok((infos, warnings)) => {
                assert_eq!(infos.len(), ders.len());
                check_warnings(&warnings, ders.len());
            }
            Err((index, error)) => {
                assert!(index < ders.len());
                assert_eq!(fuzzing::certificate(ders[index]), Err(error));
                for der in &ders[..index] {
                    assert!(fuzzing::certificate(der).is_ok());
                }
            }
        }
    }
}

/// The DER elements laid end to end in `data`, when it is exactly that.
fn der_elements(data: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (_, _, after) = der::read(rest)?;
        out.push(&rest[..rest.len() - after.len()]);
        rest = after;
    }
    Some(out)
}

/// Chain parsing from DER (one certificate, or several end to end) and from the certificate
/// field's PEM. With `cfg(fuzzing)`, through the parsing hooks: a chain fails exactly at its
/// first certificate that fails alone, a certificate that parses alone parses as a chain of
/// one, and every index a warning names is in the chain. Without it, through `validate` (the
/// DER certificates as PEM blocks, else the bytes as the parameter's text, beside a valid key):
/// catalog codes only, no key material shown, and every index a warning names is in the chain.
pub fn certificate(data: &[u8]) {
    #[cfg(fuzzing)]
    parsing(data);
    #[cfg(not(fuzzing))]
    through_validate(data);
}

/// The chain as the certificate parameter beside a valid key, through `validate`.
#[cfg(not(fuzzing))]
fn through_validate(data: &[u8]) {
    let (text, blocks) = match der_elements(data) {
        Some(elements) if !elements.is_empty() && elements.len() <= 8 => {
            (pem::certs(&elements).into_bytes(), elements.len())
        }
        // A chain has at most one certificate per BEGIN line.
        _ => (
            data.to_vec(),
            data.windows(11).filter(|w| w == b"-----BEGIN ").count(),
        ),
    };
    let key = fixture(P256_PAIR.1);
    let request = Request::upload(&text[..], key)
        .with_domain("www.example.com")
        .with_cert_name("fuzz");
    let profile = profile(data.len());
    let verdict = validate(profile, &request, &Options::at(NOW));
    check_verdict(profile, &verdict, &upload_secrets(&text, key));
    check_warnings(verdict.warnings(), blocks);
}

/// One certificate, several end to end, and the certificate field, through the parsing hooks.
#[cfg(fuzzing)]
fn parsing(data: &[u8]) {
    if let Ok(info) = fuzzing::certificate(data) {
        let (infos, warnings) = fuzzing::chain(&[data], 0, NOW.unix_timestamp()).unwrap();
        assert_eq!(infos, vec![info.clone()]);
        check_warnings(&warnings, 1);
        assert!(!info.key.to_string().is_empty());
        for name in &info.dns_names {
            let _ = fuzzing::covers(&info.dns_names, name);
        }
    }
    if let Some(elements) = der_elements(data)
        && elements.len() > 1
        && elements.len() <= 8
    {
        check_chain(&elements);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(blocks) = fuzzing::certificate_field(text)
    {
        let ders: Vec<&[u8]> = blocks
            .iter()
            .filter_map(|b| b.decoded.as_ref().ok().map(|d| d.as_slice()))
            .collect();
        if ders.len() == blocks.len() && ders.len() <= 8 {
            check_chain(&ders);
        }
    }
}
