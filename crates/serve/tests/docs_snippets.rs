//! Every client snippet of the documentation (`README.md`, `docs/*.md`), run as written against a
//! server in this process, with the real clients `clients/install.sh` installs under
//! `target/clients/`.
//!
//! **The marker.** A snippet to run is a fenced block preceded, on the line before its fence,
//! by the HTML comment `<!-- snippet: run -->` (invisible on GitHub and crates.io). Its info
//! string names the interpreter: `python` (the clients' venv, `target/clients/venv/bin/python`),
//! `js` (`node`, with `NODE_PATH=target/clients/node/node_modules`) or `sh` (`bash`). The next
//! fenced block after it, a ```` ```text ```` block, is what the snippet prints: the test
//! asserts that the snippet exits 0 and that its standard output is exactly that text.
//!
//! **The inputs.** Each snippet runs from the repository's root (so `testdata/` paths resolve)
//! against a fresh server (in memory, validity judged at 2026-06-01T00:00:00Z, the default
//! credentials `test`:`test`), whose address it reads from `PREFLIGHT_ENDPOINT`
//! (`http://127.0.0.1:PORT`); written in the docs with the default `http://127.0.0.1:18911`, so
//! a reader can run it as is against `cert-preflight serve --at 2026-06-01T00:00:00Z`.
//!
//! Every ```` ```python ```` and ```` ```js ```` block of those documents must be marked: a client
//! snippet that is not run is a failure. When the clients cannot be installed for want of a
//! network, the test is skipped (it says so), as `clients.rs` and `cas_clients.rs` are; any other
//! installation failure fails it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

/// The comment that marks a snippet to run.
const MARKER: &str = "<!-- snippet: run -->";

/// A fenced block: the line its fence is on (1-based), its info string, its text, and whether
/// the line before the fence is the marker.
struct Block {
    line: usize,
    info: String,
    text: String,
    marked: bool,
}

/// The fenced blocks of a Markdown document, in order.
fn blocks(document: &str) -> Vec<Block> {
    let lines: Vec<&str> = document.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(info) = lines[i].trim_start().strip_prefix("```") else {
            i += 1;
            continue;
        };
        let start = i;
        let end = (start + 1..lines.len())
            .find(|&j| lines[j].trim_start() == "```")
            .unwrap_or_else(|| panic!("line {}: a ``` block without its end", start + 1));
        let mut text = lines[start + 1..end].join("\n");
        text.push('\n');
        found.push(Block {
            line: start + 1,
            info: info.trim().to_owned(),
            text,
            marked: start > 0 && lines[start - 1].trim() == MARKER,
        });
        i = end + 1;
    }
    found
}

/// The language of a block: the first word of its info string.
fn language(block: &Block) -> &str {
    block.info.split([' ', ',']).next().unwrap_or("")
}

/// A snippet to run and the output the document shows for it.
struct Snippet {
    at: String,
    language: String,
    code: String,
    prints: String,
}

/// The documents searched, relative to the repository's root.
fn documents() -> Vec<PathBuf> {
    let mut documents = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repo().join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .map(|path| path.strip_prefix(repo()).unwrap().to_path_buf())
        .collect();
    docs.sort();
    documents.extend(docs);
    documents
}

/// Every marked snippet of every document; panics on a client snippet that is not marked, or a
/// marked one without its output block.
fn snippets() -> Vec<Snippet> {
    let mut snippets = Vec::new();
    for document in documents() {
        let text = std::fs::read_to_string(repo().join(&document)).unwrap();
        let blocks = blocks(&text);
        for (n, block) in blocks.iter().enumerate() {
            let at = format!("{}:{}", document.display(), block.line);
            let lang = language(block);
            if !block.marked {
                assert!(
                    !matches!(lang, "python" | "js"),
                    "{at}: a ```{lang} block that is not run: mark it with {MARKER} on the line \
                     before its fence"
                );
                continue;
            }
            assert!(
                matches!(lang, "python" | "js" | "sh"),
                "{at}: a marked block must be python, js or sh, not {lang:?}"
            );
            let prints = blocks
                .get(n + 1)
                .filter(|next| language(next) == "text")
                .unwrap_or_else(|| {
                    panic!("{at}: a marked snippet needs a ```text block of its output after it")
                });
            snippets.push(Snippet {
                at,
                language: lang.to_owned(),
                code: block.text.clone(),
                prints: prints.text.clone(),
            });
        }
    }
    snippets
}

/// Runs one snippet as written against a fresh server and returns its exit status, standard
/// output and standard error.
fn run(root: &Path, snippet: &Snippet) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
    let script = dir.path().join(match snippet.language.as_str() {
        "python" => "snippet.py",
        "js" => "snippet.js",
        _ => "snippet.sh",
    });
    std::fs::write(&script, &snippet.code).unwrap();
    let mut command = match snippet.language.as_str() {
        "python" => Command::new(root.join("target/clients/venv/bin/python")),
        "js" => {
            let mut node = Command::new("node");
            node.env("NODE_PATH", root.join("target/clients/node/node_modules"));
            node
        }
        _ => Command::new("bash"),
    };
    let output = command
        .arg(&script)
        .current_dir(root)
        .env(
            "PREFLIGHT_ENDPOINT",
            format!("http://127.0.0.1:{}", server.port),
        )
        .output()
        .unwrap();
    let log = server.stderr();
    server.stop();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        format!(
            "{}\n--- the server's log:\n{log}",
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[test]
fn every_client_snippet_of_the_docs_prints_what_the_docs_say() {
    let snippets = snippets();
    assert!(
        snippets.iter().any(|s| s.at.starts_with("README.md:")),
        "the README's client snippet is not marked to run"
    );
    let Some(root) = install_clients() else {
        return;
    };
    let mut failures = Vec::new();
    for snippet in &snippets {
        let (ok, stdout, stderr) = run(&root, snippet);
        if !ok || stdout != snippet.prints {
            failures.push(format!(
                "{} ({}): exit {}\n--- printed:\n{stdout}--- the document says:\n{}--- stderr:\n{stderr}",
                snippet.at,
                snippet.language,
                if ok { "0" } else { "not 0" },
                snippet.prints
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} snippets differ:\n\n{}",
        failures.len(),
        snippets.len(),
        failures.join("\n\n")
    );
}
