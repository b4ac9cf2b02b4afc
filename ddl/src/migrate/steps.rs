//! The steps of one direction of a migration, in the order they must run.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use model::{Diagram, Uuid};

use super::Script;
use crate::Dialect;
use crate::dialects::{self, ColumnChange, CommentStyle, Constraint, Rules};
use crate::export::ColumnSql;
use crate::export::literal;
use crate::export::names::quote;
use crate::export::plan::{ForeignKey, IndexPlan, PartPlan, Plan, TablePlan, schema_of};
use crate::export::statements::{column_list, foreign_key_sql, index_sql};
use crate::export::table::{self, column_sql};
use crate::export::types::SqlType;

/// A foreign key as the database holds it: its name, columns, target and actions.
type FkKey = (
    String,
    Uuid,
    Vec<Uuid>,
    Uuid,
    Vec<Uuid>,
    &'static str,
    &'static str,
);

fn fk_key(plan: &Plan, fk: &ForeignKey) -> FkKey {
    let ids = |cols: &[&model::Column]| cols.iter().map(|c| c.id).collect::<Vec<_>>();
    (
        fk.name.to_lowercase(),
        plan.tables[fk.child].table.id,
        ids(&fk.child_columns),
        plan.tables[fk.parent].table.id,
        ids(&fk.parent_columns),
        dialects::action_name(fk.rel.on_delete),
        dialects::action_name(fk.rel.on_update),
    )
}

/// A key or index of one table: its name (none for the primary key), uniqueness, columns, and
/// the rest of an index's shape (order, expressions, condition, method, included columns).
type KeyKey = (Uuid, String, bool, Vec<Uuid>, String);

/// A named key of a table: what tells it apart, whether it is an index (or a constraint), and
/// its name as written.
struct Key<'p> {
    key: KeyKey,
    index: bool,
    name: &'p str,
}

/// What tells an index apart beyond its name, uniqueness and columns.
fn shape(index: &IndexPlan) -> String {
    let mut out = String::new();
    for part in &index.parts {
        match part {
            PartPlan::Column {
                column,
                descending,
                class,
            } => {
                let _ = write!(out, "{}:{descending}:{class:?};", column.id);
            }
            PartPlan::Expression { sql, descending } => {
                let _ = write!(out, "({sql}):{descending};");
            }
        }
    }
    let include: Vec<Uuid> = index.include.iter().map(|c| c.id).collect();
    let _ = write!(out, "{:?}{:?}{include:?}", index.predicate, index.method);
    out
}

/// Every named key of a table besides its primary key and inline uniques: indexes, the unique
/// constraints foreign keys need, MySQL's auto-increment keys. Names compare without case, as
/// the databases compare them.
fn keys_of<'p>(t: &'p TablePlan) -> Vec<Key<'p>> {
    let id = t.table.id;
    let mut keys = Vec::new();
    for index in &t.indexes {
        let cols = index.columns.iter().map(|c| c.id).collect();
        keys.push(Key {
            key: (
                id,
                index.name.to_lowercase(),
                index.unique,
                cols,
                shape(index),
            ),
            index: true,
            name: &index.name,
        });
    }
    for (name, cols) in &t.extra_uniques {
        let cols = cols.iter().map(|c| c.id).collect();
        keys.push(Key {
            key: (id, name.to_lowercase(), true, cols, String::new()),
            index: false,
            name,
        });
    }
    if let Some((name, column)) = &t.auto_key {
        keys.push(Key {
            key: (
                id,
                name.to_lowercase(),
                false,
                vec![column.id],
                String::new(),
            ),
            index: false,
            name,
        });
    }
    keys
}

/// The checks of `b` that `a` lacks (by name, case aside, and condition).
fn checks_missing<'p>(a: &TablePlan, b: &'p TablePlan) -> Vec<&'p (String, String)> {
    b.checks
        .iter()
        .filter(|(name, sql)| {
            !a.checks
                .iter()
                .any(|(n, s)| n.eq_ignore_ascii_case(name) && s == sql)
        })
        .collect()
}

/// Whether two definitions of a column differ in anything but name and uniqueness.
fn same_definition(a: &ColumnSql, b: &ColumnSql) -> bool {
    a.ty == b.ty
        && a.identity == b.identity
        && a.default == b.default
        && a.not_null == b.not_null
        && a.on_update_now == b.on_update_now
        && a.inline_key == b.inline_key
        && a.check == b.check
        && a.comment == b.comment
}

/// Whether a new type may not hold every value of the old one.
fn narrows(old: &SqlType, new: &SqlType) -> bool {
    use SqlType as T;
    match (old, new) {
        _ if old == new => false,
        (T::Int { width: a, .. }, T::Int { width: b, .. }) => b < a,
        (T::Int { .. }, T::Decimal { .. } | T::Double | T::Text(_) | T::Varchar { len: None }) => {
            false
        }
        (T::Varchar { len: Some(a) } | T::Char { len: a }, T::Varchar { len: Some(b) }) => b < a,
        (T::Varchar { .. } | T::Char { .. }, T::Varchar { len: None } | T::Text(_)) => false,
        (T::Text(a), T::Text(b)) => b < a,
        (
            T::Decimal {
                precision: pa,
                scale: sa,
            },
            T::Decimal {
                precision: pb,
                scale: sb,
            },
        ) => pb < pa || sb < sa,
        (T::Real | T::Float, T::Double) => false,
        (T::Date, T::Timestamp { .. }) => false,
        _ => true,
    }
}

/// The literal existing rows get in a new NOT NULL column without a default.
fn fill_value(rules: &dyn Rules, ty: &SqlType) -> Option<String> {
    use SqlType as T;
    match ty {
        T::Int { .. } | T::Decimal { .. } | T::Money | T::Real | T::Double | T::Float => {
            Some("0".into())
        }
        T::Char { .. } | T::Varchar { .. } | T::Text(_) => Some("''".into()),
        T::Boolean => Some(rules.boolean_false().into()),
        // The epoch stands in for a date nobody gave, as the warning says.
        T::Date => Some("'1970-01-01'".into()),
        T::Timestamp { .. } => Some("'1970-01-01 00:00:00'".into()),
        T::Time { .. } => Some("'00:00:00'".into()),
        _ => None,
    }
}

/// Whether a default is a constant, which SQLite's `ADD COLUMN` requires.
fn constant(default: &str) -> bool {
    let d = default.trim();
    d.starts_with(['\'', '-', '+']) || d.starts_with(|c: char| c.is_ascii_digit()) || {
        let upper = d.to_ascii_uppercase();
        matches!(upper.as_str(), "NULL" | "TRUE" | "FALSE")
    }
}

/// The script being written.
struct Out {
    steps: Vec<String>,
    warnings: Vec<String>,
}

impl Out {
    fn step(&mut self, sql: impl Into<String>) {
        self.steps.push(sql.into());
    }

    fn steps(&mut self, sql: Vec<String>) {
        self.steps.extend(sql);
    }

    /// A step that loses data, marked in the script and listed.
    fn destructive(&mut self, sql: impl Into<String>, why: String) {
        self.steps.push(format!(
            "-- Destructive: {}\n{}",
            literal::one_line(&why),
            sql.into()
        ));
        self.warnings.push(why);
    }

    /// What cannot be done here, as a comment in place and a warning.
    fn cannot(&mut self, why: String) {
        self.steps
            .push(format!("-- Not done: {}", literal::one_line(&why)));
        self.warnings.push(why);
    }
}

/// Per table position: each column's definition, by column id.
fn definitions(plan: &Plan) -> Vec<HashMap<Uuid, ColumnSql>> {
    plan.tables
        .iter()
        .map(|t| {
            t.columns
                .iter()
                .map(|c| (c.column.id, column_sql(plan, t, c)))
                .collect()
        })
        .collect()
}

/// The two plans and what matches between them.
struct Diff<'a> {
    d: Dialect,
    rules: &'static dyn Rules,
    old: Plan<'a>,
    new: Plan<'a>,
    old_defs: Vec<HashMap<Uuid, ColumnSql>>,
    new_defs: Vec<HashMap<Uuid, ColumnSql>>,
    /// Old position → new position, for tables in both.
    kept: HashMap<usize, usize>,
    /// (table id, column id) of columns in both versions whose definition changes.
    altered: HashSet<(Uuid, Uuid)>,
    /// Those of them whose type or identity changes, which keys over them must be dropped for.
    retyped: HashSet<(Uuid, Uuid)>,
    /// (table id, column id) of columns dropped from kept tables.
    dropped: HashSet<(Uuid, Uuid)>,
    /// New positions of kept tables that SQLite rebuilds.
    rebuilt: HashSet<usize>,
}

impl<'a> Diff<'a> {
    fn new(from: &'a Diagram, to: &'a Diagram, d: Dialect) -> Self {
        let old = Plan::new(from, d);
        let new = Plan::new(to, d);
        let old_defs = definitions(&old);
        let new_defs = definitions(&new);
        let new_at: HashMap<Uuid, usize> = new
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.table.id, i))
            .collect();
        let kept: HashMap<usize, usize> = old
            .tables
            .iter()
            .enumerate()
            .filter_map(|(i, t)| new_at.get(&t.table.id).map(|&j| (i, j)))
            .collect();
        let mut altered = HashSet::new();
        let mut retyped = HashSet::new();
        let mut dropped = HashSet::new();
        for (&i, &j) in &kept {
            let id = old.tables[i].table.id;
            for (column, def) in &old_defs[i] {
                match new_defs[j].get(column) {
                    Some(new_def) if !same_definition(def, new_def) => {
                        altered.insert((id, *column));
                        if def.ty != new_def.ty || def.identity != new_def.identity {
                            retyped.insert((id, *column));
                        }
                    }
                    Some(_) => {}
                    None => {
                        dropped.insert((id, *column));
                    }
                }
            }
        }
        let mut diff = Self {
            d,
            rules: dialects::rules(d),
            old,
            new,
            old_defs,
            new_defs,
            kept,
            altered,
            retyped,
            dropped,
            rebuilt: HashSet::new(),
        };
        if diff.rules.rebuilds_tables() {
            diff.rebuilt = diff.tables_to_rebuild();
        }
        diff
    }

    fn touches(&self, table: Uuid, columns: &[Uuid]) -> bool {
        columns
            .iter()
            .any(|c| self.retyped.contains(&(table, *c)) || self.dropped.contains(&(table, *c)))
    }

    fn old_fk_keys(&self) -> HashSet<FkKey> {
        self.old
            .foreign_keys
            .iter()
            .map(|fk| fk_key(&self.old, fk))
            .collect()
    }

    fn new_fk_keys(&self) -> HashSet<FkKey> {
        self.new
            .foreign_keys
            .iter()
            .map(|fk| fk_key(&self.new, fk))
            .collect()
    }

    /// Whether a foreign key must be dropped (old side) or added (new side): it is not in the
    /// other version, or one of its columns changes, which MySQL refuses under a foreign key.
    fn fk_changes(&self, key: &FkKey, other: &HashSet<FkKey>) -> bool {
        !other.contains(key)
            || self.touches(key.1, &key.2)
            || self.touches(key.3, &key.4)
            || (self.rules.auto_needs_key() && self.drops_key_under(key))
    }

    /// MySQL: whether a key the foreign key's index could be goes, which the server refuses
    /// while the foreign key needs it; the key is dropped and made again around it.
    fn drops_key_under(&self, fk: &FkKey) -> bool {
        let Some((&i, _)) = self
            .kept
            .iter()
            .find(|(i, _)| self.old.tables[**i].table.id == fk.1)
        else {
            return false;
        };
        let cols = &fk.2;
        self.dropped_keys(i)
            .iter()
            .any(|k| k.key.3.len() >= cols.len() && k.key.3[..cols.len()] == cols[..])
    }

    /// The keys of old table `i` that go: not in the new version, or over a changed column.
    fn dropped_keys(&self, i: usize) -> Vec<Key<'_>> {
        let Some(&j) = self.kept.get(&i) else {
            return Vec::new();
        };
        let new_keys: HashSet<KeyKey> = keys_of(&self.new.tables[j])
            .into_iter()
            .map(|k| k.key)
            .collect();
        keys_of(&self.old.tables[i])
            .into_iter()
            .filter(|k| !new_keys.contains(&k.key) || self.touches(k.key.0, &k.key.3))
            .collect()
    }

    /// Kept tables whose change SQLite's `ALTER TABLE` cannot make.
    fn tables_to_rebuild(&self) -> HashSet<usize> {
        let old_fks = self.old_fk_keys();
        let new_fks = self.new_fk_keys();
        let mut rebuilt = HashSet::new();
        for (&i, &j) in &self.kept {
            let (o, n) = (&self.old.tables[i], &self.new.tables[j]);
            let id = n.table.id;
            let pk = |t: &TablePlan| t.primary_key.iter().map(|c| c.id).collect::<Vec<_>>();
            let uniques = |t: &TablePlan| {
                let mut k: Vec<KeyKey> = keys_of(t)
                    .into_iter()
                    .filter(|k| !k.index)
                    .map(|k| k.key)
                    .collect();
                k.sort();
                k
            };
            let unique_flags_change = self.old_defs[i].iter().any(|(c, def)| {
                self.new_defs[j]
                    .get(c)
                    .is_some_and(|new| new.unique != def.unique)
            });
            let columns_change = self.old_defs[i]
                .keys()
                .any(|c| self.altered.contains(&(id, *c)) || self.dropped.contains(&(id, *c)));
            let hard_addition = n.columns.iter().any(|c| {
                let def = &self.new_defs[j][&c.column.id];
                !self.old_defs[i].contains_key(&c.column.id)
                    && (def.unique
                        || def.default.as_deref().is_some_and(|d| !constant(d))
                        || def.inline_key
                        || c.column.primary_key
                        || (def.not_null && def.default.is_none()))
            });
            let child_fks = |keys: &HashSet<FkKey>| {
                let mut k: Vec<&FkKey> = keys.iter().filter(|k| k.1 == id).collect();
                k.sort();
                k.into_iter().cloned().collect::<Vec<_>>()
            };
            if columns_change
                || unique_flags_change
                || hard_addition
                || pk(o) != pk(n)
                || uniques(o) != uniques(n)
                || child_fks(&old_fks) != child_fks(&new_fks)
                || !checks_missing(o, n).is_empty()
                || !checks_missing(n, o).is_empty()
            {
                rebuilt.insert(j);
            }
        }
        rebuilt
    }
}

/// The script from `from` to `to`.
pub(super) fn script(from: &Diagram, to: &Diagram, d: Dialect) -> Script {
    let diff = Diff::new(from, to, d);
    let mut out = Out {
        steps: Vec::new(),
        warnings: Vec::new(),
    };
    drop_foreign_keys(&diff, &mut out);
    drop_keys(&diff, &mut out);
    drop_checks(&diff, &mut out);
    drop_tables(&diff, &mut out);
    create_extensions(&diff, &mut out);
    create_enums(&diff, &mut out);
    rename_tables(&diff, &mut out);
    for (i, j) in kept_in_order(&diff) {
        if diff.rebuilt.contains(&j) {
            rebuild(&diff, &mut out, i, j);
        } else {
            change_table(&diff, &mut out, i, j);
        }
    }
    create_tables(&diff, &mut out);
    add_keys(&diff, &mut out);
    add_checks(&diff, &mut out);
    add_foreign_keys(&diff, &mut out);
    drop_enums(&diff, &mut out);
    write(&diff, from, to, out)
}

fn write(diff: &Diff, from: &Diagram, to: &Diagram, out: Out) -> Script {
    let mut sql = String::new();
    let name = |d: &Diagram| literal::one_line(d.name.trim());
    let _ = writeln!(
        sql,
        "-- Migration of {} for {}, written by Tablewright",
        name(to),
        diff.d.label()
    );
    if from.name != to.name {
        let _ = writeln!(sql, "-- From the version named {}", name(from));
    }
    for warning in &out.warnings {
        let _ = writeln!(sql, "-- Warning: {}", literal::one_line(warning));
    }
    sql.push('\n');
    if out.steps.is_empty() {
        sql.push_str("-- No changes.\n");
    } else {
        let (start, end) = diff.rules.migration_frame();
        for line in start {
            sql.push_str(line);
            sql.push('\n');
        }
        for step in &out.steps {
            sql.push_str(step);
            sql.push('\n');
        }
        for line in end {
            sql.push_str(line);
            sql.push('\n');
        }
    }
    Script {
        sql,
        warnings: out.warnings,
    }
}

/// The extensions new indexes need (PostgreSQL's `btree_gist` …). None is dropped going back:
/// other objects of the database may use it.
fn create_extensions(diff: &Diff, out: &mut Out) {
    for e in diff
        .new
        .extensions
        .iter()
        .filter(|e| !diff.old.extensions.contains(e))
    {
        out.step(format!("CREATE EXTENSION IF NOT EXISTS {e};"));
    }
}

fn drop_foreign_keys(diff: &Diff, out: &mut Out) {
    if diff.rules.foreign_keys_inline() {
        return;
    }
    let new_keys = diff.new_fk_keys();
    for fk in &diff.old.foreign_keys {
        let key = fk_key(&diff.old, fk);
        if !diff.fk_changes(&key, &new_keys) {
            continue;
        }
        let table = &diff.old.tables[fk.child].sql_name;
        let name = quote(diff.d, &fk.name);
        out.step(
            diff.rules
                .drop_constraint(table, &name, Constraint::ForeignKey),
        );
        if diff.rules.auto_needs_key() && !has_leading_key(&diff.old, fk) {
            // MySQL made an index for the foreign key, named after it; it outlives the key.
            out.step(diff.rules.drop_index(table, None, &name));
        }
    }
}

/// Whether a key of the child table already starts with the foreign key's columns, so that
/// MySQL made no index of its own for it. Keys listed before it in the table count, as do
/// earlier foreign keys' own indexes.
fn has_leading_key(plan: &Plan, fk: &ForeignKey) -> bool {
    let t = &plan.tables[fk.child];
    let cols: Vec<Uuid> = fk.child_columns.iter().map(|c| c.id).collect();
    let starts = |key: &[Uuid]| key.len() >= cols.len() && key[..cols.len()] == cols[..];
    let pk: Vec<Uuid> = t.primary_key.iter().map(|c| c.id).collect();
    if starts(&pk) {
        return true;
    }
    if cols.len() == 1
        && t.columns
            .iter()
            .any(|c| c.column.id == cols[0] && c.column.unique)
    {
        return true;
    }
    if keys_of(t).iter().any(|k| starts(&k.key.3)) {
        return true;
    }
    // An earlier foreign key of the same table over the same leading columns made the index.
    plan.foreign_keys
        .iter()
        .take_while(|other| !std::ptr::eq(*other, fk))
        .any(|other| {
            other.child == fk.child && {
                let key: Vec<Uuid> = other.child_columns.iter().map(|c| c.id).collect();
                starts(&key)
            }
        })
}

/// Drops the indexes and named keys of kept tables that change or lose a column.
fn drop_keys(diff: &Diff, out: &mut Out) {
    for (i, j) in kept_in_order(diff) {
        if diff.rebuilt.contains(&j) {
            continue;
        }
        let t = &diff.old.tables[i];
        for Key { index, name, .. } in diff.dropped_keys(i) {
            let is_index = index;
            let name = quote(diff.d, name);
            let schema = schema_of(t.table)
                .filter(|_| diff.rules.default_schema().is_some())
                .map(|s| quote(diff.d, s));
            out.step(if is_index {
                diff.rules.drop_index(&t.sql_name, schema.as_deref(), &name)
            } else {
                diff.rules
                    .drop_constraint(&t.sql_name, &name, Constraint::Unique)
            });
        }
    }
}

/// Drops the checks of kept tables that go or change, before their columns change (MySQL
/// refuses to drop a column a check names).
fn drop_checks(diff: &Diff, out: &mut Out) {
    for (i, j) in kept_in_order(diff) {
        if diff.rebuilt.contains(&j) {
            continue;
        }
        let (o, n) = (&diff.old.tables[i], &diff.new.tables[j]);
        for (name, _) in checks_missing(n, o) {
            let name = quote(diff.d, name);
            out.step(
                diff.rules
                    .drop_constraint(&o.sql_name, &name, Constraint::Check),
            );
        }
    }
}

/// The kept tables (old and new positions) in the new diagram's order, for a script that is
/// the same each time.
fn kept_in_order(diff: &Diff) -> Vec<(usize, usize)> {
    let mut kept: Vec<(usize, usize)> = diff.kept.iter().map(|(&i, &j)| (i, j)).collect();
    kept.sort_by_key(|&(_, j)| j);
    kept
}

/// Adds the checks of kept tables that are new or changed, once their columns are as they will
/// be; new and rebuilt tables have them in their CREATE TABLE.
fn add_checks(diff: &Diff, out: &mut Out) {
    for (i, j) in kept_in_order(diff) {
        if diff.rebuilt.contains(&j) {
            continue;
        }
        let (o, n) = (&diff.old.tables[i], &diff.new.tables[j]);
        for (name, sql) in checks_missing(o, n) {
            out.step(format!(
                "ALTER TABLE {} ADD {};",
                n.sql_name,
                table::check_clause(diff.d, name, sql)
            ));
        }
    }
}

fn drop_tables(diff: &Diff, out: &mut Out) {
    for (i, t) in diff.old.tables.iter().enumerate() {
        if diff.kept.contains_key(&i) {
            continue;
        }
        if t.columns.is_empty() && !diff.rules.columnless_tables() {
            continue;
        }
        let sql = format!(
            "DROP TABLE {}{};",
            t.sql_name,
            diff.rules.drop_table_suffix()
        );
        out.destructive(sql, format!("drops table {} and its rows", t.sql_name));
    }
}

fn enum_sql(plan: &Plan, e: &model::EnumType) -> String {
    let schema = e.schema.as_deref().filter(|s| !s.trim().is_empty());
    crate::export::names::qualified(plan.dialect, schema, &e.name)
}

/// PostgreSQL: new enum types, renamed ones, and values added to kept ones.
fn create_enums(diff: &Diff, out: &mut Out) {
    if !diff.rules.enum_types() {
        return;
    }
    let d = diff.d;
    for e in &diff.new.diagram.enums {
        let name = enum_sql(&diff.new, e);
        let Some(old) = diff.old.diagram.enums.iter().find(|o| o.id == e.id) else {
            out.step(format!(
                "CREATE TYPE {name} AS ENUM ({});",
                crate::export::mapping::value_list(d, &e.values)
            ));
            continue;
        };
        let old_name = enum_sql(&diff.old, old);
        if old_name != name {
            out.step(format!(
                "ALTER TYPE {old_name} RENAME TO {};",
                quote(d, &e.name)
            ));
        }
        for (at, value) in e.values.iter().enumerate() {
            if old.values.contains(value) {
                continue;
            }
            let place = match at.checked_sub(1).map(|p| &e.values[p]) {
                Some(before) if old.values.contains(before) => {
                    format!(" AFTER {}", literal::write(d, before))
                }
                _ => String::new(),
            };
            out.step(format!(
                "ALTER TYPE {name} ADD VALUE {}{place};",
                literal::write(d, value)
            ));
        }
        for value in old.values.iter().filter(|v| !e.values.contains(v)) {
            out.cannot(format!(
                "PostgreSQL cannot remove the value {value:?} from enum type {name}"
            ));
        }
    }
}

fn drop_enums(diff: &Diff, out: &mut Out) {
    if !diff.rules.enum_types() {
        return;
    }
    for e in &diff.old.diagram.enums {
        if !diff.new.diagram.enums.iter().any(|n| n.id == e.id) {
            let name = enum_sql(&diff.old, e);
            out.destructive(
                format!("DROP TYPE {name};"),
                format!("drops enum type {name}"),
            );
        }
    }
}

/// Whether two names are the same name to the dialect.
fn same_name(diff: &Diff, a: &str, b: &str) -> bool {
    if diff.rules.case_sensitive_names() {
        a == b
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// A name for a table or column between two renames, as in a swap (`a` ↔ `b`).
fn staging_name(k: usize) -> String {
    format!("tablewright_tmp_{k}")
}

/// The renames among `renames` (index, old name, new name) whose new name another one's old
/// name still holds when it runs: these go through a staging name first (`a` → tmp, `b` → `a`,
/// tmp → `b`), whatever the order.
fn staged(diff: &Diff, renames: &[(usize, &str, &str)]) -> HashSet<usize> {
    renames
        .iter()
        .filter(|(i, _, new)| {
            renames
                .iter()
                .any(|(k, old, _)| k != i && same_name(diff, old, new))
        })
        .map(|(i, _, _)| *i)
        .collect()
}

fn rename_tables(diff: &Diff, out: &mut Out) {
    let mut order: Vec<(usize, usize)> = diff.kept.iter().map(|(&i, &j)| (i, j)).collect();
    order.sort_by_key(|&(_, j)| j);
    order.retain(|&(i, j)| diff.old.tables[i].sql_name != diff.new.tables[j].sql_name);
    let renames: Vec<(usize, &str, &str)> = order
        .iter()
        .map(|&(i, j)| {
            let (o, n) = (&diff.old.tables[i], &diff.new.tables[j]);
            (i, o.sql_name.as_str(), n.sql_name.as_str())
        })
        .collect();
    let staged = staged(diff, &renames);
    // A staged table is first renamed to its staging name, in its schema, with what is named
    // after it (PostgreSQL's key constraints); then all others; then the staged ones onwards.
    let staging = |k: usize, i: usize| {
        let o = &diff.old.tables[i];
        let bare = staging_name(k);
        let sql = match o.sql_name.rsplit_once('.') {
            Some((schema, _)) => format!("{schema}.{}", quote(diff.d, &bare)),
            None => quote(diff.d, &bare),
        };
        (sql, bare)
    };
    for (k, &(i, _)) in order.iter().enumerate() {
        if staged.contains(&i) {
            let o = &diff.old.tables[i];
            let (sql, bare) = staging(k, i);
            out.steps(
                diff.rules
                    .rename_table(&o.sql_name, &quote(diff.d, &bare), None),
            );
            after_rename(diff, out, i, &sql, &o.bare_name, &bare);
        }
    }
    for &(i, j) in order.iter().filter(|(i, _)| !staged.contains(i)) {
        let o = &diff.old.tables[i];
        rename_table(diff, out, i, j, &o.sql_name, &o.bare_name);
    }
    for (k, &(i, j)) in order.iter().enumerate() {
        if staged.contains(&i) {
            let (sql, bare) = staging(k, i);
            rename_table(diff, out, i, j, &sql, &bare);
        }
    }
}

/// Renames old table `i` (now called `current`, bare `current_bare`) to new table `j`'s name,
/// moving it to its new schema.
fn rename_table(diff: &Diff, out: &mut Out, i: usize, j: usize, current: &str, current_bare: &str) {
    let (o, n) = (&diff.old.tables[i], &diff.new.tables[j]);
    let keeps = diff.rules.default_schema().is_some();
    let old_schema = schema_of(o.table).filter(|_| keeps);
    let new_schema = schema_of(n.table).filter(|_| keeps);
    let moved = (old_schema != new_schema).then(|| {
        quote(
            diff.d,
            new_schema.unwrap_or(diff.rules.default_schema().unwrap_or("")),
        )
    });
    out.steps(
        diff.rules
            .rename_table(current, &quote(diff.d, &n.bare_name), moved.as_deref()),
    );
    after_rename(diff, out, i, &n.sql_name, current_bare, &n.bare_name);
}

/// What is named after old table `i` follows its rename from `old_bare` to `new_bare` (it is
/// now `table`).
fn after_rename(diff: &Diff, out: &mut Out, i: usize, table: &str, old_bare: &str, new_bare: &str) {
    if old_bare == new_bare {
        return;
    }
    let o = &diff.old.tables[i];
    let uniques: Vec<&str> = o
        .columns
        .iter()
        .filter(|c| diff.old_defs[i][&c.column.id].unique)
        .map(|c| c.column.name.as_str())
        .collect();
    out.steps(diff.rules.after_table_rename(
        table,
        old_bare,
        new_bare,
        &uniques,
        !o.primary_key.is_empty(),
    ));
}

/// The changes to one kept table that its dialect makes in place.
fn change_table(diff: &Diff, out: &mut Out, i: usize, j: usize) {
    let d = diff.d;
    let rules = diff.rules;
    let (o, n) = (&diff.old.tables[i], &diff.new.tables[j]);
    let (od, nd) = (&diff.old_defs[i], &diff.new_defs[j]);
    let table = n.sql_name.as_str();
    let id = n.table.id;
    let old_pk: Vec<Uuid> = o.primary_key.iter().map(|c| c.id).collect();
    let new_pk: Vec<Uuid> = n.primary_key.iter().map(|c| c.id).collect();
    let pk_changes =
        old_pk != new_pk || (!rules.keys_survive_retype() && diff.touches(id, &old_pk));
    // A column losing its identity first, so that the keys it needed (MySQL) can go.
    let mut altered_first = HashSet::new();
    for c in &o.columns {
        let cid = c.column.id;
        if let Some(new) = nd.get(&cid)
            && !od[&cid].identity.is_empty()
            && new.identity.is_empty()
        {
            alter(diff, out, n, &od[&cid], new, c.column.name.as_str(), cid);
            altered_first.insert(cid);
        }
    }
    if pk_changes && !old_pk.is_empty() {
        match rules.drop_primary_key(table, &n.bare_name) {
            Ok(sql) => out.step(sql),
            Err(why) => out.cannot(why),
        }
    }
    for c in &o.columns {
        let cid = c.column.id;
        let old = &od[&cid];
        let unique_goes = old.unique
            && (nd.get(&cid).is_none_or(|new| !new.unique) || diff.retyped.contains(&(id, cid)));
        if unique_goes {
            // Table renames (and the names derived from them) ran before; column renames after.
            let name = &c.column.name;
            match rules.drop_inline_unique(table, &n.bare_name, name, &quote(d, name)) {
                Ok(sql) => out.step(sql),
                Err(why) => out.cannot(why),
            }
        }
    }
    for c in &o.columns {
        if !nd.contains_key(&c.column.id) {
            let name = quote(d, &c.column.name);
            out.destructive(
                rules.drop_column(table, &c.column.name, &name).join("\n"),
                format!("drops column {table}.{name} and its values"),
            );
        }
    }
    // Renames, through a staging name where two swap names (see `staged`).
    let renamed: Vec<(usize, &str, &str)> = n
        .columns
        .iter()
        .enumerate()
        .filter_map(|(k, c)| {
            let old = o.columns.iter().find(|oc| oc.column.id == c.column.id)?;
            (old.column.name != c.column.name).then_some((
                k,
                old.column.name.as_str(),
                c.column.name.as_str(),
            ))
        })
        .collect();
    let staged = staged(diff, &renamed);
    let rename = |out: &mut Out, k: usize, from: &str, to: &str| {
        let cid = n.columns[k].column.id;
        out.step(rules.rename_column(table, &quote(d, from), &quote(d, to), to));
        if od[&cid].unique && nd[&cid].unique && !diff.retyped.contains(&(id, cid)) {
            out.steps(rules.after_column_rename(table, &n.bare_name, from, to));
        }
    };
    for &(k, from, _) in renamed.iter().filter(|(k, _, _)| staged.contains(k)) {
        rename(out, k, from, &staging_name(k));
    }
    for &(k, from, to) in &renamed {
        if staged.contains(&k) {
            continue;
        }
        rename(out, k, from, to);
    }
    for &(k, _, to) in renamed.iter().filter(|(k, _, _)| staged.contains(k)) {
        rename(out, k, &staging_name(k), to);
    }
    for c in &n.columns {
        let cid = c.column.id;
        if altered_first.contains(&cid) || !diff.altered.contains(&(id, cid)) {
            continue;
        }
        let old = o.columns.iter().find(|oc| oc.column.id == cid);
        if let Some(old) = old
            && narrows(&old.parsed.ty, &c.parsed.ty)
        {
            out.warnings.push(format!(
                "{table}.{}: {} becomes {}, which may not hold every value",
                quote(d, &c.column.name),
                od[&cid].ty,
                nd[&cid].ty
            ));
        }
        if rules.auto_needs_key() && !nd[&cid].identity.is_empty() {
            // Given after the keys it needs.
            let mut without = nd[&cid].clone();
            without.identity = "";
            if !same_definition(&od[&cid], &without) {
                alter(diff, out, n, &od[&cid], &without, &c.column.name, cid);
            }
            continue;
        }
        alter(diff, out, n, &od[&cid], &nd[&cid], &c.column.name, cid);
    }
    for c in &n.columns {
        let cid = c.column.id;
        if od.contains_key(&cid) {
            continue;
        }
        add_column(diff, out, n, c, &nd[&cid]);
    }
    if pk_changes && !new_pk.is_empty() {
        out.step(format!(
            "ALTER TABLE {table} ADD PRIMARY KEY ({});",
            column_list(d, &n.primary_key)
        ));
    }
    for c in &n.columns {
        let cid = c.column.id;
        let new = &nd[&cid];
        let was = od.get(&cid).is_some_and(|old| old.unique) && !diff.retyped.contains(&(id, cid));
        if new.unique && !was {
            out.step(format!(
                "ALTER TABLE {table} ADD UNIQUE ({});",
                quote(d, &c.column.name)
            ));
        }
    }
    comments(diff, out, i, j);
}

fn alter(
    diff: &Diff,
    out: &mut Out,
    n: &TablePlan,
    old: &ColumnSql,
    new: &ColumnSql,
    column_bare: &str,
    cid: Uuid,
) {
    let enum_side = |plan: &Plan, t: Uuid| {
        plan.tables
            .iter()
            .find(|p| p.table.id == t)
            .and_then(|p| p.columns.iter().find(|c| c.column.id == cid))
            .is_some_and(|c| matches!(c.parsed.ty, SqlType::NamedEnum(_) | SqlType::Enum(_)))
    };
    let change = ColumnChange {
        table: &n.sql_name,
        table_bare: &n.bare_name,
        column_bare,
        old,
        new,
        via_text: enum_side(&diff.old, n.table.id) || enum_side(&diff.new, n.table.id),
    };
    let (steps, warnings) = diff.rules.alter_column(&change);
    out.steps(steps);
    for why in warnings {
        out.cannot(why);
    }
}

fn add_column(
    diff: &Diff,
    out: &mut Out,
    n: &TablePlan,
    c: &crate::export::plan::ColumnPlan,
    def: &ColumnSql,
) {
    let rules = diff.rules;
    let table = &n.sql_name;
    let mut def = def.clone();
    // An inline UNIQUE comes with the other keys; MySQL's AUTO_INCREMENT after them.
    def.unique = false;
    let later_identity = rules.auto_needs_key() && !def.identity.is_empty();
    if later_identity {
        def.identity = "";
    }
    let fill = def.not_null && def.default.is_none() && def.identity.is_empty() && !c.auto;
    if fill {
        match fill_value(rules, &c.parsed.ty) {
            Some(value) => {
                out.warnings.push(format!(
                    "{table}.{}: existing rows get {value} in the new NOT NULL column",
                    def.name
                ));
                let mut filled = def.clone();
                filled.default = Some(value);
                out.step(rules.add_column(table, &filled.definition(diff.d)));
                let (steps, _) = rules.alter_column(&ColumnChange {
                    table,
                    table_bare: &n.bare_name,
                    column_bare: &c.column.name,
                    old: &filled,
                    new: &def,
                    via_text: false,
                });
                out.steps(steps);
            }
            None => {
                out.warnings.push(format!(
                    "{table}.{}: a NOT NULL column without a default cannot be added to a \
                     table that holds rows",
                    def.name
                ));
                out.step(rules.add_column(table, &def.definition(diff.d)));
            }
        }
    } else {
        out.step(rules.add_column(table, &def.definition(diff.d)));
    }
    if rules.comments() == CommentStyle::CommentOn && !c.column.comment.is_empty() {
        out.step(dialects::comment_on(
            "COLUMN",
            &format!("{table}.{}", def.name),
            &literal::write(diff.d, &c.column.comment),
        ));
    }
}

/// Table and column comments that change (where they are statements of their own).
fn comments(diff: &Diff, out: &mut Out, i: usize, j: usize) {
    let (o, n) = (&diff.old.tables[i], &diff.new.tables[j]);
    let rules = diff.rules;
    let style = rules.comments();
    if matches!(style, CommentStyle::Lines) {
        return;
    }
    if o.table.comment != n.table.comment {
        let schema = schema_of(n.table).filter(|_| rules.default_schema().is_some());
        out.steps(rules.table_comment(&n.sql_name, &n.bare_name, schema, &n.table.comment));
    }
    if style == CommentStyle::ExtendedProperties {
        let schema = schema_of(n.table).filter(|_| rules.default_schema().is_some());
        for c in &n.columns {
            let Some(old) = o.columns.iter().find(|oc| oc.column.id == c.column.id) else {
                continue;
            };
            if old.column.comment != c.column.comment {
                out.steps(rules.column_comment(
                    &n.bare_name,
                    schema,
                    &c.column.name,
                    &c.column.comment,
                ));
            }
        }
        return;
    }
    if style != CommentStyle::CommentOn {
        // Inline comments change with MODIFY.
        return;
    }
    for c in &n.columns {
        let Some(old) = o.columns.iter().find(|oc| oc.column.id == c.column.id) else {
            continue;
        };
        if old.column.comment != c.column.comment {
            let value = if c.column.comment.is_empty() && diff.d == Dialect::Postgresql {
                "NULL".to_string()
            } else {
                literal::write(diff.d, &c.column.comment)
            };
            let target = format!("{}.{}", n.sql_name, quote(diff.d, &c.column.name));
            out.step(dialects::comment_on("COLUMN", &target, &value));
        }
    }
}

/// SQLite: the table made anew under a temporary name, its rows copied, the old one dropped and
/// the new one renamed. Indexes come back with the new keys.
fn rebuild(diff: &Diff, out: &mut Out, i: usize, j: usize) {
    let d = diff.d;
    let (o, n) = (&diff.old.tables[i], &diff.new.tables[j]);
    let (od, nd) = (&diff.old_defs[i], &diff.new_defs[j]);
    let temporary = quote(d, &format!("tablewright_new_{}", n.bare_name));
    let inline: Vec<&ForeignKey> = diff
        .new
        .foreign_keys
        .iter()
        .filter(|fk| fk.child == j)
        .collect();
    let mut create = String::new();
    table::write(&mut create, &diff.new, j, &inline);
    let create = create.replacen(
        &format!("CREATE TABLE {} (", n.sql_name),
        &format!("CREATE TABLE {temporary} ("),
        1,
    );
    out.step(create.trim_end().to_string());
    let mut targets = Vec::new();
    let mut sources = Vec::new();
    for c in &n.columns {
        let cid = c.column.id;
        match o.columns.iter().find(|oc| oc.column.id == cid) {
            Some(old) => {
                targets.push(quote(d, &c.column.name));
                sources.push(quote(d, &old.column.name));
            }
            None => {
                let def = &nd[&cid];
                if def.not_null
                    && def.default.is_none()
                    && !c.auto
                    && let Some(value) = fill_value(diff.rules, &c.parsed.ty)
                {
                    out.warnings.push(format!(
                        "{}.{}: existing rows get {value} in the new NOT NULL column",
                        n.sql_name, def.name
                    ));
                    targets.push(def.name.clone());
                    sources.push(value);
                }
            }
        }
    }
    for c in &o.columns {
        if !nd.contains_key(&c.column.id) {
            let why = format!(
                "drops column {}.{} and its values",
                n.sql_name,
                quote(d, &c.column.name)
            );
            out.step(format!("-- Destructive: {}", literal::one_line(&why)));
            out.warnings.push(why);
        } else if narrows(
            &c.parsed.ty,
            &n.columns
                .iter()
                .find(|nc| nc.column.id == c.column.id)
                .map_or(c.parsed.ty.clone(), |nc| nc.parsed.ty.clone()),
        ) {
            out.warnings.push(format!(
                "{}.{}: {} becomes {}, which may not hold every value",
                n.sql_name,
                quote(d, &c.column.name),
                od[&c.column.id].ty,
                nd[&c.column.id].ty
            ));
        }
    }
    // Renames ran before: the rows are under the new table name and the old column names.
    if !targets.is_empty() {
        out.step(format!(
            "INSERT INTO {temporary} ({}) SELECT {} FROM {};",
            targets.join(", "),
            sources.join(", "),
            n.sql_name
        ));
    }
    out.step(format!("DROP TABLE {};", n.sql_name));
    out.step(format!(
        "ALTER TABLE {temporary} RENAME TO {};",
        quote(d, &n.bare_name)
    ));
}

fn create_tables(diff: &Diff, out: &mut Out) {
    let kept_new: HashSet<usize> = diff.kept.values().copied().collect();
    for j in 0..diff.new.tables.len() {
        if kept_new.contains(&j) {
            continue;
        }
        let inline: Vec<&ForeignKey> = if diff.rules.foreign_keys_inline() {
            diff.new
                .foreign_keys
                .iter()
                .filter(|fk| fk.child == j)
                .collect()
        } else {
            Vec::new()
        };
        let mut sql = String::new();
        table::write(&mut sql, &diff.new, j, &inline);
        out.step(sql.trim_end().to_string());
    }
}

/// Indexes and named keys that are new, changed, on new tables, or on rebuilt ones.
fn add_keys(diff: &Diff, out: &mut Out) {
    let old_keys: HashSet<KeyKey> = diff
        .old
        .tables
        .iter()
        .flat_map(|t| keys_of(t).into_iter().map(|k| k.key))
        .collect();
    let kept_new: HashMap<usize, usize> = diff.kept.iter().map(|(&i, &j)| (j, i)).collect();
    let d = diff.d;
    for (j, t) in diff.new.tables.iter().enumerate() {
        let fresh = !kept_new.contains_key(&j);
        let rebuilt = diff.rebuilt.contains(&j);
        let keys = keys_of(t);
        for (index_at, index) in t.indexes.iter().enumerate() {
            let key = &keys[index_at].key;
            let unchanged = old_keys.contains(key) && !diff.touches(key.0, &key.3);
            if fresh || rebuilt || !unchanged {
                out.step(index_sql(&diff.new, t, index));
            }
        }
        if fresh || rebuilt {
            continue;
        }
        for Key { key, index, name } in keys {
            if index || (old_keys.contains(&key) && !diff.touches(key.0, &key.3)) {
                continue;
            }
            let columns: Vec<&model::Column> =
                key.3.iter().filter_map(|id| t.table.column(*id)).collect();
            let name = quote(d, name);
            out.step(if key.2 {
                format!(
                    "ALTER TABLE {} ADD CONSTRAINT {name} UNIQUE ({});",
                    t.sql_name,
                    column_list(d, &columns)
                )
            } else {
                format!(
                    "ALTER TABLE {} ADD KEY {name} ({});",
                    t.sql_name,
                    column_list(d, &columns)
                )
            });
        }
        // MySQL: identities given now that their keys exist.
        if diff.rules.auto_needs_key()
            && let Some(&i) = kept_new.get(&j)
        {
            for c in &t.columns {
                let cid = c.column.id;
                let new = &diff.new_defs[j][&cid];
                if new.identity.is_empty() {
                    continue;
                }
                let gains = diff.old_defs[i]
                    .get(&cid)
                    .is_none_or(|old| old.identity.is_empty());
                if gains {
                    let mut before = new.clone();
                    before.identity = "";
                    alter(diff, out, t, &before, new, &c.column.name, cid);
                }
            }
        }
    }
}

fn add_foreign_keys(diff: &Diff, out: &mut Out) {
    if diff.rules.foreign_keys_inline() {
        return;
    }
    let old_keys = diff.old_fk_keys();
    for fk in &diff.new.foreign_keys {
        let key = fk_key(&diff.new, fk);
        if diff.fk_changes(&key, &old_keys) {
            out.step(foreign_key_sql(&diff.new, fk));
        }
    }
}
