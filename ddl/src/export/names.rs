//! Identifiers: quoting per dialect, length limits, and unique names for generated objects.

use std::collections::HashSet;

use model::Uuid;

use crate::Dialect;
use crate::dialects;

/// `name` as an identifier of `dialect`, quoted only where needed: a reserved word, a character
/// outside `[A-Za-z0-9_]`, a leading digit, or (PostgreSQL only) an upper-case letter, which
/// PostgreSQL would otherwise fold to lower case. Oracle folds unquoted names to upper case;
/// quoting mixed-case names there would force every later query to quote them, so it does not.
pub(crate) fn quote(dialect: Dialect, name: &str) -> String {
    if needs_quotes(dialect, name) {
        quoted(dialect, name)
    } else {
        name.to_string()
    }
}

/// `schema.name` where the dialect keeps schemas (see [`super::Plan`]), else `name`.
pub(crate) fn qualified(dialect: Dialect, schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(schema) => format!("{}.{}", quote(dialect, schema), quote(dialect, name)),
        None => quote(dialect, name),
    }
}

fn needs_quotes(dialect: Dialect, name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return true;
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return true;
    }
    let rules = dialects::rules(dialect);
    if rules.case_sensitive_names() && name.chars().any(|c| c.is_ascii_uppercase()) {
        return true;
    }
    // The lists are upper case and sorted; compare without allocating an upper-case copy.
    rules
        .reserved()
        .binary_search_by(|word| {
            word.bytes()
                .cmp(name.bytes().map(|b| b.to_ascii_uppercase()))
        })
        .is_ok()
}

fn quoted(dialect: Dialect, name: &str) -> String {
    let (open, close) = dialects::rules(dialect).quotes();
    let mut out = String::with_capacity(name.len() + 2);
    out.push(open);
    for c in name.chars() {
        out.push(c);
        if c == close {
            out.push(c);
        }
    }
    out.push(close);
    out
}

/// Longest name, in bytes, the dialect accepts for an index or constraint. Oracle gets 30, its
/// limit before 12.2, so that scripts also run on older servers.
pub(crate) fn max_len(dialect: Dialect) -> usize {
    dialects::rules(dialect).max_name_len()
}

/// `name` cut to `max` bytes, deterministically: a prefix, `_`, and eight hex digits of a hash of
/// the whole name, so two long names that share a prefix stay distinct.
pub(crate) fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let hash = format!("{:08x}", fnv1a(name));
    let mut keep = max.saturating_sub(hash.len() + 1);
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}_{hash}", &name[..keep])
}

/// 32-bit FNV-1a: tiny, stable across platforms and releases (unlike `DefaultHasher`).
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// Where a name must be unique: the whole script, or one table (MySQL and SQL Server index names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    Global,
    Table(Uuid),
}

/// Names handed out so far. Databases compare most names case-insensitively, so this does too.
#[derive(Debug)]
pub(crate) struct Registry {
    dialect: Dialect,
    used: HashSet<(Scope, String)>,
}

impl Registry {
    pub(crate) fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            used: HashSet::new(),
        }
    }

    /// Marks `name` as taken (a table, whose name indexes must not reuse in PostgreSQL/SQLite).
    pub(crate) fn reserve(&mut self, scope: Scope, name: &str) {
        self.used.insert((scope, name.to_lowercase()));
    }

    /// A name like `wanted` that fits the dialect and is not yet used in `scope`; `_2`, `_3` …
    /// are appended on collisions.
    pub(crate) fn claim(&mut self, scope: Scope, wanted: &str) -> String {
        let max = max_len(self.dialect);
        let base = shorten(wanted, max);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.used.contains(&(scope, candidate.to_lowercase())) {
            candidate = shorten(&format!("{wanted}_{n}"), max);
            n += 1;
        }
        self.used.insert((scope, candidate.to_lowercase()));
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_word_lists_are_sorted_for_binary_search() {
        for dialect in Dialect::ALL {
            let words = dialects::rules(dialect).reserved();
            assert!(words.windows(2).all(|w| w[0] < w[1]), "{dialect}");
        }
    }

    #[test]
    fn quotes_only_where_needed_in_each_style() {
        assert_eq!(quote(Dialect::Postgresql, "users"), "users");
        assert_eq!(quote(Dialect::Postgresql, "Users"), "\"Users\"");
        assert_eq!(quote(Dialect::Mysql, "Users"), "Users");
        assert_eq!(quote(Dialect::Mysql, "order"), "`order`");
        assert_eq!(quote(Dialect::Mssql, "user"), "[user]");
        assert_eq!(quote(Dialect::Mssql, "a]b"), "[a]]b]");
        assert_eq!(quote(Dialect::Sqlite, "first name"), "\"first name\"");
        assert_eq!(quote(Dialect::Oracle, "CustomerId"), "CustomerId");
        assert_eq!(quote(Dialect::Oracle, "comment"), "\"comment\"");
        assert_eq!(quote(Dialect::Postgresql, "größe"), "\"größe\"");
        assert_eq!(quote(Dialect::Postgresql, "1st"), "\"1st\"");
        assert_eq!(quote(Dialect::Postgresql, "a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn long_names_are_shortened_deterministically_and_distinctly() {
        let a = "fk_very_long_child_table_name_referencing_parent_a";
        let b = "fk_very_long_child_table_name_referencing_parent_b";
        assert_eq!(shorten(a, 30).len(), 30);
        assert_eq!(shorten(a, 30), shorten(a, 30));
        assert_ne!(shorten(a, 30), shorten(b, 30));
        assert_eq!(shorten("short", 30), "short");
        assert!(shorten(&"é".repeat(40), 30).len() <= 30);
    }

    #[test]
    fn registry_makes_names_unique_per_scope() {
        let mut names = Registry::new(Dialect::Postgresql);
        let t = Scope::Table(Uuid::nil());
        assert_eq!(names.claim(Scope::Global, "ix_a"), "ix_a");
        assert_eq!(names.claim(Scope::Global, "IX_A"), "IX_A_2");
        assert_eq!(names.claim(t, "ix_a"), "ix_a");
        names.reserve(Scope::Global, "users");
        assert_eq!(names.claim(Scope::Global, "users"), "users_2");
    }
}
