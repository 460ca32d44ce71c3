//! Charts as inline SVG strings, drawn by hand so that pages need no script or network.
//!
//! Only presentation attributes are used (no `style`), so the pages can keep a strict content
//! security policy. Every text from the data goes through [`esc`], because these strings are
//! inserted into HTML unescaped.

use crate::uncertainty::Interval;
use std::fmt::Write;

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const BLUE: &str = "#2563eb";
const GREY: &str = "#e5e7eb";
const DARK: &str = "#374151";
const ORANGE: &str = "#ea580c";
const FONT: &str = "font-family=\"system-ui, sans-serif\" font-size=\"12\"";

fn open(w: f64, h: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{t}\" {FONT}><title>{t}</title>",
        t = esc(title)
    )
}

/// Horizontal bars on a 0..=max scale, one per (label, value).
pub fn bars(items: &[(String, f64)], title: &str) -> String {
    let (left, width, row) = (170.0, 470.0, 18.0);
    let max = items.iter().map(|i| i.1).fold(0.0, f64::max).max(1e-9);
    let h = items.len() as f64 * row + 10.0;
    let mut s = open(left + width + 60.0, h, title);
    for (n, (label, v)) in items.iter().enumerate() {
        let y = 5.0 + n as f64 * row;
        let w = if v.is_nan() { 0.0 } else { v / max * width };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{DARK}\">{}</text>\
             <rect x=\"{left}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{BLUE}\"/>\
             <text x=\"{:.1}\" y=\"{}\" fill=\"{DARK}\">{:.2}</text>",
            left - 6.0,
            y + 12.0,
            esc(label),
            y + 2.0,
            row - 5.0,
            left + w + 4.0,
            y + 12.0,
            v
        );
    }
    s.push_str("</svg>");
    s
}

/// How many of `values` (NaN left out) fall in each of `bins` equal-width bins from the least to
/// the greatest value; the last bin includes the greatest. Returns the counts and the range.
pub fn bin_counts(values: &[f64], bins: usize) -> (Vec<usize>, f64, f64) {
    let finite = values.iter().copied().filter(|x| x.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.clone().fold(f64::NEG_INFINITY, f64::max);
    let n = bins.max(1);
    let mut counts = vec![0; n];
    let width = (hi - lo) / n as f64;
    for x in finite {
        let k = if width > 0.0 {
            ((x - lo) / width) as usize
        } else {
            0
        };
        counts[k.min(n - 1)] += 1;
    }
    (counts, lo, hi)
}

/// A histogram of `values` with a count axis and the range of values below it.
pub fn histogram(values: &[f64], bins: usize, title: &str) -> String {
    let (counts, lo, hi) = bin_counts(values, bins);
    let (left, width, height, top) = (40.0, 560.0, 160.0, 22.0);
    let most = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let bw = width / counts.len() as f64;
    let mut s = open(left + width + 30.0, top + height + 40.0, title);
    for (k, &c) in counts.iter().enumerate() {
        let h = c as f64 / most * height;
        let x = left + k as f64 * bw;
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{BLUE}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{DARK}\">{c}</text>",
            x + 1.0,
            top + height - h,
            bw - 2.0,
            x + bw / 2.0,
            top + height - h - 3.0,
        );
    }
    let base = top + height;
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{:.1}\" y2=\"{base}\" stroke=\"{DARK}\"/>\
         <text x=\"{left}\" y=\"{:.1}\" fill=\"{DARK}\">{}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{DARK}\">{}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{DARK}\">{}</text>",
        left + width,
        base + 16.0,
        axis_number(lo),
        left + width,
        base + 16.0,
        axis_number(hi),
        left - 6.0,
        top + 10.0,
        most as usize,
    );
    s.push_str("</svg>");
    s
}

/// A value at the end of an axis: at most four significant decimals, no noise digits.
fn axis_number(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let t = format!("{x:.4}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One dimension of a city's profile.
pub struct ProfileBar {
    pub label: String,
    pub value: f64,
    pub median: f64,
    pub leader: f64,
}

/// A city's dimension scores (bars) against the median (dark tick) and the leader (orange tick).
pub fn profile(rows: &[ProfileBar]) -> String {
    let (left, width, row) = (170.0, 400.0, 24.0);
    let h = rows.len() as f64 * row + 30.0;
    let mut s = open(
        left + width + 60.0,
        h,
        "Dimension scores against the median and the leader",
    );
    let x = |v: f64| left + v.clamp(0.0, 100.0) / 100.0 * width;
    for (n, r) in rows.iter().enumerate() {
        let y = 4.0 + n as f64 * row;
        let v = if r.value.is_nan() { 0.0 } else { r.value };
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{DARK}\">{}</text>\
             <rect x=\"{left}\" y=\"{}\" width=\"{width}\" height=\"14\" fill=\"{GREY}\"/>\
             <rect x=\"{left}\" y=\"{}\" width=\"{:.1}\" height=\"14\" fill=\"{BLUE}\"/>\
             <line x1=\"{m:.1}\" x2=\"{m:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"{DARK}\" stroke-width=\"2\"/>\
             <line x1=\"{l:.1}\" x2=\"{l:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"{ORANGE}\" stroke-width=\"2\"/>\
             <text x=\"{:.1}\" y=\"{}\" fill=\"{DARK}\">{}</text>",
            left - 6.0,
            y + 11.0,
            esc(&r.label),
            y,
            y,
            x(v) - left,
            y - 3.0,
            y + 17.0,
            y - 3.0,
            y + 17.0,
            left + width + 6.0,
            y + 11.0,
            if r.value.is_nan() { "–".to_string() } else { format!("{:.2}", r.value) },
            m = x(r.median),
            l = x(r.leader),
        );
    }
    let ly = h - 8.0;
    let _ = write!(
        s,
        "<rect x=\"{left}\" y=\"{}\" width=\"10\" height=\"8\" fill=\"{BLUE}\"/><text x=\"{}\" y=\"{ly}\">this city 本市</text>\
         <rect x=\"{}\" y=\"{}\" width=\"3\" height=\"10\" fill=\"{DARK}\"/><text x=\"{}\" y=\"{ly}\">median 中位数</text>\
         <rect x=\"{}\" y=\"{}\" width=\"3\" height=\"10\" fill=\"{ORANGE}\"/><text x=\"{}\" y=\"{ly}\">leader 最高</text>",
        ly - 8.0,
        left + 14.0,
        left + 110.0,
        ly - 9.0,
        left + 117.0,
        left + 220.0,
        ly - 9.0,
        left + 227.0
    );
    s.push_str("</svg>");
    s
}

/// Rank intervals (5th to 95th percentile) with the nominal rank, best nominal rank first.
pub fn intervals(rows: &[Interval], n: usize) -> String {
    let mut rows: Vec<&Interval> = rows.iter().collect();
    rows.sort_by(|a, b| a.nominal_rank.total_cmp(&b.nominal_rank));
    rows.truncate(n);
    let worst = rows.iter().map(|r| r.p95_rank).fold(1.0, f64::max);
    let (left, width, row) = (170.0, 460.0, 16.0);
    let h = rows.len() as f64 * row + 34.0;
    let mut s = open(
        left + width + 30.0,
        h,
        "Rank intervals from the uncertainty analysis",
    );
    let x = |r: f64| left + (r - 1.0) / (worst - 1.0).max(1.0) * width;
    for (k, r) in rows.iter().enumerate() {
        let y = 6.0 + k as f64 * row;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{DARK}\">{}</text>\
             <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{c}\" y2=\"{c}\" stroke=\"{BLUE}\" stroke-width=\"3\"/>\
             <circle cx=\"{:.1}\" cy=\"{c}\" r=\"4\" fill=\"{ORANGE}\"><title>nominal {} · median {} · 90% interval {}–{}</title></circle>",
            left - 6.0,
            y + 9.0,
            esc(&r.name),
            x(r.p05_rank),
            x(r.p95_rank),
            x(r.nominal_rank),
            r.nominal_rank,
            r.median_rank,
            r.p05_rank,
            r.p95_rank,
            c = y + 5.0
        );
    }
    let ay = h - 16.0;
    for t in ticks(worst) {
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"{DARK}\">{t}</text>",
            x(t as f64),
            ay + 12.0
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{left}\" x2=\"{}\" y1=\"{ay}\" y2=\"{ay}\" stroke=\"{DARK}\"/></svg>",
        left + width
    );
    s
}

fn ticks(worst: f64) -> Vec<u32> {
    let step = ((worst / 8.0).ceil() as u32).max(1);
    std::iter::once(1)
        .chain((1..).map(|k| k * step).take_while(|&t| t as f64 <= worst))
        .filter(|&t| t == 1 || t > 1)
        .collect()
}

/// A correlation matrix; cells coloured from blue (-1) through white to red (+1).
pub fn heatmap(labels: &[String], r: &[Vec<f64>], title: &str) -> String {
    let n = labels.len() as f64;
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let cell = if labels.len() > 8 { 30.0 } else { 48.0 };
    let (left, top) = (longest * 7.0 + 12.0, longest * 6.0 + 16.0);
    let mut s = open(
        left + n * cell + longest * 4.0 + 10.0,
        top + n * cell + 10.0,
        title,
    );
    for (k, l) in labels.iter().enumerate() {
        let c = k as f64 * cell + cell / 2.0;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{DARK}\">{}</text>\
             <text transform=\"translate({:.1},{}) rotate(-60)\" fill=\"{DARK}\">{}</text>",
            left - 6.0,
            top + c + 4.0,
            esc(l),
            left + c + 4.0,
            top - 6.0,
            esc(l)
        );
    }
    for (i, row) in r.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            let (x, y) = (left + j as f64 * cell, top + i as f64 * cell);
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{}\" stroke=\"#fff\"><title>{} × {}: {:.2}</title></rect>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{}\" font-size=\"{}\">{}</text>",
                colour(v),
                esc(&labels[i]),
                esc(&labels[j]),
                v,
                x + cell / 2.0,
                y + cell / 2.0 + 4.0,
                ink(v),
                if cell < 40.0 { 9 } else { 11 },
                if v.is_nan() { "".into() } else { format!("{v:.2}") }
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// The text colour on a heatmap cell: black or white, whichever contrasts more with the cell
/// (WCAG relative luminance; one of the two always reaches the AA ratio of 4.5:1).
pub fn ink(v: f64) -> &'static str {
    let hex = colour(v);
    let ch = |k: usize| {
        let c = u8::from_str_radix(&hex[k..k + 2], 16).unwrap_or(255) as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5);
    if (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) {
        "#000000"
    } else {
        "#ffffff"
    }
}

/// The notice inside a chart of illustrative data: short, so it fits the narrowest chart.
pub const NOTICE: &str = "ILLUSTRATIVE DATA: synthetic values, not real data 示例数据，非真实数据";

/// What a chart needs to stand alone once cropped or downloaded.
pub struct Caption<'a> {
    /// What the axis (or the colour) measures, bilingual.
    pub axis: &'a str,
    pub source: String,
    pub notice: Option<&'a str>,
    /// A colour legend from -1 to +1 (heatmaps).
    pub legend: bool,
}

/// Adds the axis title, a colour legend where asked, the source and the notice below a chart
/// drawn by this module (grows its viewBox).
pub fn frame(svg: &str, c: &Caption) -> String {
    let Some((w, h)) = size(svg) else {
        return svg.to_string();
    };
    let mut lines: Vec<String> = vec![format!(
        "<tspan font-weight=\"600\">{}</tspan>",
        esc(c.axis)
    )];
    let fit = ((w - 20.0) / 7.0).max(20.0) as usize;
    lines.extend(
        wrap(&format!("Source 来源: {}", c.source), fit)
            .iter()
            .map(|l| esc(l)),
    );
    if let Some(n) = c.notice {
        lines.push(format!(
            "<tspan font-weight=\"600\" fill=\"#92400e\">⚠ {}</tspan>",
            esc(n)
        ));
    }
    let legend_h = if c.legend { 26.0 } else { 0.0 };
    let extra = legend_h + 16.0 * lines.len() as f64 + 8.0;
    let mut add = String::new();
    if c.legend {
        let y = h + 4.0;
        for k in 0..=20 {
            let v = -1.0 + k as f64 * 0.1;
            let _ = write!(
                add,
                "<rect x=\"{:.1}\" y=\"{y}\" width=\"12\" height=\"10\" fill=\"{}\"/>",
                10.0 + k as f64 * 12.0,
                colour(v)
            );
        }
        let _ = write!(
            add,
            "<text x=\"10\" y=\"{:.1}\" fill=\"{DARK}\">−1</text><text x=\"130\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{DARK}\">0</text><text x=\"262\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{DARK}\">+1</text><text x=\"272\" y=\"{:.1}\" fill=\"{DARK}\">Pearson correlation 相关系数</text>",
            y + 21.0, y + 21.0, y + 21.0, y + 9.0
        );
    }
    for (k, l) in lines.iter().enumerate() {
        let _ = write!(
            add,
            "<text x=\"10\" y=\"{:.1}\" fill=\"{DARK}\">{l}</text>",
            h + legend_h + 16.0 * (k as f64 + 1.0)
        );
    }
    let nh = h + extra;
    let head_old = format!("viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\"");
    let head_new = format!("viewBox=\"0 0 {w} {nh}\" width=\"{w}\" height=\"{nh}\"");
    let body = svg.replacen(&head_old, &head_new, 1);
    match body.rfind("</svg>") {
        Some(k) => format!("{}{add}</svg>", &body[..k]),
        None => body,
    }
}

/// Splits text at spaces into lines of at most `fit` characters (a longer word stays whole).
fn wrap(text: &str, fit: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match out.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= fit => {
                l.push(' ');
                l.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

/// The width and height this module wrote into an SVG's opening tag.
fn size(svg: &str) -> Option<(f64, f64)> {
    let v = svg.split("viewBox=\"0 0 ").nth(1)?.split('"').next()?;
    let mut it = v.split(' ').map(|x| x.parse::<f64>().ok());
    Some((it.next()??, it.next()??))
}

fn colour(v: f64) -> String {
    if v.is_nan() {
        return "#f3f4f6".into();
    }
    let t = v.clamp(-1.0, 1.0);
    let mix = |a: f64, b: f64, t: f64| (a + (b - a) * t).round() as u8;
    let (r, g, b) = if t >= 0.0 {
        (
            mix(255.0, 220.0, t),
            mix(255.0, 38.0, t),
            mix(255.0, 38.0, t),
        )
    } else {
        (
            mix(255.0, 37.0, -t),
            mix(255.0, 99.0, -t),
            mix(255.0, 235.0, -t),
        )
    };
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_text_is_escaped_in_svg() {
        let s = bars(&[("<script>alert(1)</script>".into(), 5.0)], "t");
        assert!(!s.contains("<script>"));
        assert!(s.contains("&lt;script&gt;"));
    }

    #[test]
    fn bins_count_every_value_once_and_the_greatest_in_the_last_bin() {
        // Hand-worked: range 0..10 in 5 bins of width 2: [0,2) [2,4) [4,6) [6,8) [8,10].
        let v = [0.0, 1.9, 2.0, 5.0, 7.99, 8.0, 10.0, f64::NAN];
        let (c, lo, hi) = super::bin_counts(&v, 5);
        assert_eq!((lo, hi), (0.0, 10.0));
        assert_eq!(c, vec![2, 1, 1, 1, 2]);
        let (one, _, _) = super::bin_counts(&[3.0, 3.0], 4);
        assert_eq!(one, vec![2, 0, 0, 0]);
    }

    #[test]
    fn colours_run_from_blue_to_red() {
        assert_eq!(colour(0.0), "#ffffff");
        assert_eq!(colour(1.0), "#dc2626");
        assert_eq!(colour(-1.0), "#2563eb");
    }
}

#[cfg(test)]
mod frame_tests {
    use super::*;

    #[test]
    fn heatmap_text_meets_wcag_aa_on_every_cell_colour() {
        let lum = |hex: &str| {
            let ch = |k: usize| {
                let c = u8::from_str_radix(&hex[k..k + 2], 16).unwrap() as f64 / 255.0;
                if c <= 0.04045 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * ch(1) + 0.7152 * ch(3) + 0.0722 * ch(5)
        };
        for k in 0..=200 {
            let v = -1.0 + k as f64 / 100.0;
            let (a, b) = (lum(&colour(v)), lum(ink(v)));
            let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
            assert!(ratio >= 4.5, "{v}: {ratio:.2}");
        }
    }

    #[test]
    fn a_framed_chart_carries_axis_source_and_notice_inside_the_svg() {
        let svg = bars(&[("A".into(), 1.0)], "t");
        let c = Caption {
            axis: "Score 得分",
            source: "Src & co".into(),
            notice: Some(NOTICE),
            legend: true,
        };
        let f = frame(&svg, &c);
        let inner = &f[..f.rfind("</svg>").unwrap()];
        assert!(
            inner.contains("Score 得分")
                && inner.contains("Src &amp; co")
                && inner.contains("ILLUSTRATIVE")
        );
        assert!(inner.contains("Pearson correlation"));
        let (_, h0) = size(&svg).unwrap();
        let (_, h1) = size(&f).unwrap();
        assert!(h1 > h0 + 60.0, "the viewBox grew to hold the caption");
    }
}
