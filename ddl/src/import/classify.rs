//! Decides from a statement's first words whether it is schema to parse or something to skip.
//!
//! Only schema statements go through sqlparser: a dump's INSERTs, procedures and views are valid
//! SQL we do not need, and not parsing them is both faster and immune to their dialect quirks.

/// What to do with one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    CreateTable,
    AlterTable,
    CreateIndex,
    CreateType,
    Comment,
    /// Valid, not schema: reported as skipped under this name.
    Skip(&'static str),
    /// Not a statement any of the five dialects knows.
    Unknown,
}

impl Kind {
    /// The name used in reports.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::CreateTable => "CREATE TABLE",
            Kind::AlterTable => "ALTER TABLE",
            Kind::CreateIndex => "CREATE INDEX",
            Kind::CreateType => "CREATE TYPE",
            Kind::Comment => "COMMENT",
            Kind::Skip(kind) => kind,
            Kind::Unknown => "unknown",
        }
    }
}

/// Words that may stand between CREATE and the kind of object.
const CREATE_MODIFIERS: [&str; 17] = [
    "or",
    "replace",
    "alter",
    "global",
    "local",
    "unlogged",
    "if",
    "not",
    "exists",
    "editionable",
    "noneditionable",
    "nonclustered",
    "clustered",
    "unique",
    "force",
    "noforce",
    // T-SQL `CREATE PRIMARY XML INDEX`.
    "primary",
];

const CREATE_OBJECTS: [&str; 35] = [
    "XML",
    "VIEW",
    "FUNCTION",
    "PROCEDURE",
    "PROC",
    "TRIGGER",
    "SEQUENCE",
    "SCHEMA",
    "DATABASE",
    "EXTENSION",
    "ROLE",
    "USER",
    "DOMAIN",
    "AGGREGATE",
    "RULE",
    "POLICY",
    "SYNONYM",
    "MATERIALIZED",
    "PACKAGE",
    "EVENT",
    "TABLESPACE",
    "LOGIN",
    "SERVER",
    "COLLATION",
    "CAST",
    "OPERATOR",
    "LANGUAGE",
    "PUBLICATION",
    "SUBSCRIPTION",
    "STATISTICS",
    "TEXT",
    "CONVERSION",
    "DEFAULT",
    "VIRTUAL",
    "PROCEDURAL",
];

const OTHER_STATEMENTS: [&str; 66] = [
    "BULK",
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "MERGE",
    "REPLACE",
    "UPSERT",
    "COPY",
    "SET",
    "RESET",
    "SHOW",
    "USE",
    "GRANT",
    "REVOKE",
    "DROP",
    "TRUNCATE",
    "BEGIN",
    "START",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
    "END",
    "LOCK",
    "UNLOCK",
    "PRAGMA",
    "ANALYZE",
    "ANALYSE",
    "VACUUM",
    "EXPLAIN",
    "DECLARE",
    "EXEC",
    "EXECUTE",
    "PRINT",
    "IF",
    "WHILE",
    "CALL",
    "DO",
    "RENAME",
    "WITH",
    "VALUES",
    "REINDEX",
    "CLUSTER",
    "CHECKPOINT",
    "LISTEN",
    "NOTIFY",
    "PREPARE",
    "DEALLOCATE",
    "DISCARD",
    "SECURITY",
    "LOAD",
    "FLUSH",
    "OPTIMIZE",
    "REPAIR",
    "RAISERROR",
    "DBCC",
    "RECONFIGURE",
    "ATTACH",
    "DETACH",
    "SELECT",
    "PURGE",
    "AUDIT",
    "REFRESH",
    // T-SQL `DISABLE TRIGGER t ON DATABASE`, `ENABLE TRIGGER …`.
    "DISABLE",
    "ENABLE",
];

/// Classifies a statement (comments already blanked) by its leading keywords.
pub(crate) fn classify(text: &str) -> Kind {
    let mut words = words(text);
    let Some(first) = words.next() else {
        return Kind::Unknown;
    };
    if first.eq_ignore_ascii_case("create") {
        return classify_create(words);
    }
    if first.eq_ignore_ascii_case("alter") {
        return match words.next() {
            Some(w) if w.eq_ignore_ascii_case("table") => Kind::AlterTable,
            Some(w) => Kind::Skip(alter_kind(w)),
            None => Kind::Unknown,
        };
    }
    if first.eq_ignore_ascii_case("comment") {
        return match words.next() {
            Some(w) if w.eq_ignore_ascii_case("on") => Kind::Comment,
            _ => Kind::Unknown,
        };
    }
    OTHER_STATEMENTS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(first))
        .map_or(Kind::Unknown, |k| Kind::Skip(k))
}

/// The words of `text`, split at whitespace, `(` and `;` (all ASCII, so the cuts are character
/// boundaries): bytes, not characters, for this runs on every statement.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let apart = |b: u8| b.is_ascii_whitespace() || b == b'(' || b == b';';
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && apart(bytes[i]) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !apart(bytes[i]) {
            i += 1;
        }
        (start < i).then(|| &text[start..i])
    })
}

fn classify_create<'a>(words: impl Iterator<Item = &'a str>) -> Kind {
    let mut temporary = false;
    let mut words = words.take(12).peekable();
    let mut buf = [0u8; 24];
    while let Some(word) = words.next() {
        // Lowercased in place: keywords are short, and of a longer word its start is enough.
        let n = word.len().min(buf.len());
        for (to, from) in buf.iter_mut().zip(word.bytes()) {
            *to = from.to_ascii_lowercase();
        }
        let lower = match std::str::from_utf8(&buf[..n]) {
            Ok(l) => l,
            Err(e) => std::str::from_utf8(&buf[..e.valid_up_to()]).unwrap_or_default(),
        };
        match lower {
            "table" if temporary => return Kind::Skip("CREATE TEMPORARY TABLE"),
            "table" => return Kind::CreateTable,
            "index" => return Kind::CreateIndex,
            // SQL Server's full-text catalogs and stop lists hold no schema.
            "fulltext"
                if words
                    .peek()
                    .is_some_and(|n| !n.eq_ignore_ascii_case("index")) =>
            {
                return Kind::Skip("CREATE FULLTEXT CATALOG");
            }
            "fulltext" | "spatial" | "bitmap" | "columnstore" => return Kind::CreateIndex,
            "type" => return Kind::CreateType,
            "temporary" | "temp" => temporary = true,
            w if CREATE_MODIFIERS.contains(&w) => {}
            // MySQL `DEFINER=…`, `ALGORITHM=…`, `SQL SECURITY …` before views and routines.
            w if w.starts_with("definer") || w.starts_with("algorithm") || word.contains('=') => {}
            "sql" | "security" | "invoker" | "definer" | "merge" | "undefined" => {}
            _ => {
                return CREATE_OBJECTS
                    .iter()
                    .find(|k| k.eq_ignore_ascii_case(word))
                    .map_or(Kind::Unknown, |k| Kind::Skip(create_kind(k)));
            }
        }
    }
    Kind::Unknown
}

fn create_kind(object: &str) -> &'static str {
    match object {
        "VIEW" | "MATERIALIZED" => "CREATE VIEW",
        "FUNCTION" => "CREATE FUNCTION",
        "PROCEDURE" | "PROC" => "CREATE PROCEDURE",
        "TRIGGER" => "CREATE TRIGGER",
        "SEQUENCE" => "CREATE SEQUENCE",
        "SCHEMA" => "CREATE SCHEMA",
        "DATABASE" => "CREATE DATABASE",
        "EXTENSION" => "CREATE EXTENSION",
        "ROLE" | "USER" | "LOGIN" => "CREATE ROLE",
        "DOMAIN" => "CREATE DOMAIN",
        "PACKAGE" => "CREATE PACKAGE",
        "EVENT" => "CREATE EVENT",
        "SYNONYM" => "CREATE SYNONYM",
        "LANGUAGE" | "PROCEDURAL" => "CREATE LANGUAGE",
        "XML" => "CREATE XML",
        _ => "CREATE (other)",
    }
}

fn alter_kind(object: &str) -> &'static str {
    const KINDS: [(&str, &str); 8] = [
        ("SEQUENCE", "ALTER SEQUENCE"),
        ("VIEW", "ALTER VIEW"),
        ("FUNCTION", "ALTER FUNCTION"),
        ("PROCEDURE", "ALTER PROCEDURE"),
        ("DATABASE", "ALTER DATABASE"),
        ("SCHEMA", "ALTER SCHEMA"),
        ("TYPE", "ALTER TYPE"),
        ("INDEX", "ALTER INDEX"),
    ];
    KINDS
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(object))
        .map_or("ALTER (other)", |(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_statements_are_recognised_through_modifiers() {
        assert_eq!(classify("CREATE TABLE a (id int)"), Kind::CreateTable);
        assert_eq!(
            classify("create table if not exists a(id int)"),
            Kind::CreateTable
        );
        assert_eq!(
            classify("CREATE UNLOGGED TABLE a (id int)"),
            Kind::CreateTable
        );
        assert_eq!(
            classify("CREATE UNIQUE NONCLUSTERED INDEX i ON a(x)"),
            Kind::CreateIndex
        );
        assert_eq!(classify("CREATE TYPE mood AS ENUM ('a')"), Kind::CreateType);
        assert_eq!(classify("ALTER TABLE ONLY a ADD x int"), Kind::AlterTable);
        assert_eq!(classify("COMMENT ON TABLE a IS 'x'"), Kind::Comment);
    }

    #[test]
    fn temporary_tables_are_skipped() {
        assert_eq!(
            classify("CREATE GLOBAL TEMPORARY TABLE t (id int)"),
            Kind::Skip("CREATE TEMPORARY TABLE")
        );
    }

    #[test]
    fn other_statements_are_skipped_by_kind() {
        assert_eq!(classify("insert into a values (1)"), Kind::Skip("INSERT"));
        assert_eq!(
            classify("CREATE DEFINER=`root`@`localhost` TRIGGER t"),
            Kind::Skip("CREATE TRIGGER")
        );
        assert_eq!(
            classify("CREATE OR REPLACE VIEW v AS SELECT 1"),
            Kind::Skip("CREATE VIEW")
        );
        assert_eq!(
            classify("ALTER SEQUENCE s OWNED BY a.id"),
            Kind::Skip("ALTER SEQUENCE")
        );
        assert_eq!(classify("GO ON"), Kind::Unknown);
        assert_eq!(
            classify("CREATE PRIMARY XML INDEX p ON t (x)"),
            Kind::Skip("CREATE XML")
        );
        assert_eq!(
            classify("DISABLE TRIGGER [log] ON DATABASE"),
            Kind::Skip("DISABLE")
        );
    }
}
