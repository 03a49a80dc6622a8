//! The one template filler every renderer uses for generated text (Go, Rust, C).
//!
//! A template is text with placeholders `@name@` (`name`: lower-case ASCII letters, digits and
//! `_`, starting with a letter). `@@` writes one literal `@`. [`fill`] replaces every placeholder
//! in a **single pass**: a value is copied as is and never scanned again, so a value that itself
//! contains `@name@` (a struct tag, a doc comment) comes out unchanged.
//!
//! Filling fails, rather than writing something half-done, when:
//!
//! * the template names a placeholder no value was supplied for ([`TemplateError::Unfilled`]);
//! * a value was supplied that the template never uses ([`TemplateError::Unused`]) — usually a
//!   renamed placeholder;
//! * the same name is supplied twice ([`TemplateError::Duplicate`]);
//! * an `@` starts something that is not a placeholder ([`TemplateError::Malformed`]).
//!
//! A value that spans several lines is indented like the line its placeholder sits on: every
//! line after the first gets that line's leading whitespace, so a multi-line Go type written into
//! an indented struct field stays gofmt-clean. Blank lines of a value stay empty. A placeholder
//! that is alone on its line (a "block") and gets an empty value removes the whole line, so an
//! optional block leaves neither a blank line nor trailing whitespace, and a block value's own
//! final newline is dropped (the template's line end takes its place).
//!
//! ```
//! use apisurface::template::fill;
//! let t = "func @name@() {\n\tx := @value@\n}\n";
//! let out = fill(t, &[("name", "f"), ("value", "struct {\n\tA int\n}{}")]).unwrap();
//! assert_eq!(out, "func f() {\n\tx := struct {\n\t\tA int\n\t}{}\n}\n");
//! assert!(fill("@missing@", &[]).is_err());
//! ```

/// Why a template could not be filled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The template uses a placeholder no value was given for.
    #[error("placeholder @{name}@ at byte {offset} has no value")]
    Unfilled {
        /// The placeholder's name.
        name: String,
        /// Byte offset of its first `@` in the template.
        offset: usize,
    },
    /// A value was given for a placeholder the template does not have.
    #[error("a value was given for @{name}@, which the template does not use")]
    Unused {
        /// The name given.
        name: String,
    },
    /// The same placeholder was given two values.
    #[error("placeholder @{name}@ was given more than one value")]
    Duplicate {
        /// The name given twice.
        name: String,
    },
    /// An `@` that does not start `@@` or a well-formed `@name@`.
    #[error("malformed placeholder at byte {offset}: {why}")]
    Malformed {
        /// Byte offset of the `@`.
        offset: usize,
        /// What is wrong.
        why: &'static str,
    },
}

/// True when `name` can be a placeholder name.
pub fn is_placeholder_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
}

/// One piece of a parsed template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'t> {
    /// Literal text.
    Text(&'t str),
    /// `@name@`, starting at a byte offset; the indentation of its line.
    Hole {
        name: &'t str,
        offset: usize,
        indent: &'t str,
    },
}

fn parse(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest_start = 0;
    let mut i = 0;
    let b = template.as_bytes();
    while i < b.len() {
        if b[i] != b'@' {
            i += 1;
            continue;
        }
        if i > rest_start {
            pieces.push(Piece::Text(&template[rest_start..i]));
        }
        if b.get(i + 1) == Some(&b'@') {
            pieces.push(Piece::Text("@"));
            i += 2;
            rest_start = i;
            continue;
        }
        let Some(len) = template[i + 1..].find('@') else {
            return Err(TemplateError::Malformed {
                offset: i,
                why: "`@` without a closing `@` (write `@@` for a literal `@`)",
            });
        };
        let name = &template[i + 1..i + 1 + len];
        if !is_placeholder_name(name) {
            return Err(TemplateError::Malformed {
                offset: i,
                why: "a placeholder name is lower-case ASCII letters, digits and `_`",
            });
        }
        let line_start = template[..i].rfind('\n').map_or(0, |n| n + 1);
        let line = &template[line_start..i];
        let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
        pieces.push(Piece::Hole {
            name,
            offset: i,
            indent: &line[..indent_len],
        });
        i += len + 2;
        rest_start = i;
    }
    if rest_start < b.len() {
        pieces.push(Piece::Text(&template[rest_start..]));
    }
    Ok(pieces)
}

/// The placeholder names a template uses, sorted, each once.
pub fn placeholders(template: &str) -> Result<Vec<&str>, TemplateError> {
    let mut names: Vec<&str> = parse(template)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Hole { name, .. } => Some(name),
            Piece::Text(_) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    Ok(names)
}

/// Fills `template` with `values` (name, text) in one pass; see the [module docs](self).
pub fn fill(template: &str, values: &[(&str, &str)]) -> Result<String, TemplateError> {
    for (i, (name, _)) in values.iter().enumerate() {
        if values[..i].iter().any(|(n, _)| n == name) {
            return Err(TemplateError::Duplicate {
                name: (*name).to_string(),
            });
        }
    }
    let pieces = parse(template)?;
    let mut used = vec![false; values.len()];
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut skip_newline = false;
    for (i, piece) in pieces.iter().enumerate() {
        match *piece {
            Piece::Text(mut t) => {
                if std::mem::take(&mut skip_newline) {
                    t = t.strip_prefix('\n').unwrap_or(t);
                }
                out.push_str(t)
            }
            Piece::Hole {
                name,
                offset,
                indent,
            } => {
                let Some(k) = values.iter().position(|(n, _)| *n == name) else {
                    return Err(TemplateError::Unfilled {
                        name: name.to_string(),
                        offset,
                    });
                };
                used[k] = true;
                let value = values[k].1;
                let line_start = out.rfind('\n').map_or(0, |n| n + 1);
                let alone_before = out[line_start..].bytes().all(|b| b == b' ' || b == b'\t');
                let alone_after = match pieces.get(i + 1) {
                    None => true,
                    Some(Piece::Text(t)) => t.starts_with('\n'),
                    Some(Piece::Hole { .. }) => false,
                };
                let block = alone_before && alone_after;
                if value.is_empty() && block {
                    out.truncate(line_start);
                    skip_newline = true;
                    continue;
                }
                // A block's own trailing newline is the template's line end.
                let value = if block {
                    value.strip_suffix('\n').unwrap_or(value)
                } else {
                    value
                };
                push_indented(&mut out, value, indent);
            }
        }
    }
    if let Some(k) = used.iter().position(|u| !u) {
        return Err(TemplateError::Unused {
            name: values[k].0.to_string(),
        });
    }
    Ok(out)
}

/// Appends `value`, giving every line after the first the prefix `indent` (blank lines stay
/// empty).
fn push_indented(out: &mut String, value: &str, indent: &str) {
    for (i, line) in value.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_pass_leaves_placeholders_inside_values() {
        let out = fill(
            "// @doc@\nx = @x@",
            &[("doc", "tag `json:\"@x@\"`"), ("x", "1")],
        )
        .unwrap();
        assert_eq!(out, "// tag `json:\"@x@\"`\nx = 1");
    }

    #[test]
    fn unfilled_unused_duplicate_and_malformed_fail() {
        assert_eq!(
            fill("a @b@ c", &[]),
            Err(TemplateError::Unfilled {
                name: "b".into(),
                offset: 2
            })
        );
        assert_eq!(
            fill("a", &[("b", "x")]),
            Err(TemplateError::Unused { name: "b".into() })
        );
        assert_eq!(
            fill("@b@", &[("b", "x"), ("b", "y")]),
            Err(TemplateError::Duplicate { name: "b".into() })
        );
        assert!(matches!(
            fill("a @b", &[]),
            Err(TemplateError::Malformed { offset: 2, .. })
        ));
        assert!(matches!(
            fill("x @B@ y", &[("B", "1")]),
            Err(TemplateError::Malformed { offset: 2, .. })
        ));
        assert!(matches!(
            fill("a@ b@", &[]),
            Err(TemplateError::Malformed { offset: 1, .. })
        ));
    }

    #[test]
    fn double_at_is_a_literal_at() {
        assert_eq!(fill("a@@b @x@", &[("x", "1")]).unwrap(), "a@b 1");
    }

    #[test]
    fn multi_line_values_take_the_line_indent() {
        let t = "type s struct {\n\tch chan @elem@\n}\n";
        let out = fill(t, &[("elem", "struct {\n\tA int64\n\n\tB int64\n}")]).unwrap();
        assert_eq!(
            out,
            "type s struct {\n\tch chan struct {\n\t\tA int64\n\n\t\tB int64\n\t}\n}\n"
        );
    }

    #[test]
    fn an_empty_block_removes_its_line() {
        let t = "a {\n\t@check@\n\tb\n}\n";
        assert_eq!(fill(t, &[("check", "")]).unwrap(), "a {\n\tb\n}\n");
        assert_eq!(
            fill(t, &[("check", "if x {\n\treturn\n}")]).unwrap(),
            "a {\n\tif x {\n\t\treturn\n\t}\n\tb\n}\n"
        );
        assert_eq!(
            fill(t, &[("check", "x()\n")]).unwrap(),
            "a {\n\tx()\n\tb\n}\n"
        );
        // not alone on its line: only the value goes
        assert_eq!(fill("x @v@ y\n", &[("v", "")]).unwrap(), "x  y\n");
        assert_eq!(fill("@v@", &[("v", "")]).unwrap(), "");
    }

    #[test]
    fn same_placeholder_twice_is_filled_twice() {
        assert_eq!(fill("@a@-@a@", &[("a", "x")]).unwrap(), "x-x");
        assert_eq!(placeholders("@b@ @a@ @b@ @@").unwrap(), vec!["a", "b"]);
    }

    #[test]
    fn placeholder_names() {
        assert!(is_placeholder_name("elem_type"));
        assert!(is_placeholder_name("m2"));
        assert!(!is_placeholder_name(""));
        assert!(!is_placeholder_name("2m"));
        assert!(!is_placeholder_name("Elem"));
        assert!(!is_placeholder_name("a-b"));
    }
}
