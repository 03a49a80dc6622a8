//! gofmt's layout of struct and interface type literals.
//!
//! gofmt keeps a literal on one line only when it has no elements (`struct{}`) or exactly one
//! small element without a tag (`struct{ A int }`, `interface{ String() string }`): the element's
//! one-line size (a blank plus the type for a named field, `func` plus the signature for a method)
//! must be at most 30 bytes. Otherwise each element goes on its own line, and struct fields are
//! aligned in columns like `text/tabwriter` does for gofmt (cells padded with spaces to the widest
//! cell of a run of consecutive lines plus one). A multi-line element ends an alignment section:
//! its first line aligns with the lines before it, its inner lines and closing line stand alone.

/// gofmt's limit for a one-line field list.
const ONE_LINE_MAX: usize = 30;

/// One struct field, already emitted (the type may span lines).
pub(crate) struct FieldText {
    pub name: Option<String>,
    pub ty: String,
    pub tag: Option<String>,
}

/// One interface element, already emitted.
pub(crate) enum ElemText {
    /// `Name` and the signature text after it (`(x int) error`).
    Method(String, String),
    /// An embedded type or union.
    Embedded(String),
}

pub(crate) fn struct_literal(fields: &[FieldText], out: &mut String) {
    match fields {
        [] => return out.push_str("struct{}"),
        [f] if f.tag.is_none()
            && !f.ty.contains('\n')
            && usize::from(f.name.is_some()) + f.ty.len() <= ONE_LINE_MAX =>
        {
            out.push_str("struct{ ");
            if let Some(n) = &f.name {
                out.push_str(n);
                out.push(' ');
            }
            out.push_str(&f.ty);
            return out.push_str(" }");
        }
        _ => {}
    }
    out.push_str("struct {\n");
    let mut section: Vec<Vec<(String, bool)>> = Vec::new();
    for f in fields {
        let mut lines = f.ty.split('\n');
        let first = lines.next().unwrap_or_default().to_string();
        let rest: Vec<&str> = lines.collect();
        let mut cells = Vec::new();
        if let Some(n) = &f.name {
            cells.push((n.clone(), true));
        }
        if rest.is_empty() {
            match &f.tag {
                Some(tag) => {
                    cells.push((first, true));
                    cells.push((tag.clone(), false));
                }
                None => cells.push((first, false)),
            }
            section.push(cells);
            continue;
        }
        // A multi-line type: its first line closes the current section.
        cells.push((first, false));
        section.push(cells);
        flush(&mut section, out);
        let (last, middle) = rest.split_last().expect("rest is not empty");
        for l in middle {
            push_indented(out, l);
        }
        let mut last = last.to_string();
        if let Some(tag) = &f.tag {
            last.push(' ');
            last.push_str(tag);
        }
        push_indented(out, &last);
    }
    flush(&mut section, out);
    out.push('}');
}

pub(crate) fn interface_literal(elems: &[ElemText], out: &mut String) {
    let one_line = |e: &ElemText| match e {
        ElemText::Method(n, sig) => (format!("{n}{sig}"), 1 + "func".len() + sig.len()),
        ElemText::Embedded(t) => (t.clone(), t.len()),
    };
    match elems {
        [] => return out.push_str("interface{}"),
        [e] => {
            let (text, size) = one_line(e);
            if !text.contains('\n') && size <= ONE_LINE_MAX {
                out.push_str("interface{ ");
                out.push_str(&text);
                return out.push_str(" }");
            }
        }
        _ => {}
    }
    out.push_str("interface {\n");
    for e in elems {
        for l in one_line(e).0.split('\n') {
            push_indented(out, l);
        }
    }
    out.push('}');
}

fn push_indented(out: &mut String, line: &str) {
    if !line.is_empty() {
        out.push('\t');
        out.push_str(line);
    }
    out.push('\n');
}

/// Writes a section of lines (cells; the bool says the cell is terminated, i.e. aligned) with
/// tabwriter's column rules, then clears it.
fn flush(section: &mut Vec<Vec<(String, bool)>>, out: &mut String) {
    let mut widths: Vec<Vec<usize>> = section.iter().map(|l| vec![0; l.len()]).collect();
    align(section, &mut widths, 0, section.len(), 0);
    for (line, ws) in section.iter().zip(&widths) {
        out.push('\t');
        for ((text, terminated), w) in line.iter().zip(ws) {
            out.push_str(text);
            if *terminated {
                let pad = w.saturating_sub(text.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    section.clear();
}

/// tabwriter's column blocks: a run of consecutive lines that all have a terminated cell in
/// `col` shares one width (widest cell + 1); runs are found within the parent column's block.
fn align(
    lines: &[Vec<(String, bool)>],
    widths: &mut [Vec<usize>],
    lo: usize,
    hi: usize,
    col: usize,
) {
    let has = |l: &Vec<(String, bool)>| l.get(col).is_some_and(|c| c.1);
    let mut i = lo;
    while i < hi {
        if !has(&lines[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < hi && has(&lines[i]) {
            i += 1;
        }
        let w = lines[start..i]
            .iter()
            .map(|l| l[col].0.chars().count())
            .max()
            .unwrap_or(0)
            + 1;
        for ws in &mut widths[start..i] {
            ws[col] = w;
        }
        align(lines, widths, start, i, col + 1);
    }
}
