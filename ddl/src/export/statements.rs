//! The statements around CREATE TABLE: drops, schemas, enum types, indexes and foreign keys.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use model::{Action, Column};

use super::literal;
use super::mapping::value_list;
use super::names::{qualified, quote};
use super::plan::{ColumnPlan, ForeignKey, IndexPlan, PartPlan, Plan, TablePlan, schema_of};
use crate::Dialect;
use crate::dialects;

/// `a, b` with each name quoted as needed.
pub(crate) fn column_list(d: Dialect, columns: &[&Column]) -> String {
    columns
        .iter()
        .map(|c| quote(d, &c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CONSTRAINT name FOREIGN KEY (…) REFERENCES parent (…) ON DELETE … ON UPDATE …`, with the
/// referential actions the dialect supports; others are noted in a comment.
pub(crate) fn foreign_key_clause(plan: &Plan, fk: &ForeignKey) -> String {
    let d = plan.dialect;
    let mut s = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote(d, &fk.name),
        column_list(d, &fk.child_columns),
        plan.tables[fk.parent].sql_name,
        column_list(d, &fk.parent_columns)
    );
    let mut unsupported = Vec::new();
    // MySQL and SQL Server refuse SET NULL on a column that cannot be null; PostgreSQL, SQLite
    // and Oracle accept it and fail only when a row is deleted.
    let not_null = fk
        .child_columns
        .iter()
        .any(|c| !c.nullable || c.primary_key);
    let rules = dialects::rules(d);
    let strict = rules.refuses_set_null_on_not_null();
    for (event, action) in [("DELETE", fk.rel.on_delete), ("UPDATE", fk.rel.on_update)] {
        let refused = action == Action::SetNull && not_null && strict;
        let sql = rules.action(event, action);
        match sql.and_then(|sql| if refused { Err(()) } else { Ok(sql) }) {
            Ok(Some(sql)) => {
                let _ = write!(s, " ON {event} {sql}");
            }
            Ok(None) => {}
            Err(()) => unsupported.push(format!("ON {event} {}", dialects::action_name(action))),
        }
    }
    if !unsupported.is_empty() {
        let note = format!("{} not supported here", unsupported.join(", "));
        let _ = write!(s, " {}", literal::block_comment(&note));
    }
    s
}

/// `-- Tablewright: "name" for PostgreSQL` and a blank line.
pub(crate) fn header(out: &mut String, plan: &Plan) {
    let name: String = plan
        .diagram
        .name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let _ = writeln!(
        out,
        "-- {} for {}, exported by Tablewright",
        literal::one_line(name.trim()),
        plan.dialect.label()
    );
    for note in &plan.notes {
        let _ = writeln!(out, "-- Note: {}", literal::one_line(note));
    }
    out.push('\n');
}

/// `DROP TABLE IF EXISTS` for every table, children before the tables they reference.
pub(crate) fn drops(out: &mut String, plan: &Plan) {
    let rules = dialects::rules(plan.dialect);
    // Reference cycles cannot be dropped in any order; MySQL lets checks pause instead.
    let around = rules.around_drops();
    if let Some((pause, _)) = around {
        out.push_str(pause);
        out.push('\n');
    }
    let suffix = rules.drop_table_suffix();
    for at in children_first(plan) {
        let _ = writeln!(
            out,
            "DROP TABLE IF EXISTS {}{suffix};",
            plan.tables[at].sql_name
        );
    }
    if rules.enum_types() {
        for e in &plan.diagram.enums {
            let _ = writeln!(out, "DROP TYPE IF EXISTS {};", enum_name(plan, e));
        }
    }
    if let Some((_, resume)) = around {
        out.push_str(resume);
        out.push('\n');
    }
    out.push('\n');
}

/// Table positions ordered so that no table comes before one that references it. Tables in a
/// cycle keep diagram order; ties keep diagram order, so the result is deterministic.
fn children_first(plan: &Plan) -> Vec<usize> {
    let n = plan.tables.len();
    // referenced_by[p] = children (other than p itself) that still reference p.
    let mut referenced_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for fk in &plan.foreign_keys {
        if fk.child != fk.parent {
            referenced_by[fk.parent].insert(fk.child);
        }
    }
    let mut parents_of: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for (p, children) in referenced_by.iter().enumerate() {
        for &c in children {
            parents_of[c].insert(p);
        }
    }
    let mut ready: BTreeSet<usize> = (0..n).filter(|&t| referenced_by[t].is_empty()).collect();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let next = match ready.pop_first() {
            Some(t) => t,
            // A cycle: break it at the first table still waiting.
            None => match (0..n).find(|&t| !done[t]) {
                Some(t) => t,
                None => break,
            },
        };
        if done[next] {
            continue;
        }
        done[next] = true;
        order.push(next);
        for &p in &parents_of[next] {
            referenced_by[p].remove(&next);
            if referenced_by[p].is_empty() && !done[p] {
                ready.insert(p);
            }
        }
    }
    order
}

/// `CREATE EXTENSION` for what the indexes need (PostgreSQL only has extensions).
pub(crate) fn extensions(out: &mut String, plan: &Plan) {
    for e in &plan.extensions {
        let _ = writeln!(out, "CREATE EXTENSION IF NOT EXISTS {e};");
    }
    if !plan.extensions.is_empty() {
        out.push('\n');
    }
}

/// PostgreSQL `CREATE SCHEMA IF NOT EXISTS` and SQL Server's equivalent for every schema used,
/// except each database's default one.
pub(crate) fn schemas(out: &mut String, plan: &Plan) {
    let d = plan.dialect;
    let rules = dialects::rules(d);
    let Some(default) = rules.default_schema() else {
        return;
    };
    let mut seen: Vec<&str> = Vec::new();
    let table_schemas = plan.diagram.tables.iter().filter_map(schema_of);
    let enum_schemas = plan
        .diagram
        .enums
        .iter()
        .filter(|_| rules.enum_types())
        .filter_map(|e| e.schema.as_deref().filter(|s| !s.trim().is_empty()));
    for schema in table_schemas.chain(enum_schemas) {
        if schema.eq_ignore_ascii_case(default) || seen.contains(&schema) {
            continue;
        }
        seen.push(schema);
        let create = rules.create_schema(&quote(d, schema), &literal::write(d, schema));
        out.push_str(&create);
        out.push('\n');
    }
    if !seen.is_empty() {
        out.push('\n');
    }
}

fn enum_name(plan: &Plan, e: &model::EnumType) -> String {
    let schema = e.schema.as_deref().filter(|s| !s.trim().is_empty());
    qualified(plan.dialect, schema, &e.name)
}

/// PostgreSQL: `CREATE TYPE … AS ENUM` for the diagram's enums, before the tables using them.
pub(crate) fn enum_types(out: &mut String, plan: &Plan) {
    if !dialects::rules(plan.dialect).enum_types() || plan.diagram.enums.is_empty() {
        return;
    }
    for e in &plan.diagram.enums {
        let _ = writeln!(
            out,
            "CREATE TYPE {} AS ENUM ({});",
            enum_name(plan, e),
            value_list(plan.dialect, &e.values)
        );
    }
    out.push('\n');
}

/// `CREATE [UNIQUE] INDEX` for every index, table by table.
pub(crate) fn indexes(out: &mut String, plan: &Plan) {
    let mut any = false;
    for t in &plan.tables {
        for index in &t.indexes {
            out.push_str(&index_sql(plan, t, index));
            out.push('\n');
            any = true;
        }
    }
    if any {
        out.push('\n');
    }
}

/// One `CREATE [UNIQUE] INDEX` statement.
pub(crate) fn index_sql(plan: &Plan, t: &TablePlan, index: &IndexPlan) -> String {
    let d = plan.dialect;
    let rules = dialects::rules(d);
    let unique = if index.unique { "UNIQUE " } else { "" };
    let prefixes = if rules.key_prefixes(index.unique) {
        mysql_key_prefixes(t, &index.columns)
    } else {
        Vec::new()
    };
    let desc = |descending: bool| if descending { " DESC" } else { "" };
    let key: Vec<String> = index
        .parts
        .iter()
        .map(|part| match part {
            PartPlan::Column {
                column,
                descending,
                class,
            } => {
                let mut s = quote(d, &column.name);
                if let Some((_, n)) = prefixes.iter().find(|(id, _)| *id == column.id) {
                    let _ = write!(s, "({n})");
                }
                if let Some(class) = class {
                    let _ = write!(s, " {class}");
                }
                s + desc(*descending)
            }
            PartPlan::Expression { sql, descending } => format!("({sql}){}", desc(*descending)),
        })
        .collect();
    let (before, after) = match (index.method, rules.index_method_before_key()) {
        (Some(m), Some(true)) => (format!(" USING {m}"), String::new()),
        (Some(m), Some(false)) => (String::new(), format!(" USING {}", m.to_uppercase())),
        _ => (String::new(), String::new()),
    };
    let mut sql = format!(
        "CREATE {unique}INDEX {} ON {}{before} ({}){after}",
        quote(d, &index.name),
        t.sql_name,
        key.join(", "),
    );
    if !index.include.is_empty() {
        let _ = write!(sql, " INCLUDE ({})", column_list(d, &index.include));
    }
    if let Some(predicate) = index.predicate {
        let _ = write!(sql, " WHERE {predicate}");
    }
    sql.push(';');
    sql
}

/// The prefix lengths MySQL's key size limit needs (`key_(760)`), by column.
fn mysql_key_prefixes(t: &TablePlan, columns: &[&Column]) -> Vec<(model::Uuid, usize)> {
    let plans: Vec<&ColumnPlan> = columns
        .iter()
        .filter_map(|c| t.columns.iter().find(|p| p.column.id == c.id))
        .collect();
    if plans.len() != columns.len() {
        return Vec::new();
    }
    let prefixes = super::mysql::key_prefixes(&plans);
    columns
        .iter()
        .zip(prefixes)
        .filter_map(|(c, prefix)| Some((c.id, prefix?)))
        .collect()
}

/// `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` for every relationship (not SQLite: inline there).
pub(crate) fn foreign_keys(out: &mut String, plan: &Plan) {
    if dialects::rules(plan.dialect).foreign_keys_inline() {
        return;
    }
    for fk in &plan.foreign_keys {
        out.push_str(&foreign_key_sql(plan, fk));
        out.push('\n');
    }
}

/// One `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` statement.
pub(crate) fn foreign_key_sql(plan: &Plan, fk: &ForeignKey) -> String {
    format!(
        "ALTER TABLE {} ADD {};",
        plan.tables[fk.child].sql_name,
        foreign_key_clause(plan, fk)
    )
}

/// A comment line for each relationship that could not be written.
pub(crate) fn skipped(out: &mut String, plan: &Plan) {
    for (rel, reason) in &plan.skipped {
        let label = if rel.name.trim().is_empty() {
            rel.id.to_string()
        } else {
            rel.name.clone()
        };
        let _ = writeln!(
            out,
            "-- relationship {} left out: {reason}",
            literal::one_line(&label)
        );
    }
}
