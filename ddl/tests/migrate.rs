//! Migrations judged by real databases. For every corpus schema, each engine (PostgreSQL, MariaDB
//! with MySQL and MariaDB output, SQLite) and a few seeded sequences of random edits: a database
//! made from `export(from)`, with rows in it, migrated by the up script, holds the catalog of a
//! database made from `export(to)`, and the rows of kept columns; the down script then gives back
//! `from`'s catalog.
//!
//! Servers as in `execute.rs`; without one, that engine is skipped with a message unless
//! `TABLEWRIGHT_REQUIRE_DBS=1`.

mod export_common;

use std::collections::BTreeMap;

use ddl::{Dialect, ExportOptions, export, import, migrate};
use export_common::catalog::Catalog;
use export_common::live::{Database, Engine, LOCAL_MYSQL, LOCAL_PG, server};
use export_common::{Family, column_family};
use model::{Column, Diagram, Index, Relationship, Table, Uuid};
use sqlx::{MySqlConnection, PgConnection};

/// Edit sequences per schema and engine.
const SEQUENCES: u64 = 2;
/// Edits per sequence.
const EDITS: usize = 8;

/// A small deterministic generator (xorshift), so that a failure names its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Ids for new things, distinct from any imported one.
fn new_id(rng: &mut Rng) -> Uuid {
    Uuid::from_u128(u128::from(rng.next()) << 64 | u128::from(rng.next()))
}

/// Columns that random edits leave alone: keys, and columns foreign keys use.
fn is_key(d: &Diagram, t: &Table, c: &Column) -> bool {
    c.primary_key
        || c.unique
        || c.auto_increment
        || t.indexes.iter().any(|i| i.columns.contains(&c.id))
        || d.relationships.iter().any(|r| {
            (r.child_table == t.id && r.child_columns.contains(&c.id))
                || (r.parent_table == t.id && r.parent_columns.contains(&c.id))
        })
}

/// A wider spelling of a type, where there is an obvious one.
fn widened(data_type: &str) -> Option<String> {
    let t = data_type.trim().to_ascii_lowercase();
    if let Some(rest) = t
        .strip_prefix("varchar(")
        .or_else(|| t.strip_prefix("character varying("))
    {
        let n: u32 = rest.trim_end_matches(')').trim().parse().ok()?;
        return Some(format!("varchar({})", n + 40));
    }
    match t.as_str() {
        "int" | "integer" | "int4" | "smallint" | "int2" => Some("bigint".into()),
        _ => None,
    }
}

/// Tables that get rows: those that reference no table, so no foreign key can refuse them.
fn row_tables(d: &Diagram) -> Vec<Uuid> {
    d.tables
        .iter()
        .filter(|t| !d.relationships.iter().any(|r| r.child_table == t.id))
        .filter(|t| !t.columns.is_empty())
        .take(6)
        .map(|t| t.id)
        .collect()
}

/// One random edit of the kinds the issue lists.
fn edit(d: &mut Diagram, rng: &mut Rng, rows: &[Uuid], n: usize) {
    if d.tables.is_empty() {
        return;
    }
    let at = rng.below(d.tables.len());
    let snapshot = d.clone();
    let table = &snapshot.tables[at];
    let free: Vec<usize> = (0..table.columns.len())
        .filter(|&i| !is_key(&snapshot, table, &table.columns[i]))
        .collect();
    match rng.below(13) {
        0 => {
            let mut c = Column::new(format!("added_{n}"), "varchar(30)");
            c.id = new_id(rng);
            if rng.below(2) == 0 {
                c.nullable = false;
                c.default = Some("'x'".into());
            }
            d.tables[at].columns.push(c);
        }
        1 => {
            let mut c = Column::new(format!("counter_{n}"), "integer");
            c.id = new_id(rng);
            // Not null without a default: existing rows get 0.
            c.nullable = false;
            d.tables[at].columns.push(c);
        }
        2 if !free.is_empty() => {
            let i = free[rng.below(free.len())];
            d.tables[at].columns.remove(i);
        }
        3 if !free.is_empty() => {
            let i = free[rng.below(free.len())];
            let c = &mut d.tables[at].columns[i];
            c.name = format!("{}_r{n}", c.name);
        }
        4 => {
            let t = &mut d.tables[at];
            t.name = format!("{}_r{n}", t.name);
        }
        5 if !free.is_empty() => {
            let i = free[rng.below(free.len())];
            let c = &mut d.tables[at].columns[i];
            if let Some(wider) = widened(&c.data_type) {
                c.data_type = wider;
            } else {
                c.nullable = true;
            }
        }
        6 if !free.is_empty() => {
            let i = free[rng.below(free.len())];
            let c = &mut d.tables[at].columns[i];
            if !c.nullable {
                c.nullable = true;
            } else if !rows.contains(&snapshot.tables[at].id) {
                c.nullable = false;
            }
        }
        7 if !free.is_empty() => {
            let i = free[rng.below(free.len())];
            let c = &mut d.tables[at].columns[i];
            let family = column_family(c, &snapshot.enums);
            c.default = match (c.default.is_some(), family) {
                (true, _) => None,
                (false, Family::Integer) => Some("7".into()),
                (false, Family::String) if !c.data_type.to_lowercase().contains("enum") => {
                    Some("'seven'".into())
                }
                _ => c.default.clone(),
            };
        }
        8 if !d.relationships.is_empty() => {
            let r = rng.below(d.relationships.len());
            d.relationships.remove(r);
        }
        9 => add_foreign_key(d, rng, at, n),
        // Two tables of one schema trade names; so do two columns of one table.
        10 => {
            let other = rng.below(d.tables.len());
            if other != at && d.tables[other].schema == d.tables[at].schema {
                let name = std::mem::take(&mut d.tables[at].name);
                d.tables[at].name = std::mem::replace(&mut d.tables[other].name, name);
            }
        }
        11 if free.len() >= 2 => {
            let (a, b) = (free[0], free[free.len() - 1]);
            let columns = &mut d.tables[at].columns;
            let name = std::mem::take(&mut columns[a].name);
            columns[a].name = std::mem::replace(&mut columns[b].name, name);
        }
        _ if !free.is_empty() => {
            let t = &mut d.tables[at];
            if let Some(i) =
                (!t.indexes.is_empty() && rng.below(2) == 0).then(|| rng.below(t.indexes.len()))
            {
                t.indexes.remove(i);
            } else {
                let c = free[rng.below(free.len())];
                let column = t.columns[c].id;
                let id = new_id(rng);
                t.indexes.push(Index {
                    id,
                    name: format!("ix_edit_{n}"),
                    columns: vec![column],
                    unique: false,
                    ..Default::default()
                });
            }
        }
        _ => {
            let mut t = Table::new(format!("added_table_{n}"));
            t.id = new_id(rng);
            t.columns[0].id = new_id(rng);
            let mut name = Column::new("name", "varchar(40)");
            name.id = new_id(rng);
            t.columns.push(name);
            d.tables.push(t);
        }
    }
}

/// A new nullable column in table `at` pointing at a one-column integer key elsewhere.
fn add_foreign_key(d: &mut Diagram, rng: &mut Rng, at: usize, n: usize) {
    let parents: Vec<usize> = (0..d.tables.len())
        .filter(|&p| {
            let pk: Vec<&Column> = d.tables[p].primary_key().collect();
            pk.len() == 1 && column_family(pk[0], &d.enums) == Family::Integer
        })
        .collect();
    if parents.is_empty() {
        return;
    }
    let p = parents[rng.below(parents.len())];
    let parent = &d.tables[p];
    let key = parent.primary_key().next().expect("a key");
    let (parent_id, key_id, key_type) = (parent.id, key.id, key.data_type.clone());
    let mut c = Column::new(format!("ref_{n}"), &key_type);
    c.id = new_id(rng);
    let child_id = d.tables[at].id;
    let column_id = c.id;
    d.tables[at].columns.push(c);
    let mut rel = Relationship::new((child_id, vec![column_id]), (parent_id, vec![key_id]));
    rel.id = new_id(rng);
    d.relationships.push(rel);
}

/// The catalog with columns in name order: ALTER TABLE adds columns at the end, where a fresh
/// CREATE TABLE would put them in diagram order.
fn normalized(catalog: Catalog) -> Catalog {
    catalog
        .into_iter()
        .map(|(name, mut info)| {
            let mut pairs: Vec<_> = info
                .columns
                .drain(..)
                .zip(info.column_types.drain(..))
                .collect();
            pairs.sort_by(|a, b| a.0.0.cmp(&b.0.0));
            for (column, ty) in pairs {
                info.columns.push(column);
                info.column_types.push(ty);
            }
            (name, info)
        })
        .collect()
}

/// Differences between two catalogs, one line each.
fn differences(want: &Catalog, got: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for (name, w) in want {
        match got.get(name) {
            None => out.push(format!("{name}: missing")),
            Some(g) if g != w => out.push(format!("{name}: want {w:?}\n    got {g:?}")),
            Some(_) => {}
        }
    }
    for name in got.keys().filter(|n| !want.contains_key(*n)) {
        out.push(format!("{name}: unexpected"));
    }
    out
}

/// A literal for row `n` of a column, or `None` where the test has no value for its type.
fn value(c: &Column, d: &Diagram, n: usize, engine: Engine) -> Option<String> {
    let lower = c.data_type.to_ascii_lowercase();
    let len: Option<u32> = lower
        .split_once('(')
        .and_then(|(_, a)| a.split([',', ')']).next()?.trim().parse().ok());
    Some(match column_family(c, &d.enums) {
        Family::Integer => format!("{}", n + 1),
        Family::Decimal | Family::Float => format!("{}.5", n + 1),
        Family::Boolean => (if engine == Engine::Postgres {
            "true"
        } else {
            "1"
        })
        .into(),
        Family::String if !lower.contains("enum") && !lower.contains("set(") => {
            let text = format!("v{n}");
            let keep = len.map_or(text.len(), |l| l as usize);
            format!("'{}'", &text[..text.len().min(keep.max(1))])
        }
        Family::Date => format!("'2020-01-0{}'", n + 1),
        Family::Timestamp => format!("'2020-01-01 00:00:0{}'", n + 1),
        _ => return None,
    })
}

/// Inserts up to three rows into each of `tables`; answers the tables that took them.
async fn insert_rows(db: &Database, d: &Diagram, tables: &[Uuid]) -> Vec<Uuid> {
    let mut filled = Vec::new();
    let q = |name: &str| match db.engine {
        Engine::Mariadb => format!("`{name}`"),
        _ => format!("\"{name}\""),
    };
    for id in tables {
        let Some(t) = d.tables.iter().find(|t| t.id == *id) else {
            continue;
        };
        if t.schema
            .as_deref()
            .is_some_and(|s| !s.is_empty() && s != "public")
        {
            continue;
        }
        let mut ok = 0;
        for n in 0..3 {
            let mut names = Vec::new();
            let mut values = Vec::new();
            let mut possible = true;
            for c in &t.columns {
                if c.auto_increment {
                    continue;
                }
                match value(c, d, n, db.engine) {
                    Some(v) => {
                        names.push(q(&c.name));
                        values.push(v);
                    }
                    None if c.nullable && !c.primary_key => {}
                    None => possible = false,
                }
            }
            if !possible || names.is_empty() {
                break;
            }
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                q(&t.name),
                names.join(", "),
                values.join(", ")
            );
            if db
                .run_script(&sql)
                .await
                .is_ok_and(|failed| failed.is_empty())
            {
                ok += 1;
            }
        }
        if ok > 0 {
            filled.push(*id);
        }
    }
    filled
}

/// Row counts of `tables` (by their names in `d`).
async fn counts(db: &Database, d: &Diagram, tables: &[Uuid]) -> BTreeMap<Uuid, i64> {
    let mut out = BTreeMap::new();
    for id in tables {
        let Some(t) = d.tables.iter().find(|t| t.id == *id) else {
            continue;
        };
        let sql = match db.engine {
            Engine::Mariadb => format!("SELECT COUNT(*) FROM `{}`", t.name),
            _ => format!("SELECT COUNT(*) FROM \"{}\"", t.name),
        };
        let n = db.scalar(&sql).await.unwrap_or(-1);
        out.insert(*id, n);
    }
    out
}

async fn check(
    engine: Engine,
    dialect: Dialect,
    admin: &str,
    file: &str,
    from: &Diagram,
    seed: u64,
) -> Result<(usize, bool), String> {
    let mut rng = Rng::new(seed);
    let rows = row_tables(from);
    let mut to = from.clone();
    for n in 0..EDITS {
        edit(&mut to, &mut rng, &rows, n);
    }
    let migration = migrate(from, &to, dialect);
    // Whether the script staged a swap of names: the random edits must reach that path.
    let staged = migration.up.sql.contains("tablewright_tmp_");
    let options = ExportOptions::default();
    let want_to = Database::create(engine, admin).await?;
    let failed = want_to.run_script(&export(&to, dialect, &options)).await?;
    let want_to_catalog = normalized(want_to.catalog().await?);
    want_to.drop().await;
    if !failed.is_empty() {
        return Err(format!("export(to) failed: {}", failed.join("; ")));
    }
    let db = Database::create(engine, admin).await?;
    let result = async {
        let failed = db.run_script(&export(from, dialect, &options)).await?;
        if !failed.is_empty() {
            return Err(format!("export(from) failed: {}", failed.join("; ")));
        }
        let from_catalog = normalized(db.catalog().await?);
        let filled = insert_rows(&db, from, &rows).await;
        let before = counts(&db, from, &filled).await;
        db.run_whole(&migration.up.sql)
            .await
            .map_err(|e| format!("up failed: {e}\n{}", migration.up.sql))?;
        let diff = differences(&want_to_catalog, &normalized(db.catalog().await?));
        if !diff.is_empty() {
            return Err(format!(
                "after up:\n  {}\n{}",
                diff.join("\n  "),
                migration.up.sql
            ));
        }
        let kept: Vec<Uuid> = filled
            .iter()
            .copied()
            .filter(|id| to.tables.iter().any(|t| t.id == *id))
            .collect();
        let after = counts(&db, &to, &kept).await;
        for id in &kept {
            if after.get(id) != before.get(id) {
                return Err(format!(
                    "rows of table {id}: {:?} before, {:?} after up",
                    before.get(id),
                    after.get(id)
                ));
            }
        }
        db.run_whole(&migration.down.sql)
            .await
            .map_err(|e| format!("down failed: {e}\n{}", migration.down.sql))?;
        let diff = differences(&from_catalog, &normalized(db.catalog().await?));
        if !diff.is_empty() {
            return Err(format!(
                "after down:\n  {}\n{}",
                diff.join("\n  "),
                migration.down.sql
            ));
        }
        let _ = file;
        Ok((filled.len(), staged))
    }
    .await;
    db.drop().await;
    result
}

async fn every_schema_migrates_on(engine: Engine, dialects: &[Dialect]) {
    let Some(files) = export_common::corpus() else {
        return;
    };
    let admin = match engine {
        Engine::Postgres => server::<PgConnection>("TABLEWRIGHT_TEST_PG_URL", LOCAL_PG).await,
        Engine::Mariadb => {
            server::<MySqlConnection>("TABLEWRIGHT_TEST_MYSQL_URL", LOCAL_MYSQL).await
        }
        Engine::Sqlite => Some(String::new()),
    };
    let Some(admin) = admin else {
        assert!(
            std::env::var("TABLEWRIGHT_REQUIRE_DBS").as_deref() != Ok("1"),
            "no {engine:?} server"
        );
        println!("skipped: no {engine:?} server");
        return;
    };
    let mut failures = Vec::new();
    let (mut runs, mut filled, mut staged) = (0, 0, 0);
    for (file, source, sql) in &files {
        let Ok(report) = import(sql, *source) else {
            failures.push(format!("{file}: import failed"));
            continue;
        };
        for &dialect in dialects {
            for seed in 0..SEQUENCES {
                runs += 1;
                match check(engine, dialect, &admin, file, &report.diagram, seed + 1).await {
                    Ok((n, swapped)) => {
                        filled += n;
                        staged += usize::from(swapped);
                    }
                    Err(e) => {
                        println!(
                            "{engine:?} {dialect} | {file} | seed {} | FAIL\n{e}",
                            seed + 1
                        );
                        failures.push(format!("{file} {dialect} seed {}", seed + 1));
                    }
                }
            }
        }
    }
    println!(
        "{engine:?}: {runs} runs, {filled} tables held rows, {staged} swapped names, {} failed",
        failures.len()
    );
    assert!(filled > 0, "no table took rows on {engine:?}");
    assert!(staged > 0, "no run swapped names on {engine:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn corpus_migrations_run_on_postgres() {
    every_schema_migrates_on(Engine::Postgres, &[Dialect::Postgresql]).await;
}

#[tokio::test]
async fn corpus_migrations_run_on_mariadb_as_mysql_and_mariadb() {
    every_schema_migrates_on(Engine::Mariadb, &[Dialect::Mysql, Dialect::Mariadb]).await;
}

#[tokio::test]
async fn corpus_migrations_run_on_sqlite() {
    every_schema_migrates_on(Engine::Sqlite, &[Dialect::Sqlite]).await;
}

/// The forms each dialect writes, including SQL Server and Oracle, which no test server runs:
/// a rename stays a rename, a type change is an ALTER, a dropped column is marked destructive.
#[test]
fn each_dialect_writes_its_own_forms() {
    let from = export_common::shop();
    let mut to = from.clone();
    let product = to.tables.iter_mut().find(|t| t.name == "product").unwrap();
    let code = product
        .columns
        .iter_mut()
        .find(|c| c.name == "code")
        .unwrap();
    code.name = "sku".into();
    let price = product
        .columns
        .iter_mut()
        .find(|c| c.name == "price")
        .unwrap();
    price.default = Some("0".into());
    let name = product
        .columns
        .iter_mut()
        .find(|c| c.name == "name")
        .unwrap();
    name.data_type = "varchar(200)".into();
    product.columns.retain(|c| c.name != "photo");
    let forms: [(Dialect, &[&str]); 6] = [
        (
            Dialect::Postgresql,
            &[
                "BEGIN;",
                "ALTER TABLE product RENAME COLUMN code TO sku;",
                "ALTER TABLE product ALTER COLUMN name TYPE VARCHAR(200) USING name::VARCHAR(200);",
                "ALTER TABLE product ALTER COLUMN price SET DEFAULT 0;",
                "ALTER TABLE product DROP COLUMN photo;",
                "COMMIT;",
            ],
        ),
        (
            Dialect::Mysql,
            &[
                "ALTER TABLE product RENAME COLUMN code TO sku;",
                "ALTER TABLE product MODIFY COLUMN name VARCHAR(200) NOT NULL;",
            ],
        ),
        (
            Dialect::Mariadb,
            &["ALTER TABLE product MODIFY COLUMN price DOUBLE DEFAULT 0;"],
        ),
        (
            Dialect::Sqlite,
            &[
                "PRAGMA foreign_keys = OFF;",
                "CREATE TABLE tablewright_new_product (",
                "INSERT INTO tablewright_new_product (id, sku, name, parent_id, price) SELECT id, code, name, parent_id, price FROM product;",
                "ALTER TABLE tablewright_new_product RENAME TO product;",
                "PRAGMA foreign_key_check;",
            ],
        ),
        (
            Dialect::Mssql,
            &[
                "EXEC sp_rename N'product.code', N'sku', N'COLUMN';",
                "ALTER TABLE product ALTER COLUMN name NVARCHAR(200) NOT NULL;",
                "ALTER TABLE product ADD DEFAULT 0 FOR price;",
                "sys.default_constraints",
            ],
        ),
        (
            Dialect::Oracle,
            &[
                "ALTER TABLE product RENAME COLUMN code TO sku;",
                "ALTER TABLE product MODIFY (name VARCHAR2(200));",
                "ALTER TABLE product MODIFY (price DEFAULT 0);",
            ],
        ),
    ];
    for (dialect, wanted) in forms {
        let m = migrate(&from, &to, dialect);
        for form in wanted {
            assert!(
                m.up.sql.contains(form),
                "{dialect}: no {form:?} in\n{}",
                m.up.sql
            );
        }
        assert!(
            m.up.sql
                .contains("-- Destructive: drops column product.photo"),
            "{dialect}:\n{}",
            m.up.sql
        );
        assert!(
            m.up.warnings.iter().any(|w| w.contains("photo")),
            "{dialect}"
        );
        assert!(
            !m.up.sql.contains("DROP COLUMN code"),
            "{dialect}: a rename is not a drop"
        );
        assert!(
            m.down.sql.contains("sku") && m.down.sql.contains("photo"),
            "{dialect}"
        );
        let same = migrate(&from, &from, dialect);
        assert!(
            same.up.sql.contains("-- No changes."),
            "{dialect}: {}",
            same.up.sql
        );
    }
}

/// Two tables trading names, and two columns: each pair goes through a staging name, so no
/// rename meets a name still taken (the random edits run swaps on the real databases).
#[test]
fn swapped_names_are_staged() {
    let from = export_common::shop();
    let mut to = from.clone();
    let (a, b) = (0, 1);
    let name = std::mem::take(&mut to.tables[a].name);
    to.tables[a].name = std::mem::replace(&mut to.tables[b].name, name);
    assert_eq!(
        (from.tables[a].name.as_str(), from.tables[b].name.as_str()),
        ("users", "order")
    );
    let sql = migrate(&from, &to, Dialect::Postgresql).up.sql;
    let order: Vec<&str> = sql.lines().filter(|l| l.contains(" RENAME TO ")).collect();
    assert_eq!(
        order,
        [
            "ALTER TABLE users RENAME TO tablewright_tmp_0;",
            "ALTER TABLE \"order\" RENAME TO tablewright_tmp_1;",
            "ALTER TABLE tablewright_tmp_0 RENAME TO \"order\";",
            "ALTER TABLE tablewright_tmp_1 RENAME TO users;",
        ],
        "{sql}"
    );
    // What PostgreSQL names after a table follows it, through the staging name too.
    assert!(
        sql.contains("RENAME CONSTRAINT tablewright_tmp_0_pkey TO order_pkey;"),
        "{sql}"
    );
    // Back again, the same way.
    let down = migrate(&from, &to, Dialect::Postgresql).down.sql;
    assert!(down.contains("RENAME TO tablewright_tmp_"), "{down}");
}

/// SQL Server keeps column descriptions as extended properties: a changed one is dropped and
/// added again, a cleared one only dropped.
#[test]
fn sql_server_column_descriptions_are_migrated() {
    let from = export_common::shop();
    let mut to = from.clone();
    let (t, c) = (0, 1);
    to.tables[t].columns[c].comment = "Where we write to".into();
    let (table, column) = (&from.tables[t].name, &from.tables[t].columns[c].name);
    let up = migrate(&from, &to, Dialect::Mssql).up.sql;
    let added = format!(
        "EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'Where we write to', \
         @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', \
         @level1name = N'{table}', @level2type = N'COLUMN', @level2name = N'{column}';"
    );
    assert!(up.contains(&added), "{up}");
    assert!(up.contains("COLUMNPROPERTY(OBJECT_ID(N'dbo."), "{up}");
    let down = migrate(&from, &to, Dialect::Mssql).down.sql;
    assert!(down.contains("sp_dropextendedproperty"), "{down}");
    assert!(!down.contains("sp_addextendedproperty"), "{down}");
}
