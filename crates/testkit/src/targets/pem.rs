//! `pem`: PEM framing and base64 of both fields.

#[cfg(fuzzing)]
use crate::{leak::Secrets, pem};
#[cfg(fuzzing)]
use cert_preflight::{Field, FramingError, Label, fuzzing};
// Without the hooks: the pipeline.
#[cfg(not(fuzzing))]
use {
    super::{P256_PAIR, fixture, profile},
    crate::common::NOW,
    crate::leak::{check_verdict, upload_secrets},
    cert_preflight::{Options, Request, validate},
};

/// What a framing error is, without its labels (they differ by field on purpose).
#[cfg(fuzzing)]
fn framing_shape(error: &FramingError) -> (u8, usize, usize) {
    match error {
        FramingError::NoBlocks { bare_base64 } => (0, usize::from(*bare_base64), 0),
        FramingError::MalformedBoundary { line } => (1, *line, 0),
        FramingError::StrayBegin {
            open_line, line, ..
        } => (2, *open_line, *line),
        FramingError::EndMismatch {
            begin_line,
            end_line,
            ..
        } => (3, *begin_line, *end_line),
        FramingError::EndWithoutBegin { line } => (4, *line, 0),
        FramingError::Unterminated { begin_line, .. } => (5, *begin_line, 0),
        _ => (255, 0, 0),
    }
}

#[cfg(fuzzing)]
fn same_label(certificate: &Label, key: &Label) -> bool {
    match (certificate, key) {
        (Label::Other(_), Label::Other(None)) => true,
        (_, Label::Other(Some(_))) => false,
        (c, k) => c == k,
    }
}

/// PEM decoding of both fields. With `cfg(fuzzing)`, through the framing hooks: the same
/// framing and the same bytes whichever field a text is in (only labels are hidden in the key
/// field), a canonical re-encoding decodes to the same bytes, the fields' rules hold, and no
/// key-field error or note shows the text. Without it, through `validate`: the text as the
/// certificate parameter (beside a valid key) and as the key parameter (beside a valid chain)
/// gets catalog codes only, and no output holds key material of the text.
pub fn pem(data: &[u8]) {
    #[cfg(fuzzing)]
    framing(data);
    #[cfg(not(fuzzing))]
    through_validate(data);
}

/// The text in each parameter beside a valid other one, through `validate`.
#[cfg(not(fuzzing))]
fn through_validate(data: &[u8]) {
    let profile = profile(data.len());
    let (chain, key) = (fixture(P256_PAIR.0), fixture(P256_PAIR.1));
    for (certificate, private_key) in [(data, key), (chain, data)] {
        let request = Request::upload(certificate, private_key)
            .with_domain("www.example.com")
            .with_cert_name("fuzz");
        let verdict = validate(profile, &request, &Options::at(NOW));
        check_verdict(profile, &verdict, &upload_secrets(certificate, private_key));
    }
}

/// Both fields through the framing hooks.
#[cfg(fuzzing)]
fn framing(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let as_certificate = fuzzing::pem(&text, Field::Certificate);
    let as_key = fuzzing::pem(&text, Field::PrivateKey);
    let mut secrets = Secrets::default();
    secrets.add_base64_text(text.as_bytes());
    match (&as_certificate, &as_key) {
        (Ok(c), Ok(k)) => {
            assert_eq!(c.blocks.len(), k.blocks.len());
            assert_eq!(c.notes, k.notes);
            for (cb, kb) in c.blocks.iter().zip(&k.blocks) {
                assert!(same_label(&cb.label, &kb.label), "{cb:?} / {kb:?}");
                assert_eq!(
                    (cb.begin_line, cb.end_line, cb.headers, cb.encrypted),
                    (kb.begin_line, kb.end_line, kb.headers, kb.encrypted)
                );
                assert!(cb.begin_line < cb.end_line);
                match (&cb.decoded, &kb.decoded) {
                    (Ok(a), Ok(b)) => assert_eq!(a.as_slice(), b.as_slice()),
                    (Err(_), Err(e)) => {
                        if let cert_preflight::Base64Error::InvalidCharacter { character, .. } = e {
                            assert!(character.is_none(), "the key field names a character");
                        }
                    }
                    (a, b) => panic!(
                        "block at line {}: certificate field {:?}, key field {:?}",
                        cb.begin_line,
                        a.as_ref().map(|d| d.len()),
                        b.as_ref().map(|d| d.len())
                    ),
                }
                if let Ok(der) = &kb.decoded {
                    secrets.add_der(der);
                    round_trip(der);
                }
            }
        }
        (Err(c), Err(k)) => assert_eq!(framing_shape(c), framing_shape(k), "{c:?} / {k:?}"),
        (c, k) => panic!("framing differs by field: {c:?} / {k:?}"),
    }
    if let Ok(k) = &as_key {
        secrets.check("key-field PEM Debug", &format!("{k:?}"));
        for note in &k.notes {
            secrets.check("key-field note", &note.to_string());
        }
    }
    if let Err(e) = &as_key {
        secrets.check("key-field framing error", &e.to_string());
        secrets.check("key-field framing error Debug", &format!("{e:?}"));
    }

    match fuzzing::certificate_field(&text) {
        Ok(blocks) => {
            assert!(!blocks.is_empty());
            for block in &blocks {
                assert!(matches!(
                    block.label,
                    Label::Certificate | Label::X509Certificate
                ));
                assert_eq!(block.headers, 0);
            }
            assert_eq!(blocks.len(), as_certificate.as_ref().unwrap().blocks.len());
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
    match fuzzing::private_key_field(&text) {
        Ok(field) => {
            assert!(matches!(
                field.key.label,
                Label::PrivateKey
                    | Label::RsaPrivateKey
                    | Label::EcPrivateKey
                    | Label::EncryptedPrivateKey
                    | Label::DsaPrivateKey
                    | Label::OpensshPrivateKey
                    | Label::PublicKey
                    | Label::RsaPublicKey
            ));
            if let Some(parameters) = &field.parameters {
                assert_eq!(parameters.label, Label::EcParameters);
                assert_eq!(field.key.label, Label::EcPrivateKey);
                assert!(parameters.begin_line < field.key.begin_line);
            }
            secrets.check("key field Debug", &format!("{field:?}"));
            if let Some(refusal) = &field.refusal {
                secrets.check("key refusal", &refusal.to_string());
            }
        }
        Err(e) => {
            secrets.check("key field error", &e.to_string());
            secrets.check("key field error Debug", &format!("{e:?}"));
        }
    }
}

/// Bytes decoded from a block, written back as a canonical block, decode to the same bytes in
/// both fields, with no format note.
#[cfg(fuzzing)]
fn round_trip(der: &[u8]) {
    if der.is_empty() {
        return;
    }
    let text = pem::block("CERTIFICATE", der);
    for field in [Field::Certificate, Field::PrivateKey] {
        let framed = fuzzing::pem(&text, field).unwrap();
        assert_eq!(framed.blocks.len(), 1);
        assert!(framed.notes.is_empty(), "{:?}", framed.notes);
        assert_eq!(framed.blocks[0].decoded.as_ref().unwrap().as_slice(), der);
    }
}
