//! Names as the model stores them: unquoted, with the schema kept unless it is the default one.
//!
//! `public` (PostgreSQL) and `dbo` (SQL Server) are dropped: real scripts mix `"dbo"."Orders"`
//! and plain `Orders` for the same table, and a diagram is easier to read without them. Any
//! other schema is kept in `Table.schema`.

use sqlparser::ast::{Ident, ObjectName, ObjectNamePart};

use crate::Dialect;

/// A schema-qualified name, unquoted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct QualifiedName {
    pub schema: Option<String>,
    pub name: String,
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(schema) => write!(f, "{schema}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

pub(crate) fn ident(ident: &Ident) -> String {
    ident.value.clone()
}

fn part(part: &ObjectNamePart) -> String {
    match part {
        ObjectNamePart::Identifier(i) => ident(i),
        ObjectNamePart::Function(f) => f.to_string(),
    }
}

/// The last part of a name (`db.schema.table` → `table`), for indexes and types.
pub(crate) fn last(name: &ObjectName) -> String {
    name.0.last().map(part).unwrap_or_default()
}

/// The table (or type) and its schema; a database qualifier before the schema is dropped.
pub(crate) fn qualified(name: &ObjectName, dialect: Dialect) -> QualifiedName {
    let parts: Vec<String> = name.0.iter().map(part).collect();
    let (schema, name) = match parts.as_slice() {
        [] => (None, String::new()),
        [name] => (None, name.clone()),
        [.., schema, name] => (Some(schema.clone()), name.clone()),
    };
    let schema = schema.filter(|s| !s.is_empty() && !is_default_schema(s, dialect));
    QualifiedName { schema, name }
}

fn is_default_schema(schema: &str, dialect: Dialect) -> bool {
    match dialect {
        Dialect::Postgresql => schema == "public",
        Dialect::Mssql => schema.eq_ignore_ascii_case("dbo"),
        Dialect::Sqlite => schema.eq_ignore_ascii_case("main"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::ast::Ident;

    fn name(parts: &[&str]) -> ObjectName {
        ObjectName::from(parts.iter().map(|p| Ident::new(*p)).collect::<Vec<_>>())
    }

    #[test]
    fn default_schemas_are_dropped_and_others_kept() {
        let q = qualified(&name(&["public", "users"]), Dialect::Postgresql);
        assert_eq!((q.schema, q.name.as_str()), (None, "users"));
        let q = qualified(&name(&["dbo", "Users"]), Dialect::Mssql);
        assert_eq!(q.schema, None);
        let q = qualified(&name(&["sales", "orders"]), Dialect::Postgresql);
        assert_eq!(q.schema.as_deref(), Some("sales"));
        let q = qualified(&name(&["db", "sales", "orders"]), Dialect::Mssql);
        assert_eq!(q.to_string(), "sales.orders");
    }
}
