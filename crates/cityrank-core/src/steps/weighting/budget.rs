//! Budget allocation (OECD/JRC Handbook 2008, section 6.1.6): each expert spreads a budget of
//! points over the children; each expert's points are scaled to sum to one and the experts are
//! averaged with equal say.

/// Weights from `points` (one row per expert, one column per child).
pub fn budget(points: &[Vec<f64>], children: usize) -> Result<Vec<f64>, String> {
    if points.is_empty() {
        return Err("no expert gave points".into());
    }
    let mut w = vec![0.0; children];
    for (e, row) in points.iter().enumerate() {
        if row.len() != children {
            return Err(format!(
                "expert {} gave {} points, for {children} children",
                e + 1,
                row.len()
            ));
        }
        if row.iter().any(|&p| !(p.is_finite() && p >= 0.0)) {
            return Err(format!(
                "expert {} gave a negative or non-finite point",
                e + 1
            ));
        }
        let shares = super::proportional(row, &format!("expert {} gave no points", e + 1))?;
        w.iter_mut().zip(shares).for_each(|(a, s)| *a += s);
    }
    Ok(w.iter().map(|x| x / points.len() as f64).collect())
}
