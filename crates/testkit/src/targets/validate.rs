//! `validate`: the whole pipeline through `arbitrary`.

use arbitrary::{Arbitrary, Unstructured};
use cert_preflight::{
    CasStatus, CertKind, FaultFlags, InMemoryState, Limits, Options, Request, Role, StateView,
    StoredCertificate, Value, validate, validate_with,
};
use time::OffsetDateTime;

use super::key_match::{Mutation, mutate};
use super::{FIXTURES, VALID_PAIRS, WORDS, fixture, profile, profile_taking_every_key};
use crate::blocks;
use crate::common::NOW;
use crate::leak::{check_verdict, request_secrets, upload_secrets};

/// A parameter value of the structured input.
#[derive(Arbitrary, Debug, Clone)]
pub enum Param {
    /// One of [`WORDS`].
    Word(u8),
    /// One of [`FIXTURES`].
    Fixture(u8),
    /// A fixture with one byte changed (0 truncates there).
    Mutated {
        /// Which fixture.
        fixture: u8,
        /// Where.
        offset: u16,
        /// XORed in.
        xor: u8,
    },
    /// The head of one fixture and the tail of another.
    Spliced {
        /// The first.
        a: u8,
        /// The second.
        b: u8,
        /// Where to cut the first.
        cut_a: u16,
        /// Where to cut the second.
        cut_b: u16,
    },
    /// Any bytes.
    Bytes(Vec<u8>),
}

impl Param {
    /// The value's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let pick = |i: u8| FIXTURES[usize::from(i) % FIXTURES.len()].1;
        match self {
            Param::Word(i) => WORDS[usize::from(*i) % WORDS.len()].as_bytes().to_vec(),
            Param::Fixture(i) => pick(*i).to_vec(),
            Param::Mutated {
                fixture,
                offset,
                xor,
            } => {
                let mut bytes = pick(*fixture).to_vec();
                mutate(
                    &mut bytes,
                    &Mutation {
                        in_key: true,
                        offset: *offset,
                        xor: *xor,
                    },
                );
                bytes
            }
            Param::Spliced { a, b, cut_a, cut_b } => {
                let (a, b) = (pick(*a), pick(*b));
                let cut_a = usize::from(*cut_a) % (a.len() + 1);
                let cut_b = usize::from(*cut_b) % (b.len() + 1);
                [&a[..cut_a], &b[cut_b..]].concat()
            }
            Param::Bytes(bytes) => bytes.clone(),
        }
    }
}

/// When to check.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum At {
    /// The fixtures' check time.
    Fixed,
    /// Days from it.
    Days(i16),
    /// Any Unix second `time` can represent.
    Seconds(i64),
}

/// A stored certificate.
#[derive(Arbitrary, Debug, Clone)]
pub struct Stored {
    /// Its name: one of [`WORDS`].
    pub name: u8,
    /// 0 upload, 1 cas, 2 free.
    pub kind: u8,
    /// `issued`, `expired`, `revoked`.
    pub status: u8,
    /// The fingerprint of a fixture's first certificate.
    pub fingerprint_of: Option<u8>,
}

/// The caller's state.
#[derive(Arbitrary, Debug, Clone)]
pub struct StateInput {
    /// The domain `www.example.com`: a status index and the two flags.
    pub domain: Option<(u8, bool, bool)>,
    /// Stored certificates.
    pub stored: Option<Vec<Stored>>,
    /// Faults: authentication, delete, store.
    pub faults: Option<(bool, bool, bool)>,
}

/// The structured input of `validate`.
#[derive(Arbitrary, Debug, Clone)]
pub struct ValidateInput {
    /// The profile to check with (an index into `Profile::ALL`, wrapping).
    pub profile: u8,
    /// `DomainName`.
    pub domain_name: Option<Param>,
    /// The switch.
    pub switch: Option<Param>,
    /// The certificate.
    pub certificate: Option<Param>,
    /// The key.
    pub private_key: Option<Param>,
    /// `CertName`.
    pub cert_name: Option<Param>,
    /// `CertType`.
    pub cert_type: Option<Param>,
    /// `ForceSet`.
    pub force_set: Option<Param>,
    /// `CertId`.
    pub cert_id: Option<Param>,
    /// `CertRegion`.
    pub cert_region: Option<Param>,
    /// `Env`.
    pub env: Option<Param>,
    /// `RegionId` (CLB).
    pub region: Option<Param>,
    /// The check time.
    pub at: At,
    /// Smaller byte limits (certificate, key).
    pub limits: Option<(u16, u16)>,
    /// The expiry warning window.
    pub expiry_warning_days: Option<u16>,
    /// State.
    pub state: Option<StateInput>,
    /// Ignore the rest: a valid pair of [`VALID_PAIRS`], which must be accepted.
    pub valid_pair: Option<u8>,
}

fn first_certificate_fingerprint(bytes: &[u8]) -> Option<[u8; 32]> {
    use sha2::Digest;
    let text = std::str::from_utf8(bytes).ok()?;
    let der = blocks::certificate_blocks(text).into_iter().next()??;
    Some(sha2::Sha256::digest(&der).into())
}

fn state(input: &StateInput) -> InMemoryState {
    let mut state = InMemoryState::default();
    if let Some((status, https_off_forbidden, not_effective)) = input.domain {
        let all = cert_preflight::DomainStatus::ALL;
        let info = cert_preflight::DomainInfo {
            status: all[usize::from(status) % all.len()].0,
            https_off_forbidden,
            not_effective,
        };
        state.set_domain("www.example.com", info);
    }
    if let Some(stored) = &input.stored {
        state.certificates = Some(Vec::new());
        for s in stored.iter().take(8) {
            state.add_certificate(StoredCertificate {
                name: WORDS[usize::from(s.name) % WORDS.len()].to_owned(),
                id: Some(WORDS[usize::from(s.name) % WORDS.len()].to_owned()),
                product: None,
                kind: [CertKind::Upload, CertKind::Cas, CertKind::Free][usize::from(s.kind % 3)],
                status: CasStatus::from_name(
                    ["issued", "expired", "revoked"][usize::from(s.status % 3)],
                ),
                fingerprint: s.fingerprint_of.and_then(|i| {
                    first_certificate_fingerprint(FIXTURES[usize::from(i) % FIXTURES.len()].1)
                }),
                chain: None,
            });
        }
    }
    if let Some((authentication, delete, store)) = input.faults {
        state.set_faults(FaultFlags {
            authentication,
            delete,
            store,
        });
    }
    state
}

/// The whole pipeline on a structured request (parameters from words, fixtures, damaged or
/// spliced fixtures and any bytes; any check time, smaller limits, state): catalog codes of the
/// right profile only, no key material printed, and the valid pairs accepted.
pub fn validate_target(data: &[u8]) {
    let Ok(input) = ValidateInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    check_validate(&input);
}

/// The body of [`validate_target`] on a decoded input.
pub fn check_validate(input: &ValidateInput) {
    let profile = profile(usize::from(input.profile));
    if let Some(pair) = input.valid_pair {
        // The valid pairs are of every key encoding: checked where every one is taken.
        let profile = profile_taking_every_key(usize::from(input.profile));
        let (certificate, key) = VALID_PAIRS[usize::from(pair) % VALID_PAIRS.len()];
        let request = Request::upload(fixture(certificate), fixture(key))
            .with_domain("www.example.com")
            .with_cert_name("prod-2026");
        let verdict = validate(profile, &request, &Options::at(NOW));
        let secrets = upload_secrets(fixture(certificate), fixture(key));
        check_verdict(profile, &verdict, &secrets);
        assert!(
            verdict.is_accepted(),
            "{certificate} with {key}: {verdict:?}"
        );
        return;
    }
    let value = |p: &Option<Param>| p.as_ref().map(|p| Value::from(p.bytes()));
    let mut request = Request::new();
    for (role, param) in [
        (Role::Domain, &input.domain_name),
        (Role::Switch, &input.switch),
        (Role::Certificate, &input.certificate),
        (Role::PrivateKey, &input.private_key),
        (Role::CertName, &input.cert_name),
        (Role::CertType, &input.cert_type),
        (Role::ForceSet, &input.force_set),
        (Role::CertId, &input.cert_id),
        (Role::CertRegion, &input.cert_region),
        (Role::Env, &input.env),
        (Role::Region, &input.region),
    ] {
        request.set(role, value(param));
    }

    let now = match input.at {
        At::Fixed => NOW,
        At::Days(days) => NOW + time::Duration::days(i64::from(days)),
        At::Seconds(seconds) => {
            OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
        }
    };
    let state = input.state.as_ref().map(state);
    let mut options = Options::at(now);
    if let Some((certificate, private_key)) = input.limits {
        options = options.with_limits(Limits {
            certificate: usize::from(certificate),
            private_key: usize::from(private_key),
        });
    }
    if let Some(days) = input.expiry_warning_days {
        options = options.with_expiry_warning_days(u32::from(days));
    }
    let view = state.as_ref().map(StateView::of).unwrap_or_default();
    let mut secrets = request_secrets(&request);
    for word in WORDS {
        secrets.allow(word.as_bytes());
    }
    let verdict = validate_with(profile, &request, &options, &view).unwrap();
    check_verdict(profile, &verdict, &secrets);
}
