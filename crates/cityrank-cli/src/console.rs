//! Aligned console tables that stay aligned with Chinese text (comfy-table measures display
//! width, not bytes).

use comfy_table::presets::UTF8_BORDERS_ONLY;
use comfy_table::{CellAlignment, ContentArrangement, Table};

/// A table with a header; columns listed in `right` are right-aligned (numbers).
pub fn table(header: &[&str], rows: Vec<Vec<String>>, right: &[usize]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    for r in rows {
        t.add_row(r);
    }
    for &c in right {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t.to_string()
}

/// A heading line with an underline.
pub fn heading(s: &str) -> String {
    format!("\n{s}\n{}", "=".repeat(s.chars().count().min(78)))
}
