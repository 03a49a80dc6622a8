//! A tiny, single-pass template filler for the fixed Go text of the renderers.
//!
//! Templates live in `src/go/*.go.tpl` (tab-indented Go with `@NAME@` placeholders). A line that
//! is only a block placeholder is replaced by the block's lines at that indent; other
//! placeholders are replaced inline; an inline value that spans lines (a struct or interface type
//! as the emitter lays it out) gets the line's indent on each of its following lines, so it sits
//! where gofmt puts it. Inserted values are never scanned again, so a value that happens to
//! contain `@X@` (say, inside a struct tag) is left as it is.

/// Fills `tpl`. Unknown `@...@` sequences are copied unchanged.
pub(crate) fn fill(tpl: &str, blocks: &[(&str, &str)], inline: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(tpl.len() * 2);
    for line in tpl.lines() {
        let body = line.trim_start_matches('\t');
        let indent = &line[..line.len() - body.len()];
        if let Some((_, value)) = blocks.iter().find(|(k, _)| *k == body) {
            for l in value.lines() {
                if !l.is_empty() {
                    out.push_str(indent);
                    out.push_str(l);
                }
                out.push('\n');
            }
            continue;
        }
        fill_line(line, indent, inline, &mut out);
        out.push('\n');
    }
    out
}

fn fill_line(line: &str, indent: &str, inline: &[(&str, &str)], out: &mut String) {
    let mut rest = line;
    while let Some(start) = rest.find('@') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let hit = inline.iter().find(|(k, _)| after.starts_with(k));
        match hit {
            Some((k, v)) => {
                for (i, part) in v.split('\n').enumerate() {
                    if i > 0 {
                        out.push('\n');
                        if !part.is_empty() {
                            out.push_str(indent);
                        }
                    }
                    out.push_str(part);
                }
                rest = &after[k.len()..];
            }
            None => {
                out.push('@');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn blocks_take_the_indent_and_values_are_not_rescanned() {
        let tpl = "func f() {\n\t@BODY@\n\tx := @V@ + @V@@\n}\n";
        let got = fill(
            tpl,
            &[("@BODY@", "a := 1\nif a > 0 {\n\treturn\n}\n")],
            &[("@V@", "@BODY@")],
        );
        assert_eq!(
            got,
            "func f() {\n\ta := 1\n\tif a > 0 {\n\t\treturn\n\t}\n\tx := @BODY@ + @BODY@@\n}\n"
        );
        assert_eq!(fill("a@\n", &[], &[]), "a@\n");
        assert_eq!(fill("\t@B@\n", &[("@B@", "")], &[]), "");
    }

    #[test]
    fn multi_line_inline_values_take_the_line_indent() {
        let tpl = "type t struct {\n\tch @T@\n}\nvar v @T@\n";
        let got = fill(
            tpl,
            &[],
            &[("@T@", "chan struct {\n\tA int64\n\tB int64\n}")],
        );
        assert_eq!(
            got,
            "type t struct {\n\tch chan struct {\n\t\tA int64\n\t\tB int64\n\t}\n}\n\
             var v chan struct {\n\tA int64\n\tB int64\n}\n"
        );
    }
}
