//! CSV cells that a spreadsheet shows as text, never runs as a formula.
//!
//! A city name such as `=HYPERLINK("http://…","Beijing")` in a downloaded CSV becomes a live
//! link or formula when opened in Excel or LibreOffice. As OWASP recommends for CSV injection,
//! a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return is written with a
//! leading apostrophe (the spreadsheets' "this is text" mark; the CSV writer adds the quoting).
//! Numbers are left alone: `-1.5` or `+3` is a number in every spreadsheet and must stay one,
//! so a cell that parses as a number is not text and is not changed. Readers of cityrank's own
//! CSV files take the apostrophe off again with [`unguard`].

use std::borrow::Cow;

fn triggers(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// The cell as written to a CSV file.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if triggers(cell) && cell.trim().parse::<f64>().is_err() {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell as it was before [`guard`].
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if triggers(rest) && rest.trim().parse::<f64>().is_err() => rest,
        _ => cell,
    }
}

/// A whole CSV document with every cell guarded (for tables written through serde).
pub fn guard_document(bytes: &[u8]) -> Vec<u8> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut w = csv::Writer::from_writer(Vec::new());
    for rec in r.records() {
        let rec = rec.expect("a CSV document written in memory");
        w.write_record(
            rec.iter()
                .map(guard)
                .collect::<Vec<_>>()
                .iter()
                .map(|c| c.as_ref()),
        )
        .expect("in-memory write");
    }
    w.into_inner().expect("in-memory write")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_text_and_numbers_stay_numbers() {
        // The OWASP CSV-injection examples.
        for bad in [
            "=HYPERLINK(\"http://evil.example\",\"Beijing\")",
            "=1+2",
            "+1+2",
            "-2+3",
            "@SUM(1,2)",
            "\t=1",
            "\r=1",
            "=cmd|' /C calc'!A0",
        ] {
            let g = guard(bad);
            assert_eq!(g, format!("'{bad}"));
            assert_eq!(unguard(&g), bad);
        }
        for keep in [
            "-1.5", "+3", "-0", "1e-3", "-1e5", "Beijing", "", "'quoted", "3-2",
        ] {
            assert_eq!(guard(keep), keep);
            assert_eq!(unguard(keep), keep);
        }
    }

    #[test]
    fn a_document_is_guarded_cell_by_cell() {
        let doc = b"unit,name,score\nc1,=1+2,-1.5\nc2,\"@x, y\",3\n";
        let out = String::from_utf8(guard_document(doc)).unwrap();
        assert_eq!(out, "unit,name,score\nc1,'=1+2,-1.5\nc2,\"'@x, y\",3\n");
    }
}
