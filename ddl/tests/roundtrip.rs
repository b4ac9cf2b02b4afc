//! Round trip over the shared corpus: for every file and every target dialect,
//! import(export(import(file))) holds the same tables, columns (name, type family, nullability,
//! primary key, unique, default, auto-increment), indexes and foreign keys.
//!
//! "Same" allows for what the target cannot express, as documented by the exporter: schemas are
//! dropped outside PostgreSQL and SQL Server, Oracle has no boolean, some dialects no uuid or JSON
//! type, SQLite auto-increments only a one-column primary key, a foreign key to columns that were
//! not unique gains a unique constraint, and Oracle drops indexes that repeat a key.

mod export_common;

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use ddl::{Dialect, ExportOptions, export, import};
use export_common::{Family, column_family, family_in};
use model::{Action, Column, Diagram, Table, Uuid};

/// A default's meaning, read independently of the exporter.
#[derive(Debug, Clone, PartialEq)]
enum Default {
    None,
    Number(String),
    Text(String),
    Now,
    Today,
    NewUuid,
    /// An expression export does not translate; not compared.
    Other,
}

/// Removes parentheses around the whole text (`((0))`, `(getdate())`).
fn strip(mut s: &str) -> &str {
    loop {
        s = s.trim();
        let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) else {
            return s;
        };
        let mut depth = 0i32;
        let balanced = inner.chars().all(|c| {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            depth >= 0
        });
        if !balanced || depth != 0 {
            return s;
        }
        s = inner;
    }
}

fn read_default(c: &Column, fam: Family) -> Default {
    let Some(raw) = c.default.as_deref() else {
        return Default::None;
    };
    let mut s = strip(raw);
    if let Some(at) = s.find("::") {
        s = strip(&s[..at]);
    }
    let lower = s.to_ascii_lowercase();
    let lower = lower
        .split(" on update")
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let unquoted = lower
        .strip_prefix("n'")
        .map(|x| format!("'{x}"))
        .unwrap_or(lower.clone());
    let literal = unquoted
        .strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .map(|x| x.replace("''", "'").replace("\\'", "'"));
    let boolean = |v: &str| match v {
        "true" | "t" | "1" | "b'1'" | "y" => Some("1"),
        "false" | "f" | "0" | "b'0'" | "n" => Some("0"),
        _ => None,
    };
    if lower == "null" || lower.is_empty() || lower.starts_with("nextval") {
        return Default::None;
    }
    let as_boolean = boolean(literal.as_deref().unwrap_or(&unquoted));
    if let (Family::Boolean | Family::Integer, Some(b)) = (fam, as_boolean) {
        return Default::Number(b.to_string());
    }
    if fam == Family::String && literal.is_none() && unquoted.parse::<f64>().is_ok() {
        return Default::Text(unquoted);
    }
    let number_text = literal.clone().unwrap_or(unquoted.clone());
    let numeric = matches!(
        fam,
        Family::Integer | Family::Decimal | Family::Float | Family::Boolean
    );
    if let Ok(n) = number_text.parse::<f64>()
        && (numeric || literal.is_none())
    {
        return Default::Number(format!("{n}"));
    }
    if let Some(text) = literal {
        if text.starts_with("0000-00-00") {
            return Default::Other;
        }
        // Original case matters in text; read it again from the raw default.
        let original = raw_literal(s).unwrap_or(text);
        return Default::Text(original);
    }
    let call = lower.split('(').next().unwrap_or("").trim();
    match call {
        "current_timestamp" | "now" | "getdate" | "sysdate" | "systimestamp" | "localtimestamp"
        | "sysdatetime" | "getutcdate" | "datetime" => Default::Now,
        "current_date" | "curdate" | "trunc" | "date" | "cast" => Default::Today,
        "gen_random_uuid" | "uuid" | "newid" | "sys_guid" | "uuid_generate_v4" => Default::NewUuid,
        _ => Default::Other,
    }
}

fn raw_literal(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s
        .strip_prefix(['N', 'n'])
        .filter(|x| x.starts_with('\''))
        .unwrap_or(s);
    s.strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .map(|x| {
            x.replace("''", "'")
                .replace("\\'", "'")
                .replace("\\\\", "\\")
        })
}

fn is_auto(c: &Column) -> bool {
    let ty = c.data_type.to_ascii_lowercase();
    let default = c.default.as_deref().unwrap_or("").to_ascii_lowercase();
    c.auto_increment || ty.contains("serial") || default.starts_with("nextval")
}

fn keeps_schemas(d: Dialect) -> bool {
    matches!(d, Dialect::Postgresql | Dialect::Mssql)
}

fn table_key(diagram: &Diagram, t: &Table, d: Dialect) -> String {
    let schema = t.schema.as_deref().filter(|s| !s.is_empty());
    if keeps_schemas(d) {
        return format!("{}.{}", schema.unwrap_or(""), t.name);
    }
    let clashes = diagram
        .tables
        .iter()
        .filter(|o| o.name.eq_ignore_ascii_case(&t.name))
        .count()
        > 1;
    match schema {
        Some(s) if clashes => format!(".{s}_{}", t.name),
        _ => format!(".{}", t.name),
    }
}

fn names(t: &Table, ids: &[Uuid]) -> Vec<String> {
    ids.iter()
        .filter_map(|&id| t.column(id))
        .map(|c| c.name.clone())
        .collect()
}

/// Unique column sets (inline flags and unique indexes), without the primary key itself.
fn uniques(t: &Table) -> BTreeSet<BTreeSet<String>> {
    let pk: BTreeSet<String> = t.primary_key().map(|c| c.name.clone()).collect();
    let mut out: BTreeSet<BTreeSet<String>> = t
        .columns
        .iter()
        .filter(|c| c.unique)
        .map(|c| BTreeSet::from([c.name.clone()]))
        .collect();
    out.extend(
        t.indexes
            .iter()
            .filter(|i| i.unique)
            .map(|i| names(t, &i.columns).into_iter().collect()),
    );
    out.remove(&pk);
    out
}

/// Non-unique indexes, without those that repeat the primary key or one of `uniques`.
fn plain_indexes(t: &Table, uniques: &BTreeSet<BTreeSet<String>>) -> BTreeSet<Vec<String>> {
    let pk: Vec<String> = t.primary_key().map(|c| c.name.clone()).collect();

    t.indexes
        .iter()
        .filter(|i| !i.unique)
        .map(|i| names(t, &i.columns))
        .filter(|cols| *cols != pk && !uniques.contains(&cols.iter().cloned().collect()))
        .collect()
}

fn action(a: Action, d: Dialect, on_update: bool, not_null: bool) -> Action {
    match (d, a) {
        (Dialect::Mysql | Dialect::Mariadb | Dialect::Mssql, Action::SetNull) if not_null => {
            Action::NoAction
        }
        (Dialect::Mssql | Dialect::Oracle, Action::Restrict) => Action::NoAction,
        (Dialect::Oracle, _) if on_update => Action::NoAction,
        (Dialect::Oracle | Dialect::Mysql | Dialect::Mariadb, Action::SetDefault) => {
            Action::NoAction
        }
        (_, a) => a,
    }
}

/// Child table, child columns, parent table, parent columns, ON DELETE, ON UPDATE.
type Fk = (String, Vec<String>, String, Vec<String>, String, String);

fn foreign_keys(diagram: &Diagram, d: Dialect, normalise: bool) -> BTreeSet<Fk> {
    diagram
        .relationships
        .iter()
        .filter_map(|r| {
            let child = diagram.table(r.child_table)?;
            let parent = diagram.table(r.parent_table)?;
            let not_null = r
                .child_columns
                .iter()
                .filter_map(|&id| child.column(id))
                .any(|c| !c.nullable || c.primary_key);
            let (del, upd) = if normalise {
                (
                    action(r.on_delete, d, false, not_null),
                    action(r.on_update, d, true, not_null),
                )
            } else {
                (r.on_delete, r.on_update)
            };
            let fix = |a: Action| {
                if a == Action::Restrict && matches!(d, Dialect::Mssql | Dialect::Oracle) {
                    Action::NoAction
                } else {
                    a
                }
            };
            Some((
                table_key(diagram, child, d),
                names(child, &r.child_columns),
                table_key(diagram, parent, d),
                names(parent, &r.parent_columns),
                format!("{:?}", fix(del)),
                format!("{:?}", fix(upd)),
            ))
        })
        .collect()
}

/// Differences between the first import and the re-import of its export to `d`.
fn differences(before: &Diagram, after: &Diagram, d: Dialect) -> Vec<String> {
    let mut problems = Vec::new();
    let kept: Vec<&Table> = before
        .tables
        .iter()
        .filter(|t| d == Dialect::Postgresql || !t.columns.is_empty())
        .collect();
    let want: BTreeSet<String> = kept.iter().map(|t| table_key(before, t, d)).collect();
    let got: BTreeSet<String> = after
        .tables
        .iter()
        .map(|t| table_key(after, t, d))
        .collect();
    for missing in want.difference(&got) {
        problems.push(format!("table {missing} missing"));
    }
    for extra in got.difference(&want) {
        problems.push(format!("unexpected table {extra}"));
    }
    let parents: BTreeSet<(String, BTreeSet<String>)> = before
        .relationships
        .iter()
        .filter_map(|r| {
            let p = before.table(r.parent_table)?;
            Some((
                table_key(before, p, d),
                names(p, &r.parent_columns).into_iter().collect(),
            ))
        })
        .collect();
    for t in kept {
        let key = table_key(before, t, d);
        let Some(u) = after.tables.iter().find(|u| table_key(after, u, d) == key) else {
            continue;
        };
        let cols = |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        if cols(t) != cols(u) {
            problems.push(format!("{key}: columns {:?} became {:?}", cols(t), cols(u)));
            continue;
        }
        let sole_pk = |t: &Table, c: &Column| t.primary_key().count() == 1 && c.primary_key;
        let mut auto_seen = false;
        for (a, b) in t.columns.iter().zip(&u.columns) {
            let at = format!("{key}.{}", a.name);
            let fa = column_family(a, &before.enums);
            let fb = column_family(b, &after.enums);
            if family_in(fa, d) != fb && !(fa == Family::Other && d != Dialect::Postgresql) {
                problems.push(format!(
                    "{at}: type {} ({fa:?}) became {} ({fb:?})",
                    a.data_type, b.data_type
                ));
            }
            let auto_a = is_auto(a);
            let auto_expected = auto_a
                && match d {
                    Dialect::Sqlite => sole_pk(t, a),
                    Dialect::Postgresql => true,
                    _ => !auto_seen,
                };
            auto_seen |= auto_expected;
            if auto_expected != is_auto(b) {
                problems.push(format!(
                    "{at}: auto-increment {auto_a} became {}",
                    is_auto(b)
                ));
            }
            let null_a = a.nullable && !a.primary_key && !auto_expected;
            let null_b = b.nullable && !b.primary_key && !is_auto(b);
            if null_a != null_b {
                problems.push(format!("{at}: nullable {null_a} became {null_b}"));
            }
            if a.primary_key != b.primary_key {
                problems.push(format!(
                    "{at}: primary key {} became {}",
                    a.primary_key, b.primary_key
                ));
            }
            let da = match read_default(a, fa) {
                _ if auto_expected => Default::None,
                // Oracle's SYS_GUID() is RAW, not CHAR(36) text; SQLite's is an expression.
                Default::NewUuid if d == Dialect::Oracle => Default::None,
                Default::NewUuid if d == Dialect::Sqlite => Default::Other,
                other => other,
            };
            let db = read_default(b, fb);
            if da != Default::Other && da != db {
                problems.push(format!(
                    "{at}: default {:?} became {:?}",
                    a.default, b.default
                ));
            }
        }
        let (ua, ub) = (uniques(t), uniques(u));
        let added: Vec<_> = ub
            .difference(&ua)
            .filter(|s| !parents.contains(&(key.clone(), (*s).clone())))
            .collect();
        let lost: Vec<_> = ua.difference(&ub).collect();
        if !added.is_empty() || !lost.is_empty() {
            problems.push(format!(
                "{key}: unique sets lost {lost:?}, gained {added:?}"
            ));
        }
        // An index that repeats a unique set (one export may have added) is redundant.
        let all_uniques: BTreeSet<_> = ua.union(&ub).cloned().collect();
        let (ia, ib) = (
            plain_indexes(t, &all_uniques),
            plain_indexes(u, &all_uniques),
        );
        if ia != ib {
            problems.push(format!("{key}: indexes {ia:?} became {ib:?}"));
        }
    }
    let (fa, fb) = (foreign_keys(before, d, true), foreign_keys(after, d, false));
    for missing in fa.difference(&fb) {
        problems.push(format!("foreign key {missing:?} missing"));
    }
    for extra in fb.difference(&fa) {
        problems.push(format!("unexpected foreign key {extra:?}"));
    }
    problems
}

/// The hand-built diagram survives a round trip through every dialect.
#[test]
fn hand_built_shop_round_trips_through_every_dialect() {
    let shop = export_common::shop();
    let mut failures = Vec::new();
    for d in Dialect::ALL {
        let sql = export(&shop, d, &ExportOptions::default());
        match catch_unwind(AssertUnwindSafe(|| import(&sql, d))) {
            Ok(Ok(report)) => {
                let problems = differences(&shop, &report.diagram, d);
                if !problems.is_empty() {
                    failures.push(format!("{d}:\n  {}", problems.join("\n  ")));
                }
            }
            Ok(Err(e)) => failures.push(format!("{d}: import failed: {e}")),
            Err(_) => failures.push(format!("{d}: import panicked")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_corpus_file_round_trips_through_every_dialect() {
    let Some(files) = export_common::corpus() else {
        return;
    };
    let mut failures = 0;
    println!("file | {}", Dialect::ALL.map(|d| d.name()).join(" | "));
    for (file, dialect, sql) in files {
        let first = match catch_unwind(AssertUnwindSafe(|| import(&sql, dialect))) {
            Ok(Ok(report)) => report.diagram,
            Ok(Err(e)) => {
                println!("{file} | first import failed: {e}");
                failures += 1;
                continue;
            }
            Err(_) => {
                println!("{file} | first import panicked");
                failures += 1;
                continue;
            }
        };
        let mut row = Vec::new();
        let mut details = Vec::new();
        for d in Dialect::ALL {
            let exported = export(&first, d, &ExportOptions::default());
            let again = catch_unwind(AssertUnwindSafe(|| import(&exported, d)));
            let problems = match again {
                Ok(Ok(report)) => {
                    let mut p = differences(&first, &report.diagram, d);
                    p.extend(report.errors.iter().map(|e| {
                        format!("import error at {}:{}: {}", e.line, e.column, e.message)
                    }));
                    p
                }
                Ok(Err(e)) => vec![format!("import failed: {e}")],
                Err(_) => vec!["import panicked".to_string()],
            };
            if problems.is_empty() {
                row.push("ok".to_string());
            } else {
                failures += 1;
                row.push(format!("{} diffs", problems.len()));
                details.push(format!(
                    "  {d}: {}",
                    problems
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("\n      ")
                ));
            }
        }
        println!("{file} | {}", row.join(" | "));
        for line in details {
            println!("{line}");
        }
    }
    assert_eq!(
        failures, 0,
        "{failures} file × dialect round trips differ (table above)"
    );
}
