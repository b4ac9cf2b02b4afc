//! The differential test over the wider corpus (`tests/wider/MANIFEST.tsv`): real schema files
//! the rest of the suite was not written against, judged by real databases.
//!
//! For every file: the source is loaded through its own database's client into a fresh database
//! when it is PostgreSQL, MySQL/MariaDB or SQLite, and that catalog is the truth; for SQL Server
//! and Oracle sources the manifest's hand-checked table and foreign-key counts are, with the
//! imported diagram standing in for the rest. The file is imported, exported for PostgreSQL,
//! MySQL, MariaDB and SQLite, each export run in a fresh database, and each catalog compared with
//! the truth: tables, columns (name, order, NOT NULL, type, default), primary keys, foreign keys, unique
//! constraints and indexes. A table per file is printed (and written to
//! `TABLEWRIGHT_WIDER_REPORT` when set).
//!
//! Columns compare by type family (as `export_common::family` reads the type, mapped through
//! the losses the export documents), string length, decimal precision and scale, and whether
//! they have a default (auto-increment columns have none); a type the target lacks may become
//! text, as the mapping table documents. A foreign key column is held to its
//! parent key's type in exports, which give it that type.
//!
//! Indexes that only exist to back a foreign key are left out on both sides: MariaDB makes one
//! for every foreign key, PostgreSQL and SQLite never do. Names compare without case.
//!
//! Unique constraints export adds so that a foreign key has a unique target are left out too.
//!
//! The one index MySQL requires that other databases do not (an auto-increment column must lead
//! some key) is left out of MySQL and MariaDB catalogs when the truth lacks it.
//!
//! Corpus at `TABLEWRIGHT_WIDER_CORPUS`, else `tests/wider` (laid by `scripts/wider-corpus.sh`).
//! Missing files, servers or clients skip with a message, or fail when the corpus is named or
//! `TABLEWRIGHT_REQUIRE_CORPUS=1`.

mod export_common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use ddl::{Dialect, ExportOptions, export, import};
use export_common::catalog::{Catalog, table_key};
use export_common::live::{Database, Engine, LOCAL_MYSQL, LOCAL_PG, PARTIAL, server};
use export_common::{Family, family, family_in};
use model::{Diagram, EnumType, KeyPart};
use sqlx::{MySqlConnection, PgConnection};

/// Whether a missing file, server or client fails the test. The wider corpus is other
/// projects' files, which the repository does not hold: `scripts/wider-corpus.sh` lays them
/// beside the manifest from their sources at the pinned commits, and a run that names the corpus
/// (`TABLEWRIGHT_WIDER_CORPUS`) or asks for it (`TABLEWRIGHT_REQUIRE_CORPUS=1`) must find all of
/// it.
fn required() -> bool {
    std::env::var_os("TABLEWRIGHT_WIDER_CORPUS").is_some()
        || std::env::var("TABLEWRIGHT_REQUIRE_CORPUS").is_ok_and(|v| v == "1")
}

/// Skips (or fails, when required) with `why`.
fn unavailable(why: &str) {
    assert!(!required(), "{why}");
    println!("skipped: {why}");
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("TABLEWRIGHT_WIDER_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/wider"),
    }
}

struct Entry {
    file: String,
    dialect: Dialect,
    /// Hand-checked counts for sources no database here can load.
    expected: Option<(usize, usize)>,
}

fn manifest() -> Option<Vec<Entry>> {
    let dir = corpus_dir();
    let Ok(text) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        unavailable(&format!("no wider corpus at {}", dir.display()));
        return None;
    };
    let mut entries = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert!(f.len() >= 8, "MANIFEST.tsv line has too few fields: {line}");
        let dialect: Dialect = f[1].parse().expect("dialect in MANIFEST.tsv");
        let expected = match (f[6].parse(), f[7].parse()) {
            (Ok(t), Ok(k)) => Some((t, k)),
            _ => None,
        };
        entries.push(Entry {
            file: f[0].to_string(),
            dialect,
            expected,
        });
    }
    Some(entries)
}

/// A catalog in one comparable shape: names lowercased, tables keyed `schema.name` (no schema
/// for the default one), foreign keys naming their parent by that key.
#[derive(Debug, Default, Clone, PartialEq)]
struct Table {
    columns: Vec<(String, bool)>,
    pk: BTreeSet<String>,
    fks: BTreeSet<(Vec<String>, String, Vec<String>)>,
    uniques: BTreeSet<Vec<String>>,
    indexes: BTreeSet<Vec<String>>,
    /// Per column name: type family, length, precision and scale, whether it has a default.
    shapes: BTreeMap<String, Shape>,
}

/// What is compared of a column's type and default.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    family: Family,
    /// Characters of a bounded string type.
    length: Option<u32>,
    /// Precision and scale of a decimal.
    numeric: Option<(u32, u32)>,
    /// A default other than NULL; auto-increment columns count as none.
    default: bool,
}

/// The shape of a column typed `ty`: `varchar(40)` is a string of 40, `numeric(8,2)` a decimal
/// of 8 and 2, `character varying` a string of no length.
fn shape(ty: &str, enums: &[EnumType], default: bool) -> Shape {
    let family = family(ty, enums);
    let lower = ty.to_ascii_lowercase();
    let args: Vec<u32> = lower
        .split_once('(')
        .map(|(_, a)| {
            a.split(')')
                .next()
                .unwrap_or("")
                .split(',')
                .filter_map(|x| x.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let bounded = lower.contains("char") && !lower.contains("[]");
    Shape {
        family,
        length: args
            .first()
            .copied()
            .filter(|_| family == Family::String && bounded),
        numeric: match args.as_slice() {
            [p, s] if family == Family::Decimal => Some((*p, *s)),
            _ => None,
        },
        default,
    }
}

/// Families that one database keeps apart and another cannot: JSON and UUIDs are text in
/// MariaDB and SQLite, arrays JSON.
fn coarse(f: Family) -> Family {
    match f {
        Family::Json | Family::Uuid | Family::Array => Family::String,
        f => f,
    }
}

type Norm = BTreeMap<String, Table>;

fn lower(v: &[String]) -> Vec<String> {
    v.iter().map(|s| s.to_lowercase()).collect()
}

/// Keys without case, except those that would then be equal (`countries` and `Countries` are
/// two tables on a server that tells them apart).
fn fold_keys<'a>(exact: impl Iterator<Item = &'a str>) -> HashMap<String, String> {
    let exact: Vec<&str> = exact.collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for k in &exact {
        *count.entry(k.to_lowercase()).or_default() += 1;
    }
    exact
        .iter()
        .map(|k| {
            let folded = k.to_lowercase();
            let key = if count[&folded] > 1 {
                k.to_string()
            } else {
                folded
            };
            (k.to_string(), key)
        })
        .collect()
}

/// A catalog read from `engine`, its keys mapped by `key` (`None` drops the table), then folded.
fn normalise(catalog: &Catalog, enums: &[EnumType], key: impl Fn(&str) -> Option<String>) -> Norm {
    let exact: Vec<String> = catalog.keys().filter_map(|k| key(k)).collect();
    let folded = fold_keys(exact.iter().map(String::as_str));
    let key = |name: &str| key(name).map(|k| folded.get(&k).cloned().unwrap_or(k.to_lowercase()));
    let mut out = Norm::new();
    for (name, info) in catalog {
        let Some(k) = key(name) else { continue };
        let shapes = info
            .columns
            .iter()
            .zip(&info.column_types)
            .map(|((n, _), c)| (n.to_lowercase(), shape(&c.ty, enums, c.default.is_some())))
            .collect();
        let mut t = Table {
            shapes,
            columns: info
                .columns
                .iter()
                .map(|(n, nn)| (n.to_lowercase(), *nn))
                .collect(),
            pk: info.primary_key.iter().map(|c| c.to_lowercase()).collect(),
            uniques: info.uniques.iter().map(|u| lower(u)).collect(),
            indexes: info.indexes.iter().map(|u| lower(u)).collect(),
            ..Table::default()
        };
        for (from, parent, to) in &info.foreign_keys {
            let parent_key = key(parent).unwrap_or_else(|| parent.to_lowercase());
            let mut to = lower(to);
            // SQLite leaves the parent columns out when the key names the primary key.
            if to.iter().all(String::is_empty) {
                to = catalog
                    .iter()
                    .find(|(n, _)| key(n).as_deref() == Some(parent_key.as_str()))
                    .map(|(_, p)| {
                        p.columns
                            .iter()
                            .filter(|(c, _)| p.primary_key.contains(c))
                            .map(|(c, _)| c.to_lowercase())
                            .collect()
                    })
                    .unwrap_or_default();
            }
            t.fks.insert((lower(from), parent_key, to));
        }
        out.insert(k, t);
    }
    for t in out.values_mut() {
        drop_fk_indexes(t);
    }
    out
}

/// Leaves out plain indexes that only back a foreign key (see the module notes).
fn drop_fk_indexes(t: &mut Table) {
    let fk_columns: BTreeSet<Vec<String>> = t.fks.iter().map(|(c, _, _)| c.clone()).collect();
    t.indexes.retain(|ix| !fk_columns.contains(ix));
}

/// Leaves out the one-column index MySQL export adds for an auto-increment column that leads no
/// key, where the truth has no such index.
fn drop_auto_keys(d: &Diagram, truth: &Norm, got: &mut Norm) {
    for (i, table) in d.tables.iter().enumerate() {
        let key = diagram_key(d, i);
        let Some(t) = got.get_mut(&key) else { continue };
        for c in table.columns.iter().filter(|c| c.auto_increment) {
            let ix = vec![c.name.to_lowercase()];
            let wanted = truth.get(&key).is_some_and(|w| w.indexes.contains(&ix));
            if !wanted {
                t.indexes.remove(&ix);
            }
        }
    }
}

/// Leaves out the unique constraints export adds so that a foreign key has a unique target (the
/// databases require one; a source whose own database did not is read as it is).
fn drop_added_uniques(d: &Diagram, truth: &Norm, got: &mut Norm) {
    for rel in &d.relationships {
        let Some(p) = d.table_position(rel.parent_table) else {
            continue;
        };
        let parent = &d.tables[p];
        let cols: Vec<String> = rel
            .parent_columns
            .iter()
            .filter_map(|&id| parent.column(id).map(|c| c.name.to_lowercase()))
            .collect();
        let key = diagram_key(d, p);
        let wanted = truth.get(&key).is_some_and(|w| w.uniques.contains(&cols));
        if let Some(t) = got.get_mut(&key).filter(|_| !wanted) {
            t.uniques.remove(&cols);
        }
    }
}

/// A diagram table's key as written, before folding.
fn diagram_exact_key(d: &Diagram, at: usize) -> String {
    let t = &d.tables[at];
    match t.schema.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => format!("{s}.{}", t.name),
        None => t.name.clone(),
    }
}

/// A diagram table's comparable key.
fn diagram_key(d: &Diagram, at: usize) -> String {
    let folded = fold_keys(
        (0..d.tables.len())
            .map(|i| diagram_exact_key(d, i))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    folded[&diagram_exact_key(d, at)].clone()
}

/// The source database's own key for a table, before folding.
fn source_key(engine: Engine, name: &str) -> String {
    match engine {
        Engine::Postgres => name.strip_prefix("public.").unwrap_or(name).to_string(),
        _ => name.to_string(),
    }
}

/// The types the source's database said it lacks (`type "public.geometry" does not exist`: an
/// extension the file asks for that this server does not have), without schema.
fn missing_types(errors: &[String]) -> BTreeSet<String> {
    errors
        .iter()
        .filter_map(|e| {
            let (_, rest) = e.split_once("type \"")?;
            let (name, rest) = rest.split_once('"')?;
            rest.trim_start().starts_with("does not exist").then(|| {
                let name = name.rsplit('.').next().unwrap_or(name);
                name.to_ascii_lowercase()
            })
        })
        .collect()
}

/// Keys of the diagram's tables that the source's database could not create because a column
/// has one of the `missing` types: they are not judged, there being no truth to judge them by.
fn unjudged(d: &Diagram, missing: &BTreeSet<String>) -> BTreeSet<String> {
    (0..d.tables.len())
        .filter(|&i| {
            d.tables[i].columns.iter().any(|c| {
                let base = c.data_type.split('(').next().unwrap_or("").trim();
                let base = base.rsplit('.').next().unwrap_or(base);
                missing.contains(&base.trim_matches('"').to_ascii_lowercase())
            })
        })
        .map(|i| diagram_key(d, i))
        .collect()
}

/// What the diagram says, in comparable form.
fn diagram_norm(d: &Diagram) -> Norm {
    let mut out = Norm::new();
    for (i, table) in d.tables.iter().enumerate() {
        let name_of = |id| table.column(id).map(|c| c.name.to_lowercase());
        let shapes = table
            .columns
            .iter()
            .map(|c| {
                let auto = c.auto_increment
                    || c.data_type.to_ascii_lowercase().contains("serial")
                    || c.default.as_deref().is_some_and(|x| x.contains("nextval("));
                let default = c.default.as_deref().is_some_and(|x| {
                    let x = x.trim().to_ascii_uppercase();
                    !(x.is_empty() || x == "NULL" || x.starts_with("NULL::"))
                });
                let shape = shape(&c.data_type, &d.enums, default && !auto);
                (c.name.to_lowercase(), shape)
            })
            .collect();
        let mut t = Table {
            shapes,
            columns: table
                .columns
                .iter()
                .map(|c| (c.name.to_lowercase(), !c.nullable || c.primary_key))
                .collect(),
            pk: table.primary_key().map(|c| c.name.to_lowercase()).collect(),
            ..Table::default()
        };
        for c in table.columns.iter().filter(|c| c.unique) {
            t.uniques.insert(vec![c.name.to_lowercase()]);
        }
        for ix in &table.indexes {
            let desc = |name: String, descending: bool| {
                if descending {
                    format!("{name} desc")
                } else {
                    name
                }
            };
            let mut cols: Vec<String> = ix
                .key()
                .into_iter()
                .filter_map(|part| match part {
                    KeyPart::Column { id, descending } => Some(desc(name_of(id)?, descending)),
                    KeyPart::Expression { descending, .. } => {
                        Some(desc("(expr)".into(), descending))
                    }
                })
                .collect();
            cols.extend(
                ix.include
                    .iter()
                    .filter_map(|&id| Some(format!("+{}", name_of(id)?))),
            );
            if ix.predicate.is_some() {
                cols.push(PARTIAL.into());
            }
            if ix.unique {
                t.uniques.insert(cols);
            } else {
                t.indexes.insert(cols);
            }
        }
        for rel in d.relationships.iter().filter(|r| r.child_table == table.id) {
            let Some(p) = d.table_position(rel.parent_table) else {
                continue;
            };
            let parent = &d.tables[p];
            let from = rel.child_columns.iter().filter_map(|&id| name_of(id));
            let to = rel
                .parent_columns
                .iter()
                .filter_map(|&id| parent.column(id).map(|c| c.name.to_lowercase()));
            t.fks
                .insert((from.collect(), diagram_key(d, p), to.collect()));
        }
        drop_fk_indexes(&mut t);
        out.insert(diagram_key(d, i), t);
    }
    out
}

/// The truth an export is held to: a foreign key column has its parent key's type there, as
/// export writes it (sources declare `NUMBER` against `NUMBER(6)`, which targets refuse).
fn with_parent_types(truth: &Norm) -> Norm {
    let mut out = truth.clone();
    for (key, t) in truth {
        for (from, parent, to) in &t.fks {
            for (c, p) in from.iter().zip(to) {
                let Some(ps) = truth.get(parent).and_then(|pt| pt.shapes.get(p)) else {
                    continue;
                };
                if let Some(cs) = out.get_mut(key).and_then(|ct| ct.shapes.get_mut(c)) {
                    cs.family = ps.family;
                    cs.length = ps.length;
                    cs.numeric = ps.numeric;
                }
            }
        }
    }
    out
}

/// What of an index a target is given, as the export documents it: expressions and a condition
/// only in the dialect (family) they were read from and where the target has them; included
/// columns where the target has them; a unique index that would lose part of its key or its
/// condition is not written, nor one left with no key.
fn portable(truth: &Norm, from: Dialect, to: Dialect) -> Norm {
    let mysql = |d| matches!(d, Dialect::Mysql | Dialect::Mariadb);
    let own = from == to || (mysql(from) && mysql(to));
    let expressions = own && matches!(to, Dialect::Postgresql | Dialect::Sqlite | Dialect::Mysql);
    let partial = own && matches!(to, Dialect::Postgresql | Dialect::Sqlite);
    let include = matches!(to, Dialect::Postgresql);
    let keep = |parts: &[String], unique: bool| -> Option<Vec<String>> {
        let mut lost = false;
        let kept: Vec<String> = parts
            .iter()
            .filter(|p| {
                let gone = (p.starts_with("(expr)") && !expressions)
                    || (p.as_str() == PARTIAL && !partial)
                    || (p.starts_with('+') && !include);
                lost |= gone && !p.starts_with('+');
                !gone
            })
            .cloned()
            .collect();
        let key = kept
            .iter()
            .any(|p| !p.starts_with('+') && p.as_str() != PARTIAL);
        (key && !(unique && lost)).then_some(kept)
    };
    let mut out = truth.clone();
    for t in out.values_mut() {
        t.uniques = t.uniques.iter().filter_map(|u| keep(u, true)).collect();
        t.indexes = t.indexes.iter().filter_map(|u| keep(u, false)).collect();
        // What is left may now only back a foreign key, as the target's catalog is read.
        drop_fk_indexes(t);
    }
    out
}

/// Differences by element, counted.
#[derive(Debug, Default, Clone)]
struct Diff {
    tables: usize,
    columns: usize,
    not_null: usize,
    pk: usize,
    fks: usize,
    uniques: usize,
    indexes: usize,
    /// Column type family, length or precision, default present.
    types: usize,
    lengths: usize,
    defaults: usize,
    details: Vec<String>,
}

impl Diff {
    fn total(&self) -> usize {
        self.tables
            + self.columns
            + self.not_null
            + self.pk
            + self.fks
            + self.uniques
            + self.indexes
            + self.types
            + self.lengths
            + self.defaults
    }

    fn summary(&self) -> String {
        let parts = [
            ("tbl", self.tables),
            ("col", self.columns),
            ("null", self.not_null),
            ("pk", self.pk),
            ("fk", self.fks),
            ("uq", self.uniques),
            ("ix", self.indexes),
            ("type", self.types),
            ("len", self.lengths),
            ("def", self.defaults),
        ];
        let s: Vec<String> = parts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(k, n)| format!("{k}:{n}"))
            .collect();
        if s.is_empty() {
            "0".into()
        } else {
            s.join(" ")
        }
    }
}

fn sym<T: Ord + Clone + std::fmt::Debug>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> Vec<String> {
    let mut out: Vec<String> = a.difference(b).map(|x| format!("-{x:?}")).collect();
    out.extend(b.difference(a).map(|x| format!("+{x:?}")));
    out
}

/// `got` against the truth `want`; `target` is the dialect `got` was exported for (the type
/// families it cannot keep are mapped as the export documents), `None` for the import itself.
fn diff(want: &Norm, got: &Norm, target: Option<Dialect>) -> Diff {
    let mut d = Diff::default();
    for (key, w) in want {
        let Some(g) = got.get(key) else {
            d.tables += 1;
            d.details.push(format!("table {key} missing"));
            continue;
        };
        let wc: Vec<&str> = w.columns.iter().map(|(n, _)| n.as_str()).collect();
        let gc: Vec<&str> = g.columns.iter().map(|(n, _)| n.as_str()).collect();
        if wc != gc {
            let ws: BTreeSet<&str> = wc.iter().copied().collect();
            let gs: BTreeSet<&str> = gc.iter().copied().collect();
            let n = ws.symmetric_difference(&gs).count().max(1);
            d.columns += n;
            d.details
                .push(format!("{key}: columns {wc:?} became {gc:?}"));
        }
        for (name, nn) in &w.columns {
            if let Some((_, gnn)) = g.columns.iter().find(|(n, _)| n == name)
                && gnn != nn
            {
                d.not_null += 1;
                d.details
                    .push(format!("{key}.{name}: NOT NULL {nn} became {gnn}"));
            }
        }
        for (name, ws) in &w.shapes {
            let Some(gs) = g.shapes.get(name) else {
                continue;
            };
            let want_family = target.map_or(ws.family, |t| family_in(ws.family, t));
            // A type the target lacks is written as text (the mapping's "anything else").
            let as_text = want_family == Family::Other && gs.family == Family::String;
            if coarse(want_family) != coarse(gs.family) && !as_text {
                d.types += 1;
                d.details.push(format!(
                    "{key}.{name}: type {:?} became {:?}",
                    ws.family, gs.family
                ));
                continue;
            }
            let lengths = ws.length.zip(gs.length).is_some_and(|(a, b)| a != b);
            let numerics = ws.numeric.zip(gs.numeric).is_some_and(|(a, b)| a != b);
            if lengths || numerics {
                d.lengths += 1;
                d.details.push(format!(
                    "{key}.{name}: size {:?}{:?} became {:?}{:?}",
                    ws.length, ws.numeric, gs.length, gs.numeric
                ));
            }
            if ws.default != gs.default {
                d.defaults += 1;
                d.details.push(format!(
                    "{key}.{name}: default present {} became {}",
                    ws.default, gs.default
                ));
            }
        }
        if w.pk != g.pk {
            d.pk += 1;
            d.details
                .push(format!("{key}: primary key {:?} became {:?}", w.pk, g.pk));
        }
        let fks = sym(&w.fks, &g.fks);
        let uniques = sym(&w.uniques, &g.uniques);
        let indexes = sym(&w.indexes, &g.indexes);
        d.fks += fks.len();
        d.uniques += uniques.len();
        d.indexes += indexes.len();
        for (what, s) in [
            ("foreign keys", fks),
            ("uniques", uniques),
            ("indexes", indexes),
        ] {
            if !s.is_empty() {
                d.details.push(format!("{key}: {what} {}", s.join(" ")));
            }
        }
    }
    for key in got.keys().filter(|k| !want.contains_key(*k)) {
        d.tables += 1;
        d.details.push(format!("unexpected table {key}"));
    }
    d
}

/// The targets every file is exported to, and where each runs.
const TARGETS: [(Dialect, Engine); 4] = [
    (Dialect::Postgresql, Engine::Postgres),
    (Dialect::Mysql, Engine::Mariadb),
    (Dialect::Mariadb, Engine::Mariadb),
    (Dialect::Sqlite, Engine::Sqlite),
];

fn source_engine(d: Dialect) -> Option<Engine> {
    match d {
        Dialect::Postgresql => Some(Engine::Postgres),
        Dialect::Mysql | Dialect::Mariadb => Some(Engine::Mariadb),
        Dialect::Sqlite => Some(Engine::Sqlite),
        Dialect::Mssql | Dialect::Oracle => None,
    }
}

struct Servers {
    pg: String,
    mysql: String,
}

impl Servers {
    fn admin(&self, engine: Engine) -> &str {
        match engine {
            Engine::Postgres => &self.pg,
            Engine::Mariadb => &self.mysql,
            Engine::Sqlite => "",
        }
    }
}

/// One file's row of the report.
struct Row {
    file: String,
    dialect: Dialect,
    source_tables: usize,
    imported_tables: usize,
    source_fks: usize,
    imported_fks: usize,
    import_errors: usize,
    /// Tables left unjudged: the source's database lacks a type they use.
    unjudged: Vec<String>,
    /// Against the truth (source catalog), when there is one.
    import_diff: Option<Diff>,
    /// Per target: statements that failed, and the catalog's differences from the truth.
    targets: Vec<(Dialect, usize, Diff, Vec<String>)>,
}

impl Row {
    fn ok(&self) -> bool {
        self.imported_tables == self.source_tables
            && self.imported_fks == self.source_fks
            && self
                .targets
                .iter()
                .all(|(_, failed, diff, _)| *failed == 0 && diff.total() == 0)
    }
}

async fn check_file(entry: &Entry, servers: &Servers) -> Result<Row, String> {
    let path = corpus_dir().join(&entry.file);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let sql = String::from_utf8_lossy(&bytes).into_owned();
    let report = catch_unwind(AssertUnwindSafe(|| import(&sql, entry.dialect)))
        .map_err(|_| "import panicked".to_string())?
        .map_err(|e| format!("import failed: {e}"))?;
    let diagram = report.diagram;
    let mut imported = diagram_norm(&diagram);
    let mut not_judged = BTreeSet::new();
    // The truth: the source's own catalog, or the manifest's counts and the diagram.
    let (truth, source_tables, source_fks, imported_tables, imported_fks, import_diff) =
        match source_engine(entry.dialect).filter(|_| entry.expected.is_none()) {
            Some(engine) => {
                let db = Database::create(engine, servers.admin(engine)).await?;
                let loaded = db.load_with_client(&path);
                let catalog = db.catalog().await;
                db.drop().await;
                not_judged = unjudged(&diagram, &missing_types(&loaded?));
                imported.retain(|k, _| !not_judged.contains(k));
                let truth = normalise(&catalog?, &diagram.enums, |k| Some(source_key(engine, k)));
                let fks: usize = truth.values().map(|t| t.fks.len()).sum();
                let tables = truth.keys().filter(|k| imported.contains_key(*k)).count();
                let found_fks = truth
                    .iter()
                    .map(|(k, t)| {
                        imported
                            .get(k)
                            .map_or(0, |i| t.fks.intersection(&i.fks).count())
                    })
                    .sum();
                let d = diff(&truth, &imported, None);
                (truth.clone(), truth.len(), fks, tables, found_fks, Some(d))
            }
            None => {
                let (t, k) = entry.expected.ok_or("no expected counts in the manifest")?;
                let fks = imported.values().map(|t| t.fks.len()).sum();
                (imported.clone(), t, k, imported.len(), fks, None)
            }
        };
    let export_truth = with_parent_types(&truth);
    let mut targets = Vec::new();
    for (dialect, engine) in TARGETS {
        let script = export(&diagram, dialect, &ExportOptions::default());
        let db = Database::create(engine, servers.admin(engine)).await?;
        let failed = db.run_script(&script).await;
        let catalog = db.catalog().await;
        db.drop().await;
        let failed = failed?;
        // Target keys back to the diagram's tables.
        let keys: HashMap<String, String> = (0..diagram.tables.len())
            .map(|i| {
                let k = source_key(engine, &table_key(&diagram, i, dialect));
                (k, diagram_exact_key(&diagram, i))
            })
            .collect();
        let got = normalise(&catalog?, &diagram.enums, |k| {
            let k = source_key(engine, k);
            Some(keys.get(&k).cloned().unwrap_or(k))
        });
        let mut got = got;
        got.retain(|k, _| !not_judged.contains(k));
        if engine == Engine::Mariadb {
            drop_auto_keys(&diagram, &truth, &mut got);
        }
        drop_added_uniques(&diagram, &truth, &mut got);
        targets.push((
            dialect,
            failed.len(),
            diff(
                &portable(&export_truth, entry.dialect, dialect),
                &got,
                Some(dialect),
            ),
            failed,
        ));
    }
    Ok(Row {
        file: entry.file.clone(),
        dialect: entry.dialect,
        source_tables,
        imported_tables,
        source_fks,
        imported_fks,
        import_errors: report.errors.len(),
        unjudged: not_judged.into_iter().collect(),
        import_diff,
        targets,
    })
}

fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| file | dialect | tables imp/src | FKs imp/src | import errors | import diff | → postgresql | → mysql | → mariadb | → sqlite |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let targets: Vec<String> = r
            .targets
            .iter()
            .map(|(_, failed, diff, _)| {
                let ran = if *failed == 0 {
                    "ran".to_string()
                } else {
                    format!("{failed} stmt failed")
                };
                format!("{ran}; diff {}", diff.summary())
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {}/{} | {}/{} | {} | {} | {} |",
            r.file,
            r.dialect,
            r.imported_tables,
            r.source_tables,
            r.imported_fks,
            r.source_fks,
            r.import_errors,
            r.import_diff.as_ref().map_or("-".into(), Diff::summary),
            targets.join(" | ")
        );
    }
    for r in rows.iter().filter(|r| !r.unjudged.is_empty()) {
        let _ = writeln!(
            out,
            "\n{}: not judged, the source's database lacks a type they use: {}",
            r.file,
            r.unjudged.join(", ")
        );
    }
    let sum = |f: &dyn Fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    let exports = rows.len() * TARGETS.len();
    let ran = sum(&|r| r.targets.iter().filter(|t| t.1 == 0).count());
    let clean = sum(&|r| {
        r.targets
            .iter()
            .filter(|t| t.1 == 0 && t.2.total() == 0)
            .count()
    });
    let _ = writeln!(
        out,
        "\ntotal: {} files; tables {}/{}; FKs {}/{}; exports ran {ran}/{exports}; exports matching the source catalog {clean}/{exports}",
        rows.len(),
        sum(&|r| r.imported_tables),
        sum(&|r| r.source_tables),
        sum(&|r| r.imported_fks),
        sum(&|r| r.source_fks),
    );
    out
}

#[tokio::test]
async fn every_wider_corpus_file_imports_whole_and_exports_the_same_catalog() {
    let Some(entries) = manifest() else {
        return;
    };
    let missing: Vec<&str> = entries
        .iter()
        .filter(|e| !corpus_dir().join(&e.file).exists())
        .map(|e| e.file.as_str())
        .collect();
    if !missing.is_empty() {
        unavailable(&format!(
            "{} wider corpus file(s) missing from {} (scripts/wider-corpus.sh lays them): {}",
            missing.len(),
            corpus_dir().display(),
            missing.join(", ")
        ));
        return;
    }
    let pg = server::<PgConnection>("TABLEWRIGHT_TEST_PG_URL", LOCAL_PG).await;
    let mysql = server::<MySqlConnection>("TABLEWRIGHT_TEST_MYSQL_URL", LOCAL_MYSQL).await;
    let (Some(pg), Some(mysql)) = (pg, mysql) else {
        unavailable(
            "the PostgreSQL and MariaDB servers are needed (TABLEWRIGHT_TEST_PG_URL, TABLEWRIGHT_TEST_MYSQL_URL)",
        );
        return;
    };
    let servers = Servers { pg, mysql };
    let only = std::env::var("TABLEWRIGHT_WIDER_ONLY").unwrap_or_default();
    // Differences listed per file and target (all are counted in the table).
    let shown: usize = std::env::var("TABLEWRIGHT_WIDER_DETAILS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for entry in entries.iter().filter(|e| e.file.contains(&only)) {
        match check_file(entry, &servers).await {
            Ok(row) => {
                if !row.ok() {
                    let mut p = format!(
                        "{}: tables {}/{}, FKs {}/{}",
                        row.file,
                        row.imported_tables,
                        row.source_tables,
                        row.imported_fks,
                        row.source_fks
                    );
                    if let Some(d) = &row.import_diff {
                        for detail in d.details.iter().take(shown + 2) {
                            let _ = write!(p, "\n    import: {detail}");
                        }
                    }
                    for (dialect, _, diff, failed) in &row.targets {
                        for f in failed.iter().take(3) {
                            let _ = write!(p, "\n    {dialect}: failed: {f}");
                        }
                        for detail in diff.details.iter().take(shown) {
                            let _ = write!(p, "\n    {dialect}: {detail}");
                        }
                    }
                    problems.push(p);
                }
                rows.push(row);
            }
            Err(e) => problems.push(format!("{}: {e}", entry.file)),
        }
    }
    let table = render(&rows);
    println!("{table}");
    if let Ok(path) = std::env::var("TABLEWRIGHT_WIDER_REPORT") {
        let details = problems.join("\n");
        let _ = std::fs::write(path, format!("{table}\n{details}\n"));
    }
    assert!(
        problems.is_empty(),
        "{} of {} file(s) differ:\n{}",
        problems.len(),
        rows.len(),
        problems.join("\n")
    );
}
