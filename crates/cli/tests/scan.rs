//! `cert-preflight scan` as a deploy job runs it: certbot, acme.sh and plain trees built in a
//! temporary folder from the fixtures, every JSON line and the exit status asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cert_preflight_testkit::{common, leak};

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

/// The warning on `plain/inside.crt`, an Ed25519 chain.
const ED25519_WARNING: &str = "the certificate has an Ed25519 key; no browser supports Ed25519 \
                               certificates in TLS today, so browsers will fail to connect: use \
                               a certificate with an ECDSA P-256 key or an RSA key of 2048 bits \
                               or more";

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
/// plain/inside.crt -> ../store/inside.pem, inside.key   a link that stays in the root (Ed25519)
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
            // The key matches no certificate: no advice about the leaf (issue 16).
            "Warnings": [],
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
        json!({
            "Cert": format!("{root}/plain/inside.crt"),
            "Key": format!("{root}/plain/inside.key"),
            "DomainName": null,
            "CertName": "inside",
            "Accepted": true,
            "Warnings": [{"Code": "Ed25519Certificate", "Detail": ED25519_WARNING}],
            "Skipped": skipped(api),
        }),
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
        // check's JSON shape, with the paths first.
        assert!(
            lines[0].starts_with(&format!(
                "{{\"Cert\":\"{root}/acme/*.example.com_ecc/fullchain.cer\",\"Key\":"
            )),
            "{}",
            lines[0]
        );
    }
}

#[test]
fn text_output_summarises_and_lists_rejections_warnings_and_skipped_files() {
    let (tree, outside) = (Tree::new(), Tree::new());
    build(&tree, &outside);
    let root = tree.root();
    let out = real(&outside);
    let (status, lines, stderr) = scan(&[&root, "--api", "live", "--at", AT]);
    assert_eq!(status, 1, "{stderr}");
    assert_eq!(stderr, "");
    let expected = [
        "7 pair(s) checked for live at 2026-06-01T00:00:00Z: 5 accepted, 2 rejected; 7 file(s) not checked".to_owned(),
        "  accepted                         5".to_owned(),
        "  rejected  Certificate.Expired    1".to_owned(),
        "  rejected  Certificate.MissMatch  1".to_owned(),
        "  warning   ChainIncomplete        1".to_owned(),
        "  warning   Ed25519Certificate     1".to_owned(),
        "  skipped   NotFollowed            3".to_owned(),
        "  skipped   UnpairedCertificate    1".to_owned(),
        "  skipped   UnpairedKey            1".to_owned(),
        "  skipped   Unreadable             2".to_owned(),
        String::new(),
        format!("REJECTED {root}/acme/example.org/fullchain.cer + {root}/acme/example.org/example.org.key: Certificate.MissMatch (HTTP 400): the P-256 public point derived from the key differs from the certificate's: this key belongs to another certificate"),
        format!("REJECTED {root}/le/live/www.example.com-0001/fullchain.pem + {root}/le/live/www.example.com-0001/privkey.pem: Certificate.Expired (HTTP 400): the certificate expired on 2026-01-01T00:00:00Z (checked at 2026-06-01T00:00:00Z)"),
        format!("WARNING  {root}/plain/inside.crt: [Ed25519Certificate] {ED25519_WARNING}"),
        format!("WARNING  {root}/plain/server.pem: [ChainIncomplete] only the leaf certificate was given; append the intermediate certificate(s) issued by O=Cert Preflight Tests, CN=Preflight Test RSA Intermediate (use the full chain file)"),
        format!("SKIPPED  {root}/acme/example.net/fullchain.cer: [UnpairedCertificate] a certificate without its private key: no example.net.key next to it (acme.sh layout)"),
        format!("SKIPPED  {root}/le/live/broken.example.com/privkey.pem: [Unreadable] a folder, not a file; the pair with {root}/le/live/broken.example.com/fullchain.pem was not checked"),
        format!("SKIPPED  {root}/le/live/evil.example.com/fullchain.pem: [NotFollowed] a symbolic link to {out}/evil/fullchain.pem, outside the scanned folders and the certbot tree; not followed; the pair with {root}/le/live/evil.example.com/privkey.pem was not checked"),
        format!("SKIPPED  {root}/plain/dangling.cer: [Unreadable] a symbolic link to missing.pem, which cannot be resolved: No such file or directory (os error 2); the pair with {root}/plain/dangling.key was not checked"),
        format!("SKIPPED  {root}/plain/linked: [NotFollowed] a symbolic link to the folder {out}/evil; linked folders are not entered"),
        format!("SKIPPED  {root}/plain/lonely.key: [UnpairedKey] a private key without a certificate: no lonely.crt, lonely.pem or lonely.cer next to it"),
        format!("SKIPPED  {root}/plain/outside.crt: [NotFollowed] a symbolic link to {out}/stolen.pem, outside the scanned folders; not followed; the pair with {root}/plain/outside.key was not checked"),
    ];
    assert_eq!(lines, expected);
}

/// A certbot tree whose live/ links point into archive/ (as certbot writes them).
fn certbot(tree: &Tree) {
    tree.copy(
        "rsa2048/fullchain.pem",
        "le/archive/example.com/fullchain3.pem",
    );
    tree.copy(
        "rsa2048/key.pkcs1.pem",
        "le/archive/example.com/privkey3.pem",
    );
    tree.symlink(
        "../../archive/example.com/fullchain3.pem",
        "le/live/example.com/fullchain.pem",
    );
    tree.symlink(
        "../../archive/example.com/privkey3.pem",
        "le/live/example.com/privkey.pem",
    );
    std::fs::write(tree.path("le/live/README"), "certbot's README\n").unwrap();
}

#[test]
fn certbot_links_into_archive_are_followed_from_live_or_a_lineage_folder() {
    let tree = Tree::new();
    certbot(&tree);
    for (root, lineage) in [
        (tree.path("le"), "live/example.com"),
        (tree.path("le/live"), "example.com"),
        (tree.path("le/live/example.com"), ""),
    ] {
        let root = root.to_str().unwrap().to_owned();
        let (status, lines, stderr) =
            scan(&[&root, "--api", "cdn", "--at", AT, "--format", "json"]);
        assert_eq!(status, 0, "{root}: {stderr}");
        let prefix = if lineage.is_empty() {
            root.clone()
        } else {
            format!("{root}/{lineage}")
        };
        assert_eq!(
            parse(&lines),
            vec![json!({
                "Cert": format!("{prefix}/fullchain.pem"),
                "Key": format!("{prefix}/privkey.pem"),
                "DomainName": "example.com",
                "CertName": "example.com",
                "Accepted": true,
                "Warnings": [],
                "Skipped": skipped("cdn"),
            })],
            "{root}"
        );
    }
}

#[test]
fn warn_days_turns_expiry_within_n_days_into_a_warning_on_each_pair() {
    let tree = Tree::new();
    certbot(&tree);
    tree.copy("time/expiring-soon.pem", "certs/www.example.com.crt");
    tree.copy("rsa2048/key.pkcs8.pem", "certs/www.example.com.key");
    let root = tree.root();
    let run = |days: Option<&str>| {
        let mut args = vec![
            root.as_str(),
            "--api",
            "live",
            "--at",
            AT,
            "--format",
            "json",
        ];
        if let Some(days) = days {
            args.extend(["--warn-days", days]);
        }
        let (status, lines, stderr) = scan(&args);
        assert_eq!(status, 0, "{stderr}");
        parse(&lines)
            .iter()
            .map(|line| {
                (
                    line["CertName"].as_str().unwrap().to_owned(),
                    line["Warnings"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let soon = json!([{
        "Code": "ExpiresSoon",
        "Detail": "the certificate expires on 2026-06-15T00:00:00Z, in 14 days; renew it",
    }]);
    let later = json!([{
        "Code": "ExpiresSoon",
        "Detail": "the certificate expires on 2027-01-01T00:00:00Z, in 214 days; renew it",
    }]);
    let names = |warnings: [Value; 2]| {
        vec![
            ("www.example.com".to_owned(), warnings[0].clone()),
            ("example.com".to_owned(), warnings[1].clone()),
        ]
    };
    // The default is check's 30 days.
    assert_eq!(run(None), names([soon.clone(), json!([])]));
    assert_eq!(run(Some("365")), names([soon.clone(), later]));
    assert_eq!(run(Some("14")), names([json!([]), json!([])]));
    assert_eq!(run(Some("15")), names([soon, json!([])]));
}

#[test]
fn no_pair_checked_is_exit_2_after_the_lines_of_what_was_found() {
    let tree = Tree::new();
    tree.mkdir("empty");
    let empty = tree.path("empty").to_str().unwrap().to_owned();
    let (status, lines, stderr) = scan(&[&empty, "--api", "cdn", "--format", "json"]);
    assert_eq!((status, lines.len()), (2, 0));
    assert_eq!(
        stderr,
        format!("cert-preflight: no certificate/key pair found under {empty}\n")
    );

    tree.copy("rsa2048/key.pkcs8.pem", "keys/lonely.key");
    let keys = tree.path("keys").to_str().unwrap().to_owned();
    let (status, lines, stderr) = scan(&[&keys, "--api", "cdn", "--format", "json"]);
    assert_eq!(status, 2);
    assert_eq!(
        parse(&lines),
        vec![problem(
            &keys,
            "lonely.key",
            "UnpairedKey",
            "a private key without a certificate: no lonely.crt, lonely.pem or lonely.cer next to it"
        )]
    );
    assert_eq!(
        stderr,
        format!("cert-preflight: no certificate/key pair found under {keys}\n")
    );

    // Found, but nothing could be read: still nothing checked.
    tree.copy(
        "rsa2048/fullchain.pem",
        "broken/live/a.example.com/fullchain.pem",
    );
    tree.mkdir("broken/live/a.example.com/privkey.pem");
    let broken = tree.path("broken").to_str().unwrap().to_owned();
    let (status, lines, stderr) = scan(&[&broken, "--api", "cdn", "--format", "json"]);
    assert_eq!((status, lines.len()), (2, 1), "{lines:?}");
    assert_eq!(
        stderr,
        format!("cert-preflight: none of the 1 pair(s) found under {broken} could be read\n")
    );

    // Text output says the same.
    let (status, lines, _) = scan(&[&empty, "--api", "cdn", "--at", AT]);
    assert_eq!(status, 2);
    assert_eq!(
        lines,
        vec![
            "0 pair(s) checked for cdn at 2026-06-01T00:00:00Z: 0 accepted, 0 rejected; 0 file(s) not checked",
            "  accepted    0",
        ]
    );
}

#[test]
fn usage_errors_exit_2() {
    let tree = Tree::new();
    certbot(&tree);
    let root = tree.root();
    let file = tree.path("le/live/README").to_str().unwrap().to_owned();
    for (args, message) in [
        (vec!["--api", "cdn"], None),
        (vec![root.as_str()], None),
        (vec![root.as_str(), "--api", "cdn", "--jobs", "0"], None),
        (vec![root.as_str(), "--api", "cdn", "--at", "today"], None),
        (
            vec![root.as_str(), "--api", "cdn", "--format", "yaml"],
            None,
        ),
        (
            vec!["/nonexistent/certs", "--api", "cdn"],
            Some(
                "cert-preflight: /nonexistent/certs: No such file or directory (os error 2)\n"
                    .to_owned(),
            ),
        ),
        (
            vec![file.as_str(), "--api", "cdn"],
            Some(format!(
                "cert-preflight: {file}: not a folder; scan takes folders (use `check` for one pair)\n"
            )),
        ),
    ] {
        let (status, lines, stderr) = scan(&args);
        assert_eq!(status, 2, "{args:?}: {stderr}");
        assert!(lines.is_empty(), "{args:?}: {lines:?}");
        if let Some(message) = message {
            assert_eq!(stderr, message);
        }
    }
    // Scanning nothing at all is a usage error too.
    let (status, _, _) = scan(&["--api", "cdn"]);
    assert_eq!(status, 2);
}

#[test]
fn cert_name_is_cut_to_128_characters_and_never_blank() {
    let tree = Tree::new();
    let long = format!("{}{}", "a".repeat(120), "é".repeat(10));
    tree.copy("p256/fullchain.pem", &format!("plain/{long}.crt"));
    tree.copy("p256/key.pkcs8.pem", &format!("plain/{long}.key"));
    tree.copy("p256/fullchain.pem", "le/live/ /fullchain.pem");
    tree.copy("p256/key.pkcs8.pem", "le/live/ /privkey.pem");
    let root = tree.root();
    let (status, lines, stderr) = scan(&[&root, "--api", "live", "--at", AT, "--format", "json"]);
    assert_eq!(status, 0, "{stderr}: {lines:?}");
    let cut = format!("{}{}", "a".repeat(120), "é".repeat(8));
    assert_eq!(
        parse(&lines),
        vec![
            accepted(
                &root,
                "le/live/ /fullchain.pem",
                "le/live/ /privkey.pem",
                Value::Null,
                "fullchain.pem",
                "live"
            ),
            accepted(
                &root,
                &format!("plain/{long}.crt"),
                &format!("plain/{long}.key"),
                Value::Null,
                &cut,
                "live"
            ),
        ]
    );
}

#[test]
fn every_certificate_next_to_a_key_of_its_stem_is_a_pair() {
    let tree = Tree::new();
    tree.copy("rsa2048/fullchain.pem", "both.crt");
    tree.copy("rsa2048/chain3.pem", "both.pem");
    tree.copy("p256/fullchain.pem", "both.cer");
    tree.copy("rsa2048/key.pkcs1.pem", "both.key");
    let root = tree.root();
    let (status, lines, _) = scan(&[&root, "--api", "cdn", "--at", AT, "--format", "json"]);
    assert_eq!(status, 1);
    let got: Vec<(String, String, Value)> = parse(&lines)
        .iter()
        .map(|l| {
            (
                l["Cert"].as_str().unwrap().to_owned(),
                l["Key"].as_str().unwrap().to_owned(),
                l["Accepted"].clone(),
            )
        })
        .collect();
    let key = format!("{root}/both.key");
    assert_eq!(
        got,
        vec![
            (format!("{root}/both.cer"), key.clone(), json!(false)),
            (format!("{root}/both.crt"), key.clone(), json!(true)),
            (format!("{root}/both.pem"), key, json!(true)),
        ]
    );
}

#[test]
fn overlapping_and_repeated_roots_check_each_pair_once() {
    let (tree, outside) = (Tree::new(), Tree::new());
    build(&tree, &outside);
    let root = tree.root();
    let plain = format!("{root}/plain");
    let (_, once, _) = scan(&[&root, "--api", "cdn", "--at", AT, "--format", "json"]);
    let (status, overlapping, _) = scan(&[
        &plain, &root, &root, "--api", "cdn", "--at", AT, "--format", "json",
    ]);
    assert_eq!(status, 1);
    assert_eq!(overlapping, once);
}

#[test]
fn order_is_stable_whatever_the_number_of_jobs() {
    let tree = Tree::new();
    for i in 0..60 {
        let (cert, key) = match i % 3 {
            0 => ("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem"),
            1 => ("p256/fullchain.pem", "mismatch/p256-b.key.pkcs8.pem"),
            _ => ("time/expired.pem", "rsa2048/key.pkcs8.pem"),
        };
        tree.copy(cert, &format!("d{}/site{i}.example.com.crt", i % 7));
        tree.copy(key, &format!("d{}/site{i}.example.com.key", i % 7));
    }
    let root = tree.root();
    let runs: Vec<Vec<String>> = [None, Some("1"), Some("2"), Some("7")]
        .into_iter()
        .map(|jobs| {
            let mut args = vec![
                root.as_str(),
                "--api",
                "live",
                "--at",
                AT,
                "--format",
                "json",
            ];
            if let Some(jobs) = jobs {
                args.extend(["--jobs", jobs]);
            }
            let (status, lines, _) = scan(&args);
            assert_eq!(status, 1);
            lines
        })
        .collect();
    assert_eq!(runs[0].len(), 60);
    let mut sorted = runs[0].clone();
    sorted.sort_by_key(|line| {
        let value: Value = serde_json::from_str(line).unwrap();
        PathBuf::from(value["Cert"].as_str().unwrap())
    });
    assert_eq!(runs[0], sorted);
    for run in &runs[1..] {
        assert_eq!(run, &runs[0]);
    }
}

#[test]
fn a_fifo_is_never_opened_and_the_scan_goes_on() {
    let tree = Tree::new();
    tree.copy("p256/fullchain.pem", "good.crt");
    tree.copy("p256/key.pkcs8.pem", "good.key");
    let status = std::process::Command::new("mkfifo")
        .arg(tree.path("fifo.crt"))
        .status()
        .unwrap();
    assert!(status.success());
    tree.copy("p256/key.pkcs8.pem", "fifo.key");
    let root = tree.root();
    let output = cmd()
        .args([
            "scan", &root, "--api", "cdn", "--at", AT, "--format", "json",
        ])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        parse(&lines),
        vec![
            problem(
                &root,
                "fifo.crt",
                "Unreadable",
                &format!(
                    "not a regular file (a FIFO, socket or device); not opened; the pair with {root}/fifo.key was not checked"
                )
            ),
            accepted(&root, "good.crt", "good.key", Value::Null, "good", "cdn"),
        ]
    );
}

#[test]
fn file_names_that_are_not_utf8_are_shown_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let tree = Tree::new();
    let dir = tree.dir.path();
    std::fs::copy(
        common::path("p256/fullchain.pem"),
        dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9.crt")),
    )
    .unwrap();
    std::fs::copy(
        common::path("p256/key.pkcs8.pem"),
        dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9.key")),
    )
    .unwrap();
    let root = tree.root();
    let (status, lines, _) = scan(&[&root, "--api", "live", "--at", AT, "--format", "json"]);
    assert_eq!(status, 0);
    assert_eq!(
        parse(&lines),
        vec![accepted(
            &root,
            "caf\u{fffd}.crt",
            "caf\u{fffd}.key",
            Value::Null,
            "caf\u{fffd}",
            "live"
        )]
    );
}

#[test]
fn no_private_key_bytes_in_any_output() {
    let (tree, outside) = (Tree::new(), Tree::new());
    build(&tree, &outside);
    // A key where the certificate belongs and the reverse.
    tree.copy("rsa2048/key.pkcs8.pem", "swapped/x.crt");
    tree.copy("rsa2048/fullchain.pem", "swapped/x.key");
    let root = tree.root();
    let mut output = String::new();
    for api in ["cdn", "live"] {
        for format in ["text", "json"] {
            let out = cmd()
                .args(["scan", &root, "--api", api, "--at", AT, "--format", format])
                .output()
                .unwrap();
            output.push_str(&String::from_utf8(out.stdout).unwrap());
            output.push_str(&String::from_utf8(out.stderr).unwrap());
        }
    }
    assert!(output.contains("InvalidCertificate"), "{output}");
    for key in [
        "rsa2048/key.pkcs1.pem",
        "rsa2048/key.pkcs8.pem",
        "p256/key.sec1.pem",
        "p256/key.pkcs8.pem",
        "ed25519/key.pkcs8.pem",
        "mismatch/p256-b.key.pkcs8.pem",
    ] {
        leak::key_secrets(&common::fixture(key)).check(key, &output);
    }
}
