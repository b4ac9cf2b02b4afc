//! The diagram being built: tables by name, the constraints that attach to them, and the
//! account of everything read but not kept.

use std::collections::HashMap;

use model::{Check, Diagram, Index, Table, Uuid};
use sqlparser::ast::{
    ColumnDef, CreateTable, CreateTableOptions, DataType, Expr, IndexColumn, KeyOrIndexDisplay,
    OrderBySort, SqlOption, TableConstraint,
};

use super::columns::column;
use super::ids::Ids;
use super::names::{QualifiedName, ident, qualified};
use super::relations::{ForeignKey, PendingForeignKey, foreign_key};
use super::rewrite::Computed;
use super::{Skipped, Warning};
use crate::Dialect;

pub(crate) struct Builder {
    pub dialect: Dialect,
    pub diagram: Diagram,
    /// Lowercased table name → positions in `diagram.tables`.
    by_name: HashMap<String, Vec<usize>>,
    /// Where each table was defined, for the "defined again" warning.
    lines: HashMap<Uuid, usize>,
    pub pending: Vec<PendingForeignKey>,
    pub ids: Ids,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
    /// SQL Server alias types (`CREATE TYPE [Name] FROM nvarchar(50)`): lowercased name → type.
    pub aliases: HashMap<String, String>,
}

impl Builder {
    pub(crate) fn new(dialect: Dialect) -> Self {
        Self {
            dialect,
            diagram: Diagram::new("Imported schema"),
            by_name: HashMap::new(),
            lines: HashMap::new(),
            pending: Vec::new(),
            ids: Ids::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            aliases: HashMap::new(),
        }
    }

    /// The line where a table was defined (1 when unknown).
    pub(crate) fn line_of(&self, table: Uuid) -> usize {
        self.lines.get(&table).copied().unwrap_or(1)
    }

    pub(crate) fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(Warning {
            line,
            message: message.into(),
        });
    }

    pub(crate) fn skip(&mut self, line: usize, kind: impl Into<String>) {
        self.skipped.push(Skipped {
            line,
            kind: kind.into(),
        });
    }

    /// The table a script means by `name`: same schema and name, else the same name in any
    /// schema, else the same name ignoring case (unquoted names fold in every dialect).
    pub(crate) fn find_table(&self, name: &QualifiedName) -> Option<usize> {
        let candidates = self.by_name.get(&name.name.to_lowercase())?;
        let tables = &self.diagram.tables;
        let exact = |i: &&usize| tables[**i].name == name.name;
        candidates
            .iter()
            .find(|i| exact(i) && tables[**i].schema == name.schema)
            .or_else(|| {
                candidates
                    .iter()
                    .find(|i| exact(i) && tables[**i].schema.is_none())
            })
            .or_else(|| candidates.iter().find(exact))
            .or_else(|| {
                candidates
                    .iter()
                    .find(|i| tables[**i].schema == name.schema)
            })
            .or_else(|| candidates.first())
            .copied()
    }

    pub(crate) fn create_table(&mut self, ct: &CreateTable, line: usize, computed: &[Computed]) {
        let q = qualified(&ct.name, self.dialect);
        let mut table = self.ids.table(q.name.clone());
        table.schema = q.schema.clone();
        table.comment = table_comment(ct).unwrap_or_default();
        let mut fks = Vec::new();
        let mut inline_indexes = Vec::new();
        let mut checks = Vec::new();
        table.columns.reserve_exact(ct.columns.len());
        for def in &ct.columns {
            if let Some(ix) = tsql_inline_index(def, self.dialect) {
                inline_indexes.push(ix);
                continue;
            }
            let read = column(def, self.dialect, &mut self.ids);
            checks.extend(
                read.checks
                    .into_iter()
                    .map(|(n, sql)| (n, sql, read.column.id)),
            );
            for dropped in read.dropped {
                self.warn(line, format!("{}: {dropped} not kept", table.name));
            }
            if table.column_named(&read.column.name).is_some() {
                self.warn(
                    line,
                    format!(
                        "{}: column {} defined twice; the second is ignored",
                        table.name, read.column.name
                    ),
                );
                continue;
            }
            fks.extend(read.foreign_keys);
            table.columns.push(read.column);
        }
        for c in computed {
            let at = c
                .after
                .as_ref()
                .and_then(|a| table.columns.iter().position(|col| &col.name == a))
                .map_or(0, |i| i + 1);
            let mut col = self.ids.column(c.name.clone(), "computed".to_string());
            col.comment = format!("AS {}", c.expression);
            table.columns.insert(at.min(table.columns.len()), col);
            self.warn(
                line,
                format!(
                    "{}: computed column {} kept without a type; its expression is in the comment",
                    table.name, c.name
                ),
            );
        }
        let partition_of = ct.partition_of.iter().map(|p| (p, true));
        let inherits = ct.inherits.iter().flatten().map(|p| (p, false));
        for (parent, partition) in partition_of.chain(inherits) {
            self.inherit(
                &mut table,
                &qualified(parent, self.dialect),
                partition,
                line,
            );
        }
        if ct.query.is_some() && ct.columns.is_empty() {
            self.warn(
                line,
                format!(
                    "{}: CREATE TABLE … AS SELECT: its columns are not known",
                    table.name
                ),
            );
        }
        if ct.like.is_some() || ct.clone.is_some() {
            self.warn(
                line,
                format!(
                    "{}: columns copied from another table are not known",
                    table.name
                ),
            );
        }
        let id = table.id;
        let index = self.add_table(table, line);
        for fk in fks {
            self.pending.push(PendingForeignKey {
                child: id,
                line,
                fk,
            });
        }
        for (name, parts) in inline_indexes {
            let read = IndexRead {
                name: Some(name),
                parts,
                ..IndexRead::default()
            };
            self.add_index(index, read, line);
        }
        for (name, sql, column) in checks {
            self.add_check(index, name, sql, Some(column), line);
        }
        for constraint in &ct.constraints {
            self.constraint(index, constraint, line);
        }
    }

    /// Adds a CHECK constraint. One written without a name gets the name PostgreSQL would give
    /// it (`orders_total_check`, `orders_check`, then `orders_check1` …), so that a round trip
    /// keeps the database's names and a migration can drop it by name.
    pub(crate) fn add_check(
        &mut self,
        index: usize,
        name: Option<String>,
        sql: String,
        column: Option<Uuid>,
        line: usize,
    ) {
        let table = &self.diagram.tables[index];
        // What the model would refuse (`E'it\'s'`, `$$a;b$$` read as unclosed quotes and
        // statement ends) loses only this check, not the whole import.
        if let Err(why) = model::condition_allowed(&sql) {
            let table = table.name.clone();
            self.warn(line, format!("{table}: CHECK ({sql}) not kept: {why}"));
            return;
        }
        let wanted = name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| {
            let on = column.and_then(|c| table.column(c));
            match on {
                Some(c) => format!("{}_{}_check", table.name, c.name),
                None => format!("{}_check", table.name),
            }
        });
        let taken = |n: &str| table.checks.iter().any(|c| c.name.eq_ignore_ascii_case(n));
        let mut name = wanted.clone();
        let mut n = 0;
        while taken(&name) {
            n += 1;
            name = format!("{wanted}{n}");
        }
        let check = Check {
            id: self.ids.next(),
            name,
            sql,
            column,
            dialect: Some(self.dialect),
        };
        self.diagram.tables[index].checks.push(check);
    }

    /// PostgreSQL `INHERITS (p)` and `PARTITION OF p`: the parent's columns come first, then the
    /// child's own; a column the child declares again is the same column. A partition also has
    /// its parent's keys; an inheriting table has only the columns, their NOT NULL and defaults.
    fn inherit(&mut self, table: &mut Table, parent: &QualifiedName, partition: bool, line: usize) {
        let Some(p) = self.find_table(parent) else {
            self.warn(
                line,
                format!(
                    "{}: parent table {parent} is unknown; its columns are not added",
                    table.name
                ),
            );
            return;
        };
        let mut at = 0;
        for column in self.diagram.tables[p].columns.clone() {
            if table
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&column.name))
            {
                continue;
            }
            let mut copy = column;
            copy.id = self.ids.next();
            if !partition {
                copy.primary_key = false;
                copy.unique = false;
                // The child draws from the parent's sequence; a counter of its own elsewhere
                // would be a different schema (and MySQL would need a key for it).
                copy.auto_increment = false;
            }
            table.columns.insert(at, copy);
            at += 1;
        }
    }

    /// Adds a table, replacing an earlier one of the same schema and name (the last wins).
    fn add_table(&mut self, table: Table, line: usize) -> usize {
        let key = table.name.to_lowercase();
        let same = self.by_name.get(&key).and_then(|c| {
            c.iter().copied().find(|&i| {
                let t = &self.diagram.tables[i];
                t.name == table.name && t.schema == table.schema
            })
        });
        self.lines.insert(table.id, line);
        match same {
            Some(i) => {
                let old = self.diagram.tables[i].id;
                let first = self.lines.get(&old).copied().unwrap_or(0);
                self.warn(
                    line,
                    format!(
                        "table {} is created again; the definition at line {first} was replaced",
                        table.name
                    ),
                );
                self.pending.retain(|p| p.child != old);
                self.diagram.tables[i] = table;
                i
            }
            None => {
                let i = self.diagram.tables.len();
                self.diagram.tables.push(table);
                self.by_name.entry(key).or_default().push(i);
                i
            }
        }
    }

    /// Renames a table and keeps the name index in step.
    pub(crate) fn rename_table(&mut self, index: usize, to: QualifiedName) {
        let old_key = self.diagram.tables[index].name.to_lowercase();
        if let Some(list) = self.by_name.get_mut(&old_key) {
            list.retain(|&i| i != index);
        }
        let table = &mut self.diagram.tables[index];
        table.name = to.name;
        table.schema = to.schema;
        self.by_name
            .entry(table.name.to_lowercase())
            .or_default()
            .push(index);
    }

    /// A table-level constraint (inside CREATE TABLE or from ALTER TABLE … ADD).
    pub(crate) fn constraint(&mut self, index: usize, constraint: &TableConstraint, line: usize) {
        let table_name = self.diagram.tables[index].name.clone();
        match constraint {
            TableConstraint::PrimaryKey(pk) => {
                for name in self.column_names(index, &pk.columns, line) {
                    let table = &mut self.diagram.tables[index];
                    match table
                        .columns
                        .iter_mut()
                        .find(|c| c.name.eq_ignore_ascii_case(&name))
                    {
                        Some(col) => {
                            col.primary_key = true;
                            col.nullable = false;
                        }
                        None => self.warn(
                            line,
                            format!("{table_name}: primary key column {name} does not exist"),
                        ),
                    }
                }
            }
            TableConstraint::Unique(u) => {
                let plain =
                    u.index_type_display == KeyOrIndexDisplay::None && u.index_name.is_none();
                let name = u.index_name.as_ref().or(u.name.as_ref()).map(ident);
                if plain && u.columns.len() == 1 {
                    let names = self.column_names(index, &u.columns, line);
                    let table = &mut self.diagram.tables[index];
                    if let Some(col) = names.first().and_then(|n| {
                        table
                            .columns
                            .iter_mut()
                            .find(|c| c.name.eq_ignore_ascii_case(n))
                    }) {
                        col.unique = true;
                        return;
                    }
                }
                self.index(index, name, &u.columns, true, line);
            }
            TableConstraint::ForeignKey(fk) => {
                let columns = fk.columns.iter().map(ident).collect();
                let fk: ForeignKey = foreign_key(fk, columns, self.dialect);
                let child = self.diagram.tables[index].id;
                self.pending.push(PendingForeignKey { child, line, fk });
            }
            TableConstraint::Index(ix) => {
                self.index(index, ix.name.as_ref().map(ident), &ix.columns, false, line);
            }
            TableConstraint::FulltextOrSpatial(ix) => {
                self.warn(
                    line,
                    format!("{table_name}: FULLTEXT/SPATIAL index kept as a plain index"),
                );
                self.index(
                    index,
                    ix.opt_index_name.as_ref().map(ident),
                    &ix.columns,
                    false,
                    line,
                );
            }
            TableConstraint::Check(check) => {
                let name = check.name.as_ref().map(ident);
                self.add_check(index, name, check.expr.to_string(), None, line);
            }
            other => self.warn(line, format!("{table_name}: constraint not kept: {other}")),
        }
    }

    /// Column names of an index or key; expressions the model cannot hold are reported.
    fn column_names(&mut self, index: usize, columns: &[IndexColumn], line: usize) -> Vec<String> {
        let mut names = Vec::new();
        for ic in columns {
            match &ic.column.expr {
                Expr::Identifier(i) => names.push(ident(i)),
                Expr::CompoundIdentifier(parts) => names.extend(parts.last().map(ident)),
                Expr::Function(f) if is_prefix_length(&f.to_string()) => {
                    let name = super::names::last(&f.name);
                    let table = &self.diagram.tables[index].name;
                    self.warn(line, format!("{table}: prefix length of {f} not kept"));
                    names.push(name);
                }
                other => {
                    let table = &self.diagram.tables[index].name;
                    self.warn(
                        line,
                        format!("{table}: key part {other} is an expression; not kept"),
                    );
                }
            }
        }
        names
    }

    /// Adds an index over `columns` (names or expressions), making its name unique within the
    /// table.
    pub(crate) fn index(
        &mut self,
        index: usize,
        name: Option<String>,
        columns: &[IndexColumn],
        unique: bool,
        line: usize,
    ) {
        let parts = self.key_parts(index, columns, line);
        self.add_index(
            index,
            IndexRead {
                name,
                parts,
                unique,
                ..IndexRead::default()
            },
            line,
        );
    }

    /// The parts of an index key: columns (with their order and operator class) and the
    /// expressions between them. A MySQL prefix length is reported and its column kept.
    pub(crate) fn key_parts(
        &mut self,
        index: usize,
        columns: &[IndexColumn],
        line: usize,
    ) -> Vec<PartRead> {
        let mut parts = Vec::new();
        for ic in columns {
            let descending = matches!(ic.column.options.sort, Some(OrderBySort::Desc));
            let class = ic.operator_class.as_ref().map(|c| c.to_string());
            let column = |name| PartRead::Column {
                name,
                descending,
                class: class.clone(),
            };
            match &ic.column.expr {
                Expr::Identifier(i) => parts.push(column(ident(i))),
                Expr::CompoundIdentifier(p) => parts.extend(p.last().map(|i| column(ident(i)))),
                Expr::Function(f) if is_prefix_length(&f.to_string()) => {
                    let table = &self.diagram.tables[index].name;
                    self.warn(line, format!("{table}: prefix length of {f} not kept"));
                    parts.push(column(super::names::last(&f.name)));
                }
                // MySQL's functional key part `((lower(email)))`.
                Expr::Nested(inner) => parts.push(PartRead::Expression {
                    sql: inner.to_string(),
                    descending,
                }),
                other => parts.push(PartRead::Expression {
                    sql: other.to_string(),
                    descending,
                }),
            }
        }
        parts
    }

    /// Adds the index `read` to the table at `index`; one that names a column the table lacks
    /// is reported and left out.
    pub(crate) fn add_index(&mut self, index: usize, read: IndexRead, line: usize) {
        let table = &self.diagram.tables[index];
        let table_name = table.name.clone();
        let mut built = Index {
            unique: read.unique,
            predicate: read.predicate,
            method: read.method,
            ..Index::default()
        };
        let mut names = Vec::new();
        let column_of = |n: &str| super::relations::column_id(table, n);
        for part in read.parts {
            match part {
                PartRead::Column {
                    name,
                    descending,
                    class,
                } => {
                    let Some(id) = column_of(&name) else {
                        self.warn(
                            line,
                            format!(
                                "{table_name}: index column {name} does not exist; index not kept"
                            ),
                        );
                        return;
                    };
                    if built.columns.contains(&id) {
                        continue;
                    }
                    built.columns.push(id);
                    if descending {
                        built.descending.push(id);
                    }
                    if let Some(class) = class {
                        built.classes.push(model::ColumnClass { column: id, class });
                    }
                    names.push(name);
                }
                PartRead::Expression { sql, descending } => {
                    built.expressions.push(model::KeyExpression {
                        at: built.columns.len() + built.expressions.len(),
                        sql,
                        descending,
                    });
                    names.push("expr".into());
                }
            }
        }
        let mut unknown = Vec::new();
        for name in read.include {
            match column_of(&name) {
                Some(id) if !built.columns.contains(&id) && !built.include.contains(&id) => {
                    built.include.push(id)
                }
                Some(_) => {}
                None => unknown.push(name),
            }
        }
        if built.columns.is_empty() && built.expressions.is_empty() {
            return;
        }
        for name in unknown {
            self.warn(
                line,
                format!("{table_name}: included column {name} does not exist; not kept"),
            );
        }
        let table = &self.diagram.tables[index];
        if built.has_dialect_sql() {
            built.dialect = Some(self.dialect);
        }
        let suffix = if built.unique { "key" } else { "idx" };
        let base = read
            .name
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("{}_{}_{suffix}", table_name, names.join("_")));
        let mut name = base.clone();
        let mut n = 2;
        while table.indexes.iter().any(|ix| ix.name == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        if name != base {
            self.warn(
                line,
                format!("{table_name}: index name {base} already used; renamed {name}"),
            );
        }
        built.id = self.ids.next();
        built.name = name;
        self.diagram.tables[index].indexes.push(built);
    }
}

/// An index as read, by column names, before it joins its table.
#[derive(Default)]
pub(crate) struct IndexRead {
    pub name: Option<String>,
    pub parts: Vec<PartRead>,
    pub unique: bool,
    pub predicate: Option<String>,
    pub method: Option<String>,
    pub include: Vec<String>,
}

/// One part of an index key as read.
pub(crate) enum PartRead {
    Column {
        name: String,
        descending: bool,
        class: Option<String>,
    },
    Expression {
        sql: String,
        descending: bool,
    },
}

/// MySQL's `KEY (name(10))`: a column with an index prefix length.
fn is_prefix_length(text: &str) -> bool {
    text.strip_suffix(')')
        .and_then(|t| t.split_once('('))
        .is_some_and(|(_, n)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn table_comment(ct: &CreateTable) -> Option<String> {
    if let Some(c) = &ct.comment {
        return Some(c.to_string());
    }
    let options = match &ct.table_options {
        CreateTableOptions::Plain(o)
        | CreateTableOptions::With(o)
        | CreateTableOptions::Options(o)
        | CreateTableOptions::TableProperties(o) => o,
        CreateTableOptions::None => return None,
    };
    options.iter().find_map(|o| match o {
        SqlOption::Comment(c) => Some(c.to_string()),
        _ => None,
    })
}

/// T-SQL's inline `INDEX ix [NONCLUSTERED] (a, b DESC)` item, which sqlparser reads as a column
/// named INDEX of a type `ix(a, b DESC)`: the index's name and column names.
fn tsql_inline_index(def: &ColumnDef, dialect: Dialect) -> Option<(String, Vec<PartRead>)> {
    if dialect != Dialect::Mssql
        || def.name.quote_style.is_some()
        || !def.name.value.eq_ignore_ascii_case("INDEX")
    {
        return None;
    }
    let DataType::Custom(name, modifiers) = &def.data_type else {
        return None;
    };
    let parts = modifiers
        .iter()
        .filter_map(|m| {
            let m = m.to_string();
            let mut words = m.split_whitespace();
            let first = words.next()?;
            let bare = first
                .trim_start_matches(['[', '"'])
                .trim_end_matches([']', '"']);
            let order = |w: &str| w.eq_ignore_ascii_case("ASC") || w.eq_ignore_ascii_case("DESC");
            (!bare.is_empty() && !order(bare)).then(|| PartRead::Column {
                name: bare.to_string(),
                descending: words.any(|w| w.eq_ignore_ascii_case("DESC")),
                class: None,
            })
        })
        .collect();
    Some((super::names::last(name), parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_lengths_are_recognised() {
        assert!(is_prefix_length("name(10)"));
        assert!(!is_prefix_length("lower(name)"));
        assert!(!is_prefix_length("f()"));
    }
}
