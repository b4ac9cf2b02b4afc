//! A small SQL highlighter for the export preview: keywords, strings, comments, numbers and quoted
//! names, as `(class, text)` pieces.

const KEYWORDS: [&str; 62] = [
    "ADD",
    "ALTER",
    "AS",
    "ASC",
    "AUTO_INCREMENT",
    "AUTOINCREMENT",
    "BY",
    "CASCADE",
    "CHECK",
    "COLUMN",
    "COMMENT",
    "CONSTRAINT",
    "CREATE",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DROP",
    "ENUM",
    "EXEC",
    "EXISTS",
    "FOREIGN",
    "GENERATED",
    "IDENTITY",
    "IF",
    "IN",
    "INDEX",
    "IS",
    "KEY",
    "NO",
    "NOT",
    "NULL",
    "ON",
    "OR",
    "PRIMARY",
    "REFERENCES",
    "RESTRICT",
    "SET",
    "TABLE",
    "TYPE",
    "UNIQUE",
    "UPDATE",
    "ALWAYS",
    "ACTION",
    "WITH",
    "ENGINE",
    "CHARSET",
    "GO",
    "BEGIN",
    "END",
    "EXECUTE",
    "IMMEDIATE",
    "DECLARE",
    // Migration scripts.
    "RENAME",
    "TO",
    "COMMIT",
    "MODIFY",
    "USING",
    "INSERT",
    "INTO",
    "SELECT",
    "FROM",
    "PRAGMA",
];

/// Splits `sql` into highlighted pieces; concatenated they give `sql` back unchanged.
pub fn pieces(sql: &str) -> Vec<(&'static str, &str)> {
    let mut out = Vec::new();
    let bytes = sql.as_bytes();
    let mut i = 0;
    let mut plain = 0;
    while i < bytes.len() {
        let (class, end) = match bytes[i] {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                ("comment", find(sql, i, "\n").unwrap_or(sql.len()))
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => (
                "comment",
                find(sql, i + 2, "*/").map_or(sql.len(), |e| e + 2),
            ),
            b'\'' => ("string", closing(bytes, i, b'\'')),
            b'"' | b'`' => ("name", closing(bytes, i, bytes[i])),
            b'[' => ("name", find(sql, i, "]").map_or(sql.len(), |e| e + 1)),
            b'0'..=b'9' if i == 0 || !is_word(bytes[i - 1]) => (
                "number",
                i + bytes[i..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit() || **b == b'.')
                    .count(),
            ),
            b if is_word(b) && (i == 0 || !is_word(bytes[i - 1])) => {
                let end = i + bytes[i..].iter().take_while(|b| is_word(**b)).count();
                let word = &sql[i..end];
                if KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word)) {
                    ("keyword", end)
                } else {
                    i = end;
                    continue;
                }
            }
            _ => {
                i += 1;
                continue;
            }
        };
        if plain < i {
            out.push(("", &sql[plain..i]));
        }
        let end = end.min(sql.len()).max(i + 1);
        let end = (end..=sql.len())
            .find(|e| sql.is_char_boundary(*e))
            .unwrap_or(sql.len());
        out.push((class, &sql[i..end]));
        i = end;
        plain = end;
    }
    if plain < sql.len() {
        out.push(("", &sql[plain..]));
    }
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn find(sql: &str, from: usize, needle: &str) -> Option<usize> {
    sql.get(from..)?.find(needle).map(|n| from + n)
}

/// The end of a quoted run starting at `start`, where a doubled quote is an escaped one.
fn closing(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn pieces_cover_the_text_and_mark_what_matters() {
        let sql = "-- users\nCREATE TABLE \"user\" (id int DEFAULT 0, note text DEFAULT 'it''s; fine'); /* é */";
        let parts = pieces(sql);
        assert_eq!(parts.iter().map(|(_, t)| *t).collect::<String>(), sql);
        assert!(parts.contains(&("comment", "-- users")));
        assert!(parts.contains(&("keyword", "CREATE")));
        assert!(parts.contains(&("name", "\"user\"")));
        assert!(parts.contains(&("string", "'it''s; fine'")));
        assert!(parts.contains(&("number", "0")));
        assert!(parts.contains(&("comment", "/* é */")));
        assert!(!parts.iter().any(|(c, t)| *c == "keyword" && *t == "id"));
    }
}
