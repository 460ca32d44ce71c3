//! Dates as days since 1970-01-01 and fixed-point numbers, written the way the record files
//! spell them (no date library: the generator must give the same bytes everywhere).

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD`, trusted).
pub fn day(iso: &str) -> i32 {
    let y: i64 = iso[0..4].parse().expect("year");
    let m: i64 = iso[5..7].parse().expect("month");
    let dd: i64 = iso[8..10].parse().expect("day");
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

/// `YYYY-MM-DD` of days since 1970-01-01.
pub fn format_date(days: i32) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The calendar year of a day.
pub(super) fn year_of(days: i32) -> i32 {
    format_date(days)[0..4].parse().expect("year")
}

/// `units` as a decimal with `decimals` places ("438.91").
pub fn format_fixed(units: i64, decimals: u32) -> String {
    if decimals == 0 {
        return units.to_string();
    }
    let q = 10i64.pow(decimals);
    let sign = if units < 0 { "-" } else { "" };
    let a = units.abs();
    format!("{sign}{}.{:0w$}", a / q, a % q, w = decimals as usize)
}
