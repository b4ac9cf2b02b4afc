//! Guessing the dialect of a script.

use crate::Dialect;

/// Telltale pieces of text and how strongly each points at a dialect.
const MARKERS: &[(&str, Dialect, u32)] = &[
    ("\ngo\n", Dialect::Mssql, 5),
    ("\ngo\r\n", Dialect::Mssql, 5),
    (")go\n", Dialect::Mssql, 5),
    ("[dbo]", Dialect::Mssql, 5),
    ("identity (", Dialect::Mssql, 3),
    ("identity(", Dialect::Mssql, 3),
    ("nvarchar", Dialect::Mssql, 1),
    ("on [primary]", Dialect::Mssql, 5),
    ("clustered", Dialect::Mssql, 2),
    ("] [int]", Dialect::Mssql, 3),
    ("exec ", Dialect::Mssql, 1),
    ("`", Dialect::Mysql, 1),
    ("engine=", Dialect::Mysql, 5),
    ("engine =", Dialect::Mysql, 5),
    ("auto_increment", Dialect::Mysql, 3),
    ("/*!", Dialect::Mysql, 5),
    ("delimiter ", Dialect::Mysql, 3),
    (" unsigned", Dialect::Mysql, 1),
    ("default charset", Dialect::Mysql, 5),
    ("\n# ", Dialect::Mysql, 1),
    ("serial", Dialect::Postgresql, 2),
    ("$$", Dialect::Postgresql, 3),
    ("$_$", Dialect::Postgresql, 3),
    ("::", Dialect::Postgresql, 2),
    ("\n\\c", Dialect::Postgresql, 5),
    ("nextval('", Dialect::Postgresql, 3),
    ("from stdin", Dialect::Postgresql, 5),
    ("as enum", Dialect::Postgresql, 3),
    ("bytea", Dialect::Postgresql, 3),
    ("owner to", Dialect::Postgresql, 5),
    ("alter table only", Dialect::Postgresql, 5),
    ("search_path", Dialect::Postgresql, 5),
    ("plpgsql", Dialect::Postgresql, 5),
    ("timestamp without time zone", Dialect::Postgresql, 3),
    ("varchar2", Dialect::Oracle, 5),
    ("number(", Dialect::Oracle, 2),
    ("\n/\n", Dialect::Oracle, 3),
    ("clob", Dialect::Oracle, 1),
    ("sysdate", Dialect::Oracle, 3),
    (".nextval", Dialect::Oracle, 3),
    ("from dual", Dialect::Oracle, 3),
    ("\nprompt ", Dialect::Oracle, 3),
    ("autoincrement", Dialect::Sqlite, 4),
    ("pragma ", Dialect::Sqlite, 5),
    ("integer primary key", Dialect::Sqlite, 2),
    ("without rowid", Dialect::Sqlite, 5),
    ("begin transaction;", Dialect::Sqlite, 2),
    ("] integer", Dialect::Sqlite, 3),
    ("drop table if exists [", Dialect::Sqlite, 5),
    ("datetime('now')", Dialect::Sqlite, 5),
    ("rowid", Dialect::Sqlite, 3),
];

/// How much of a large input is looked at: the schema part of a dump comes first.
const SAMPLE: usize = 256 * 1024;

/// A best guess at the dialect of `sql`, for an "auto" choice.
///
/// Counts telltale text (each marker at most 20 times, so one repeated idiom cannot outvote the
/// rest); PostgreSQL wins ties, as the most standard-looking of the five. MariaDB scripts come
/// back as MySQL: nothing in a schema tells the two apart.
pub fn detect_dialect(sql: &str) -> Dialect {
    let mut end = sql.len().min(SAMPLE);
    while !sql.is_char_boundary(end) {
        end -= 1;
    }
    let text = sql[..end].to_lowercase();
    let mut scores = [0u32; 6];
    for (marker, dialect, weight) in MARKERS {
        let hits = text.matches(marker).take(20).count() as u32;
        if let Some(i) = Dialect::ALL.iter().position(|d| d == dialect) {
            scores[i] += hits * weight;
        }
    }
    let mut best = Dialect::Postgresql;
    let mut best_score = 0;
    for (d, score) in Dialect::ALL.into_iter().zip(scores) {
        if score > best_score {
            best = d;
            best_score = score;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telltale_syntax_decides_the_dialect() {
        let cases = [
            (
                "CREATE TABLE `a` (id int AUTO_INCREMENT) ENGINE=InnoDB;",
                Dialect::Mysql,
            ),
            (
                "CREATE TABLE [dbo].[a] ([id] [int] IDENTITY(1,1)) ON [PRIMARY]\nGO\n",
                Dialect::Mssql,
            ),
            (
                "CREATE TABLE a (id serial, t text DEFAULT 'x'::text);",
                Dialect::Postgresql,
            ),
            (
                "CREATE TABLE a (id NUMBER(10), n VARCHAR2(20))\n/\n",
                Dialect::Oracle,
            ),
            (
                "PRAGMA foreign_keys=ON;\nCREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);",
                Dialect::Sqlite,
            ),
        ];
        for (sql, want) in cases {
            assert_eq!(detect_dialect(sql), want, "{sql}");
        }
    }

    #[test]
    fn plain_sql_defaults_to_postgresql() {
        assert_eq!(
            detect_dialect("CREATE TABLE a (id int);"),
            Dialect::Postgresql
        );
        assert_eq!(detect_dialect(""), Dialect::Postgresql);
    }
}
