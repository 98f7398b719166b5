//! The layering of ARCHITECTURE.md, enforced: every `crate::` path in `src/` may point down or
//! sideways, never up. A new arrow back up fails here with the file, the line and both layers.
//!
//! Layers, lowest first (a module may use its own layer and those below):
//! 0. ground: the article format, loading, the corpus, and the plain values below everything
//!    (text folding, parsing, schedules, the state store, configuration, the file watcher);
//! 1. search: the index, which knows documents, not articles;
//! 2. the corpus in service: a corpus with its index, swapped whole on reload;
//! 3. answers: the reply type and the shared wording;
//! 4. commands: the table, one file per command, the one `answer`, the slash-line parser and the
//!    bot's shared state;
//! 5. front ends, in their own order: console and check; discord/; digest scheduling (posts
//!    through discord/); http/ (may use discord/ and digests, never the reverse).

use std::path::{Path, PathBuf};

/// The layer of a top-level module of the crate, as a (layer, front-end rank) pair: front ends
/// share layer 5 and are ordered among themselves by the rank.
fn layer(module: &str) -> Option<(u8, u8)> {
    Some(match module {
        "article" | "problem" | "normalize" | "parse" | "load" | "corpus" | "gen_corpus"
        | "watch" | "schedule" | "store" | "config" | "country" | "dates" => (0, 0),
        "search" => (1, 0),
        "indexed" | "live" => (2, 0),
        "reply" | "wording" => (3, 0),
        "cmd" | "slash" | "app" => (4, 0),
        "console" | "check" | "logging" | "draft" => (5, 0),
        "discord" => (5, 1),
        "digest" => (5, 2),
        "http" => (5, 3),
        _ => return None,
    })
}

/// One arrow that runs back up.
#[derive(Debug, PartialEq)]
struct Violation {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// The top-level modules a source line names through `crate::` paths: `use crate::a::b;`,
/// `use crate::{a, b::c};`, and paths in code such as `crate::a::f()`.
fn crate_targets(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "self" {
                    out.push(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
        rest = after;
    }
    out
}

/// The top-level module a source file belongs to: `src/cmd/who.rs` -> `cmd`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

/// Every arrow back up in `text`, the source of `file` in module `from`.
fn violations(file: &str, from: &str, text: &str) -> Vec<Violation> {
    let Some(own) = layer(from) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for to in crate_targets(line) {
            let target = layer(&to).unwrap_or_else(|| {
                panic!(
                    "{file}:{}: module `{to}` has no layer in tests/layers.rs",
                    n + 1
                )
            });
            if target > own {
                found.push(Violation {
                    file: file.to_string(),
                    line: n + 1,
                    from: from.to_string(),
                    to,
                });
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("src entries are readable").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_import_runs_back_up_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut all = Vec::new();
    let mut checked = 0;
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        // The library root and the binary sit above every layer.
        if module == "lib" || module == "main" {
            continue;
        }
        assert!(
            layer(&module).is_some(),
            "{}: module `{module}` has no layer in tests/layers.rs; give it one",
            file.display()
        );
        let text = std::fs::read_to_string(file).expect("source is UTF-8");
        all.extend(violations(&file.display().to_string(), &module, &text));
        checked += 1;
    }
    assert!(checked > 40, "only {checked} files checked");
    assert!(
        all.is_empty(),
        "imports that run back up the layers (see ARCHITECTURE.md, Invariants):\n{}",
        all.iter()
            .map(|v| format!("  {}:{}: {} -> {}", v.file, v.line, v.from, v.to))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn an_arrow_back_up_is_caught_in_every_form() {
    // The corpus (ground) reaching for the index, the commands or Discord.
    let corpus = "use crate::article::Article;\nuse crate::search::SearchIndex;\n\
                  use crate::{cmd, problem};\nlet x = crate::discord::text::escape(y); // crate::http";
    let found = violations("src/corpus/mod.rs", "corpus", corpus);
    let targets: Vec<(&str, usize)> = found.iter().map(|v| (v.to.as_str(), v.line)).collect();
    assert_eq!(targets, vec![("search", 2), ("cmd", 3), ("discord", 4)]);
    // Discord's front end reaching for the webhook endpoint or the digests.
    assert_eq!(
        violations(
            "src/discord/gateway.rs",
            "discord",
            "use crate::http::rest;"
        )
        .len(),
        1
    );
    assert_eq!(
        violations(
            "src/discord/gateway.rs",
            "discord",
            "use crate::digest::scheduler::Scheduler;"
        )
        .len(),
        1
    );
    // Down and sideways are fine.
    assert!(violations("src/http/endpoint.rs", "http", "use crate::discord::rest;").is_empty());
    assert!(violations("src/cmd/who.rs", "cmd", "use crate::cmd::Context;").is_empty());
}

/// Every path of ARCHITECTURE.md written as `src/...rs`, braces expanded:
/// `src/cmd/{who,brief}.rs` names `src/cmd/who.rs` and `src/cmd/brief.rs`.
fn documented_paths(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in doc.split('`') {
        if !(piece.starts_with("src/") && piece.ends_with(".rs")) {
            continue;
        }
        match (piece.find('{'), piece.find('}')) {
            (Some(open), Some(close)) if open < close => {
                for name in piece[open + 1..close].split(',') {
                    out.push(format!(
                        "{}{}{}",
                        &piece[..open],
                        name.trim(),
                        &piece[close + 1..]
                    ));
                }
            }
            _ => out.push(piece.to_string()),
        }
    }
    out
}

#[test]
fn the_code_map_names_every_source_file_and_no_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let documented = documented_paths(&doc);
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let files: Vec<String> = files
        .iter()
        .filter_map(|f| f.strip_prefix(root).ok())
        .map(|f| f.display().to_string())
        .collect();
    let missing: Vec<&String> = files.iter().filter(|f| !documented.contains(f)).collect();
    assert!(
        missing.is_empty(),
        "not in ARCHITECTURE.md's code map: {missing:?}"
    );
    let stale: Vec<&String> = documented.iter().filter(|d| !files.contains(d)).collect();
    assert!(
        stale.is_empty(),
        "ARCHITECTURE.md names files that do not exist: {stale:?}"
    );
}
