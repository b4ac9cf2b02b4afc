//! Oracle: 30-byte names (its limit before 12.2), `COMMENT ON`, `MODIFY (…)` that names only
//! what changes (it refuses NOT NULL on a column already NOT NULL), and no ON UPDATE actions.

use model::Action;

use super::{ColumnChange, CommentStyle, Rules, comment_on, reserved};
use crate::Dialect;
use crate::export::literal;

pub(crate) struct Oracle;

impl Rules for Oracle {
    fn dialect(&self) -> Dialect {
        Dialect::Oracle
    }
    fn index_expressions(&self) -> bool {
        true
    }
    fn reserved(&self) -> &'static [&'static str] {
        reserved::ORACLE
    }
    fn max_name_len(&self) -> usize {
        30
    }
    fn drop_table_suffix(&self) -> &'static str {
        " CASCADE CONSTRAINTS"
    }
    fn comments(&self) -> CommentStyle {
        CommentStyle::CommentOn
    }
    fn action(&self, event: &str, action: Action) -> Result<Option<&'static str>, ()> {
        match action {
            Action::NoAction | Action::Restrict => Ok(None),
            _ if event == "UPDATE" => Err(()),
            Action::SetDefault => Err(()),
            other => Ok(Some(super::action_name(other))),
        }
    }

    fn add_column(&self, table: &str, definition: &str) -> String {
        format!("ALTER TABLE {table} ADD ({definition});")
    }
    fn alter_column(&self, c: &ColumnChange) -> (Vec<String>, Vec<String>) {
        let mut warnings = Vec::new();
        if c.old.identity != c.new.identity {
            warnings.push(format!(
                "Oracle cannot add or remove an identity on {}.{}; rebuild the table by hand",
                c.table, c.new.name
            ));
        }
        let mut parts = Vec::new();
        if c.old.ty != c.new.ty {
            parts.push(c.new.ty.clone());
        }
        if c.old.default != c.new.default {
            parts.push(format!(
                "DEFAULT {}",
                c.new.default.as_deref().unwrap_or("NULL")
            ));
        }
        if c.old.not_null != c.new.not_null {
            parts.push(if c.new.not_null { "NOT NULL" } else { "NULL" }.to_string());
        }
        if parts.is_empty() {
            return (Vec::new(), warnings);
        }
        let step = format!(
            "ALTER TABLE {} MODIFY ({} {});",
            c.table,
            c.new.name,
            parts.join(" ")
        );
        (vec![step], warnings)
    }
    fn drop_primary_key(&self, table: &str, _bare: &str) -> Result<String, String> {
        Ok(format!("ALTER TABLE {table} DROP PRIMARY KEY;"))
    }
    fn drop_inline_unique(
        &self,
        table: &str,
        _table_bare: &str,
        _column_bare: &str,
        column: &str,
    ) -> Result<String, String> {
        Ok(format!("ALTER TABLE {table} DROP UNIQUE ({column});"))
    }
    fn table_comment(
        &self,
        table: &str,
        _bare: &str,
        _schema: Option<&str>,
        comment: &str,
    ) -> Vec<String> {
        vec![comment_on(
            "TABLE",
            table,
            &literal::write(Dialect::Oracle, comment),
        )]
    }
}
