//! Column defaults: read as any dialect writes them, written the target's way or left out.
//!
//! Defaults that name functions or expressions of one database (`lower(...)`, `nextval(...)`) are
//! not carried over as SQL: a default the target cannot run would break the whole script. They
//! become a `/* DEFAULT … */` note beside the column instead, so nothing is lost silently.

use super::literal;
use super::types::SqlType;
use crate::Dialect;

/// A default's meaning, independent of how it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    /// A numeric literal as written (`0`, `-1`, `1.5e3`).
    Number(String),
    Text(String),
    Now,
    Today,
    TimeNow,
    NewUuid,
    /// `nextval('…')`: the column is really auto-increment.
    Sequence,
    /// Not translatable; the text as written.
    Raw(String),
}

/// A read default and whether it carried MySQL's `ON UPDATE CURRENT_TIMESTAMP`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Default {
    pub value: Value,
    pub on_update_now: bool,
}

/// Reads a default as stored in `Column::default`.
pub(crate) fn parse(text: &str) -> Default {
    let mut text = text.trim();
    if text.is_empty() {
        return Default {
            value: Value::Null,
            on_update_now: false,
        };
    }
    let mut on_update_now = false;
    if let Some(at) = find_ascii_ci(text, " on update ") {
        on_update_now = true;
        text = text[..at].trim_end();
    }
    Default {
        value: value(text),
        on_update_now,
    }
}

fn value(text: &str) -> Value {
    // `('now'::text)::date`: casts and parentheses, as deep as they go.
    let mut text = text;
    loop {
        let inner = strip_parens(strip_cast(strip_parens(text)));
        if inner == text {
            break;
        }
        text = inner;
    }
    if let Some(s) = literal::read(text) {
        return Value::Text(s);
    }
    let lower = text.to_ascii_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    // `public.uuid_generate_v1()`, `pg_catalog.now()`, `dbo.fn()`: the function's own name.
    let compact = match compact.split_once('.') {
        Some((schema, rest))
            if ["public", "pg_catalog", "dbo", "sys"].contains(&schema)
                && !rest.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            rest.to_string()
        }
        _ => compact,
    };
    let call = compact.split('(').next().unwrap_or("");
    match compact.as_str() {
        "null" => return Value::Null,
        "true" | "b'1'" => return Value::Bool(true),
        "false" | "b'0'" => return Value::Bool(false),
        "datetime('now')" | "datetime('now','localtime')" | "trunc(sysdate,'mi')" => {
            return Value::Now;
        }
        "date('now')" | "date('now','localtime')" | "trunc(sysdate)" | "cast(getdate()asdate)" => {
            return Value::Today;
        }
        "time('now')" | "time('now','localtime')" => return Value::TimeNow,
        _ => {}
    }
    if is_number(&compact) {
        return Value::Number(compact.trim_start_matches('+').to_string());
    }
    let bare_or_call =
        compact == call || compact[call.len()..].starts_with('(') && compact.ends_with(')');
    let args_empty_or_digits = compact[call.len()..]
        .trim_start_matches('(')
        .trim_end_matches(')')
        .chars()
        .all(|c| c.is_ascii_digit());
    if bare_or_call && args_empty_or_digits {
        match call {
            "current_timestamp"
            | "now"
            | "getdate"
            | "sysdate"
            | "systimestamp"
            | "localtimestamp"
            | "sysdatetime"
            | "getutcdate"
            | "sysutcdatetime"
            | "utc_timestamp"
            | "transaction_timestamp"
            | "statement_timestamp"
            | "clock_timestamp"
            | "sysdatetimeoffset" => return Value::Now,
            "current_date" | "curdate" => return Value::Today,
            "current_time" | "curtime" | "localtime" => return Value::TimeNow,
            "gen_random_uuid" | "uuid_generate_v4" | "uuid_generate_v1" | "uuid_generate_v1mc"
            | "uuidv4" | "uuidv7" | "newid" | "uuid" | "sys_guid" | "newsequentialid" => {
                return Value::NewUuid;
            }
            _ => {}
        }
    }
    if call == "nextval" {
        return Value::Sequence;
    }
    // The expression SQLite export writes for a new UUID (see `SQLITE_UUID`).
    if compact.starts_with("lower(hex(randomblob(4)))||'-'") {
        return Value::NewUuid;
    }
    if text.is_empty() {
        return Value::Null;
    }
    Value::Raw(text.to_string())
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

/// Removes parentheses that enclose the whole text (`((0))`, `('x')`).
fn strip_parens(mut text: &str) -> &str {
    loop {
        text = text.trim();
        let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
            return text;
        };
        if !balanced(inner) {
            return text;
        }
        text = inner;
    }
}

/// Parentheses outside quotes never close more than they opened.
fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && !quoted
}

/// Drops PostgreSQL casts (`'x'::character varying`, `(0)::numeric`) from the end.
fn strip_cast(text: &str) -> &str {
    let mut quoted = false;
    let mut depth = 0i32;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth -= 1,
            b':' if !quoted && depth == 0 && bytes.get(i + 1) == Some(&b':') => {
                return text[..i].trim_end();
            }
            _ => {}
        }
    }
    text
}

fn is_number(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.split_once('e') {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (body, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let dots = mantissa.chars().filter(|&c| c == '.').count();
    digits > 0
        && dots <= 1
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && exponent.is_none_or(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()))
}

/// What to write for a column's default: SQL after `DEFAULT`, a note to leave as a comment, or
/// nothing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Written {
    None,
    Sql(String),
    Note(String),
}

/// `value` for a column of type `ty` in `d`.
pub(crate) fn write(value: &Value, ty: &SqlType, d: Dialect) -> Written {
    use Dialect::*;
    let class = Class::of(ty);
    let sql = |s: &str| Written::Sql(s.to_string());
    let my = matches!(d, Mysql | Mariadb);
    match value {
        Value::Null | Value::Sequence => Written::None,
        Value::Bool(b) => boolean(*b, class, d),
        Value::Number(n) => match class {
            Class::Boolean => match n.as_str() {
                "0" => boolean(false, class, d),
                "1" => boolean(true, class, d),
                _ => note(value),
            },
            Class::Text | Class::Other => Written::Sql(text_literal(n, class, d)),
            _ => Written::Sql(n.clone()),
        },
        Value::Text(s) => match class {
            Class::Boolean => match s.to_ascii_lowercase().as_str() {
                "0" | "f" | "false" | "n" | "no" => boolean(false, class, d),
                "1" | "t" | "true" | "y" | "yes" => boolean(true, class, d),
                _ => note(value),
            },
            Class::Number if is_number(s) => Written::Sql(s.clone()),
            Class::Number => note(value),
            // PostgreSQL's special input values: `'now'::date` is the date of the insert.
            Class::Date | Class::Temporal | Class::Time if s.eq_ignore_ascii_case("now") => {
                write(&Value::Now, ty, d)
            }
            Class::Date | Class::Temporal if s.eq_ignore_ascii_case("today") => {
                write(&Value::Today, ty, d)
            }
            Class::Temporal if s.starts_with("0000-00-00") => note(value),
            Class::Temporal if my => match utc_without_zone(s) {
                Some(utc) => Written::Sql(literal::write(d, &utc)),
                None => Written::Sql(text_literal(s, class, d)),
            },
            _ => Written::Sql(text_literal(s, class, d)),
        },
        Value::Now => match (class, d) {
            (Class::Date, _) => write(&Value::Today, ty, d),
            (Class::Time, _) => write(&Value::TimeNow, ty, d),
            _ => sql("CURRENT_TIMESTAMP"),
        },
        Value::Today => match d {
            Mysql | Mariadb => sql("(CURRENT_DATE)"),
            Mssql => sql("CAST(GETDATE() AS DATE)"),
            Oracle => sql("TRUNC(SYSDATE)"),
            Postgresql | Sqlite => sql("CURRENT_DATE"),
        },
        Value::TimeNow => match d {
            Mysql | Mariadb => sql("(CURRENT_TIME)"),
            Mssql => sql("CAST(GETDATE() AS TIME)"),
            Oracle => note(value),
            Postgresql => sql("LOCALTIME"),
            Sqlite => sql("CURRENT_TIME"),
        },
        Value::NewUuid => match d {
            Postgresql => sql("gen_random_uuid()"),
            Mysql | Mariadb => sql("(UUID())"),
            Mssql => sql("NEWID()"),
            Sqlite => sql(SQLITE_UUID),
            Oracle => note(value),
        },
        Value::Raw(_) => note(value),
    }
}

/// `2024-05-01 10:00:00+02` (a PostgreSQL timestamp with an offset, or `Z`) as the same
/// instant in UTC without the offset, `2024-05-01 08:00:00`: MySQL's DATETIME holds no zone and
/// MariaDB refuses a literal with one. `None` when `s` is no timestamp with an offset.
fn utc_without_zone(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = s.get(from..from + n)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    // YYYY-MM-DD[ T]HH:MM[:SS[.f…]]
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !matches!(b.get(10), Some(b' ' | b'T'))
    {
        return None;
    }
    let (hour, minute) = (digits(11, 2)?, digits(14, 2)?);
    if b.get(13) != Some(&b':') {
        return None;
    }
    let mut at = 16;
    let mut second = 0;
    let mut fraction = "";
    if b.get(at) == Some(&b':') {
        second = digits(at + 1, 2)?;
        at += 3;
        if b.get(at) == Some(&b'.') {
            let end = s[at + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(s.len(), |i| at + 1 + i);
            fraction = &s[at..end];
            at = end;
        }
    }
    let zone = s[at..].trim_start();
    let offset_minutes = match zone.as_bytes().first()? {
        b'Z' | b'z' if zone.len() == 1 => 0,
        sign @ (b'+' | b'-') => {
            let rest: String = zone[1..].chars().filter(|&c| c != ':').collect();
            if rest.is_empty() || rest.len() > 4 || !rest.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let (h, m) = if rest.len() <= 2 {
                (rest.parse::<i64>().ok()?, 0)
            } else {
                let split = rest.len() - 2;
                (rest[..split].parse().ok()?, rest[split..].parse().ok()?)
            };
            let minutes = h * 60 + m;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let local = days_from_civil(year, month, day) * 1440 + hour * 60 + minute;
    let utc = local - offset_minutes;
    let (days, minutes) = (utc.div_euclid(1440), utc.rem_euclid(1440));
    let (y, m, d) = civil_from_days(days);
    Some(format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{second:02}{fraction}",
        minutes / 60,
        minutes % 60
    ))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// SQLite has no UUID function; this expression makes a random (version 4) one as text.
const SQLITE_UUID: &str = "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) \
    || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' \
    || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) \
    || '-' || lower(hex(randomblob(6))))";

fn boolean(b: bool, class: Class, d: Dialect) -> Written {
    let sql = match (d, class) {
        (Dialect::Postgresql, Class::Boolean) => {
            if b {
                "TRUE"
            } else {
                "FALSE"
            }
        }
        (_, Class::Text | Class::Other) => {
            if b {
                "'1'"
            } else {
                "'0'"
            }
        }
        _ => {
            if b {
                "1"
            } else {
                "0"
            }
        }
    };
    Written::Sql(sql.to_string())
}

/// A string default. MySQL 8 takes defaults for TEXT, BLOB and JSON only as expressions in
/// parentheses; MariaDB takes plain literals there.
fn text_literal(s: &str, class: Class, d: Dialect) -> String {
    let lit = literal::write(d, s);
    if d == Dialect::Mysql && class == Class::Other {
        format!("({lit})")
    } else {
        lit
    }
}

fn note(value: &Value) -> Written {
    let shown = match value {
        Value::Raw(text) => text.clone(),
        Value::Text(s) => format!("'{s}'"),
        Value::Number(n) => n.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Now => "CURRENT_TIMESTAMP".into(),
        Value::Today => "CURRENT_DATE".into(),
        Value::TimeNow => "CURRENT_TIME".into(),
        Value::NewUuid => "a new UUID".into(),
        Value::Null | Value::Sequence => String::new(),
    };
    Written::Note(format!("DEFAULT {shown} (not translated)"))
}

/// How a column's type takes default values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Boolean,
    Number,
    /// Bounded strings, enums: plain literals everywhere.
    Text,
    Date,
    Time,
    Temporal,
    /// Unbounded text, blobs, JSON and the like (MySQL wants expression defaults there).
    Other,
}

impl Class {
    fn of(ty: &SqlType) -> Self {
        match ty {
            SqlType::Boolean => Class::Boolean,
            SqlType::Int { .. }
            | SqlType::Decimal { .. }
            | SqlType::Money
            | SqlType::Real
            | SqlType::Double
            | SqlType::Float
            | SqlType::Year
            | SqlType::Bits { .. } => Class::Number,
            SqlType::Char { .. }
            | SqlType::Varchar { len: Some(_) }
            | SqlType::Enum(_)
            | SqlType::Set(_)
            | SqlType::NamedEnum(_)
            | SqlType::Uuid => Class::Text,
            SqlType::Date => Class::Date,
            SqlType::Time { .. } => Class::Time,
            SqlType::Timestamp { .. } => Class::Temporal,
            _ => Class::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::types::{IntWidth, Size};

    fn v(text: &str) -> Value {
        parse(text).value
    }

    #[test]
    fn now_and_today_as_text_are_the_current_date() {
        let date = SqlType::Date;
        let now = Value::Text("now".into());
        assert_eq!(
            write(&now, &date, Dialect::Postgresql),
            Written::Sql("CURRENT_DATE".into())
        );
        assert_eq!(
            write(&now, &date, Dialect::Mariadb),
            Written::Sql("(CURRENT_DATE)".into())
        );
    }

    #[test]
    fn timestamps_with_an_offset_become_utc_without_one() {
        let utc = |s| utc_without_zone(s);
        assert_eq!(
            utc("1970-01-01 00:00:00+00").as_deref(),
            Some("1970-01-01 00:00:00")
        );
        assert_eq!(
            utc("2024-03-01 01:30:00+02:00").as_deref(),
            Some("2024-02-29 23:30:00")
        );
        assert_eq!(
            utc("2023-12-31T22:00-0530").as_deref(),
            Some("2024-01-01 03:30:00")
        );
        assert_eq!(
            utc("2024-05-01 10:00:00.123Z").as_deref(),
            Some("2024-05-01 10:00:00.123")
        );
        assert_eq!(utc("2024-05-01 10:00:00"), None);
        assert_eq!(utc("2024-05-01"), None);
        assert_eq!(utc("soon+01"), None);
        let ts = SqlType::Timestamp {
            precision: None,
            tz: true,
        };
        let v = Value::Text("1970-01-01 00:00:00+00".into());
        assert_eq!(
            write(&v, &ts, Dialect::Mariadb),
            Written::Sql("'1970-01-01 00:00:00'".into())
        );
        assert_eq!(
            write(&v, &ts, Dialect::Postgresql),
            Written::Sql("'1970-01-01 00:00:00+00'".into())
        );
    }

    #[test]
    fn reads_defaults_in_every_dialect() {
        assert_eq!(v("CURRENT_TIMESTAMP"), Value::Now);
        assert_eq!(v("now()"), Value::Now);
        assert_eq!(v("(getdate())"), Value::Now);
        assert_eq!(v("SYSDATE"), Value::Now);
        assert_eq!(v("CURRENT_TIMESTAMP(6)"), Value::Now);
        assert_eq!(v("((0))"), Value::Number("0".into()));
        assert_eq!(v("(-1)"), Value::Number("-1".into()));
        assert_eq!(v("'draft'::character varying"), Value::Text("draft".into()));
        assert_eq!(v("(N'abc')"), Value::Text("abc".into()));
        assert_eq!(v("nextval('film_film_id_seq'::regclass)"), Value::Sequence);
        assert_eq!(v("NULL::character varying"), Value::Null);
        assert_eq!(v("true"), Value::Bool(true));
        assert_eq!(v("b'1'"), Value::Bool(true));
        assert_eq!(v("lower('X')"), Value::Raw("lower('X')".into()));
        assert_eq!(v("gen_random_uuid()"), Value::NewUuid);
        assert_eq!(v("(uuid_generate_v1())"), Value::NewUuid);
        assert_eq!(v("public.uuid_generate_v1()"), Value::NewUuid);
        assert_eq!(v("pg_catalog.now()"), Value::Now);
        assert_eq!(v("('now'::text)::date"), Value::Text("now".into()));
        assert_eq!(v("1.5"), Value::Number("1.5".into()));
        let on_update = parse("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP");
        assert_eq!(
            (on_update.value, on_update.on_update_now),
            (Value::Now, true)
        );
    }

    #[test]
    fn writes_booleans_and_numbers_per_dialect() {
        let b = SqlType::Boolean;
        assert_eq!(
            write(&v("'1'"), &b, Dialect::Postgresql),
            Written::Sql("TRUE".into())
        );
        assert_eq!(
            write(&v("false"), &b, Dialect::Mssql),
            Written::Sql("0".into())
        );
        let int = SqlType::Int {
            width: IntWidth::Regular,
            unsigned: false,
        };
        assert_eq!(
            write(&v("'0'"), &int, Dialect::Postgresql),
            Written::Sql("0".into())
        );
        assert_eq!(
            write(&v("true"), &int, Dialect::Postgresql),
            Written::Sql("1".into())
        );
        assert!(matches!(
            write(&v("'abc'"), &int, Dialect::Postgresql),
            Written::Note(_)
        ));
    }

    #[test]
    fn writes_time_and_text_defaults_per_dialect() {
        let ts = SqlType::Timestamp {
            precision: None,
            tz: false,
        };
        assert_eq!(
            write(&Value::Now, &ts, Dialect::Mssql),
            Written::Sql("CURRENT_TIMESTAMP".into())
        );
        assert_eq!(
            write(&Value::Now, &SqlType::Date, Dialect::Mysql),
            Written::Sql("(CURRENT_DATE)".into())
        );
        assert!(matches!(
            write(&v("'0000-00-00 00:00:00'"), &ts, Dialect::Mysql),
            Written::Note(_)
        ));
        let text = SqlType::Text(Size::Regular);
        assert_eq!(
            write(&v("'x'"), &text, Dialect::Mysql),
            Written::Sql("('x')".into())
        );
        assert_eq!(
            write(&v("'x'"), &text, Dialect::Mariadb),
            Written::Sql("'x'".into())
        );
        assert!(matches!(
            write(&Value::NewUuid, &SqlType::Uuid, Dialect::Oracle),
            Written::Note(_)
        ));
        let Written::Sql(sqlite) = write(&Value::NewUuid, &SqlType::Uuid, Dialect::Sqlite) else {
            panic!("SQLite writes a UUID expression");
        };
        assert_eq!(v(&sqlite), Value::NewUuid, "and reads it back");
        assert!(matches!(
            write(&v("lower('X')"), &text, Dialect::Postgresql),
            Written::Note(_)
        ));
    }
}
