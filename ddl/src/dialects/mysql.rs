//! MySQL and MariaDB: backquotes, inline comments, AUTO_INCREMENT that needs a key of its own,
//! `MODIFY COLUMN` with the whole definition, and DDL that is not transactional.

use model::Action;

use super::{ColumnChange, CommentStyle, Constraint, Rules, reserved};
use crate::Dialect;
use crate::export::literal;

pub(crate) struct Mysql {
    mariadb: bool,
}

pub(crate) const MYSQL: Mysql = Mysql { mariadb: false };
pub(crate) const MARIADB: Mysql = Mysql { mariadb: true };

impl Rules for Mysql {
    fn dialect(&self) -> Dialect {
        if self.mariadb {
            Dialect::Mariadb
        } else {
            Dialect::Mysql
        }
    }
    fn quotes(&self) -> (char, char) {
        ('`', '`')
    }
    fn reserved(&self) -> &'static [&'static str] {
        reserved::MYSQL
    }
    fn max_name_len(&self) -> usize {
        64
    }
    fn around_drops(&self) -> Option<(&'static str, &'static str)> {
        Some(("SET FOREIGN_KEY_CHECKS = 0;", "SET FOREIGN_KEY_CHECKS = 1;"))
    }
    fn comments(&self) -> CommentStyle {
        CommentStyle::Inline
    }
    fn identity_after_null(&self) -> bool {
        true
    }
    fn on_update_now(&self) -> bool {
        true
    }
    fn auto_needs_key(&self) -> bool {
        true
    }
    fn index_names_per_table(&self) -> bool {
        true
    }
    fn key_prefixes(&self, unique: bool) -> bool {
        // MariaDB enforces long unique keys through a hash; MySQL needs prefixes there too.
        !(self.mariadb && unique)
    }
    fn index_expressions(&self) -> bool {
        // MySQL 8.0.13's functional key parts; MariaDB has none.
        !self.mariadb
    }
    fn index_method_before_key(&self) -> Option<bool> {
        Some(false)
    }
    fn action(&self, _event: &str, action: Action) -> Result<Option<&'static str>, ()> {
        match action {
            Action::NoAction => Ok(None),
            // InnoDB parses SET DEFAULT but refuses the table.
            Action::SetDefault => Err(()),
            other => Ok(Some(super::action_name(other))),
        }
    }
    fn refuses_set_null_on_not_null(&self) -> bool {
        true
    }

    fn rename_table(&self, old: &str, new_bare: &str, _schema: Option<&str>) -> Vec<String> {
        vec![format!("RENAME TABLE {old} TO {new_bare};")]
    }
    fn alter_column(&self, c: &ColumnChange) -> (Vec<String>, Vec<String>) {
        // The whole definition, comment included; its UNIQUE would add a second index.
        let definition = c.new.definition_without_unique(self.dialect());
        (
            vec![format!(
                "ALTER TABLE {} MODIFY COLUMN {definition};",
                c.table
            )],
            Vec::new(),
        )
    }
    fn drop_constraint(&self, table: &str, name: &str, kind: Constraint) -> String {
        match kind {
            Constraint::ForeignKey => format!("ALTER TABLE {table} DROP FOREIGN KEY {name};"),
            Constraint::Unique => format!("ALTER TABLE {table} DROP INDEX {name};"),
            // MySQL 8.0.19 and MariaDB alike.
            Constraint::Check => format!("ALTER TABLE {table} DROP CONSTRAINT {name};"),
        }
    }
    fn drop_index(&self, table: &str, _schema: Option<&str>, name: &str) -> String {
        format!("DROP INDEX {name} ON {table};")
    }
    fn drop_primary_key(&self, table: &str, _bare: &str) -> Result<String, String> {
        Ok(format!("ALTER TABLE {table} DROP PRIMARY KEY;"))
    }
    fn inline_unique_name(&self, _table_bare: &str, column_bare: &str) -> Option<String> {
        Some(column_bare.to_string())
    }
    fn after_column_rename(&self, table: &str, _bare: &str, old: &str, new: &str) -> Vec<String> {
        let q = |n: &str| crate::export::names::quote(self.dialect(), n);
        vec![format!(
            "ALTER TABLE {table} RENAME INDEX {} TO {};",
            q(old),
            q(new)
        )]
    }
    fn table_comment(
        &self,
        table: &str,
        _bare: &str,
        _schema: Option<&str>,
        comment: &str,
    ) -> Vec<String> {
        vec![format!(
            "ALTER TABLE {table} COMMENT = {};",
            literal::write(self.dialect(), comment)
        )]
    }
}
