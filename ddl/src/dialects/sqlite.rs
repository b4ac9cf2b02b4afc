//! SQLite: foreign keys inside CREATE TABLE, comments as script lines, and migrations that
//! rebuild a table (create the new one, copy the rows, drop, rename) for anything beyond renames
//! and simple added columns, with foreign key checks off and run once at the end.

use super::{ColumnChange, CommentStyle, Rules, reserved};
use crate::Dialect;

pub(crate) struct Sqlite;

impl Rules for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
    fn reserved(&self) -> &'static [&'static str] {
        reserved::SQLITE
    }
    fn max_name_len(&self) -> usize {
        usize::MAX
    }
    fn comments(&self) -> CommentStyle {
        CommentStyle::Lines
    }
    fn foreign_keys_inline(&self) -> bool {
        true
    }
    fn index_names_beside_tables(&self) -> bool {
        true
    }
    fn index_expressions(&self) -> bool {
        true
    }
    fn partial_indexes(&self) -> bool {
        true
    }

    fn migration_frame(&self) -> (&'static [&'static str], &'static [&'static str]) {
        // The pragma is a no-op inside a transaction, so it comes first.
        (
            &["PRAGMA foreign_keys = OFF;", "BEGIN;"],
            &[
                "PRAGMA foreign_key_check;",
                "COMMIT;",
                "PRAGMA foreign_keys = ON;",
            ],
        )
    }
    fn rebuilds_tables(&self) -> bool {
        true
    }
    fn alter_column(&self, _change: &ColumnChange) -> (Vec<String>, Vec<String>) {
        // Never asked: a changed column rebuilds its table.
        (Vec::new(), Vec::new())
    }
    fn drop_primary_key(&self, _table: &str, _bare: &str) -> Result<String, String> {
        Err("SQLite changes a primary key by rebuilding the table".into())
    }
    fn table_comment(
        &self,
        _table: &str,
        _bare: &str,
        _schema: Option<&str>,
        _comment: &str,
    ) -> Vec<String> {
        Vec::new()
    }
}
