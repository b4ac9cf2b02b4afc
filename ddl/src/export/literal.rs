//! String literals: read as any dialect writes them, written as the target expects.

use crate::Dialect;

/// Reads one quoted literal that makes up all of `text` (`'it''s'`, `N'x'`, `_utf8mb4'x'`,
/// MySQL's `'it\'s'`). `None` when `text` is anything else.
pub(crate) fn read(text: &str) -> Option<String> {
    let text = text.trim();
    let start = text.find('\'')?;
    let prefix = &text[..start];
    let prefix_ok = prefix.is_empty()
        || prefix.eq_ignore_ascii_case("n")
        || prefix.eq_ignore_ascii_case("e")
        || (prefix.starts_with('_') && prefix[1..].chars().all(|c| c.is_ascii_alphanumeric()));
    if !prefix_ok {
        return None;
    }
    let (value, used) = read_at(&text[start..])?;
    (start + used == text.len()).then_some(value)
}

/// Reads the literal at the start of `text` (which begins with `'`): its value and its length.
fn read_at(text: &str) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                if chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                    value.push('\'');
                } else {
                    return Some((value, i + 1));
                }
            }
            // A backslash escapes a quote or another backslash (MySQL); elsewhere it is literal.
            '\\' if chars.peek().is_some_and(|&(_, n)| n == '\'' || n == '\\') => {
                if let Some((_, n)) = chars.next() {
                    value.push(n);
                }
            }
            c => value.push(c),
        }
    }
    None
}

/// The values of a comma-separated list of literals (`'a','b'` of `ENUM('a','b')`).
pub(crate) fn list(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut rest = text.trim_start();
    while let Some(start) = rest.find('\'') {
        match read_at(&rest[start..]) {
            Some((value, used)) => {
                values.push(value);
                rest = &rest[start + used..];
            }
            None => break,
        }
    }
    values
}

/// `value` as a literal of `dialect`. MySQL treats a backslash as an escape, so it is doubled
/// there; SQL Server gets `N'…'` for text outside ASCII so that it survives the code page.
pub(crate) fn write(dialect: Dialect, value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 3);
    if dialect == Dialect::Mssql && !value.is_ascii() {
        out.push('N');
    }
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' if matches!(dialect, Dialect::Mysql | Dialect::Mariadb) => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Text safe inside a `/* … */` comment on one line. Neither `*/` (which would end it) nor `/*`
/// (which opens a nested comment in PostgreSQL, a fuzzing find) is left in the text.
pub(crate) fn block_comment(text: &str) -> String {
    let text = one_line(text).replace("*/", "* /").replace("/*", "/ *");
    format!("/* {} */", text.trim())
}

/// Text safe after `--`: on one line, with control characters (line breaks among them) as
/// spaces. A name that held a line break once ended such a comment early (a fuzzing find).
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_literals_in_every_quoting_style() {
        assert_eq!(read("'it''s'").as_deref(), Some("it's"));
        assert_eq!(read(r"'it\'s'").as_deref(), Some("it's"));
        assert_eq!(read("N'Grüße'").as_deref(), Some("Grüße"));
        assert_eq!(read("_utf8mb4'x'").as_deref(), Some("x"));
        assert_eq!(read("''").as_deref(), Some(""));
        assert_eq!(read("'a' || 'b'"), None);
        assert_eq!(read("now()"), None);
        assert_eq!(read("'open"), None);
    }

    #[test]
    fn writes_literals_for_each_dialect() {
        assert_eq!(write(Dialect::Postgresql, r"it's C:\"), r"'it''s C:\'");
        assert_eq!(write(Dialect::Mysql, r"it's C:\"), r"'it''s C:\\'");
        assert_eq!(write(Dialect::Mssql, "é"), "N'é'");
        assert_eq!(list("'a', 'b,c' ,'d''e'"), vec!["a", "b,c", "d'e"]);
    }

    #[test]
    fn block_comments_cannot_be_closed_early() {
        assert_eq!(block_comment("a */ b\nc"), "/* a * / b c */");
    }
}
