//! The documents that restate the code stay equal to it:
//!
//! - `docs/catalog.md` is exactly what `cert-preflight codes --format markdown` prints. When the
//!   catalog changes (a profile, an entry, a source), regenerate it from the repository's root
//!   with `cargo run -q -- codes --format markdown > docs/catalog.md` and commit the result.
//! - The root README's library snippet is the library README's: its first ```` ```rust ````
//!   block and its ```` ```toml ```` block, character for character (the library README is the
//!   crate's rustdoc front page, so its doctest runs the snippet).
//! - Every relative link of the root README and of `docs/` names a file that exists.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_catalog_document_is_the_codes_commands_output() {
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["codes", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8(output.stdout).unwrap();
    let file = read("docs/catalog.md");
    if file != printed {
        let line = file
            .lines()
            .zip(printed.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || file.lines().count().min(printed.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "docs/catalog.md differs from `cert-preflight codes --format markdown` (first at line \
             {line}). Regenerate it from the repository's root:\n\n    cargo run -q -- codes \
             --format markdown > docs/catalog.md\n"
        );
    }
}

/// The fenced blocks of a Markdown text whose info string's first word is `lang`, in order.
fn blocks<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let info_end = after.find('\n').unwrap();
        let info = &after[..info_end];
        let body = &after[info_end + 1..];
        let Some(end) = body.find("\n```").map(|i| i + 1) else {
            panic!("a ``` block without its end");
        };
        if info.split([' ', ',']).next() == Some(lang) {
            found.push(&body[..end]);
        }
        rest = &body[end + 3..];
    }
    found
}

#[test]
fn the_readme_library_snippet_is_the_library_readmes() {
    let root = read("README.md");
    let library = read("crates/cert-preflight/README.md");
    let rust = blocks(&library, "rust");
    let toml = blocks(&library, "toml");
    assert!(
        !rust.is_empty() && toml.len() == 1,
        "the library README's blocks changed"
    );
    assert!(
        blocks(&root, "rust").first() == rust.first(),
        "README.md's first ```rust block must be crates/cert-preflight/README.md's first, \
         character for character"
    );
    assert!(
        blocks(&root, "toml").contains(&toml[0]),
        "README.md must hold crates/cert-preflight/README.md's ```toml block, character for \
         character"
    );
    // The snippet reads the sample pair shipped with the library.
    for file in ["sample/fullchain.pem", "sample/privkey.pem"] {
        assert!(rust[0].contains(file));
        assert!(repo().join("crates/cert-preflight").join(file).is_file());
    }
}

/// The targets of `](target)` links in a Markdown text that are paths in the repository.
fn relative_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        let target = &after[..end];
        rest = &after[end..];
        let path = target.split('#').next().unwrap();
        if path.is_empty() || path.contains("://") || path.starts_with("mailto:") {
            continue;
        }
        links.push(path.to_owned());
    }
    links
}

#[test]
fn relative_links_of_the_readme_and_docs_resolve() {
    let mut documents = vec![PathBuf::from("README.md")];
    for folder in ["docs", "docs/reference"] {
        for entry in std::fs::read_dir(repo().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                documents.push(path.strip_prefix(repo()).unwrap().to_path_buf());
            }
        }
    }
    let mut broken = Vec::new();
    for document in &documents {
        let text = std::fs::read_to_string(repo().join(document)).unwrap();
        let dir = document.parent().unwrap();
        for link in relative_links(&text) {
            if !repo().join(dir).join(&link).exists() {
                broken.push(format!("{}: {link}", document.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links to nothing:\n{}",
        broken.join("\n")
    );
}
