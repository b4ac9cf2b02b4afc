//! Times as the API writes them (RFC 3339, UTC) and as people read them.

use leptos::prelude::*;

/// `2026-11-24T21:40:12.345Z` as `2026-11-24 21:40 UTC`.
pub fn readable_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => rfc3339.to_string(),
    }
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
        assert_eq!(
            end_of_day("2026-12-31").as_deref(),
            Some("2026-12-31T23:59:59Z")
        );
        assert_eq!(end_of_day(""), None);
        assert_eq!(end_of_day("31/12/2026"), None);
    }
}
