//! SQL text to a diagram, with a report of what was skipped and what could not be read.

use std::collections::HashMap;

use model::{Diagram, MAX_NAME_LEN, Uuid};
use serde::Serialize;

use crate::Dialect;

mod alter;
mod alter_list;
mod build;
mod classify;
mod columns;
mod ids;
mod names;
pub(crate) mod parse;
mod relations;
mod rewrite;
mod schema;
mod split;
mod tokens;

use build::Builder;
use classify::Kind;

pub use split::{SqlStatement, split_statements};

/// What an import produced: the diagram and an account of every statement not turned into it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    pub diagram: Diagram,
    /// Valid statements that are not schema (INSERT, SET, GRANT, functions, views …).
    pub skipped: Vec<Skipped>,
    /// Statements that could not be understood.
    pub errors: Vec<StatementError>,
    /// Things read but not kept, or changed on the way (a clause dropped, a name made unique).
    pub warnings: Vec<Warning>,
}

/// A statement left out on purpose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// 1-based line in the original input where the statement starts.
    pub line: usize,
    /// What it is, in a word or two: `INSERT`, `CREATE VIEW`, `SET`.
    pub kind: String,
}

/// A statement that could not be understood.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementError {
    /// What the statement was taken for (`CREATE TABLE`, `ALTER TABLE`, `unknown`).
    pub kind: String,
    /// 1-based line and column in the original input.
    pub line: usize,
    pub column: usize,
    /// A short piece of the input around the problem.
    pub snippet: String,
    pub message: String,
}

/// Something imported with a loss or change the person should know about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

/// Why nothing at all could be imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DdlError {
    #[error("the input holds no SQL statements")]
    Empty,
}

/// Reads `sql` written for `dialect` into a diagram.
///
/// Statements are read one by one: one that cannot be understood becomes an error entry and
/// the others still count. Only `Err` when the input holds no statement at all.
pub fn import(sql: &str, dialect: Dialect) -> Result<ImportReport, DdlError> {
    let split = split::split(sql, dialect);
    if split.statements.is_empty() {
        return Err(DdlError::Empty);
    }
    let mut builder = Builder::new(dialect);
    for d in split.directives {
        builder.skip(d.line, d.kind);
    }
    let mut errors = Vec::new();
    for statement in &split.statements {
        if let Err(e) = read_statement(&mut builder, statement, sql) {
            errors.push(e);
        }
    }
    Ok(finish(builder, errors))
}

fn read_statement(b: &mut Builder, st: &SqlStatement, sql: &str) -> Result<(), StatementError> {
    let kind = classify::classify(&st.text);
    match kind {
        Kind::Skip("CREATE SCHEMA") if !schema::elements(&st.text).is_empty() => {
            // `CREATE SCHEMA s CREATE TABLE a (…) CREATE TABLE b (…)`: each element in `s`.
            let mut first = Ok(());
            for (offset, text) in schema::elements(&st.text) {
                let before = &st.text[..offset];
                let line = st.line + before.matches('\n').count();
                let column = if line == st.line {
                    st.column + before.chars().count()
                } else {
                    before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1
                };
                let element = SqlStatement { line, column, text };
                if let Err(e) = read_statement(b, &element, sql) {
                    first = first.and(Err(e));
                }
            }
            return first;
        }
        Kind::Skip("CREATE DOMAIN") if b.dialect == Dialect::Postgresql => {
            // Columns of a domain get its base type, as SQL Server alias types do.
            match schema::domain_type(&st.text) {
                Some((name, base)) => {
                    b.aliases.insert(name.to_lowercase(), base);
                }
                None => b.skip(st.line, "CREATE DOMAIN"),
            }
            return Ok(());
        }
        Kind::Skip(name @ ("EXEC" | "EXECUTE")) if b.dialect == Dialect::Mssql => {
            match schema::sp_addtype(&st.text) {
                Some((alias, base)) => {
                    b.aliases.insert(alias.to_lowercase(), base);
                }
                None => b.skip(st.line, name),
            }
            return Ok(());
        }
        Kind::Skip(name) => {
            b.skip(st.line, name);
            return Ok(());
        }
        Kind::CreateType if b.dialect == Dialect::Mssql => {
            match schema::alias_type(&st.text) {
                Some((name, base)) => {
                    b.aliases.insert(name.to_lowercase(), base);
                }
                None => b.skip(st.line, "CREATE TYPE"),
            }
            return Ok(());
        }
        Kind::CreateType if b.dialect == Dialect::Oracle => {
            // Object and collection types; tables of them are read where they are created.
            b.skip(st.line, "CREATE TYPE");
            return Ok(());
        }
        Kind::Unknown => {
            let message = "not a statement this importer knows".to_string();
            return Err(error(st, sql, kind, 1, 1, message));
        }
        _ => {}
    }
    let (statements, computed) = match parse::parse(&st.text, b.dialect) {
        Ok(statements) => (statements, Vec::new()),
        Err(first) => {
            let fail = |f: parse::ParseFailure| error(st, sql, kind, f.line, f.column, f.message);
            let Some(rewritten) = rewrite::rewrite(&st.text, kind, b.dialect) else {
                return Err(fail(first));
            };
            if let Some(skip) = rewritten.skip {
                b.skip(st.line, skip);
                return Ok(());
            }
            let statements = parse::parse(&rewritten.text, b.dialect).map_err(|_| fail(first))?;
            for (line, note) in rewritten.notes {
                b.warn(st.line + line - 1, note);
            }
            (statements, rewritten.computed)
        }
    };
    for statement in &statements {
        b.apply(statement, st.line, &computed);
    }
    Ok(())
}

/// An error at `line`:`column` of the statement, placed in the original input.
fn error(
    st: &SqlStatement,
    sql: &str,
    kind: Kind,
    line: usize,
    column: usize,
    message: String,
) -> StatementError {
    let line_no = st.line + line.max(1) - 1;
    let column = if line <= 1 {
        st.column + column.max(1) - 1
    } else {
        column.max(1)
    };
    let text = sql.lines().nth(line_no - 1).unwrap_or("");
    let start = column.saturating_sub(30).max(1) - 1;
    let snippet: String = text.chars().skip(start).take(80).collect();
    StatementError {
        kind: kind.name().to_string(),
        line: line_no,
        column,
        snippet: snippet.trim().to_string(),
        message,
    }
}

/// Resolves foreign keys now that every table is known. Tables stay at the origin: placing them
/// is the caller's choice (the server uses the `layout` crate).
fn finish(mut b: Builder, errors: Vec<StatementError>) -> ImportReport {
    resolve_aliases(&mut b);
    let pending = std::mem::take(&mut b.pending);
    let positions: HashMap<Uuid, usize> = b
        .diagram
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id, i))
        .collect();
    for p in pending {
        let Some(&child) = positions.get(&p.child) else {
            continue;
        };
        let Some(parent) = b.find_table(&p.fk.parent) else {
            let message = format!(
                "{}: foreign key {} references unknown table {}; not drawn",
                b.diagram.tables[child].name, p.fk.name, p.fk.parent
            );
            b.warn(p.line, message);
            continue;
        };
        let tables = &b.diagram.tables;
        match relations::relationship(&tables[child], &tables[parent], &p.fk, &mut b.ids) {
            Ok(rel) => b.diagram.relationships.push(rel),
            Err(why) => b.warn(p.line, format!("{why}; foreign key not drawn")),
        }
    }
    shorten_names(&mut b);
    b.skipped.sort_by_key(|s| s.line);
    b.warnings.sort_by_key(|w| w.line);
    ImportReport {
        diagram: b.diagram,
        skipped: b.skipped,
        errors,
        warnings: b.warnings,
    }
}

/// Columns typed with a SQL Server alias type or a PostgreSQL domain get the type it stands
/// for; SQL Server's own `sysname` is `nvarchar(128)`.
fn resolve_aliases(b: &mut Builder) {
    if b.dialect == Dialect::Mssql {
        b.aliases
            .entry("sysname".to_string())
            .or_insert_with(|| "nvarchar(128)".to_string());
    }
    if b.aliases.is_empty() {
        return;
    }
    for table in &mut b.diagram.tables {
        for column in &mut table.columns {
            let name = column.data_type.rsplit('.').next().unwrap_or("");
            if let Some(base) = b.aliases.get(&name.to_lowercase()) {
                column.data_type.clone_from(base);
            }
        }
    }
}

/// Cuts names longer than the model allows (databases allow far less), with a warning each, so
/// the imported diagram is always a valid document.
fn shorten_names(b: &mut Builder) {
    let mut cut_names = Vec::new();
    for table in &mut b.diagram.tables {
        let mut names: Vec<&mut String> = vec![&mut table.name, &mut table.logical_name];
        names.extend(table.schema.as_mut());
        for column in &mut table.columns {
            names.push(&mut column.name);
            names.push(&mut column.logical_name);
        }
        names.extend(table.indexes.iter_mut().map(|i| &mut i.name));
        let cut = names.into_iter().filter_map(cut).collect::<Vec<_>>();
        cut_names.extend(cut.into_iter().map(|name| (table.id, name)));
    }
    for rel in &mut b.diagram.relationships {
        if let Some(name) = cut(&mut rel.name) {
            cut_names.push((rel.child_table, name));
        }
    }
    for e in &mut b.diagram.enums {
        if let Some(name) = cut(&mut e.name) {
            cut_names.push((Uuid::nil(), name));
        }
    }
    for (table, name) in cut_names {
        let line = b.line_of(table);
        b.warn(
            line,
            format!("the name {name}… is longer than {MAX_NAME_LEN} characters; it was cut"),
        );
    }
}

/// Cuts `name` to the limit; answers its first characters when it did.
fn cut(name: &mut String) -> Option<String> {
    // No more bytes than the limit means no more characters: the common case, without a scan.
    if name.len() <= MAX_NAME_LEN {
        return None;
    }
    let end = name.char_indices().nth(MAX_NAME_LEN)?.0;
    name.truncate(end);
    Some(name.chars().take(40).collect())
}
