//! Everything decided about a diagram before any text is written: physical names, which columns
//! are keys, which relationships are usable, and the names of generated objects.
//!
//! Deciding first keeps the writers simple and the output deterministic: names are claimed in
//! one fixed order (per table: added unique constraints, MySQL auto-increment keys, indexes; then
//! foreign keys), whatever order the dialect writes them in.

use std::collections::{HashMap, HashSet};

use model::{Column, Diagram, Index, KeyPart, Relationship, Table, Uuid};

use super::conditions;
use super::defaults::{self, Value};
use super::names::{self, Registry, Scope};
use super::types::{self, Parsed, SqlType};
use crate::Dialect;
use crate::dialects;

/// Whether a default is one a boolean column can hold (`tinyint(1) DEFAULT '7'` is no boolean).
fn fits_boolean(value: &Value) -> bool {
    match value {
        Value::Number(n) | Value::Text(n) => {
            matches!(
                n.to_ascii_lowercase().as_str(),
                "0" | "1" | "t" | "f" | "true" | "false" | "y" | "n"
            )
        }
        Value::Raw(_) => false,
        _ => true,
    }
}

/// A relationship whose tables and columns all exist.
pub(crate) struct ForeignKey<'a> {
    pub rel: &'a Relationship,
    pub child: usize,
    pub parent: usize,
    pub child_columns: Vec<&'a Column>,
    pub parent_columns: Vec<&'a Column>,
    pub name: String,
}

/// A resolved index of a table: what of it the dialect is given.
pub(crate) struct IndexPlan<'a> {
    pub name: String,
    pub unique: bool,
    /// The key's columns, in key order.
    pub columns: Vec<&'a Column>,
    /// The whole key, expressions included, in order.
    pub parts: Vec<PartPlan<'a>>,
    pub predicate: Option<&'a str>,
    pub method: Option<&'a str>,
    pub include: Vec<&'a Column>,
}

/// One part of an index key as written.
pub(crate) enum PartPlan<'a> {
    Column {
        column: &'a Column,
        descending: bool,
        class: Option<&'a str>,
    },
    Expression {
        sql: &'a str,
        descending: bool,
    },
}

/// Per table: its written name and what goes into or after its CREATE TABLE.
pub(crate) struct TablePlan<'a> {
    pub table: &'a Table,
    /// Schema-qualified (where the dialect keeps schemas) and quoted.
    pub sql_name: String,
    /// The bare name used inside generated names.
    pub bare_name: String,
    pub columns: Vec<ColumnPlan<'a>>,
    pub primary_key: Vec<&'a Column>,
    /// Unique constraints added so that foreign keys have a unique target (name, columns).
    pub extra_uniques: Vec<(String, Vec<&'a Column>)>,
    /// MySQL: a plain key for an auto-increment column no other key starts with.
    pub auto_key: Option<(String, &'a Column)>,
    pub indexes: Vec<IndexPlan<'a>>,
    /// CHECK constraints as the dialect reads them (name, condition).
    pub checks: Vec<(String, String)>,
}

/// Per column: its read type and default, and what the dialect makes of its flags.
pub(crate) struct ColumnPlan<'a> {
    pub column: &'a Column,
    pub parsed: Parsed,
    pub default: defaults::Default,
    pub in_key: bool,
    pub auto: bool,
    /// Why a requested auto-increment could not be kept.
    pub auto_dropped: Option<&'static str>,
}

pub(crate) struct Plan<'a> {
    pub dialect: Dialect,
    pub diagram: &'a Diagram,
    pub tables: Vec<TablePlan<'a>>,
    pub foreign_keys: Vec<ForeignKey<'a>>,
    /// Relationships left out, with the reason (an inconsistent document).
    pub skipped: Vec<(&'a Relationship, &'static str)>,
    /// Changes the person should know about (a table written under another name).
    pub notes: Vec<String>,
    /// PostgreSQL extensions the indexes need (`btree_gist` for a GiST index over integers).
    pub extensions: Vec<&'static str>,
}

/// Whether `dialect` writes `schema.table`. MySQL's schema is the database and SQLite's an
/// attached file, both chosen when the script is run; Oracle's is the user running it.
pub(crate) fn keeps_schemas(dialect: Dialect) -> bool {
    dialects::rules(dialect).default_schema().is_some()
}

impl<'a> Plan<'a> {
    pub(crate) fn new(diagram: &'a Diagram, dialect: Dialect) -> Self {
        let positions: HashMap<Uuid, usize> = diagram
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i))
            .collect();
        let (foreign_keys, skipped) = resolve_relationships(diagram, &positions);
        let mut keys: HashSet<(usize, Uuid)> = HashSet::new();
        for (i, table) in diagram.tables.iter().enumerate() {
            for c in &table.columns {
                if c.primary_key || c.unique {
                    keys.insert((i, c.id));
                }
            }
            for index in &table.indexes {
                keys.extend(index.columns.iter().map(|&c| (i, c)));
            }
        }
        for fk in &foreign_keys {
            keys.extend(fk.child_columns.iter().map(|c| (fk.child, c.id)));
            keys.extend(fk.parent_columns.iter().map(|c| (fk.parent, c.id)));
        }
        let mut registry = Registry::new(dialect);
        let (bare_names, mut notes) = table_names(diagram, dialect);
        let rules = dialects::rules(dialect);
        if rules.index_names_beside_tables() {
            for name in &bare_names {
                registry.reserve(Scope::Global, name);
            }
        }
        // Real schemas repeat a handful of type spellings; each is read once.
        let mut seen_types: HashMap<&'a str, Parsed> = HashMap::new();
        let mut tables: Vec<TablePlan<'a>> = diagram
            .tables
            .iter()
            .zip(bare_names)
            .enumerate()
            .map(|(i, (table, bare))| {
                table_plan(diagram, dialect, i, table, bare, &keys, &mut seen_types)
            })
            .collect();
        align_key_types(dialect, &mut tables, &foreign_keys);
        let mut extra: Vec<Vec<Vec<&'a Column>>> = vec![Vec::new(); tables.len()];
        for fk in &foreign_keys {
            if !has_unique_target(&tables[fk.parent], &extra[fk.parent], &fk.parent_columns) {
                extra[fk.parent].push(fk.parent_columns.clone());
            }
        }
        let index_scope = |t: &Table| {
            if rules.index_names_per_table() {
                Scope::Table(t.id)
            } else {
                Scope::Global
            }
        };
        // MySQL: the columns foreign keys' actions change, which its checks may not name.
        let acted: HashSet<(Uuid, Uuid)> = diagram
            .relationships
            .iter()
            .filter(|r| dialect == Dialect::Mysql && (acts(r.on_delete) || acts(r.on_update)))
            .flat_map(|r| r.child_columns.iter().map(|&c| (r.child_table, c)))
            .collect();
        for (plan, extra) in tables.iter_mut().zip(extra) {
            for columns in extra {
                let wanted = generated("uq", &plan.bare_name, &columns);
                let name = registry.claim(Scope::Global, &wanted);
                plan.extra_uniques.push((name, columns));
            }
            if rules.auto_needs_key() {
                plan.auto_key = mysql_auto_key(plan).map(|column| {
                    let wanted = generated("ix", &plan.bare_name, &[column]);
                    (registry.claim(index_scope(plan.table), &wanted), column)
                });
            }
            let scope = index_scope(plan.table);
            plan.indexes = resolve_indexes(plan, dialect, &mut registry, scope, &mut notes);
            plan.checks = resolve_checks(diagram, plan, dialect, &acted, &mut registry, &mut notes);
        }
        let mut foreign_keys = foreign_keys;
        for fk in &mut foreign_keys {
            let wanted = if fk.rel.name.trim().is_empty() {
                generated("fk", &tables[fk.child].bare_name, &fk.child_columns)
            } else {
                fk.rel.name.clone()
            };
            fk.name = registry.claim(Scope::Global, &wanted);
        }
        let extensions = index_extensions(&tables);
        Self {
            dialect,
            diagram,
            tables,
            foreign_keys,
            skipped,
            notes,
            extensions,
        }
    }
}

/// The name each table is written with, and a note for every one that is not its own.
///
/// Where the dialect drops schemas, a name that several schemas hold becomes `schema_name`.
/// Then, where the dialect does not tell names apart by case (all but PostgreSQL, whose export
/// quotes mixed case; MySQL does on some systems and not on others), a table whose name equals
/// an earlier one's without case becomes `name_2`, `name_3` …, skipping any name another table
/// already has. Decided in diagram order, so the same document gives the same names.
fn table_names(diagram: &Diagram, dialect: Dialect) -> (Vec<String>, Vec<String>) {
    let keeps = keeps_schemas(dialect);
    let mut count: HashMap<String, usize> = HashMap::new();
    if !keeps {
        for t in &diagram.tables {
            *count.entry(t.name.to_lowercase()).or_default() += 1;
        }
    }
    let names: Vec<String> = diagram
        .tables
        .iter()
        .map(|t| match schema_of(t) {
            Some(schema) if count.get(&t.name.to_lowercase()).copied().unwrap_or(0) > 1 => {
                format!("{schema}_{}", t.name)
            }
            _ => t.name.clone(),
        })
        .collect();
    let folds = !dialects::rules(dialect).case_sensitive_names();
    let key = |at: usize, name: &str| {
        let schema = schema_of(&diagram.tables[at])
            .filter(|_| keeps)
            .unwrap_or("");
        let key = format!("{schema}.{name}");
        if folds { key.to_lowercase() } else { key }
    };
    let prefixed: Vec<bool> = names
        .iter()
        .zip(&diagram.tables)
        .map(|(n, t)| *n != t.name)
        .collect();
    // First holders keep their names, tables named so in the diagram before `schema_` names;
    // every later one is renamed around all of them.
    let mut taken: HashSet<String> = HashSet::new();
    let mut later = Vec::new();
    let order = (0..names.len()).filter(|&i| !prefixed[i]);
    for at in order.chain((0..names.len()).filter(|&i| prefixed[i])) {
        if !taken.insert(key(at, &names[at])) {
            later.push(at);
        }
    }
    later.sort_unstable();
    let before = names.clone();
    let mut names = names;
    for &at in &later {
        let mut n = 2;
        let renamed = loop {
            let candidate = format!("{}_{n}", names[at]);
            if taken.insert(key(at, &candidate)) {
                break candidate;
            }
            n += 1;
        };
        names[at] = renamed;
    }
    let dialect_name = dialect.label();
    let mut notes = Vec::new();
    for (at, t) in diagram.tables.iter().enumerate() {
        let written = &names[at];
        if *written == t.name {
            continue;
        }
        let mut why = Vec::new();
        if prefixed[at] {
            why.push(format!(
                "the {dialect_name} script has no schemas, and another schema has a table of that name"
            ));
        }
        if later.contains(&at) {
            let exact = (0..before.len()).any(|i| i != at && before[i] == before[at]);
            why.push(if exact {
                format!("another table is named {} too", before[at])
            } else {
                format!(
                    "another table has the same name when case is ignored, as {dialect_name} does"
                )
            });
        }
        let why = why.join("; ");
        let shown = match schema_of(t) {
            Some(schema) => format!("{schema}.{}", t.name),
            None => t.name.clone(),
        };
        notes.push(format!("table {shown} is written as {written}: {why}"));
    }
    (names, notes)
}

/// The table's schema, if it has a non-empty one.
pub(crate) fn schema_of(table: &Table) -> Option<&str> {
    table
        .schema
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn table_plan<'a>(
    diagram: &'a Diagram,
    dialect: Dialect,
    position: usize,
    table: &'a Table,
    bare_name: String,
    keys: &HashSet<(usize, Uuid)>,
    seen_types: &mut HashMap<&'a str, Parsed>,
) -> TablePlan<'a> {
    let schema = schema_of(table).filter(|_| keeps_schemas(dialect));
    let sql_name = names::qualified(dialect, schema, &bare_name);
    let primary_key: Vec<&Column> = table.primary_key().collect();
    let mut auto_taken = false;
    let mut columns: Vec<ColumnPlan<'a>> = table
        .columns
        .iter()
        .map(|column| {
            let mut parsed = match seen_types.get(column.data_type.as_str()) {
                Some(parsed) => parsed.clone(),
                None => {
                    let parsed = types::parse(&column.data_type, &diagram.enums);
                    seen_types.insert(column.data_type.as_str(), parsed.clone());
                    parsed
                }
            };
            let default = defaults::parse(column.default.as_deref().unwrap_or(""));
            if parsed.ty == SqlType::Boolean && !fits_boolean(&default.value) {
                parsed.ty = types::not_boolean(&column.data_type).unwrap_or(parsed.ty);
            }
            let wanted = column.auto_increment || parsed.serial || default.value == Value::Sequence;
            let sole_pk = primary_key.len() == 1 && primary_key[0].id == column.id;
            let (auto, auto_dropped) = match dialect {
                _ if !wanted => (false, None),
                Dialect::Sqlite if !sole_pk => (
                    false,
                    Some("auto-increment needs a one-column primary key in SQLite"),
                ),
                Dialect::Postgresql => (true, None),
                _ if auto_taken => (false, Some("only one auto-increment column per table")),
                _ => (true, None),
            };
            auto_taken |= auto;
            ColumnPlan {
                column,
                parsed,
                default,
                in_key: keys.contains(&(position, column.id)),
                auto,
                auto_dropped,
            }
        })
        .collect();
    if matches!(dialect, Dialect::Mysql | Dialect::Mariadb) {
        super::mysql::fit_row(&mut columns);
    }
    TablePlan {
        table,
        sql_name,
        bare_name,
        columns,
        primary_key,
        extra_uniques: Vec::new(),
        auto_key: None,
        indexes: Vec::new(),
        checks: Vec::new(),
    }
}

fn resolve_relationships<'a>(
    diagram: &'a Diagram,
    positions: &HashMap<Uuid, usize>,
) -> (Vec<ForeignKey<'a>>, Vec<(&'a Relationship, &'static str)>) {
    let mut fks = Vec::new();
    let mut skipped = Vec::new();
    for rel in &diagram.relationships {
        let (Some(&child), Some(&parent)) = (
            positions.get(&rel.child_table),
            positions.get(&rel.parent_table),
        ) else {
            skipped.push((rel, "a table it joins is missing"));
            continue;
        };
        let lookup = |t: usize, ids: &[Uuid]| -> Option<Vec<&'a Column>> {
            ids.iter().map(|&id| diagram.tables[t].column(id)).collect()
        };
        let (Some(child_columns), Some(parent_columns)) = (
            lookup(child, &rel.child_columns),
            lookup(parent, &rel.parent_columns),
        ) else {
            skipped.push((rel, "a column it joins is missing"));
            continue;
        };
        if child_columns.is_empty() || child_columns.len() != parent_columns.len() {
            skipped.push((rel, "its child and parent column lists do not pair up"));
            continue;
        }
        fks.push(ForeignKey {
            rel,
            child,
            parent,
            child_columns,
            parent_columns,
            name: String::new(),
        });
    }
    (fks, skipped)
}

/// Every foreign key column is written with the type of the key column it points at. Sources
/// often disagree with themselves (Oracle `NUMBER` against `NUMBER(6)`, `varchar(40)` against
/// `varchar(36)`), and a conversion can widen one side only; PostgreSQL and MariaDB then refuse
/// the foreign key. An auto-increment parent gives the integer its identity is made of. Passes
/// repeat so that a chain (grandchild → child → parent) settles.
fn align_key_types(dialect: Dialect, tables: &mut [TablePlan], fks: &[ForeignKey]) {
    for _ in 0..8 {
        let mut changed = false;
        for fk in fks {
            for (child, parent) in fk.child_columns.iter().zip(&fk.parent_columns) {
                let Some(p) = tables[fk.parent]
                    .columns
                    .iter()
                    .find(|c| c.column.id == parent.id)
                else {
                    continue;
                };
                let ty = if p.auto {
                    let (width, unsigned) = super::mapping::auto_width(&p.parsed.ty);
                    super::mapping::identity_int(dialect, width, unsigned)
                } else {
                    p.parsed.ty.clone()
                };
                let Some(c) = tables[fk.child]
                    .columns
                    .iter_mut()
                    .find(|c| c.column.id == child.id && !c.auto)
                else {
                    continue;
                };
                if c.parsed.ty != ty {
                    c.parsed.ty = ty;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
}

fn same_set(a: &[&Column], b: &[&Column]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| y.id == x.id))
}

/// Whether a foreign key to `columns` has the unique target every database requires: the
/// primary key, a unique column, a unique index, or a constraint already added.
fn has_unique_target(plan: &TablePlan, extra: &[Vec<&Column>], columns: &[&Column]) -> bool {
    let table = plan.table;
    (!plan.primary_key.is_empty() && same_set(&plan.primary_key, columns))
        || (columns.len() == 1 && columns[0].unique)
        || table.indexes.iter().any(|i| {
            // A partial or expression index is no target a foreign key may reference.
            i.unique
                && i.predicate.is_none()
                && i.expressions.is_empty()
                && i.columns.len() == columns.len()
                && columns.iter().all(|c| i.columns.contains(&c.id))
        })
        || extra.iter().any(|e| same_set(e, columns))
}

/// MySQL wants an auto-increment column to lead some key; the column that needs one added.
fn mysql_auto_key<'a>(plan: &TablePlan<'a>) -> Option<&'a Column> {
    let column = plan.columns.iter().find(|c| c.auto)?.column;
    let leads = plan.primary_key.first().is_some_and(|c| c.id == column.id)
        || column.unique
        || plan.table.indexes.iter().any(|i| {
            i.key().first()
                == Some(&KeyPart::Column {
                    id: column.id,
                    descending: i.descending.contains(&column.id),
                })
        })
        || plan
            .extra_uniques
            .iter()
            .any(|(_, cols)| cols.first().is_some_and(|c| c.id == column.id));
    (!leads).then_some(column)
}

fn resolve_indexes<'a>(
    plan: &TablePlan<'a>,
    dialect: Dialect,
    registry: &mut Registry,
    scope: Scope,
    notes: &mut Vec<String>,
) -> Vec<IndexPlan<'a>> {
    let table = plan.table;
    // Oracle refuses a second index over a column list it already indexes (ORA-01408).
    let mut seen: Vec<Vec<Uuid>> = Vec::new();
    if dialect == Dialect::Oracle {
        seen.push(plan.primary_key.iter().map(|c| c.id).collect());
        seen.extend(
            table
                .columns
                .iter()
                .filter(|c| c.unique)
                .map(|c| vec![c.id]),
        );
        seen.extend(
            plan.extra_uniques
                .iter()
                .map(|(_, cols)| cols.iter().map(|c| c.id).collect()),
        );
    }
    let mut out = Vec::new();
    for index in &table.indexes {
        let Some(mut written) = written_index(table, index, dialect, notes) else {
            continue;
        };
        let columns = &written.columns;
        if !columns.is_empty() && written.parts.len() == columns.len() {
            let ids: Vec<Uuid> = columns.iter().map(|c| c.id).collect();
            if dialect == Dialect::Oracle {
                if seen.contains(&ids) {
                    continue;
                }
                seen.push(ids);
            }
        }
        let wanted = if index.name.trim().is_empty() {
            generated("ix", &plan.bare_name, columns)
        } else {
            index.name.clone()
        };
        written.name = registry.claim(scope, &wanted);
        out.push(written);
    }
    out
}

/// The table's checks, and its columns' domains' checks, as `dialect` reads them; one it cannot
/// read (or, MySQL, one naming a column it refuses in a check) is left out with a note. Names
/// are claimed across the script: MySQL, SQL Server and Oracle want them unique per schema.
fn resolve_checks(
    diagram: &Diagram,
    plan: &TablePlan,
    dialect: Dialect,
    acted: &HashSet<(Uuid, Uuid)>,
    registry: &mut Registry,
    notes: &mut Vec<String>,
) -> Vec<(String, String)> {
    let table = plan.table;
    let domains = || table.columns.iter().any(|c| c.domain.is_some());
    if table.checks.is_empty() && !domains() {
        return Vec::new();
    }
    let mut wanted: Vec<(String, String, Option<Dialect>)> = table
        .checks
        .iter()
        .map(|c| (c.name.clone(), c.sql.clone(), c.dialect))
        .collect();
    // A domain's condition speaks of VALUE: here, of the column.
    for c in &table.columns {
        let domain = c.domain.and_then(|id| diagram.dictionary.domain(id));
        if let Some(sql) = domain.and_then(|d| d.check.as_deref()) {
            let sql = model::condition_renamed(sql, "value", &c.name).unwrap_or(sql.to_string());
            wanted.push((format!("{}_{}_check", plan.bare_name, c.name), sql, None));
        }
    }
    let refused = mysql_refused_columns(plan, dialect, acted);
    let as_numeric: Vec<&str> = plan
        .columns
        .iter()
        .filter(|c| dialect == Dialect::Postgresql && c.parsed.ty == SqlType::Money)
        .map(|c| c.column.name.as_str())
        .collect();
    let label = dialect.label();
    let mut out = Vec::with_capacity(wanted.len());
    for (name, sql, source) in wanted {
        let shown = format!("check {name} of {}", table.name);
        if let Some((column, why)) = refused
            .iter()
            .find(|(c, _)| model::condition_names(&sql, &c.name))
        {
            notes.push(format!(
                "{shown} is not written: {label} refuses a check on {}, {why}",
                column.name
            ));
            continue;
        }
        match conditions::translate(&sql, source, dialect, table, &as_numeric) {
            Ok(sql) => out.push((registry.claim(Scope::Global, &name), sql)),
            Err(why) => notes.push(format!(
                "{shown} is not written: {label} cannot be given {why}"
            )),
        }
    }
    out
}

/// MySQL refuses checks on an auto-increment column, and on a column that a foreign key's
/// referential action changes (MariaDB takes both).
fn mysql_refused_columns<'a>(
    plan: &TablePlan<'a>,
    dialect: Dialect,
    acted: &HashSet<(Uuid, Uuid)>,
) -> Vec<(&'a Column, &'static str)> {
    if dialect != Dialect::Mysql {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in &plan.columns {
        if c.auto {
            out.push((c.column, "which is auto-increment"));
        } else if acted.contains(&(plan.table.id, c.column.id)) {
            out.push((c.column, "which a foreign key's action changes"));
        }
    }
    out
}

fn acts(action: model::Action) -> bool {
    !matches!(action, model::Action::NoAction | model::Action::Restrict)
}

/// What of `index` is written for `dialect`: expressions, a condition, a method and operator
/// classes only for the dialect they are written in (and where it has them); an index that
/// would then say something else (a unique one losing part of its key or its condition) is
/// left out. Each loss is noted.
fn written_index<'a>(
    table: &'a Table,
    index: &'a Index,
    dialect: Dialect,
    notes: &mut Vec<String>,
) -> Option<IndexPlan<'a>> {
    let rules = dialects::rules(dialect);
    let own = index.dialect.is_none_or(|d| same_family(d, dialect));
    let shown = format!("index {} of {}", index.name, table.name);
    let mut lost = Vec::new();
    let mut parts = Vec::new();
    for part in index.key() {
        match part {
            KeyPart::Column { id, descending } => {
                let Some(column) = table.column(id) else {
                    continue;
                };
                let class = index
                    .classes
                    .iter()
                    .find(|c| c.column == id)
                    .map(|c| c.class.as_str())
                    .filter(|_| own && rules.index_method_before_key() == Some(true));
                parts.push(PartPlan::Column {
                    column,
                    descending,
                    class,
                });
            }
            KeyPart::Expression { sql, descending } if own && rules.index_expressions() => {
                parts.push(PartPlan::Expression { sql, descending });
            }
            KeyPart::Expression { sql, .. } => lost.push(format!("key part {sql}")),
        }
    }
    let predicate = index.predicate.as_deref();
    let keeps_predicate = own && rules.partial_indexes();
    if let Some(p) = predicate.filter(|_| !keeps_predicate) {
        lost.push(format!("condition WHERE {p}"));
    }
    let method = index
        .method
        .as_deref()
        .filter(|_| own && rules.index_method_before_key().is_some());
    if let (Some(m), None) = (&index.method, method) {
        lost.push(format!("method {m}"));
    }
    let include: Vec<&Column> = index
        .include
        .iter()
        .filter_map(|&id| table.column(id))
        .filter(|_| rules.index_include())
        .collect();
    if include.len() < index.include.len() {
        lost.push("included columns".into());
    }
    let label = dialect.label();
    // A unique index without part of its key or its condition would refuse rows the source
    // takes; a key left empty indexes nothing.
    let narrowed = parts.len() < index.columns.len() + index.expressions.len()
        || (predicate.is_some() && !keeps_predicate);
    if parts.is_empty() || (index.unique && narrowed) {
        notes.push(format!(
            "{shown} is not written: {label} cannot hold its {}",
            lost.join(", ")
        ));
        return None;
    }
    if !lost.is_empty() {
        notes.push(format!(
            "{shown} is written without its {}, which {label} cannot hold as written",
            lost.join(", ")
        ));
    }
    let columns = parts
        .iter()
        .filter_map(|p| match p {
            PartPlan::Column { column, .. } => Some(*column),
            PartPlan::Expression { .. } => None,
        })
        .collect();
    Some(IndexPlan {
        name: String::new(),
        unique: index.unique,
        columns,
        parts,
        predicate: predicate.filter(|_| keeps_predicate),
        method,
        include,
    })
}

/// The extensions PostgreSQL itself ships that the written indexes need: GiST and GIN have no
/// operator class of their own for plain scalar columns (numbers, text, dates) without
/// `btree_gist` and `btree_gin`, and the trigram classes come with `pg_trgm`.
fn index_extensions(tables: &[TablePlan]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for t in tables {
        for index in &t.indexes {
            for part in &index.parts {
                let PartPlan::Column { column, class, .. } = part else {
                    continue;
                };
                let needed = match (index.method, class) {
                    (_, Some(c)) if c.ends_with("_trgm_ops") => Some("pg_trgm"),
                    (Some(_), Some(_)) | (None, _) => None,
                    (Some(m), None) => {
                        let scalar = t
                            .columns
                            .iter()
                            .find(|p| p.column.id == column.id)
                            .is_some_and(|p| {
                                !matches!(
                                    p.parsed.ty,
                                    SqlType::Array(_) | SqlType::Json { .. } | SqlType::PgNative(_)
                                )
                            });
                        match m {
                            "gist" if scalar => Some("btree_gist"),
                            "gin" if scalar => Some("btree_gin"),
                            _ => None,
                        }
                    }
                };
                if let Some(e) = needed.filter(|e| !out.contains(e)) {
                    out.push(e);
                }
            }
        }
    }
    out.sort_unstable();
    out
}

/// MySQL and MariaDB read each other's SQL; the other dialects only their own.
pub(crate) fn same_family(a: Dialect, b: Dialect) -> bool {
    let mysql = |d| matches!(d, Dialect::Mysql | Dialect::Mariadb);
    a == b || (mysql(a) && mysql(b))
}

/// `prefix_table_col1_col2`, the usual shape of a generated constraint name.
fn generated(prefix: &str, table: &str, columns: &[&Column]) -> String {
    let mut name = format!("{prefix}_{table}");
    for c in columns {
        name.push('_');
        name.push_str(&c.name);
    }
    name
}
