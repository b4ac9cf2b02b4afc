//! What a database's own catalog says about a schema, and what the diagram says it should hold.

use std::collections::{BTreeMap, BTreeSet};

use ddl::Dialect;
use model::{Column, Diagram};

/// One table as a catalog describes it.
#[derive(Debug, Default, PartialEq)]
pub struct TableInfo {
    /// Column name and NOT NULL, in column order.
    pub columns: Vec<(String, bool)>,
    pub primary_key: BTreeSet<String>,
    /// Child columns, parent table key, parent columns.
    pub foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>)>,
    /// Column lists of unique constraints and unique indexes other than the primary key.
    pub uniques: BTreeSet<Vec<String>>,
    /// Column lists of plain (non-unique) indexes.
    pub indexes: BTreeSet<Vec<String>>,
    /// Per column, in column order, where the catalog was read with types (the wider test).
    pub column_types: Vec<ColumnType>,
}

/// A column's type and default as the catalog states them.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ColumnType {
    /// As the database writes it: `character varying(40)`, `int(11)`, `VARCHAR(40)`.
    pub ty: String,
    /// The default expression, if any (`NULL` counts as none).
    pub default: Option<String>,
    /// Auto-increment, identity or a sequence default.
    pub auto: bool,
}

/// Tables by key: `schema.name` on PostgreSQL, the bare name elsewhere.
pub type Catalog = BTreeMap<String, TableInfo>;

/// The key a table of `diagram` has in the catalog of `dialect`.
pub fn table_key(diagram: &Diagram, at: usize, dialect: Dialect) -> String {
    let table = &diagram.tables[at];
    let name = &written_names(diagram, dialect)[at];
    let schema = table.schema.as_deref().filter(|s| !s.trim().is_empty());
    if dialect == Dialect::Postgresql {
        return format!("{}.{name}", schema.unwrap_or("public"));
    }
    name.clone()
}

/// Documented export rule for table names: where schemas are dropped (all but PostgreSQL and
/// SQL Server), names that several schemas hold get a `schema_` prefix; then, except in
/// PostgreSQL, a name equal to an earlier one without case gets `_2`, `_3` … (in diagram order,
/// skipping names any table has).
pub fn written_names(diagram: &Diagram, dialect: Dialect) -> Vec<String> {
    let keeps = matches!(dialect, Dialect::Postgresql | Dialect::Mssql);
    let schema = |t: &model::Table| t.schema.clone().filter(|s| !s.trim().is_empty());
    let mut names: Vec<String> = diagram
        .tables
        .iter()
        .map(|table| {
            let clashes = diagram
                .tables
                .iter()
                .filter(|t| t.name.eq_ignore_ascii_case(&table.name))
                .count()
                > 1;
            match schema(table) {
                Some(s) if clashes && !keeps => format!("{s}_{}", table.name),
                _ => table.name.clone(),
            }
        })
        .collect();
    let key = |at: usize, name: &str| {
        let s = schema(&diagram.tables[at])
            .filter(|_| keeps)
            .unwrap_or_default();
        let key = format!("{s}.{name}");
        if dialect == Dialect::Postgresql {
            key
        } else {
            key.to_lowercase()
        }
    };
    // Names as in the diagram are taken before `schema_` names.
    let prefixed: Vec<bool> = (0..names.len())
        .map(|i| names[i] != diagram.tables[i].name)
        .collect();
    let mut taken = BTreeSet::new();
    let mut later = Vec::new();
    let order = (0..names.len()).filter(|&i| !prefixed[i]);
    for at in order.chain((0..names.len()).filter(|&i| prefixed[i])) {
        if !taken.insert(key(at, &names[at])) {
            later.push(at);
        }
    }
    later.sort_unstable();
    for at in later {
        let mut n = 2;
        while !taken.insert(key(at, &format!("{}_{n}", names[at]))) {
            n += 1;
        }
        names[at] = format!("{}_{n}", names[at]);
    }
    names
}

/// A column export makes NOT NULL on its own: auto-increment in any spelling.
fn implicitly_not_null(c: &Column) -> bool {
    let ty = c.data_type.to_ascii_lowercase();
    let default = c.default.as_deref().unwrap_or("").to_ascii_lowercase();
    c.auto_increment || ty.contains("serial") || default.contains("nextval")
}

/// Differences between the diagram and the catalog of the database its DDL ran on.
pub fn compare(diagram: &Diagram, dialect: Dialect, catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    let keys: Vec<String> = (0..diagram.tables.len())
        .map(|i| table_key(diagram, i, dialect))
        .collect();
    // Only PostgreSQL creates tables without columns; export leaves them out elsewhere.
    let kept = |i: usize| dialect == Dialect::Postgresql || !diagram.tables[i].columns.is_empty();
    let expected: BTreeSet<&str> = keys
        .iter()
        .enumerate()
        .filter(|&(i, _)| kept(i))
        .map(|(_, k)| k.as_str())
        .collect();
    let found: BTreeSet<&str> = catalog.keys().map(String::as_str).collect();
    for missing in expected.difference(&found) {
        problems.push(format!("table {missing} missing"));
    }
    for extra in found.difference(&expected) {
        problems.push(format!("unexpected table {extra}"));
    }
    for (i, table) in diagram.tables.iter().enumerate() {
        let Some(info) = catalog.get(&keys[i]) else {
            continue;
        };
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        let got: Vec<&str> = info.columns.iter().map(|(n, _)| n.as_str()).collect();
        if names != got {
            problems.push(format!("{}: columns {names:?} became {got:?}", keys[i]));
            continue;
        }
        for (c, (_, not_null)) in table.columns.iter().zip(&info.columns) {
            let want = !c.nullable || c.primary_key;
            if *not_null != want && !(*not_null && implicitly_not_null(c)) {
                problems.push(format!(
                    "{}.{}: NOT NULL is {not_null}, expected {want}",
                    keys[i], c.name
                ));
            }
        }
        let pk: BTreeSet<String> = table.primary_key().map(|c| c.name.clone()).collect();
        if pk != info.primary_key {
            problems.push(format!(
                "{}: primary key {pk:?} became {:?}",
                keys[i], info.primary_key
            ));
        }
        let mut fks = BTreeSet::new();
        for rel in diagram
            .relationships
            .iter()
            .filter(|r| r.child_table == table.id)
        {
            let Some(parent_at) = diagram.table_position(rel.parent_table) else {
                continue;
            };
            let parent = &diagram.tables[parent_at];
            let child_cols = rel.child_columns.iter().filter_map(|&id| table.column(id));
            let parent_cols = rel
                .parent_columns
                .iter()
                .filter_map(|&id| parent.column(id));
            fks.insert((
                child_cols.map(|c| c.name.clone()).collect(),
                keys[parent_at].clone(),
                parent_cols.map(|c| c.name.clone()).collect(),
            ));
        }
        if fks != info.foreign_keys {
            problems.push(format!(
                "{}: foreign keys {fks:?} became {:?}",
                keys[i], info.foreign_keys
            ));
        }
    }
    problems
}

/// Splits an exported script into statements: `;` ends one outside quotes and comments.
pub fn statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = script.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            current.push(c);
            let close = if q == '[' { ']' } else { q };
            if c == close {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' | '[' => {
                quote = Some(c);
                current.push(c);
            }
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                current.push('\n');
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                current.push(' ');
            }
            ';' => {
                if !current.trim().is_empty() {
                    out.push(current.trim().to_string());
                }
                current.clear();
            }
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}
