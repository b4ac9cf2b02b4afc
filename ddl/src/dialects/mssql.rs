//! SQL Server: brackets, `dbo`, `MS_Description` extended properties, `sp_rename`, and
//! constraints (defaults, primary keys, inline uniques) whose names the server chose, which a
//! migration finds in the catalog (`@sql`, declared once at the top of the script).

use model::Action;

use super::{ColumnChange, CommentStyle, Rules, reserved};
use crate::Dialect;
use crate::export::literal;

pub(crate) struct Mssql;

fn lit(text: &str) -> String {
    format!(
        "N{}",
        literal::write(Dialect::Mssql, text).trim_start_matches('N')
    )
}

/// Runs the statement a catalog query builds, when it finds something.
fn dynamic(query: &str) -> String {
    format!("SET @sql = ({query}); IF @sql IS NOT NULL EXEC(@sql);")
}

/// Drops the default constraint of `column` (bare) on `table`, if it has one.
fn drop_default(table: &str, column: &str) -> String {
    dynamic(&format!(
        "SELECT N'ALTER TABLE {table} DROP CONSTRAINT ' + QUOTENAME(d.name) \
         FROM sys.default_constraints d JOIN sys.columns c \
         ON c.object_id = d.parent_object_id AND c.column_id = d.parent_column_id \
         WHERE d.parent_object_id = OBJECT_ID({}) AND c.name = {}",
        lit(table),
        lit(column)
    ))
}

impl Rules for Mssql {
    fn dialect(&self) -> Dialect {
        Dialect::Mssql
    }
    fn partial_indexes(&self) -> bool {
        true
    }
    fn index_include(&self) -> bool {
        true
    }
    fn quotes(&self) -> (char, char) {
        ('[', ']')
    }
    fn reserved(&self) -> &'static [&'static str] {
        reserved::MSSQL
    }
    fn max_name_len(&self) -> usize {
        128
    }
    fn default_schema(&self) -> Option<&'static str> {
        Some("dbo")
    }
    fn create_schema(&self, quoted: &str, literal: &str) -> String {
        let create = literal::write(Dialect::Mssql, &format!("CREATE SCHEMA {quoted}"));
        format!("IF SCHEMA_ID({literal}) IS NULL EXEC({create});")
    }
    fn comments(&self) -> CommentStyle {
        CommentStyle::ExtendedProperties
    }
    fn says_null(&self) -> bool {
        true
    }
    fn index_names_per_table(&self) -> bool {
        true
    }
    fn action(&self, _event: &str, action: Action) -> Result<Option<&'static str>, ()> {
        match action {
            // No RESTRICT, but NO ACTION behaves the same for a single statement.
            Action::NoAction | Action::Restrict => Ok(None),
            other => Ok(Some(super::action_name(other))),
        }
    }
    fn refuses_set_null_on_not_null(&self) -> bool {
        true
    }

    fn migration_frame(&self) -> (&'static [&'static str], &'static [&'static str]) {
        (
            &["BEGIN TRANSACTION;", "DECLARE @sql nvarchar(max);"],
            &["COMMIT;"],
        )
    }
    fn rename_table(&self, old: &str, new_bare: &str, new_schema: Option<&str>) -> Vec<String> {
        let mut steps = Vec::new();
        let bare = old.rsplit_once('.').map_or(old, |(_, b)| b);
        let mut current = old.to_string();
        if let Some(schema) = new_schema {
            steps.push(format!("ALTER SCHEMA {schema} TRANSFER {old};"));
            current = format!("{schema}.{bare}");
        }
        let new_plain = unquote(new_bare);
        if unquote(bare) != new_plain {
            steps.push(format!(
                "EXEC sp_rename {}, {};",
                lit(&current),
                lit(&new_plain)
            ));
        }
        steps
    }
    fn rename_column(&self, table: &str, old: &str, _new: &str, new_bare: &str) -> String {
        format!(
            "EXEC sp_rename {}, {}, N'COLUMN';",
            lit(&format!("{table}.{old}")),
            lit(new_bare)
        )
    }
    fn add_column(&self, table: &str, definition: &str) -> String {
        format!("ALTER TABLE {table} ADD {definition};")
    }
    fn drop_column(&self, table: &str, column_bare: &str, column: &str) -> Vec<String> {
        vec![
            drop_default(table, column_bare),
            format!("ALTER TABLE {table} DROP COLUMN {column};"),
        ]
    }
    fn alter_column(&self, c: &ColumnChange) -> (Vec<String>, Vec<String>) {
        let (t, col) = (c.table, &c.new.name);
        let mut steps = Vec::new();
        let mut warnings = Vec::new();
        if c.old.identity != c.new.identity {
            warnings.push(format!(
                "SQL Server cannot add or remove IDENTITY on {t}.{col}; rebuild the table by hand"
            ));
        }
        let type_changes = c.old.ty != c.new.ty;
        let default_changes = c.old.default != c.new.default;
        if c.old.default.is_some() && (type_changes || default_changes) {
            steps.push(drop_default(t, c.column_bare));
        }
        if type_changes || c.old.not_null != c.new.not_null {
            let null = if c.new.not_null { "NOT NULL" } else { "NULL" };
            steps.push(format!(
                "ALTER TABLE {t} ALTER COLUMN {col} {} {null};",
                c.new.ty
            ));
        }
        if let Some(default) = &c.new.default
            && (type_changes || default_changes)
        {
            steps.push(format!("ALTER TABLE {t} ADD DEFAULT {default} FOR {col};"));
        }
        (steps, warnings)
    }
    fn keys_survive_retype(&self) -> bool {
        false
    }
    fn drop_index(&self, table: &str, _schema: Option<&str>, name: &str) -> String {
        format!("DROP INDEX {name} ON {table};")
    }
    fn drop_primary_key(&self, table: &str, _bare: &str) -> Result<String, String> {
        Ok(dynamic(&format!(
            "SELECT N'ALTER TABLE {table} DROP CONSTRAINT ' + QUOTENAME(name) \
             FROM sys.key_constraints WHERE type = 'PK' AND parent_object_id = OBJECT_ID({})",
            lit(table)
        )))
    }
    fn drop_inline_unique(
        &self,
        table: &str,
        _table_bare: &str,
        column_bare: &str,
        _column: &str,
    ) -> Result<String, String> {
        Ok(dynamic(&format!(
            "SELECT TOP 1 N'ALTER TABLE {table} DROP CONSTRAINT ' + QUOTENAME(k.name) \
             FROM sys.key_constraints k JOIN sys.index_columns i \
             ON i.object_id = k.parent_object_id AND i.index_id = k.unique_index_id \
             JOIN sys.columns c ON c.object_id = i.object_id AND c.column_id = i.column_id \
             WHERE k.type = 'UQ' AND k.parent_object_id = OBJECT_ID({}) AND c.name = {} \
             AND (SELECT COUNT(*) FROM sys.index_columns x \
                  WHERE x.object_id = i.object_id AND x.index_id = i.index_id) = 1",
            lit(table),
            lit(column_bare)
        )))
    }
    fn table_comment(
        &self,
        _table: &str,
        bare: &str,
        schema: Option<&str>,
        comment: &str,
    ) -> Vec<String> {
        description(schema.unwrap_or("dbo"), bare, None, comment)
    }
    fn column_comment(
        &self,
        table_bare: &str,
        schema: Option<&str>,
        column_bare: &str,
        comment: &str,
    ) -> Vec<String> {
        description(
            schema.unwrap_or("dbo"),
            table_bare,
            Some(column_bare),
            comment,
        )
    }
}

/// Sets a table's or column's `MS_Description` to `comment`: the old one dropped when there is
/// one, the new one added unless empty.
fn description(schema: &str, table: &str, column: Option<&str>, comment: &str) -> Vec<String> {
    let mut level = format!(
        "@level0type = N'SCHEMA', @level0name = {}, @level1type = N'TABLE', @level1name = {}",
        lit(schema),
        lit(table)
    );
    let object = lit(&format!("{schema}.{table}"));
    let minor = match column {
        Some(column) => {
            level.push_str(&format!(
                ", @level2type = N'COLUMN', @level2name = {}",
                lit(column)
            ));
            format!(
                "COLUMNPROPERTY(OBJECT_ID({object}), {}, 'ColumnId')",
                lit(column)
            )
        }
        None => "0".to_string(),
    };
    let mut steps = vec![format!(
        "IF EXISTS (SELECT 1 FROM sys.extended_properties WHERE major_id = OBJECT_ID({object}) \
         AND minor_id = {minor} AND name = N'MS_Description') \
         EXEC sp_dropextendedproperty @name = N'MS_Description', {level};"
    )];
    if !comment.is_empty() {
        steps.push(format!(
            "EXEC sp_addextendedproperty @name = N'MS_Description', @value = {}, {level};",
            lit(comment)
        ));
    }
    steps
}

/// A bracketed name without its brackets.
fn unquote(name: &str) -> String {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(inner) => inner.replace("]]", "]"),
        None => name.to_string(),
    }
}
