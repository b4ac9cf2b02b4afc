//! Each dialect's home: what differs for it when a diagram is written there or migrated there.
//!
//! Export and migration ask [`rules`] instead of testing the dialect in many places, so adding a
//! dialect, or a statement kind, is one place per dialect. The type table stays in
//! `export::mapping` (one row per type, one column per dialect), the reading side in `import`.

mod mssql;
mod mysql;
mod oracle;
mod postgresql;
pub(crate) mod reserved;
mod sqlite;

use model::Action;

use crate::Dialect;

/// The rules of `dialect`.
pub(crate) fn rules(dialect: Dialect) -> &'static dyn Rules {
    match dialect {
        Dialect::Postgresql => &postgresql::Postgresql,
        Dialect::Mysql => &mysql::MYSQL,
        Dialect::Mariadb => &mysql::MARIADB,
        Dialect::Sqlite => &sqlite::Sqlite,
        Dialect::Mssql => &mssql::Mssql,
        Dialect::Oracle => &oracle::Oracle,
    }
}

/// Where a dialect keeps table and column comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CommentStyle {
    /// `COMMENT ON TABLE/COLUMN … IS` statements.
    CommentOn,
    /// MySQL's `COMMENT '…'` inside the definitions.
    Inline,
    /// SQL Server's `MS_Description` extended properties.
    ExtendedProperties,
    /// `--` lines in the script only (SQLite has no catalog place for them).
    Lines,
}

/// Which kind of constraint a migration drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Constraint {
    ForeignKey,
    Unique,
    Check,
}

/// One column as a migration alters it: the table, and the column's definition before and after
/// (see [`crate::export::ColumnSql`]).
pub(crate) struct ColumnChange<'a> {
    /// The table's written (qualified, quoted) name.
    pub table: &'a str,
    /// The table's bare name, for names the server derives from it.
    pub table_bare: &'a str,
    /// The column's bare (current) name.
    pub column_bare: &'a str,
    pub old: &'a crate::export::ColumnSql,
    pub new: &'a crate::export::ColumnSql,
    /// A cast through text is needed (an enum on either side).
    pub via_text: bool,
}

/// What one dialect writes differently. Defaults are the standard SQL forms.
pub(crate) trait Rules: Sync {
    fn dialect(&self) -> Dialect;

    // Identifiers.

    /// Opening and closing identifier quotes.
    fn quotes(&self) -> (char, char) {
        ('"', '"')
    }
    /// Reserved words, upper case and sorted.
    fn reserved(&self) -> &'static [&'static str];
    /// Whether names differ by case (PostgreSQL, where the export quotes mixed case); the others
    /// compare table names without case, or do on some systems.
    fn case_sensitive_names(&self) -> bool {
        false
    }
    /// Longest index or constraint name, in bytes.
    fn max_name_len(&self) -> usize;

    // Schemas and tables.

    /// The database's default schema, where the dialect writes `schema.table` at all.
    fn default_schema(&self) -> Option<&'static str> {
        None
    }
    /// The statement creating `schema` (quoted) when missing; only asked where schemas are kept.
    fn create_schema(&self, _quoted: &str, _literal: &str) -> String {
        String::new()
    }
    /// Whether a table without columns can be created (PostgreSQL only).
    fn columnless_tables(&self) -> bool {
        false
    }
    /// Text after `DROP TABLE IF EXISTS name` that drops what depends on it.
    fn drop_table_suffix(&self) -> &'static str {
        ""
    }
    /// Statements around drops that let reference cycles go (MySQL pauses its checks).
    fn around_drops(&self) -> Option<(&'static str, &'static str)> {
        None
    }
    fn comments(&self) -> CommentStyle;

    // Columns.

    /// Whether a nullable column says `NULL` (SQL Server's default depends on session settings).
    fn says_null(&self) -> bool {
        false
    }
    /// Whether the identity clause follows NOT NULL (MySQL's AUTO_INCREMENT) rather than the type.
    fn identity_after_null(&self) -> bool {
        false
    }
    /// MySQL's `ON UPDATE CURRENT_TIMESTAMP`.
    fn on_update_now(&self) -> bool {
        false
    }
    /// Whether an auto-increment column needs a key of its own (MySQL).
    fn auto_needs_key(&self) -> bool {
        false
    }
    /// Named enum types (`CREATE TYPE … AS ENUM`).
    fn enum_types(&self) -> bool {
        false
    }

    // Keys and indexes.

    /// Whether foreign keys are written inside CREATE TABLE (SQLite cannot add them later).
    fn foreign_keys_inline(&self) -> bool {
        false
    }
    /// Whether index names are unique per table rather than per schema.
    fn index_names_per_table(&self) -> bool {
        false
    }
    /// Whether index names share one namespace with table names (PostgreSQL, SQLite).
    fn index_names_beside_tables(&self) -> bool {
        false
    }
    /// Whether an index over long text needs prefix lengths (`unique` tells which kind).
    fn key_prefixes(&self, _unique: bool) -> bool {
        false
    }
    /// Whether an index key may hold expressions (`(lower(email))`).
    fn index_expressions(&self) -> bool {
        false
    }
    /// Whether an index may have a condition (`WHERE deleted_at IS NULL`).
    fn partial_indexes(&self) -> bool {
        false
    }
    /// Whether an index may carry columns beside its key (`INCLUDE (…)`).
    fn index_include(&self) -> bool {
        false
    }
    /// How an index's access method is written (`USING gin`), where the dialect has methods:
    /// before the key (`true`, PostgreSQL) or after it (`false`, MySQL).
    fn index_method_before_key(&self) -> Option<bool> {
        None
    }
    /// The SQL of `action` on `event` (`"DELETE"`/`"UPDATE"`): `Ok(None)` for the default
    /// (NO ACTION), `Err` where the dialect has no such action.
    fn action(&self, event: &str, action: Action) -> Result<Option<&'static str>, ()> {
        let _ = event;
        match action {
            Action::NoAction => Ok(None),
            other => Ok(Some(action_name(other))),
        }
    }
    /// Whether SET NULL on a column that cannot be null is refused when the table is created.
    fn refuses_set_null_on_not_null(&self) -> bool {
        false
    }

    // Migrations.

    /// Statements that open and close a migration script.
    fn migration_frame(&self) -> (&'static [&'static str], &'static [&'static str]) {
        (&[], &[])
    }
    /// Whether any change beyond renames and simple added columns rebuilds the table (SQLite).
    fn rebuilds_tables(&self) -> bool {
        false
    }
    /// Renames a table and moves it to another schema (qualified, quoted names).
    fn rename_table(&self, old: &str, new_bare: &str, new_schema: Option<&str>) -> Vec<String> {
        let _ = new_schema;
        vec![format!("ALTER TABLE {old} RENAME TO {new_bare};")]
    }
    /// `old` and `new` quoted, `new_bare` not.
    fn rename_column(&self, table: &str, old: &str, new: &str, new_bare: &str) -> String {
        let _ = new_bare;
        format!("ALTER TABLE {table} RENAME COLUMN {old} TO {new};")
    }
    fn add_column(&self, table: &str, definition: &str) -> String {
        format!("ALTER TABLE {table} ADD COLUMN {definition};")
    }
    fn drop_column(&self, table: &str, column_bare: &str, column: &str) -> Vec<String> {
        let _ = column_bare;
        vec![format!("ALTER TABLE {table} DROP COLUMN {column};")]
    }
    /// Steps that change a column's type, default, nullability, identity or comment, with
    /// warnings for what the dialect cannot do in place.
    fn alter_column(&self, change: &ColumnChange) -> (Vec<String>, Vec<String>);
    fn drop_constraint(&self, table: &str, name: &str, kind: Constraint) -> String {
        let _ = kind;
        format!("ALTER TABLE {table} DROP CONSTRAINT {name};")
    }
    /// `DROP INDEX` of `name` (quoted) on `table`; `schema` is the table's, quoted.
    fn drop_index(&self, table: &str, schema: Option<&str>, name: &str) -> String {
        let _ = table;
        match schema {
            Some(schema) => format!("DROP INDEX {schema}.{name};"),
            None => format!("DROP INDEX {name};"),
        }
    }
    /// Whether primary keys stay in place while a column in them changes type (SQL Server
    /// refuses the change instead).
    fn keys_survive_retype(&self) -> bool {
        true
    }
    /// Drops the primary key of `table`, if the dialect can name it.
    fn drop_primary_key(&self, table: &str, table_bare: &str) -> Result<String, String>;
    /// The name the server gave an inline `UNIQUE` on `column` (bare names), where predictable.
    fn inline_unique_name(&self, table_bare: &str, column_bare: &str) -> Option<String> {
        let _ = (table_bare, column_bare);
        None
    }
    /// Drops the inline `UNIQUE` of one column (`column` quoted, the others bare).
    fn drop_inline_unique(
        &self,
        table: &str,
        table_bare: &str,
        column_bare: &str,
        column: &str,
    ) -> Result<String, String> {
        let _ = column;
        let q = |n: &str| crate::export::names::quote(self.dialect(), n);
        match self.inline_unique_name(table_bare, column_bare) {
            Some(name) => Ok(self.drop_constraint(table, &q(&name), Constraint::Unique)),
            None => Err(format!(
                "the unique constraint on {table}.{column} has a name the server chose; drop it by hand"
            )),
        }
    }
    /// Steps after a table's rename that keep the names the server derived from the old one.
    fn after_table_rename(
        &self,
        table: &str,
        old_bare: &str,
        new_bare: &str,
        unique_columns: &[&str],
        has_primary_key: bool,
    ) -> Vec<String> {
        let _ = (table, old_bare, new_bare, unique_columns, has_primary_key);
        Vec::new()
    }
    /// Steps after a column's rename that keep the name of its inline UNIQUE.
    fn after_column_rename(
        &self,
        table: &str,
        table_bare: &str,
        old: &str,
        new: &str,
    ) -> Vec<String> {
        let _ = (table, table_bare, old, new);
        Vec::new()
    }
    /// Sets or clears a table comment.
    fn table_comment(
        &self,
        table: &str,
        table_bare: &str,
        schema: Option<&str>,
        comment: &str,
    ) -> Vec<String>;
    /// Sets or clears a column's comment where it is a statement of its own other than
    /// `COMMENT ON` (SQL Server's descriptions); nothing elsewhere.
    fn column_comment(
        &self,
        _table_bare: &str,
        _schema: Option<&str>,
        _column_bare: &str,
        _comment: &str,
    ) -> Vec<String> {
        Vec::new()
    }
    /// The literal `false` of a boolean column.
    fn boolean_false(&self) -> &'static str {
        "0"
    }
}

/// The standard spelling of `action`.
pub(crate) fn action_name(action: Action) -> &'static str {
    match action {
        Action::NoAction => "NO ACTION",
        Action::Restrict => "RESTRICT",
        Action::Cascade => "CASCADE",
        Action::SetNull => "SET NULL",
        Action::SetDefault => "SET DEFAULT",
    }
}

/// `COMMENT ON TABLE` / `COMMENT ON COLUMN` steps (PostgreSQL, Oracle).
pub(crate) fn comment_on(kind: &str, target: &str, literal: &str) -> String {
    format!("COMMENT ON {kind} {target} IS {literal};")
}
