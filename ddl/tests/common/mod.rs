//! Helpers shared by the import tests: look things up by name, fail with the report's words.
#![allow(dead_code)]

use ddl::{Dialect, ImportReport, import};
use model::{Column, Relationship, Table};

/// Imports `sql`, failing the test on `Err` or on an invalid diagram.
pub fn import_ok(sql: &str, dialect: Dialect) -> ImportReport {
    let report = import(sql, dialect).expect("the input holds statements");
    if let Err(e) = report.diagram.validate() {
        panic!("imported diagram is invalid: {e}");
    }
    report
}

pub fn table<'a>(r: &'a ImportReport, name: &str) -> &'a Table {
    r.diagram
        .tables
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no table {name}; have {:?}", names(r)))
}

pub fn names(r: &ImportReport) -> Vec<&str> {
    r.diagram.tables.iter().map(|t| t.name.as_str()).collect()
}

pub fn col<'a>(t: &'a Table, name: &str) -> &'a Column {
    t.column_named(name)
        .unwrap_or_else(|| panic!("no column {name} in {}", t.name))
}

/// The relationship from `child` to `parent`.
pub fn rel<'a>(r: &'a ImportReport, child: &str, parent: &str) -> &'a Relationship {
    let (c, p) = (table(r, child).id, table(r, parent).id);
    r.diagram
        .relationships
        .iter()
        .find(|rel| rel.child_table == c && rel.parent_table == p)
        .unwrap_or_else(|| panic!("no relationship {child} -> {parent}"))
}

/// The column names of a relationship's child side.
pub fn child_columns(r: &ImportReport, rel: &Relationship) -> Vec<String> {
    let t = r.diagram.table(rel.child_table).expect("child table");
    rel.child_columns
        .iter()
        .map(|id| t.column(*id).map(|c| c.name.clone()).unwrap_or_default())
        .collect()
}

/// Whether any warning mentions all of `words`.
pub fn warned(r: &ImportReport, words: &[&str]) -> bool {
    r.warnings
        .iter()
        .any(|w| words.iter().all(|word| w.message.contains(word)))
}
