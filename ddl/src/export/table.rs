//! CREATE TABLE statements, with the comments each dialect attaches to tables and columns.

use std::fmt::Write as _;

use super::defaults::{self, Written};
use super::literal;
use super::mapping;
use super::names::quote;
use super::plan::{ColumnPlan, ForeignKey, Plan, TablePlan, schema_of};
use super::statements::{column_list, foreign_key_clause};
use super::types::SqlType;
use crate::Dialect;
use crate::dialects::{self, CommentStyle};

/// Longest comments MySQL stores for a column and a table.
const MYSQL_COLUMN_COMMENT: usize = 1024;
const MYSQL_TABLE_COMMENT: usize = 2048;

/// Writes the CREATE TABLE of `plan.tables[at]` and its comments. SQLite's foreign keys go inline
/// (it cannot add them later), so `inline_fks` are this table's when the dialect is SQLite.
pub(crate) fn write(out: &mut String, plan: &Plan, at: usize, inline_fks: &[&ForeignKey]) {
    let d = plan.dialect;
    let rules = dialects::rules(d);
    let t = &plan.tables[at];
    if t.columns.is_empty() && !rules.columnless_tables() {
        // Only PostgreSQL creates a table without columns; say so rather than fail.
        let name = literal::one_line(&t.sql_name);
        let _ = writeln!(out, "-- {name} left out: it has no columns\n");
        return;
    }
    if rules.comments() == CommentStyle::Lines {
        line_comments(out, "", &t.table.comment);
    }
    let _ = writeln!(out, "CREATE TABLE {} (", t.sql_name);
    // Each item: `--` comment lines to put before it (SQLite), and the definition.
    let mut items: Vec<(String, String)> = t
        .columns
        .iter()
        .map(|c| {
            let sql = column_sql(plan, t, c);
            (sql.comment_lines.clone(), sql.definition(d))
        })
        .collect();
    let inline_pk = rules.foreign_keys_inline() && t.columns.iter().any(|c| c.auto);
    if !t.primary_key.is_empty() && !inline_pk {
        items.push((
            String::new(),
            format!("PRIMARY KEY ({})", column_list(d, &t.primary_key)),
        ));
    }
    for (name, columns) in &t.extra_uniques {
        let sql = format!(
            "CONSTRAINT {} UNIQUE ({})",
            quote(d, name),
            column_list(d, columns)
        );
        items.push((String::new(), sql));
    }
    if let Some((name, column)) = &t.auto_key {
        let sql = format!("KEY {} ({})", quote(d, name), quote(d, &column.name));
        items.push((String::new(), sql));
    }
    for (name, sql) in &t.checks {
        items.push((String::new(), check_clause(d, name, sql)));
    }
    for fk in inline_fks {
        items.push((String::new(), foreign_key_clause(plan, fk)));
    }
    let last = items.len().saturating_sub(1);
    for (i, (comment_lines, definition)) in items.iter().enumerate() {
        out.push_str(comment_lines);
        out.push_str("  ");
        out.push_str(definition);
        if i != last {
            out.push(',');
        }
        out.push('\n');
    }
    out.push(')');
    if rules.comments() == CommentStyle::Inline && !t.table.comment.is_empty() {
        let comment = truncate(&t.table.comment, MYSQL_TABLE_COMMENT);
        let _ = write!(out, " COMMENT={}", literal::write(d, comment));
    }
    out.push_str(";\n");
    match rules.comments() {
        CommentStyle::CommentOn => comment_on(out, plan, t),
        CommentStyle::ExtendedProperties => extended_properties(out, plan, t),
        CommentStyle::Inline | CommentStyle::Lines => {}
    }
    out.push('\n');
}

/// `CONSTRAINT name CHECK (condition)`.
pub(crate) fn check_clause(d: Dialect, name: &str, sql: &str) -> String {
    format!("CONSTRAINT {} CHECK ({sql})", quote(d, name))
}

/// One column definition, in parts, so that a migration can alter one part. Order when written:
/// type, identity, DEFAULT, NOT NULL, then the rest, which every dialect accepts (Oracle insists
/// on DEFAULT before constraints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnSql {
    pub name: String,
    /// `--` lines before the definition (SQLite keeps comments so).
    pub comment_lines: String,
    pub ty: String,
    /// `IDENTITY(1,1)`, ` GENERATED …` (SQL Server, Oracle) or ` AUTO_INCREMENT` (MySQL).
    pub identity: &'static str,
    pub default: Option<String>,
    pub not_null: bool,
    /// MySQL `ON UPDATE CURRENT_TIMESTAMP`, with the column's fractional seconds.
    pub on_update_now: Option<u32>,
    /// SQLite's `PRIMARY KEY AUTOINCREMENT` on the column itself.
    pub inline_key: bool,
    pub unique: bool,
    /// `CHECK (…)` for enum values where the dialect has no enum type.
    pub check: Option<String>,
    /// MySQL's inline `COMMENT '…'` literal.
    pub comment: Option<String>,
    /// What the dialect could not express, as a block comment.
    pub notes: Vec<String>,
}

impl ColumnSql {
    /// The definition as CREATE TABLE writes it.
    pub(crate) fn definition(&self, d: Dialect) -> String {
        self.written(d, true)
    }

    /// The definition without its inline UNIQUE, which `ALTER … MODIFY` would add again.
    pub(crate) fn definition_without_unique(&self, d: Dialect) -> String {
        self.written(d, false)
    }

    fn written(&self, d: Dialect, with_unique: bool) -> String {
        let rules = dialects::rules(d);
        let mut s = String::with_capacity(64);
        s.push_str(&self.name);
        s.push(' ');
        s.push_str(&self.ty);
        if !rules.identity_after_null() {
            s.push_str(self.identity);
        }
        if let Some(default) = &self.default {
            s.push_str(" DEFAULT ");
            s.push_str(default);
        }
        if self.not_null {
            s.push_str(" NOT NULL");
        } else if rules.says_null() {
            s.push_str(" NULL");
        }
        if rules.identity_after_null() {
            s.push_str(self.identity);
        }
        if let Some(precision) = self.on_update_now {
            s.push_str(" ON UPDATE CURRENT_TIMESTAMP");
            // MySQL wants the column's fractional seconds here too.
            if precision > 0 {
                let _ = write!(s, "({precision})");
            }
        }
        if self.inline_key {
            s.push_str(" PRIMARY KEY AUTOINCREMENT");
        }
        if self.unique && with_unique {
            s.push_str(" UNIQUE");
        }
        if let Some(check) = &self.check {
            s.push_str(" CHECK (");
            s.push_str(check);
            s.push(')');
        }
        if let Some(comment) = &self.comment {
            s.push_str(" COMMENT ");
            s.push_str(comment);
        }
        if !self.notes.is_empty() {
            s.push(' ');
            s.push_str(&literal::block_comment(&self.notes.join("; ")));
        }
        s
    }
}

/// The parts of one column's definition in `plan`.
pub(crate) fn column_sql(plan: &Plan, t: &TablePlan, c: &ColumnPlan) -> ColumnSql {
    let d = plan.dialect;
    let rules = dialects::rules(d);
    let col = c.column;
    let mut notes: Vec<String> = Vec::new();
    let mut comment_lines = String::new();
    if rules.comments() == CommentStyle::Lines && !col.comment.is_empty() {
        line_comments(&mut comment_lines, "  ", &col.comment);
    }
    let mut check = None;
    let mut identity = "";
    let ty = if c.auto {
        let (width, unsigned) = mapping::auto_width(&c.parsed.ty);
        let (ty, clause) = mapping::identity(d, width, unsigned);
        identity = clause;
        ty
    } else {
        let rendered = mapping::render(&c.parsed.ty, d, c.in_key, &plan.diagram.enums);
        notes.extend(rendered.note);
        check = rendered.check.map(|values| {
            format!(
                "{} IN ({})",
                quote(d, &col.name),
                mapping::value_list(d, &values)
            )
        });
        rendered.sql
    };
    if let Some(reason) = c.auto_dropped {
        notes.push(format!("auto-increment dropped: {reason}"));
    }
    let mut default = None;
    if !c.auto {
        match defaults::write(&c.default.value, &c.parsed.ty, d) {
            Written::Sql(sql) => default = Some(sql),
            Written::Note(note) => notes.push(note),
            Written::None => {}
        }
    }
    let mut on_update_now = None;
    if c.default.on_update_now || col.on_update_now {
        if rules.on_update_now() && matches!(c.parsed.ty, SqlType::Timestamp { .. }) {
            // The fractional seconds of the type as written (`DATETIME(6)`).
            let fsp = ty
                .split_once('(')
                .and_then(|(_, rest)| rest.split_once(')'))
                .and_then(|(n, _)| n.trim().parse().ok());
            on_update_now = Some(fsp.unwrap_or(0));
        } else if !rules.on_update_now() {
            notes.push("ON UPDATE CURRENT_TIMESTAMP (MySQL only)".into());
        }
    }
    let sole_pk = t.primary_key.len() == 1 && t.primary_key[0].id == col.id;
    let comment = (rules.comments() == CommentStyle::Inline && !col.comment.is_empty())
        .then(|| literal::write(d, truncate(&col.comment, MYSQL_COLUMN_COMMENT)));
    ColumnSql {
        name: quote(d, &col.name),
        comment_lines,
        ty,
        identity,
        default,
        not_null: !col.nullable || col.primary_key || c.auto,
        on_update_now,
        inline_key: c.auto && rules.foreign_keys_inline(),
        unique: col.unique && !sole_pk,
        check,
        comment,
        notes,
    }
}

/// `-- text` lines, one per line of `text`.
fn line_comments(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "{indent}-- {}", literal::one_line(line).trim_end());
    }
}

/// PostgreSQL and Oracle: `COMMENT ON TABLE/COLUMN … IS '…'`.
fn comment_on(out: &mut String, plan: &Plan, t: &TablePlan) {
    let d = plan.dialect;
    if !t.table.comment.is_empty() {
        let _ = writeln!(
            out,
            "COMMENT ON TABLE {} IS {};",
            t.sql_name,
            literal::write(d, &t.table.comment)
        );
    }
    for c in t
        .columns
        .iter()
        .map(|c| c.column)
        .filter(|c| !c.comment.is_empty())
    {
        let _ = writeln!(
            out,
            "COMMENT ON COLUMN {}.{} IS {};",
            t.sql_name,
            quote(d, &c.name),
            literal::write(d, &c.comment)
        );
    }
}

/// SQL Server keeps descriptions as `MS_Description` extended properties.
fn extended_properties(out: &mut String, plan: &Plan, t: &TablePlan) {
    let d = plan.dialect;
    let n = |s: &str| format!("N{}", literal::write(d, s).trim_start_matches('N'));
    let schema = n(schema_of(t.table).unwrap_or("dbo"));
    let table = n(&t.bare_name);
    let mut add = |value: &str, column: Option<&str>| {
        let _ = write!(
            out,
            "EXEC sp_addextendedproperty @name = N'MS_Description', @value = {}, \
             @level0type = N'SCHEMA', @level0name = {schema}, @level1type = N'TABLE', @level1name = {table}",
            n(value)
        );
        if let Some(column) = column {
            let _ = write!(
                out,
                ", @level2type = N'COLUMN', @level2name = {}",
                n(column)
            );
        }
        out.push_str(";\n");
    };
    if !t.table.comment.is_empty() {
        add(&t.table.comment, None);
    }
    for c in t
        .columns
        .iter()
        .map(|c| c.column)
        .filter(|c| !c.comment.is_empty())
    {
        add(&c.comment, Some(&c.name));
    }
}

/// At most `max` characters of `text`.
fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}
