//! The XLSX workbook: one sheet per table, numbers as numbers, with the illustrative label.

use crate::edition::Edition;
use crate::view::View;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

/// The workbook's bytes. Writing to memory cannot fail short of a bug, hence the expect.
pub fn workbook(ed: &Edition) -> Vec<u8> {
    build(ed).expect("an in-memory workbook")
}

fn build(ed: &Edition) -> Result<Vec<u8>, XlsxError> {
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let v = View::new(ed, None);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Ranking")?;
    let mut row = notice(ws, &v)?;
    let mut header = vec![
        "rank".to_string(),
        "unit".into(),
        "name".into(),
        "name_zh".into(),
        "province".into(),
        fw.nodes[fw.root].id.clone(),
    ];
    header.extend(v.dims.iter().map(|d| d.id.clone()));
    header.push("tier".into());
    put_row(ws, row, &header)?;
    for i in r.ranking(fw.root) {
        row += 1;
        let u = &r.units[i];
        ws.write_number(row, 0, r.rank(i, fw.root).unwrap_or(0) as f64)?;
        ws.write_string(row, 1, &u.id)?;
        ws.write_string(row, 2, &u.name)?;
        ws.write_string(row, 3, u.name_zh.as_deref().unwrap_or(""))?;
        ws.write_string(row, 4, crate::view::group(ed, i))?;
        let mut col = 5;
        for k in std::iter::once(fw.root).chain(fw.dimensions().iter().copied()) {
            num(ws, row, col, r.score(i, k))?;
            col += 1;
        }
        ws.write_string(
            row,
            col,
            r.tier(fw, i).map(|t| t.name.as_str()).unwrap_or(""),
        )?;
    }
    indicators(wb.add_worksheet().set_name("Indicators")?, ed, &v)?;
    raw_values(wb.add_worksheet().set_name("Raw values")?, ed, &v)?;
    if !ed.intervals.is_empty() {
        intervals(wb.add_worksheet().set_name("Rank intervals")?, ed, &v)?;
    }
    Ok(wb.save_to_buffer()?)
}

fn indicators(ws: &mut Worksheet, ed: &Edition, v: &View) -> Result<(), XlsxError> {
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let mut row = notice(ws, v)?;
    put_row(
        ws,
        row,
        &[
            "unit",
            "name",
            "indicator",
            "raw",
            "score",
            "rank",
            "imputed",
        ]
        .map(String::from),
    )?;
    for i in 0..r.n_units() {
        for j in 0..fw.n_indicators {
            row += 1;
            ws.write_string(row, 0, &r.units[i].id)?;
            ws.write_string(row, 1, &r.units[i].name)?;
            ws.write_string(row, 2, &fw.nodes[j].id)?;
            num(ws, row, 3, r.raw.get(i, j))?;
            num(ws, row, 4, r.score(i, j))?;
            if let Some(k) = r.rank(i, j) {
                ws.write_number(row, 5, k as f64)?;
            }
            ws.write_boolean(row, 6, r.imputed[j * r.n_units() + i])?;
        }
    }
    Ok(())
}

/// Every assessed city, ranked or not, with the reason for the unranked and the raw values.
fn raw_values(ws: &mut Worksheet, ed: &Edition, v: &View) -> Result<(), XlsxError> {
    let mut row = notice(ws, v)?;
    put_row(ws, row, &crate::downloads::raw_header(ed))?;
    for r in crate::downloads::raw_rows(ed) {
        row += 1;
        ws.write_string(row, 0, r.unit)?;
        ws.write_string(row, 1, r.name)?;
        ws.write_string(row, 2, if r.reason.is_some() { "no" } else { "yes" })?;
        ws.write_string(row, 3, r.reason.unwrap_or(""))?;
        for (c, &x) in r.values.iter().enumerate() {
            num(ws, row, 4 + c as u16, x)?;
        }
    }
    Ok(())
}

/// The rank intervals of the uncertainty analysis, as in rank_intervals.csv.
fn intervals(ws: &mut Worksheet, ed: &Edition, v: &View) -> Result<(), XlsxError> {
    let mut row = notice(ws, v)?;
    let head = [
        "unit",
        "name",
        "nominal_rank",
        "median_rank",
        "p05_rank",
        "p95_rank",
    ];
    put_row(ws, row, &head.map(String::from))?;
    for x in &ed.intervals {
        row += 1;
        ws.write_string(row, 0, &x.unit)?;
        ws.write_string(row, 1, &x.name)?;
        for (c, y) in [x.nominal_rank, x.median_rank, x.p05_rank, x.p95_rank]
            .into_iter()
            .enumerate()
        {
            num(ws, row, 2 + c as u16, y)?;
        }
    }
    Ok(())
}

/// Writes the title and the illustrative label; returns the header row.
fn notice(ws: &mut Worksheet, v: &View) -> Result<u32, XlsxError> {
    ws.write_string(0, 0, format!("{} ({})", v.meta.name, v.meta.edition))?;
    match &v.meta.notice {
        Some(n) => {
            ws.write_string(1, 0, n)?;
            Ok(3)
        }
        None => Ok(2),
    }
}

fn put_row(ws: &mut Worksheet, row: u32, cells: &[String]) -> Result<(), XlsxError> {
    for (c, h) in cells.iter().enumerate() {
        ws.write_string(row, c as u16, h)?;
    }
    Ok(())
}

fn num(ws: &mut Worksheet, row: u32, col: u16, x: f64) -> Result<(), XlsxError> {
    if !x.is_nan() {
        ws.write_number(row, col, x)?;
    }
    Ok(())
}
