//! Times as the API writes them (RFC 3339, UTC) and as people read them.

use leptos::prelude::*;

/// `2026-11-24T21:40:12.345Z` as `2026-11-24 21:40 UTC`.
pub fn readable_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => rfc3339.to_string(),
    }
}

/// `2026-11-24T21:40:12.345Z` as Unix seconds (`None` when malformed): for telling how far
/// apart two times are.
pub fn unix_seconds(rfc3339: &str) -> Option<i64> {
    let num = |range: std::ops::Range<usize>| rfc3339.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, min, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3_600 + min * 60 + sec)
}

/// A time as a `<time>` element, readable.
pub fn time(at: String) -> impl IntoView {
    let text = readable_time(&at);
    view! { <time datetime=at>{text}</time> }
}

/// A time that may not have come yet ("Never").
pub fn time_or_never(at: Option<String>) -> impl IntoView {
    match at {
        Some(at) => time(at).into_any(),
        None => view! { <span class="muted">"Never"</span> }.into_any(),
    }
}

/// A date input's `2026-12-31` as the last second of that day, UTC: a link "expiring on the
/// 31st" still works all of the 31st. `None` for an empty or malformed date.
pub fn end_of_day(date: &str) -> Option<String> {
    let date = date.trim();
    let valid = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    valid.then(|| format!("{date}T23:59:59Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_minutes_in_utc_and_dates_end_at_the_last_second() {
        assert_eq!(
            readable_time("2026-11-24T21:40:12.345Z"),
            "2026-11-24 21:40 UTC"
        );
        assert_eq!(readable_time("soon"), "soon");
        assert_eq!(unix_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            unix_seconds("2026-12-02T01:02:03.456Z"),
            Some(1_796_173_323)
        );
        assert_eq!(unix_seconds("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(unix_seconds("soon"), None);
        assert_eq!(
            end_of_day("2026-12-31").as_deref(),
            Some("2026-12-31T23:59:59Z")
        );
        assert_eq!(end_of_day(""), None);
        assert_eq!(end_of_day("31/12/2026"), None);
    }
}
