//! Pairing: which files of one folder's listing are a certificate and its key (certbot, then
//! acme.sh, then plain pairs), and the `DomainName` and `CertName` guessed for them. No I/O.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::fs::FileType;
use std::path::{Path, PathBuf};

use cert_preflight::CERT_NAME_MAX_CHARS;

use super::{Problem, ProblemKind};

/// ACME account keys that acme.sh keeps next to its certificates; never a certificate's key.
const ACCOUNT_KEY: &str = "account.key";

/// A certificate and a key found together, with the request parameters guessed for them.
pub(super) struct Pair {
    pub(super) cert: Member,
    pub(super) key: Member,
    /// Where a symbolic link of this pair may lead besides the roots: certbot's tree.
    pub(super) link_scope: Option<PathBuf>,
    pub(super) domain: Option<String>,
    pub(super) cert_name: String,
}

/// One file of a pair: its path as given (the root as typed, then the names found) and its type
/// as listed (a link is not followed by the listing).
pub(super) struct Member {
    pub(super) path: PathBuf,
    pub(super) kind: FileType,
}

/// What the walk found: pairs to check and files that cannot be.
#[derive(Default)]
pub(super) struct Found {
    pub(super) pairs: Vec<Pair>,
    pub(super) problems: Vec<Problem>,
}

impl Found {
    /// Finds the pairs of one folder: certbot, then acme.sh, then plain pairs among the files
    /// the first two did not take.
    pub(super) fn find_pairs(
        &mut self,
        dir: &Path,
        real: &Path,
        entries: &BTreeMap<OsString, FileType>,
    ) {
        let name = real.file_name().and_then(OsStr::to_str).unwrap_or_default();
        let parent_name = real.parent().and_then(Path::file_name);
        let mut taken: BTreeSet<OsString> = BTreeSet::new();
        let member = |file: &OsStr| {
            entries.get(file).map(|&kind| Member {
                path: dir.join(file),
                kind,
            })
        };

        if parent_name == Some(OsStr::new("live")) {
            let cert = member(OsStr::new("fullchain.pem"));
            let key = member(OsStr::new("privkey.pem"));
            let tree = real.parent().and_then(Path::parent).map(Path::to_path_buf);
            let files = ("fullchain.pem", "privkey.pem");
            self.pair_or_unpaired((cert, key), "certbot", files, |cert, key| Pair {
                cert,
                key,
                link_scope: tree,
                domain: guess_domain(strip_certbot_suffix(name)),
                cert_name: cert_name(name, "fullchain.pem"),
            });
            taken.extend(["fullchain.pem", "privkey.pem"].map(OsString::from));
        }

        // acme.sh names its folders after domains: a name that is empty (the root `/`) or not
        // UTF-8 is not one.
        if !name.is_empty() && entries.contains_key(OsStr::new("fullchain.cer")) {
            let domain = name.strip_suffix("_ecc").unwrap_or(name);
            let key_name = format!("{domain}.key");
            let acme_files = [
                "fullchain.cer".to_owned(),
                key_name.clone(),
                format!("{domain}.cer"),
                format!("{domain}.conf"),
                "ca.cer".to_owned(),
            ];
            let is_acme = acme_files
                .iter()
                .skip(1)
                .take(3)
                .any(|f| entries.contains_key(OsStr::new(f)));
            if is_acme {
                let cert = member(OsStr::new("fullchain.cer"));
                let key = member(OsStr::new(&key_name));
                let files = ("fullchain.cer", key_name.as_str());
                self.pair_or_unpaired((cert, key), "acme.sh", files, |cert, key| Pair {
                    cert,
                    key,
                    link_scope: None,
                    domain: guess_domain(domain),
                    cert_name: cert_name(name, "fullchain.cer"),
                });
                taken.extend(acme_files.map(OsString::from));
            }
        }

        for file in entries.keys() {
            let path = Path::new(file);
            if path.extension() != Some(OsStr::new("key")) || taken.contains(file) {
                continue;
            }
            let Some(stem) = path.file_stem() else {
                continue;
            };
            let mut paired = false;
            for extension in ["crt", "pem", "cer"] {
                let mut cert_file = stem.to_os_string();
                cert_file.push(".");
                cert_file.push(extension);
                if taken.contains(&cert_file) {
                    continue;
                }
                let (Some(cert), Some(key)) = (member(&cert_file), member(file)) else {
                    continue;
                };
                let stem_text = stem.to_string_lossy();
                self.pairs.push(Pair {
                    cert,
                    key,
                    link_scope: None,
                    domain: guess_domain(&stem_text),
                    cert_name: cert_name(&stem_text, &cert_file.to_string_lossy()),
                });
                paired = true;
            }
            if !paired && file != ACCOUNT_KEY {
                let stem = stem.to_string_lossy();
                self.problems.push(Problem::new(
                    dir.join(file),
                    ProblemKind::UnpairedKey,
                    format!("a private key without a certificate: no {stem}.crt, {stem}.pem or {stem}.cer next to it"),
                ));
            }
        }
    }

    /// Records a layout's pair, or the half that is there as unpaired.
    fn pair_or_unpaired(
        &mut self,
        (cert, key): (Option<Member>, Option<Member>),
        layout: &str,
        (cert_file, key_file): (&str, &str),
        pair: impl FnOnce(Member, Member) -> Pair,
    ) {
        match (cert, key) {
            (Some(cert), Some(key)) => self.pairs.push(pair(cert, key)),
            (Some(cert), None) => self.problems.push(Problem::new(
                cert.path,
                ProblemKind::UnpairedCertificate,
                format!("a certificate without its private key: no {key_file} next to it ({layout} layout)"),
            )),
            (None, Some(key)) => self.problems.push(Problem::new(
                key.path,
                ProblemKind::UnpairedKey,
                format!("a private key without a certificate: no {cert_file} next to it ({layout} layout)"),
            )),
            (None, None) => {}
        }
    }
}

/// Certbot names a second lineage for the same name `<name>-0001`: the domain is `<name>`.
fn strip_certbot_suffix(name: &str) -> &str {
    match name.rsplit_once('-') {
        Some((base, suffix)) if suffix.len() == 4 && suffix.bytes().all(|b| b.is_ascii_digit()) => {
            base
        }
        _ => name,
    }
}

/// `DomainName` guessed from a folder name or file stem, when it looks like a domain name: two
/// labels or more of letters, digits, `-` and `_`, the last starting with a letter and without
/// `_`, at most 253 bytes as sent. A wildcard (`*.example.com`) is written as the service writes
/// it, `.example.com`. Anything else gives no `DomainName`, so a guess never turns into a
/// parameter error.
fn guess_domain(name: &str) -> Option<String> {
    let (wildcard, base) = match name.strip_prefix("*.").or_else(|| name.strip_prefix('.')) {
        Some(base) => (true, base),
        None => (false, name),
    };
    let labels: Vec<&str> = base.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    let tld_ok = labels.last().is_some_and(|tld| {
        tld.chars().next().is_some_and(char::is_alphabetic) && !tld.contains('_')
    });
    let domain = if wildcard {
        format!(".{base}")
    } else {
        base.to_owned()
    };
    (labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok && domain.len() <= 253)
        .then_some(domain)
}

/// `CertName` from a folder name or file stem, cut to the service's limit
/// ([`CERT_NAME_MAX_CHARS`]); a name of
/// white space only (which live would answer as a missing `CertName`) is replaced by `fallback`,
/// the certificate's file name.
fn cert_name(name: &str, fallback: &str) -> String {
    let name = if name.trim().is_empty() {
        fallback
    } else {
        name
    };
    name.chars().take(CERT_NAME_MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::{CERT_NAME_MAX_CHARS, cert_name, guess_domain, strip_certbot_suffix};

    #[test]
    fn domain_guesses() {
        for (name, guess) in [
            ("example.com", Some("example.com")),
            ("www.example.com", Some("www.example.com")),
            ("*.example.com", Some(".example.com")),
            (".example.com", Some(".example.com")),
            ("_.example.com", Some("_.example.com")),
            ("xn--fsqu00a.xn--0zwm56d", Some("xn--fsqu00a.xn--0zwm56d")),
            ("例子.测试", Some("例子.测试")),
            ("server", None),
            ("cert.2024", None),
            ("a..b", None),
            ("example.com.", None),
            ("my site.com", None),
            ("*.", None),
            ("", None),
            ("*.example.com_ecc", None),
        ] {
            assert_eq!(guess_domain(name).as_deref(), guess, "{name:?}");
        }
        let long = format!("{}.com", vec!["a".repeat(63); 4].join("."));
        assert_eq!(long.len(), 259);
        assert_eq!(guess_domain(&long), None);
        let a63 = "a".repeat(63);
        let max = format!("{a63}.{a63}.{a63}.{}.com", "a".repeat(57));
        assert_eq!(guess_domain(&max).map(|d| d.len()), Some(253));
        assert_eq!(
            guess_domain(&format!("*.{max}")),
            None,
            "254 bytes with the dot"
        );
    }

    #[test]
    fn certbot_suffix_and_cert_names() {
        assert_eq!(strip_certbot_suffix("example.com-0001"), "example.com");
        assert_eq!(strip_certbot_suffix("example.com-001"), "example.com-001");
        assert_eq!(strip_certbot_suffix("my-site.com"), "my-site.com");
        assert_eq!(cert_name("  ", "fullchain.pem"), "fullchain.pem");
        assert_eq!(
            cert_name(&"名".repeat(200), "x").chars().count(),
            CERT_NAME_MAX_CHARS
        );
        assert_eq!(cert_name("prod", "x"), "prod");
    }
}
