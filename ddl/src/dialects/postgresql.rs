//! PostgreSQL: schemas, enum types, `COMMENT ON`, transactional DDL, and the names the server
//! derives (`t_pkey`, `t_c_key`, `t_c_seq`), which a later migration must find again.

use super::{ColumnChange, CommentStyle, Rules, comment_on, reserved};
use crate::Dialect;
use crate::export::literal;

pub(crate) struct Postgresql;

/// Longest identifier, in bytes (NAMEDATALEN − 1).
const MAX_NAME: usize = 63;

/// The name PostgreSQL makes from a table, an optional column and a label (its
/// `makeObjectName`): the longer part is cut first until `a_b_label` fits.
pub(crate) fn derived_name(first: &str, second: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + usize::from(second.is_some());
    let avail = MAX_NAME.saturating_sub(overhead);
    let mut a = first.len();
    let mut b = second.map_or(0, str::len);
    while a + b > avail {
        if a > b {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_string()
    };
    match second {
        Some(second) => format!("{}_{}_{label}", clip(first, a), clip(second, b)),
        None => format!("{}_{label}", clip(first, a)),
    }
}

/// `name` quoted as the export quotes it.
fn q(name: &str) -> String {
    crate::export::names::quote(Dialect::Postgresql, name)
}

/// The serial types' integer.
fn base_type(ty: &str) -> &str {
    match ty {
        "SERIAL" => "INTEGER",
        "BIGSERIAL" => "BIGINT",
        "SMALLSERIAL" => "SMALLINT",
        other => other,
    }
}

impl Rules for Postgresql {
    fn dialect(&self) -> Dialect {
        Dialect::Postgresql
    }
    fn reserved(&self) -> &'static [&'static str] {
        reserved::POSTGRES
    }
    fn case_sensitive_names(&self) -> bool {
        true
    }
    fn max_name_len(&self) -> usize {
        MAX_NAME
    }
    fn default_schema(&self) -> Option<&'static str> {
        Some("public")
    }
    fn create_schema(&self, quoted: &str, _literal: &str) -> String {
        format!("CREATE SCHEMA IF NOT EXISTS {quoted};")
    }
    fn columnless_tables(&self) -> bool {
        true
    }
    fn drop_table_suffix(&self) -> &'static str {
        " CASCADE"
    }
    fn comments(&self) -> CommentStyle {
        CommentStyle::CommentOn
    }
    fn enum_types(&self) -> bool {
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
    fn index_include(&self) -> bool {
        true
    }
    fn index_method_before_key(&self) -> Option<bool> {
        Some(true)
    }

    fn migration_frame(&self) -> (&'static [&'static str], &'static [&'static str]) {
        (&["BEGIN;"], &["COMMIT;"])
    }
    fn rename_table(&self, old: &str, new_bare: &str, new_schema: Option<&str>) -> Vec<String> {
        let mut steps = Vec::new();
        let mut current = old.to_string();
        if let Some(schema) = new_schema {
            steps.push(format!("ALTER TABLE {current} SET SCHEMA {schema};"));
            let bare = old.rsplit_once('.').map_or(old, |(_, b)| b);
            current = format!("{schema}.{bare}");
        }
        if current
            .rsplit_once('.')
            .map_or(current.as_str(), |(_, b)| b)
            != new_bare
        {
            steps.push(format!("ALTER TABLE {current} RENAME TO {new_bare};"));
        }
        steps
    }
    fn alter_column(&self, c: &ColumnChange) -> (Vec<String>, Vec<String>) {
        let (t, col) = (c.table, &c.new.name);
        let at = |what: String| format!("ALTER TABLE {t} ALTER COLUMN {col} {what};");
        let mut steps = Vec::new();
        let (old_ty, new_ty) = (base_type(&c.old.ty), base_type(&c.new.ty));
        let old_serial = old_ty != c.old.ty;
        let new_serial = new_ty != c.new.ty;
        let sequence = q(&derived_name(c.table_bare, Some(c.column_bare), "seq"));
        let schema = t.rsplit_once('.').map(|(s, _)| s);
        let sequence = match schema {
            Some(s) => format!("{s}.{sequence}"),
            None => sequence,
        };
        if old_serial && !new_serial {
            steps.push(at("DROP DEFAULT".into()));
            // The sequence is the column's own (OWNED BY), whatever it is named now.
            steps.push(format!(
                "DO $$ DECLARE s text := pg_get_serial_sequence({}, {}); \
                 BEGIN IF s IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || s; END IF; END $$;",
                literal::write(Dialect::Postgresql, t),
                literal::write(Dialect::Postgresql, c.column_bare),
            ));
        }
        let type_changes = old_ty != new_ty;
        let default_changes = c.old.default != c.new.default;
        if c.old.default.is_some() && !old_serial && (type_changes || default_changes) {
            steps.push(at("DROP DEFAULT".into()));
        }
        if type_changes {
            let cast = if c.via_text { "::text" } else { "" };
            steps.push(at(format!("TYPE {new_ty} USING {col}{cast}::{new_ty}")));
        }
        if let Some(default) = &c.new.default
            && (type_changes || default_changes || old_serial)
        {
            steps.push(at(format!("SET DEFAULT {default}")));
        }
        if c.old.not_null != c.new.not_null {
            steps.push(at(if c.new.not_null {
                "SET NOT NULL".into()
            } else {
                "DROP NOT NULL".into()
            }));
        }
        if new_serial && !old_serial {
            steps.push(format!("CREATE SEQUENCE {sequence} OWNED BY {t}.{col};"));
            steps.push(format!(
                "SELECT setval({}, coalesce(max({col}), 0) + 1, false) FROM {t};",
                literal::write(Dialect::Postgresql, &sequence)
            ));
            steps.push(at(format!(
                "SET DEFAULT nextval({})",
                literal::write(Dialect::Postgresql, &sequence)
            )));
        }
        (steps, Vec::new())
    }
    fn drop_primary_key(&self, table: &str, table_bare: &str) -> Result<String, String> {
        let name = q(&derived_name(table_bare, None, "pkey"));
        Ok(format!("ALTER TABLE {table} DROP CONSTRAINT {name};"))
    }
    fn inline_unique_name(&self, table_bare: &str, column_bare: &str) -> Option<String> {
        Some(derived_name(table_bare, Some(column_bare), "key"))
    }
    fn after_table_rename(
        &self,
        table: &str,
        old_bare: &str,
        new_bare: &str,
        unique_columns: &[&str],
        has_primary_key: bool,
    ) -> Vec<String> {
        let mut steps = Vec::new();
        let mut rename = |old: String, new: String| {
            if old != new {
                steps.push(format!(
                    "ALTER TABLE {table} RENAME CONSTRAINT {} TO {};",
                    q(&old),
                    q(&new)
                ));
            }
        };
        if has_primary_key {
            rename(
                derived_name(old_bare, None, "pkey"),
                derived_name(new_bare, None, "pkey"),
            );
        }
        for column in unique_columns {
            rename(
                derived_name(old_bare, Some(column), "key"),
                derived_name(new_bare, Some(column), "key"),
            );
        }
        steps
    }
    fn after_column_rename(
        &self,
        table: &str,
        table_bare: &str,
        old: &str,
        new: &str,
    ) -> Vec<String> {
        vec![format!(
            "ALTER TABLE {table} RENAME CONSTRAINT {} TO {};",
            q(&derived_name(table_bare, Some(old), "key")),
            q(&derived_name(table_bare, Some(new), "key"))
        )]
    }
    fn table_comment(
        &self,
        table: &str,
        _bare: &str,
        _schema: Option<&str>,
        comment: &str,
    ) -> Vec<String> {
        let value = if comment.is_empty() {
            "NULL".to_string()
        } else {
            literal::write(Dialect::Postgresql, comment)
        };
        vec![comment_on("TABLE", table, &value)]
    }
    fn boolean_false(&self) -> &'static str {
        "false"
    }
}

#[cfg(test)]
mod tests {
    use super::derived_name;

    #[test]
    fn derives_names_as_postgresql_does() {
        assert_eq!(derived_name("users", None, "pkey"), "users_pkey");
        assert_eq!(
            derived_name("users", Some("email"), "key"),
            "users_email_key"
        );
        let long = "a".repeat(40);
        let name = derived_name(&long, Some(&"b".repeat(40)), "key");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_{}_key", "a".repeat(29), "b".repeat(29)));
    }
}
