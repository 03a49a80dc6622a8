//! Tidy checks, run by `cargo test -p xtask`: the layering in `docs/ARCHITECTURE.md` holds for
//! every crate's dependencies, every crate is in that list and starts with a `//!` header, and
//! no template placeholder survives into any generated file of the example.

use crate::util::root;
use std::path::Path;

/// The crates of `docs/ARCHITECTURE.md`'s "Layers" list, in order.
pub fn layers(architecture: &str) -> Vec<String> {
    let Some(start) = architecture.find("\n## Layers") else {
        return Vec::new();
    };
    let section = &architecture[start + 1..];
    let end = section[3..].find("\n## ").map_or(section.len(), |i| i + 3);
    section[..end]
        .lines()
        .filter_map(|l| {
            let (num, rest) = l.split_once(". ")?;
            if !num.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some(rest.trim().trim_matches('`').to_string())
        })
        .collect()
}

/// The workspace crates a `Cargo.toml` depends on in `[dependencies]` and
/// `[build-dependencies]` (`name.workspace = true` or `name = { ... }` lines).
pub fn normal_deps(manifest: &str, members: &[String]) -> Vec<String> {
    let mut section = "";
    let mut out = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if section != "[dependencies]" && section != "[build-dependencies]" {
            continue;
        }
        let key = line
            .split(['=', '.', ' '])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if members.contains(&key) {
            out.push(key);
        }
    }
    out
}

/// The directories under `crates/` with a `Cargo.toml`, sorted.
pub fn member_crates(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root.join("crates"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().join("Cargo.toml").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every `@name@` placeholder (the template filler's syntax) in `text`.
pub fn leftover_placeholders(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'@' {
            let rest = &text[i + 1..];
            let len = rest
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .count();
            if len > 0 && rest.as_bytes().get(len) == Some(&b'@') {
                out.push(text[i..i + len + 2].to_string());
                i += len + 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn architecture() -> String {
        std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).expect("ARCHITECTURE.md")
    }

    #[test]
    fn every_crate_is_layered_and_depends_only_downwards() {
        let order = layers(&architecture());
        let members = member_crates(&root());
        assert!(!order.is_empty(), "docs/ARCHITECTURE.md has no Layers list");
        for m in &members {
            assert!(
                order.contains(m),
                "crate {m} is missing from the Layers list"
            );
        }
        for l in &order {
            assert!(
                members.contains(l),
                "Layers lists {l}, which is not a crate"
            );
        }
        for (i, c) in order.iter().enumerate() {
            let manifest =
                std::fs::read_to_string(root().join("crates").join(c).join("Cargo.toml")).unwrap();
            for d in normal_deps(&manifest, &members) {
                let j = order.iter().position(|o| *o == d).unwrap();
                assert!(
                    j < i,
                    "{c} depends on {d}, which is not above it in the Layers list"
                );
            }
        }
    }

    #[test]
    fn every_crate_starts_with_a_header() {
        for c in member_crates(&root()) {
            let src = root().join("crates").join(&c).join("src");
            let lib = ["lib.rs", "main.rs"]
                .iter()
                .map(|f| src.join(f))
                .find(|p| p.is_file())
                .unwrap_or_else(|| panic!("{c} has no lib.rs or main.rs"));
            let text = std::fs::read_to_string(&lib).unwrap();
            assert!(
                text.starts_with("//! "),
                "{} lacks a //! header",
                lib.display()
            );
        }
    }

    #[test]
    fn no_placeholder_is_left_in_the_example_output() {
        let surface: apisurface::Surface = serde_json::from_str(
            &std::fs::read_to_string(root().join("testdata/example/surface.json")).unwrap(),
        )
        .unwrap();
        let config = gobridge::Config::load(&root().join("testdata/example/gobridge.toml"))
            .expect("example config");
        let generated =
            gobridge::synthesize(&surface, &config, &gobridge::synth::Options::default()).unwrap();
        assert!(generated.files.len() > 5);
        for (path, text) in &generated.files {
            let left = leftover_placeholders(text);
            assert!(left.is_empty(), "{path} still holds {left:?}");
        }
    }

    #[test]
    fn the_checks_can_fail() {
        assert_eq!(leftover_placeholders("a @module@ b @@ c@d"), ["@module@"]);
        assert_eq!(
            layers("x\n## Layers\n\n1. `a`\n2. `b`\n\n## Next\n3. `c`\n"),
            ["a", "b"]
        );
        let m = "[dependencies]\napisurface.workspace = true\nserde = \"1\"\n[dev-dependencies]\nhandlepool.workspace = true\n";
        let members = vec!["apisurface".to_string(), "handlepool".to_string()];
        assert_eq!(normal_deps(m, &members), ["apisurface"]);
    }
}
