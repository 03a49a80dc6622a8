//! Lexical path handling for everything gobridge prints or writes into `go.mod`: no symlink is
//! resolved (a printed path is the one the user gave, cleaned), and nothing needs to exist.

use std::path::{Component, Path, PathBuf};

/// `p` with `.` elements dropped and `x/..` pairs folded, like Go's `filepath.Clean`:
/// `crates/gobridge/../../testdata/example` → `testdata/example`. A leading `..` of a relative
/// path stays; `..` right after the root is dropped.
pub fn clean(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// `p` made absolute against the current directory (when it is not already), then [`clean`]ed.
pub fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        return clean(p);
    }
    match std::env::current_dir() {
        Ok(cwd) => clean(&cwd.join(p)),
        Err(_) => clean(p),
    }
}

/// `to` relative to the directory `from` (both made [`absolute`]), `/`-separated and starting
/// with `./` or `../`, as a `go.mod` replace directory must.
pub fn relative(from: &Path, to: &Path) -> String {
    let from = absolute(from);
    let to = absolute(to);
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    match parts.first().map(String::as_str) {
        None => ".".to_string(),
        Some("..") => parts.join("/"),
        Some(_) => format!("./{}", parts.join("/")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_folds_dots() {
        for (input, want) in [
            (
                "/work/x/crates/gobridge/../../testdata/example",
                "/work/x/testdata/example",
            ),
            ("a/./b/../c", "a/c"),
            ("../a/b/..", "../a"),
            ("./", "."),
            ("/..", "/"),
            ("a/../..", ".."),
        ] {
            assert_eq!(clean(Path::new(input)), PathBuf::from(want), "{input}");
        }
    }

    #[test]
    fn relative_paths_for_replace() {
        assert_eq!(
            relative(Path::new("/w/target/out"), Path::new("/w/testdata/example")),
            "../../testdata/example"
        );
        assert_eq!(relative(Path::new("/w"), Path::new("/w/src")), "./src");
        assert_eq!(relative(Path::new("/w"), Path::new("/w")), ".");
        assert_eq!(
            relative(Path::new("/w/a/../out"), Path::new("/w/./src")),
            "../src"
        );
    }
}
