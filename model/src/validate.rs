//! The rules a valid document keeps. Ops check them before changing anything, and
//! [`Diagram::validate`] checks a whole document (for imports and restores).

use std::hash::Hash;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use uuid::Uuid;

use crate::diagram::{Diagram, EnumType, Index, Note, Relationship, Table};
use crate::error::OpError;

/// Longest accepted name (table, column, index, relationship, diagram), in characters. Every target
/// database has a lower limit of its own; this one only keeps documents sane.
pub const MAX_NAME_LEN: usize = 255;

pub(crate) fn name(what: &'static str, value: &str) -> Result<(), OpError> {
    if value.chars().all(char::is_whitespace) {
        return Err(OpError::EmptyName(what));
    }
    optional_name(what, value)
}

pub(crate) fn optional_name(what: &'static str, value: &str) -> Result<(), OpError> {
    if value.len() <= MAX_NAME_LEN {
        return Ok(()); // no more characters than bytes
    }
    let len = value.chars().count();
    if len > MAX_NAME_LEN {
        return Err(OpError::NameTooLong {
            what,
            len,
            max: MAX_NAME_LEN,
        });
    }
    Ok(())
}

pub(crate) fn finite(what: &'static str, value: f64) -> Result<(), OpError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(OpError::NotFinite(what))
    }
}

/// A table on its own: names, position, unique column names and ids, valid indexes.
pub(crate) fn table(table: &Table) -> Result<(), OpError> {
    name("table", &table.name)?;
    optional_name("logical name", &table.logical_name)?;
    if let Some(schema) = &table.schema {
        name("schema", schema)?;
    }
    finite("x", table.x)?;
    finite("y", table.y)?;
    for column in &table.columns {
        name("column", &column.name)?;
        optional_name("logical name", &column.logical_name)?;
    }
    if let Some(column) = repeated(&table.columns, |c| c.id) {
        return Err(OpError::DuplicateId(column.id));
    }
    if let Some(column) = repeated(&table.columns, |c| c.name.as_str()) {
        return Err(OpError::DuplicateColumnName {
            table: table.id,
            name: column.name.clone(),
        });
    }
    if let Some(index) = repeated(&table.indexes, |i| i.id) {
        return Err(OpError::DuplicateId(index.id));
    }
    if let Some(index) = repeated(&table.indexes, |i| i.name.as_str()) {
        return Err(OpError::DuplicateIndexName {
            table: table.id,
            name: index.name.clone(),
        });
    }
    for index in &table.indexes {
        self::index(table, index)?;
    }
    Ok(())
}

/// The first item of `items` whose key an earlier one has: compared pairwise in short lists
/// (most tables; no allocation), through a hash set in long ones.
fn repeated<'a, E, K: Eq + Hash>(items: &'a [E], key: impl Fn(&'a E) -> K) -> Option<&'a E> {
    if items.len() <= 24 {
        return items
            .iter()
            .enumerate()
            .find(|(i, item)| items[..*i].iter().any(|other| key(other) == key(item)))
            .map(|(_, item)| item);
    }
    let mut seen = HashSet::with_capacity(items.len());
    items.iter().find(|item| !seen.insert(key(item)))
}

/// An index of `table`: named, over at least one of its columns, none repeated.
pub(crate) fn index(table: &Table, index: &Index) -> Result<(), OpError> {
    name("index", &index.name)?;
    columns_of(table, &index.columns, "an index")
}

fn columns_of(table: &Table, columns: &[Uuid], what: &'static str) -> Result<(), OpError> {
    if columns.is_empty() {
        return Err(OpError::NoColumns(what));
    }
    if let Some(&column) = columns.iter().find(|&&c| table.column(c).is_none()) {
        return Err(OpError::UnknownColumn {
            table: table.id,
            column,
        });
    }
    match repeated(columns, |&c| c) {
        Some(&column) => Err(OpError::RepeatedColumn { what, column }),
        None => Ok(()),
    }
}

/// No other table in the same schema has this table's name.
pub(crate) fn unique_table_name(doc: &Diagram, table: &Table) -> Result<(), OpError> {
    let clash = doc
        .tables
        .iter()
        .any(|t| t.id != table.id && t.name == table.name && t.schema == table.schema);
    if clash {
        return Err(OpError::DuplicateTableName {
            schema: table.schema.clone(),
            name: table.name.clone(),
        });
    }
    Ok(())
}

/// A relationship joins existing columns of existing tables, pairwise.
pub(crate) fn relationship(doc: &Diagram, rel: &Relationship) -> Result<(), OpError> {
    relationship_among(rel, |id| doc.table(id))
}

/// [`relationship`], with the tables found by `table` (a map when checking them all).
fn relationship_among<'a>(
    rel: &Relationship,
    table: impl Fn(Uuid) -> Option<&'a Table>,
) -> Result<(), OpError> {
    optional_name("relationship", &rel.name)?;
    let child = table(rel.child_table).ok_or(OpError::UnknownTable(rel.child_table))?;
    let parent = table(rel.parent_table).ok_or(OpError::UnknownTable(rel.parent_table))?;
    if rel.child_columns.len() != rel.parent_columns.len() {
        return Err(OpError::ColumnCountMismatch(
            rel.id,
            rel.child_columns.len(),
            rel.parent_columns.len(),
        ));
    }
    columns_of(child, &rel.child_columns, "a relationship")?;
    columns_of(parent, &rel.parent_columns, "a relationship")
}

/// A named enum type whose name is free in its schema.
pub(crate) fn enum_type(doc: &Diagram, e: &EnumType) -> Result<(), OpError> {
    name("enum", &e.name)?;
    if doc
        .enums
        .iter()
        .any(|o| o.id != e.id && o.name == e.name && o.schema == e.schema)
    {
        return Err(OpError::DuplicateEnumName(e.name.clone()));
    }
    Ok(())
}

pub(crate) fn note(note: &Note) -> Result<(), OpError> {
    finite("x", note.x)?;
    finite("y", note.y)?;
    for (what, size) in [("width", note.width), ("height", note.height)] {
        finite(what, size)?;
        if size <= 0.0 {
            return Err(OpError::NotPositive(what));
        }
    }
    Ok(())
}

impl Diagram {
    /// Checks every rule ops keep, for a document that did not come from ops (import, restore).
    /// Ids are unique within each kind of entity (as ops check them); kinds never mix in lookups.
    pub fn validate(&self) -> Result<(), OpError> {
        name("diagram", &self.name)?;
        let mut tables = HashMap::with_capacity(self.tables.len());
        let mut names = HashSet::new();
        for table in &self.tables {
            if tables.insert(table.id, table).is_some() {
                return Err(OpError::DuplicateId(table.id));
            }
            self::table(table)?;
            if !names.insert((table.schema.as_deref(), table.name.as_str())) {
                return Err(OpError::DuplicateTableName {
                    schema: table.schema.clone(),
                    name: table.name.clone(),
                });
            }
        }
        let mut ids = HashSet::new();
        for rel in &self.relationships {
            if !ids.insert(rel.id) {
                return Err(OpError::DuplicateId(rel.id));
            }
            relationship_among(rel, |id| tables.get(&id).copied())?;
        }
        let mut enum_names = HashSet::new();
        let mut ids = HashSet::new();
        for e in &self.enums {
            if !ids.insert(e.id) {
                return Err(OpError::DuplicateId(e.id));
            }
            name("enum", &e.name)?;
            if !enum_names.insert((e.schema.as_deref(), e.name.as_str())) {
                return Err(OpError::DuplicateEnumName(e.name.clone()));
            }
        }
        let mut ids = HashSet::new();
        for n in &self.notes {
            if !ids.insert(n.id) {
                return Err(OpError::DuplicateId(n.id));
            }
            note(n)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::Column;

    #[test]
    fn repeated_column_names_are_found_in_short_and_long_tables() {
        for count in [3, 24, 25, 60] {
            let columns = (0..count).map(|i| Column::new(format!("c{i}"), "int"));
            let mut t = Table::empty("t", columns.collect());
            assert_eq!(table(&t), Ok(()), "{count} distinct columns");
            t.columns
                .push(Column::new(format!("c{}", count / 2), "int"));
            assert!(
                matches!(table(&t), Err(OpError::DuplicateColumnName { ref name, .. }) if *name == format!("c{}", count / 2)),
                "{count} columns and a repeat"
            );
        }
        assert_eq!(repeated(&[1, 2, 3, 2, 1], |&x| x), Some(&2));
        assert_eq!(
            repeated(&(0..100).chain([7]).collect::<Vec<_>>(), |&x| x),
            Some(&7)
        );
    }
}
