//! `cert-preflight scan` as a deploy job runs it: certbot, acme.sh and plain trees built in a
//! temporary folder from the fixtures, every JSON line and the exit status asserted.
#![cfg(feature = "cli")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};
use tempfile::TempDir;

const AT: &str = "2026-06-01T00:00:00Z";

fn cmd() -> Command {
    Command::cargo_bin("cert-preflight").unwrap()
}

/// A folder tree under a temporary folder.
struct Tree {
    dir: TempDir,
}

impl Tree {
    fn new() -> Tree {
        Tree {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// The root as a string, as the tests pass it to `scan`.
    fn root(&self) -> String {
        self.dir.path().to_str().unwrap().to_owned()
    }

    fn mkdir(&self, relative: &str) {
        std::fs::create_dir_all(self.path(relative)).unwrap();
    }

    /// Copies `testdata/<fixture>` to `<relative>`.
    fn copy(&self, fixture: &str, relative: &str) {
        let to = self.path(relative);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(common::path(fixture), to).unwrap();
    }

    fn symlink(&self, target: impl AsRef<Path>, relative: &str) {
        let link = self.path(relative);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, link).unwrap();
    }
}

/// Runs `scan` and returns (exit status, stdout lines, stderr).
fn scan(args: &[&str]) -> (i32, Vec<String>, String) {
    let output = cmd().arg("scan").args(args).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines = stdout.lines().map(str::to_owned).collect();
    (output.status.code().unwrap(), lines, stderr)
}

fn parse(lines: &[String]) -> Vec<Value> {
    lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The state checks `scan` does not run (it has no state), per API.
fn skipped(api: &str) -> Value {
    match api {
        "cdn" => json!(["DomainState", "DuplicateName", "Storage"]),
        _ => json!([
            "DomainState",
            "DuplicateName",
            "DuplicateContent",
            "Storage"
        ]),
    }
}

/// An accepted pair's line.
fn accepted(root: &str, cert: &str, key: &str, domain: Value, name: &str, api: &str) -> Value {
    json!({
        "Cert": format!("{root}/{cert}"),
        "Key": format!("{root}/{key}"),
        "DomainName": domain,
        "CertName": name,
        "Accepted": true,
        "Warnings": [],
        "Skipped": skipped(api),
    })
}

/// A not-checked file's line.
fn problem(root: &str, file: &str, kind: &str, detail: &str) -> Value {
    json!({"File": format!("{root}/{file}"), "Problem": kind, "Detail": detail})
}

/// Every layout and every way a file can fail, in one tree:
///
/// ```text
/// le/archive/example.com/{fullchain1,privkey1}.pem      rsa2048 chain and key
/// le/live/example.com/{fullchain,privkey}.pem          -> ../../archive/example.com/*1.pem
/// le/live/www.example.com-0001/{fullchain,privkey}.pem  expired leaf, rsa2048 key
/// le/live/broken.example.com/fullchain.pem, privkey.pem/ a folder named privkey.pem
/// le/live/evil.example.com/fullchain.pem -> (outside), privkey.pem
/// acme/*.example.com_ecc/{fullchain.cer,*.example.com.key,*.example.com.cer,ca.cer}
/// acme/example.org/{fullchain.cer,example.org.key}      p256 chain, another p256 key
/// acme/example.net/{fullchain.cer,example.net.conf}     no key
/// plain/www.example.com.{crt,key}                       p256
/// plain/server.{pem,key}                                rsa2048 leaf alone
/// plain/inside.crt -> ../store/inside.pem, inside.key   a link that stays in the root
/// plain/outside.crt -> (outside), outside.key
/// plain/dangling.cer -> missing.pem, dangling.key
/// plain/lonely.key
/// plain/linked -> (outside folder)
/// ```
fn build(tree: &Tree, outside: &Tree) {
    outside.copy("p256/fullchain.pem", "stolen.pem");
    outside.copy("rsa2048/fullchain.pem", "evil/fullchain.pem");

    tree.copy(
        "rsa2048/fullchain.pem",
        "le/archive/example.com/fullchain1.pem",
    );
    tree.copy(
        "rsa2048/key.pkcs1.pem",
        "le/archive/example.com/privkey1.pem",
    );
    tree.symlink(
        "../../archive/example.com/fullchain1.pem",
        "le/live/example.com/fullchain.pem",
    );
    tree.symlink(
        "../../archive/example.com/privkey1.pem",
        "le/live/example.com/privkey.pem",
    );
    tree.copy("rsa2048/cert.pem", "le/live/example.com/cert.pem");
    tree.copy(
        "time/expired.pem",
        "le/live/www.example.com-0001/fullchain.pem",
    );
    tree.copy(
        "rsa2048/key.pkcs1.pem",
        "le/live/www.example.com-0001/privkey.pem",
    );
    tree.copy(
        "rsa2048/fullchain.pem",
        "le/live/broken.example.com/fullchain.pem",
    );
    tree.mkdir("le/live/broken.example.com/privkey.pem");
    tree.symlink(
        outside.path("evil/fullchain.pem"),
        "le/live/evil.example.com/fullchain.pem",
    );
    tree.copy(
        "rsa2048/key.pkcs8.pem",
        "le/live/evil.example.com/privkey.pem",
    );

    tree.copy("names/wildcard.pem", "acme/*.example.com_ecc/fullchain.cer");
    tree.copy(
        "rsa2048/key.pkcs8.pem",
        "acme/*.example.com_ecc/*.example.com.key",
    );
    tree.copy(
        "rsa2048/cert.pem",
        "acme/*.example.com_ecc/*.example.com.cer",
    );
    tree.copy("ca/rsa-intermediate.pem", "acme/*.example.com_ecc/ca.cer");
    tree.copy("p256/fullchain.pem", "acme/example.org/fullchain.cer");
    tree.copy(
        "mismatch/p256-b.key.pkcs8.pem",
        "acme/example.org/example.org.key",
    );
    tree.copy("p256/fullchain.pem", "acme/example.net/fullchain.cer");
    std::fs::write(
        tree.path("acme/example.net/example.net.conf"),
        "Le_Domain='example.net'\n",
    )
    .unwrap();

    tree.copy("p256/fullchain.pem", "plain/www.example.com.crt");
    tree.copy("p256/key.sec1.pem", "plain/www.example.com.key");
    tree.copy("rsa2048/cert.pem", "plain/server.pem");
    tree.copy("rsa2048/key.pkcs8.pem", "plain/server.key");
    tree.copy("ed25519/fullchain.pem", "store/inside.pem");
    tree.symlink("../store/inside.pem", "plain/inside.crt");
    tree.copy("ed25519/key.pkcs8.pem", "plain/inside.key");
    tree.symlink(outside.path("stolen.pem"), "plain/outside.crt");
    tree.copy("p256/key.pkcs8.pem", "plain/outside.key");
    tree.symlink("missing.pem", "plain/dangling.cer");
    tree.copy("p256/key.pkcs8.pem", "plain/dangling.key");
    tree.copy("rsa2048/key.pkcs8.pem", "plain/lonely.key");
    tree.symlink(outside.path("evil"), "plain/linked");
}

fn expected_json(root: &str, outside: &str, api: &str) -> Vec<Value> {
    let (expired_code, expired_message) = match api {
        "cdn" => (
            "Certificate.StatusError",
            "The certificate status is error.",
        ),
        _ => ("Certificate.Expired", "The certificate is expired."),
    };
    let mismatch_message = match api {
        "cdn" => "The Private Key does not math the specified Certificate!",
        _ => "The SSLPri does not math the specified Certificate!",
    };
    let mismatch_detail = "the P-256 public point derived from the key differs from the certificate's: this key belongs to another certificate";
    let expired_detail =
        "the certificate expired on 2026-01-01T00:00:00Z (checked at 2026-06-01T00:00:00Z)";
    vec![
        accepted(
            root,
            "acme/*.example.com_ecc/fullchain.cer",
            "acme/*.example.com_ecc/*.example.com.key",
            json!(".example.com"),
            "*.example.com_ecc",
            api,
        ),
        problem(
            root,
            "acme/example.net/fullchain.cer",
            "UnpairedCertificate",
            "a certificate without its private key: no example.net.key next to it (acme.sh layout)",
        ),
        json!({
            "Cert": format!("{root}/acme/example.org/fullchain.cer"),
            "Key": format!("{root}/acme/example.org/example.org.key"),
            "DomainName": "example.org",
            "CertName": "example.org",
            "Accepted": false,
            "Code": "Certificate.MissMatch",
            "Message": mismatch_message,
            "HttpStatus": 400,
            "Detail": mismatch_detail,
            "Warnings": [{
                "Code": "DomainNotCovered",
                "Detail": "the certificate does not cover example.org (it covers: www.example.com, example.com)",
            }],
            "Findings": [{
                "Code": "Certificate.MissMatch",
                "Message": mismatch_message,
                "HttpStatus": 400,
                "Detail": mismatch_detail,
            }],
            "Skipped": match api {
                "cdn" => json!(["DomainState", "DuplicateName"]),
                _ => json!(["DomainState", "DuplicateName", "DuplicateContent"]),
            },
        }),
        problem(
            root,
            "le/live/broken.example.com/privkey.pem",
            "Unreadable",
            &format!(
                "a folder, not a file; the pair with {root}/le/live/broken.example.com/fullchain.pem was not checked"
            ),
        ),
        problem(
            root,
            "le/live/evil.example.com/fullchain.pem",
            "NotFollowed",
            &format!(
                "a symbolic link to {outside}/evil/fullchain.pem, outside the scanned folders and the certbot tree; not followed; the pair with {root}/le/live/evil.example.com/privkey.pem was not checked"
            ),
        ),
        accepted(
            root,
            "le/live/example.com/fullchain.pem",
            "le/live/example.com/privkey.pem",
            json!("example.com"),
            "example.com",
            api,
        ),
        json!({
            "Cert": format!("{root}/le/live/www.example.com-0001/fullchain.pem"),
            "Key": format!("{root}/le/live/www.example.com-0001/privkey.pem"),
            "DomainName": "www.example.com",
            "CertName": "www.example.com-0001",
            "Accepted": false,
            "Code": expired_code,
            "Message": expired_message,
            "HttpStatus": 400,
            "Detail": expired_detail,
            "Warnings": [],
            "Findings": [{
                "Code": expired_code,
                "Message": expired_message,
                "HttpStatus": 400,
                "Detail": expired_detail,
            }],
            "Skipped": match api {
                "cdn" => json!(["DomainState", "DuplicateName"]),
                _ => json!(["DomainState", "DuplicateName", "DuplicateContent"]),
            },
        }),
        problem(
            root,
            "plain/dangling.cer",
            "Unreadable",
            &format!(
                "a symbolic link to missing.pem, which cannot be resolved: No such file or directory (os error 2); the pair with {root}/plain/dangling.key was not checked"
            ),
        ),
        accepted(
            root,
            "plain/inside.crt",
            "plain/inside.key",
            Value::Null,
            "inside",
            api,
        ),
        problem(
            root,
            "plain/linked",
            "NotFollowed",
            &format!(
                "a symbolic link to the folder {outside}/evil; linked folders are not entered"
            ),
        ),
        problem(
            root,
            "plain/lonely.key",
            "UnpairedKey",
            "a private key without a certificate: no lonely.crt, lonely.pem or lonely.cer next to it",
        ),
        problem(
            root,
            "plain/outside.crt",
            "NotFollowed",
            &format!(
                "a symbolic link to {outside}/stolen.pem, outside the scanned folders; not followed; the pair with {root}/plain/outside.key was not checked"
            ),
        ),
        json!({
            "Cert": format!("{root}/plain/server.pem"),
            "Key": format!("{root}/plain/server.key"),
            "DomainName": null,
            "CertName": "server",
            "Accepted": true,
            "Warnings": [{
                "Code": "ChainIncomplete",
                "Detail": "only the leaf certificate was given; append the intermediate certificate(s) issued by O=Cert Preflight Tests, CN=Preflight Test RSA Intermediate (use the full chain file)",
            }],
            "Skipped": skipped(api),
        }),
        accepted(
            root,
            "plain/www.example.com.crt",
            "plain/www.example.com.key",
            json!("www.example.com"),
            "www.example.com",
            api,
        ),
    ]
}

/// Canonical form of a temporary folder (the tests compare real paths of link targets).
fn real(tree: &Tree) -> String {
    std::fs::canonicalize(tree.dir.path())
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned()
}

#[test]
fn json_lines_cover_every_layout_link_and_unreadable_file() {
    let (tree, outside) = (Tree::new(), Tree::new());
    build(&tree, &outside);
    for api in ["cdn", "live"] {
        let root = tree.root();
        let (status, lines, stderr) = scan(&[&root, "--api", api, "--at", AT, "--format", "json"]);
        assert_eq!(status, 1, "{api}: {stderr}");
        assert_eq!(stderr, "", "no progress bar when not on a terminal");
        let expected = expected_json(&root, &real(&outside), api);
        let got = parse(&lines);
        assert_eq!(got.len(), expected.len(), "{api}: {lines:#?}");
        for (line, (got, expected)) in lines.iter().zip(got.iter().zip(&expected)) {
            assert_eq!(got, expected, "{api}: {line}");
        }
        // The contract's shape, with the paths first.
        assert!(
            lines[0].starts_with(&format!(
                "{{\"Cert\":\"{root}/acme/*.example.com_ecc/fullchain.cer\",\"Key\":"
            )),
            "{}",
            lines[0]
        );
    }
}
