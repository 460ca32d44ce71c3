//! Console output that fits the terminal: aligned tables that stay aligned with Chinese text
//! (comfy-table measures display width, not bytes) and long lines wrapped with an indent.
//!
//! The width is `$COLUMNS` when set, else the terminal's; output to a pipe or file with neither
//! is not wrapped, so files written from the console stay one record per line.

use comfy_table::presets::UTF8_BORDERS_ONLY;
use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};
use unicode_width::UnicodeWidthStr;

/// Text for the terminal: control characters other than line feed and tab, and the
/// bidirectional overrides (which reorder what a reader sees), are shown escaped (`\u{1b}`)
/// instead of acted on. Unchanged, and not copied, when there is nothing to escape.
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Narrowest width honoured; below it wrapping would only shred the text.
const MIN_WIDTH: usize = 40;

/// The console width, if there is one to fit.
pub fn width() -> Option<usize> {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    let w = from_env.or_else(|| {
        terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| w.0 as usize)
    })?;
    Some(w.max(MIN_WIDTH))
}

/// A table with a header; columns listed in `right` are right-aligned (numbers). Wider than
/// the console, cells wrap at word boundaries within their columns; when even that cannot fit,
/// each row is stacked as one wrapped line of `header value` pairs.
pub fn table(header: &[&str], rows: Vec<Vec<String>>, right: &[usize]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    for r in &rows {
        t.add_row(r.clone());
    }
    for &c in right {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let Some(w) = width() else {
        return t.to_string();
    };
    if t.lines().next().map_or(0, |l| l.width()) <= w {
        return t.to_string();
    }
    // Each column at least as wide as its longest word, so no word is cut.
    let longest: Vec<usize> = (0..header.len())
        .map(|c| {
            let words = rows
                .iter()
                .filter_map(|r| r.get(c))
                .flat_map(|x| x.split(' '));
            words
                .map(|x| x.width())
                .max()
                .unwrap_or(0)
                .max(longest_word(header[c]))
        })
        .collect();
    let least: usize = longest.iter().map(|n| n + 3).sum::<usize>() + 1;
    if least > w {
        return stacked(header, &rows);
    }
    for (c, n) in longest.iter().enumerate() {
        if let Some(col) = t.column_mut(c) {
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(*n as u16)));
        }
    }
    t.set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(w as u16);
    t.to_string()
}

fn longest_word(s: &str) -> usize {
    s.split(' ').map(|x| x.width()).max().unwrap_or(0)
}

/// Rows as wrapped lines of `header value` pairs, for tables no console width can hold.
fn stacked(header: &[&str], rows: &[Vec<String>]) -> String {
    rows.iter()
        .map(|r| {
            let pairs: Vec<String> = header
                .iter()
                .zip(r)
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| format!("{h}: {v}"))
                .collect();
            wrap(&format!("- {}", pairs.join("; ")))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `line` wrapped at word boundaries to the console width, continuation lines indented by the
/// line's own leading spaces plus four; unchanged when there is no width to fit.
pub fn wrap(line: &str) -> String {
    let Some(w) = width() else {
        return line.to_string();
    };
    let lead = line.len() - line.trim_start().len();
    let indent = " ".repeat(lead + 4);
    let mut out = String::new();
    let mut cur = line[..lead].to_string();
    for word in line[lead..].split(' ') {
        let fits = cur.width() + 1 + word.width() <= w;
        if cur.trim().is_empty() || fits {
            if !cur.trim().is_empty() {
                cur.push(' ');
            }
            cur.push_str(word);
        } else {
            out.push_str(&cur);
            out.push('\n');
            cur = format!("{indent}{word}");
        }
    }
    out.push_str(&cur);
    out
}

/// `println!` with the line wrapped to the console width (see [`wrap`]).
macro_rules! say {
    ($($t:tt)*) => {
        println!("{}", $crate::console::wrap(&format!($($t)*)))
    };
}
pub(crate) use say;

/// A heading line with an underline.
pub fn heading(s: &str) -> String {
    let w = width().unwrap_or(78).min(78);
    format!("\n{}\n{}", wrap(s), "=".repeat(s.width().min(w)))
}
