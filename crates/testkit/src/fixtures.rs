//! Deterministic generator of the test fixtures under `testdata/`.
//!
//! [`generate`] builds every fixture in memory from the committed inputs in `testdata/keys/`
//! (RSA keys, unsupported and password-protected keys, made by `testdata/keys/make.sh`) and from
//! fixed labels (EC and Ed25519 keys), with fixed dates. No clock, no randomness: two runs give
//! the same bytes. `cargo run --example gen_testdata` writes the files;
//! `tests/testdata_fresh.rs` checks that the committed files are what it generates.
//! `testdata/README.md` lists every file with its expected verdict.

pub mod cert;
pub mod keys;
mod keysets;
mod variants;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::der::{self, Time};
use crate::pem;
use cert::{CN, Ca, CertSpec, O, Signer, name};
use keys::{Curve, EcKey, RsaKey};

/// Top-level folders of `testdata/` that hold only generated files. Every file in them that
/// [`generate`] does not produce is stale. A folder stays here after it stops being generated,
/// so its files are found stale and removed.
pub const GENERATED_DIRS: &[&str] = &[
    "ca",
    "chain",
    "ed25519",
    "mismatch",
    "names",
    "p256",
    "p384",
    "p521",
    "pem",
    "rsa-3prime",
    "rsa-e3",
    "rsa1024",
    "rsa16384",
    "rsa2048",
    "rsa4096",
    "rsa8192",
    "sm2",
    "spliced",
    "time",
    "weak",
];

/// Files under `testdata/` that are never generated nor deleted.
pub fn is_protected(relative: &Path) -> bool {
    relative.starts_with("keys")
        || [
            "seed_catalog.tsv",
            "extract_catalog.py",
            "README.md",
            ".gitattributes",
        ]
        .iter()
        .any(|f| relative == Path::new(f))
}

/// The `testdata/` folder of the crate.
pub fn testdata_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata")
}

/// Every file on disk under the [`GENERATED_DIRS`] of `root`, relative to `root`, sorted.
pub fn generated_files_on_disk(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, root: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, found);
            } else {
                found.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut found = Vec::new();
    for dir in GENERATED_DIRS {
        walk(&root.join(dir), root, &mut found);
    }
    found.sort();
    found
}

/// Every generated file: path relative to `testdata/` → bytes.
#[allow(unreachable_pub)] // `pub`: the generator's interface, used by two crates.
pub fn generate() -> BTreeMap<PathBuf, Vec<u8>> {
    let pki = Pki::new();
    let mut out = Out::default();
    keysets::cas(&mut out, &pki);
    keysets::rsa_types(&mut out, &pki);
    keysets::ec_types(&mut out, &pki);
    keysets::ed25519(&mut out, &pki);
    keysets::mismatch(&mut out);
    keysets::spliced(&mut out, &pki);
    variants::pem_files(&mut out, &pki);
    variants::chain(&mut out, &pki);
    variants::time(&mut out, &pki);
    variants::names(&mut out, &pki);
    variants::weak(&mut out, &pki);
    for path in out.0.keys() {
        let top = path
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("");
        assert!(
            GENERATED_DIRS.contains(&top),
            "{}: folder not in GENERATED_DIRS",
            path.display()
        );
    }
    check_serials(&out.0);
    out.0
}

/// Two different certificates never share a serial number (each has its own label). The
/// deliberately broken files of `pem/` and `chain/bad-second.pem` are skipped.
fn check_serials(files: &BTreeMap<PathBuf, Vec<u8>>) {
    let mut seen: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    for (path, bytes) in files {
        if path.starts_with("pem") || path == Path::new("chain/bad-second.pem") {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        for (label, cert) in pem::decode_all(text) {
            if label != "CERTIFICATE" {
                continue;
            }
            let mut outer = der::Reader::new(der::Reader::single(&cert, der::tag::SEQUENCE));
            let mut tbs = der::Reader::new(outer.expect(der::tag::SEQUENCE));
            tbs.expect(0xa0);
            let serial = tbs.uint().to_vec();
            if let Some(other) = seen.insert(serial, cert.clone()) {
                assert_eq!(other, cert, "{}: serial number reused", path.display());
            }
        }
    }
}

/// The generated files, refusing to write one path twice.
#[derive(Default)]
struct Out(BTreeMap<PathBuf, Vec<u8>>);

impl Out {
    fn put(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        let previous = self.0.insert(PathBuf::from(path), bytes.into());
        assert!(previous.is_none(), "{path} generated twice");
    }
}

/// Validity of the intermediates: 2025-01-01 → 2030-01-01.
const INTERMEDIATE_VALIDITY: (Time, Time) = (Time::date(2025, 1, 1), Time::date(2030, 1, 1));
/// Validity of the roots: 2020-01-01 → 2040-01-01.
const ROOT_VALIDITY: (Time, Time) = (Time::date(2020, 1, 1), Time::date(2040, 1, 1));

/// The two test hierarchies and the keys most fixtures use.
struct Pki {
    rsa_root: Ca,
    rsa_intermediate: Ca,
    /// Same key as `rsa_intermediate`, another name, notAfter 2026-03-01.
    rsa_intermediate_expired: Ca,
    ecc_root: Ca,
    ecc_intermediate: Ca,
    /// `testdata/keys/rsa2048.pem`: the key of most variant fixtures.
    rsa2048: RsaKey,
}

fn org_cn(cn: &str) -> Vec<u8> {
    name(&[(O, "Cert Preflight Tests"), (CN, cn)])
}

impl Pki {
    fn new() -> Self {
        let root_key = RsaKey::load("ca-rsa-root.pem");
        let spec = CertSpec::ca(
            "ca/rsa-root",
            org_cn("Preflight Test RSA Root"),
            &root_key.parts.spki(),
            ROOT_VALIDITY,
        );
        let rsa_root = Ca::root(&spec, Signer::Rsa(root_key.signing_key()));

        let int_key = RsaKey::load("ca-rsa-intermediate.pem");
        let mut spec = CertSpec::ca(
            "ca/rsa-intermediate",
            org_cn("Preflight Test RSA Intermediate"),
            &int_key.parts.spki(),
            INTERMEDIATE_VALIDITY,
        );
        spec.ca = Some(Some(0));
        let rsa_intermediate = rsa_root.certify_ca(&spec, Signer::Rsa(int_key.signing_key()));
        let spec = CertSpec {
            label: "ca/rsa-intermediate-expired".to_owned(),
            subject: org_cn("Preflight Test RSA Expired Intermediate"),
            ..spec
        }
        .validity(Time::date(2025, 1, 1), Time::date(2026, 3, 1));
        let rsa_intermediate_expired =
            rsa_root.certify_ca(&spec, Signer::Rsa(int_key.signing_key()));

        let ecc_root_key = EcKey::from_label(Curve::P384, "cert-preflight ca ecc-root");
        let spec = CertSpec::ca(
            "ca/ecc-root",
            org_cn("Preflight Test ECC Root"),
            &ecc_root_key.spki(),
            ROOT_VALIDITY,
        );
        let ecc_root = Ca::root(&spec, Signer::ec(&ecc_root_key));
        let ecc_int_key = EcKey::from_label(Curve::P256, "cert-preflight ca ecc-intermediate");
        let mut spec = CertSpec::ca(
            "ca/ecc-intermediate",
            org_cn("Preflight Test ECC Intermediate"),
            &ecc_int_key.spki(),
            INTERMEDIATE_VALIDITY,
        );
        spec.ca = Some(Some(0));
        let ecc_intermediate = ecc_root.certify_ca(&spec, Signer::ec(&ecc_int_key));

        Self {
            rsa_root,
            rsa_intermediate,
            rsa_intermediate_expired,
            ecc_root,
            ecc_intermediate,
            rsa2048: RsaKey::load("rsa2048.pem"),
        }
    }
}
