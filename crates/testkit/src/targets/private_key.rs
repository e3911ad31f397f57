//! `private_key`: every key encoding.

use cert_preflight::{Label, Options, Request, validate};

use super::{fixture, label_text, profile_taking_every_key};
use crate::common::NOW;
use crate::leak::{Secrets, check_verdict};
use crate::pem;
// With the hooks.
#[cfg(fuzzing)]
use {
    super::key_problem,
    crate::der,
    crate::fixtures::keys::RSA_ENCRYPTION,
    cert_preflight::fuzzing::{self, DerivedKey},
    cert_preflight::{KeyProblem, Limits},
};

/// A certificate field every key is checked against in `private_key` (an RSA chain).
const RSA_CHAIN: &str = "rsa2048/fullchain.pem";

/// Named-curve OIDs (DER) an `EC PARAMETERS` block may hold.
const CURVE_PARAMETERS: &[&[u8]] = &[
    &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07], // P-256
    &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],                   // P-384
    &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23],                   // P-521
    &[0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d], // SM2
];

/// Every key encoding: the first byte picks the label (PKCS#1, PKCS#8, SEC1) and an optional
/// `EC PARAMETERS` block, the rest is the DER. The pipeline, given the DER as PEM, answers
/// catalog codes only and prints no key material. With `cfg(fuzzing)`, through the key hooks
/// too: a key that derives matches its own public key; a PKCS#1 key derives the same wrapped in
/// PKCS#8; the pipeline refuses the key for the same reason as the hook; nothing the hooks
/// print holds key material.
pub fn private_key(data: &[u8]) {
    let Some((&selector, der)) = data.split_first() else {
        return;
    };
    let label = [Label::RsaPrivateKey, Label::PrivateKey, Label::EcPrivateKey]
        [usize::from(selector % 3)]
    .clone();
    let parameters = match (selector / 3) % 8 {
        n @ 0..=3 => Some(CURVE_PARAMETERS[usize::from(n)]),
        _ => None,
    }
    .filter(|_| label == Label::EcPrivateKey);

    let mut secrets = Secrets::default();
    secrets.add_der(der);
    #[cfg(fuzzing)]
    let result = through_hooks(&label, der, parameters, &mut secrets);
    #[cfg(not(fuzzing))]
    secrets.allow_rsa_public(der);

    // The same DER as the key parameter, through the whole pipeline.
    let mut text = String::new();
    if let Some(parameters) = parameters {
        text.push_str(&pem::block("EC PARAMETERS", parameters));
    }
    text.push_str(&pem::block(label_text(&label), der));
    let chain = fixture(RSA_CHAIN);
    secrets.allow(chain);
    let request = Request::upload(chain, text.as_str())
        .with_domain("www.example.com")
        .with_cert_name("fuzz");
    // One profile per input (all but CLB, which takes PKCS#1 only, check the key the same
    // way): a fifth of the cost.
    {
        let profile = profile_taking_every_key(der.len());
        let verdict = validate(profile, &request, &Options::at(NOW));
        check_verdict(profile, &verdict, &secrets);
        // The hook's refusal is the pipeline's.
        #[cfg(fuzzing)]
        if text.len() <= Limits::DEFAULT.private_key && !der.is_empty() {
            match &result {
                Ok(_) => assert_eq!(key_problem(&verdict), None),
                Err(problem) => assert_eq!(key_problem(&verdict), Some(problem)),
            }
        }
    }
}

/// The key through the hooks: a key that derives matches its own public key, a PKCS#1 key
/// derives the same wrapped in PKCS#8, and nothing printed holds key material.
#[cfg(fuzzing)]
fn through_hooks(
    label: &Label,
    der: &[u8],
    parameters: Option<&[u8]>,
    secrets: &mut Secrets,
) -> Result<DerivedKey, KeyProblem> {
    let result = fuzzing::private_key(label, der, parameters);
    if let Ok(key) = &result {
        let public = key.public();
        secrets.allow_public_key(&public);
        assert_eq!(fuzzing::key_match(key, &public), Ok(()));
        if *label == Label::RsaPrivateKey {
            let wrapped = pkcs8_rsa(der);
            let again = fuzzing::private_key(&Label::PrivateKey, &wrapped, None);
            assert_eq!(again.as_ref().map(DerivedKey::public), Ok(public.clone()));
        }
    }
    secrets.check("derived key", &format!("{result:?}"));
    if let Err(problem) = &result {
        secrets.check("key problem", &problem.to_string());
    }
    result
}

/// PKCS#8 v1 around an `RSAPrivateKey`.
#[cfg(fuzzing)]
fn pkcs8_rsa(pkcs1: &[u8]) -> Vec<u8> {
    let algorithm = der::seq(&[&der::oid(RSA_ENCRYPTION), &der::null()]);
    der::seq(&[&der::uint(&[0]), &algorithm, &der::octet_string(pkcs1)])
}
