//! Exported DDL runs on real databases: SQLite in process, PostgreSQL and MariaDB servers, each
//! schema in a fresh database. After running it, the database's own catalog must hold the
//! diagram's tables, columns, primary keys and foreign keys.
//!
//! Servers: `TABLEWRIGHT_TEST_PG_URL` / `TABLEWRIGHT_TEST_MYSQL_URL` when set, else the local
//! ones on their standard ports when they answer. Without a server the test says so and passes,
//! unless `TABLEWRIGHT_REQUIRE_DBS=1`.

mod export_common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ddl::{Dialect, ExportOptions, export, import};
use export_common::catalog::{Catalog, TableInfo, compare, statements};
use model::Diagram;
use sqlx::{AssertSqlSafe, Connection, MySqlConnection, PgConnection, SqliteConnection};

const LOCAL_PG: &str = "postgres://postgres@127.0.0.1:5432/test";
const LOCAL_MYSQL: &str = "mysql://root@127.0.0.1:3306/test";

type Failure = String;

/// Runs `script` statement by statement, so that an error names the statement.
macro_rules! run_script {
    ($conn:expr, $script:expr) => {{
        let mut result: Result<(), Failure> = Ok(());
        for statement in statements($script) {
            if let Err(e) = sqlx::raw_sql(AssertSqlSafe(statement.clone()))
                .execute(&mut *$conn)
                .await
            {
                result = Err(format!("{e}\n    in: {}", first_line(&statement)));
                break;
            }
        }
        result
    }};
}

fn first_line(statement: &str) -> String {
    statement
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(160)
        .collect()
}

/// The script with drops, run twice: the second run proves the drops work on existing tables.
fn script(diagram: &Diagram, dialect: Dialect) -> String {
    export(
        diagram,
        dialect,
        &ExportOptions {
            drop_existing: true,
        },
    )
}

async fn on_sqlite(diagram: &Diagram) -> Result<(), Failure> {
    let mut conn = SqliteConnection::connect("sqlite::memory:")
        .await
        .map_err(|e| e.to_string())?;
    sqlx::raw_sql("PRAGMA foreign_keys = ON")
        .execute(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    let sql = script(diagram, Dialect::Sqlite);
    run_script!(&mut conn, &sql)?;
    run_script!(&mut conn, &sql)?;
    let mut catalog = Catalog::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(|e| e.to_string())?;
    for (table,) in tables {
        let mut info = TableInfo::default();
        let columns: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT name, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid")
                .bind(&table)
                .fetch_all(&mut conn)
                .await
                .map_err(|e| e.to_string())?;
        for (name, not_null, pk) in columns {
            // SQLite lets an INTEGER PRIMARY KEY be NOT NULL without saying so.
            info.columns.push((name.clone(), not_null != 0 || pk != 0));
            if pk != 0 {
                info.primary_key.insert(name);
            }
        }
        let fks: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
        collect_fks(&mut info, fks);
        catalog.insert(table, info);
    }
    check(diagram, Dialect::Sqlite, &catalog)
}

/// Groups `(constraint, parent, child column, parent column)` rows into foreign keys.
fn collect_fks<K: PartialEq>(info: &mut TableInfo, rows: Vec<(K, String, String, Option<String>)>) {
    let mut current: Option<(K, Vec<String>, String, Vec<String>)> = None;
    for (id, parent, from, to) in rows {
        match &mut current {
            Some((cid, from_cols, _, to_cols)) if *cid == id => {
                from_cols.push(from);
                to_cols.push(to.unwrap_or_default());
            }
            _ => {
                if let Some((_, f, p, t)) = current.take() {
                    info.foreign_keys.insert((f, p, t));
                }
                current = Some((id, vec![from], parent, vec![to.unwrap_or_default()]));
            }
        }
    }
    if let Some((_, f, p, t)) = current {
        info.foreign_keys.insert((f, p, t));
    }
}

fn check(diagram: &Diagram, dialect: Dialect, catalog: &Catalog) -> Result<(), Failure> {
    let problems = compare(diagram, dialect, catalog);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n    "))
    }
}

static DATABASES: AtomicUsize = AtomicUsize::new(0);

fn fresh_name() -> String {
    let n = DATABASES.fetch_add(1, Ordering::Relaxed);
    format!("tw_export_{}_{n}", std::process::id())
}

/// `url` with its database (the path) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{name}{query}", &base[..host_end])
}

/// The server URL to test against: from `env`, else `local` when it answers, else `None`.
async fn server<C: Connection>(env: &str, local: &str) -> Option<String> {
    if let Ok(url) = std::env::var(env) {
        return Some(url);
    }
    let answers = tokio::time::timeout(Duration::from_secs(5), C::connect(local)).await;
    match answers {
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Some(local.to_string())
        }
        _ => {
            let required = std::env::var("TABLEWRIGHT_REQUIRE_DBS").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "{env} is not set and no server answers at {local}"
            );
            println!("skipped: no server at {local} (set {env} to test against one)");
            None
        }
    }
}

async fn on_postgres(admin_url: &str, diagram: &Diagram) -> Result<(), Failure> {
    let name = fresh_name();
    let mut admin = PgConnection::connect(admin_url)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .map_err(|e| e.to_string())?;
    let result = async {
        let mut conn = PgConnection::connect(&with_database(admin_url, &name))
            .await
            .map_err(|e| e.to_string())?;
        let sql = script(diagram, Dialect::Postgresql);
        run_script!(&mut conn, &sql)?;
        run_script!(&mut conn, &sql)?;
        let catalog = pg_catalog(&mut conn).await.map_err(|e| e.to_string())?;
        let _ = conn.close().await;
        check(diagram, Dialect::Postgresql, &catalog)
    }
    .await;
    let _ = sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await;
    result
}

async fn pg_catalog(conn: &mut PgConnection) -> Result<Catalog, sqlx::Error> {
    let mut catalog = Catalog::new();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_schema::text, table_name::text FROM information_schema.tables \
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (schema, table) in tables {
        let mut info = TableInfo::default();
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, is_nullable::text FROM information_schema.columns \
             WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
        )
        .bind(&schema)
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        info.columns = columns
            .into_iter()
            .map(|(n, nullable)| (n, nullable == "NO"))
            .collect();
        let relation = "(quote_ident($1) || '.' || quote_ident($2))::regclass";
        let pk: Vec<(String,)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a \
             ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
             WHERE i.indrelid = {relation} AND i.indisprimary"
        )))
        .bind(&schema)
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        info.primary_key = pk.into_iter().map(|(n,)| n).collect();
        let fks: Vec<(String, String, Vec<String>, Vec<String>)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT pns.nspname::text, pcl.relname::text, \
               (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(con.conkey) WITH ORDINALITY k(n, o) \
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n), \
               (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) \
             FROM pg_constraint con JOIN pg_class pcl ON pcl.oid = con.confrelid \
             JOIN pg_namespace pns ON pns.oid = pcl.relnamespace \
             WHERE con.contype = 'f' AND con.conrelid = {relation}"
        )))
        .bind(&schema)
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        for (parent_schema, parent, from, to) in fks {
            info.foreign_keys
                .insert((from, format!("{parent_schema}.{parent}"), to));
        }
        catalog.insert(format!("{schema}.{table}"), info);
    }
    Ok(catalog)
}

async fn on_mariadb(admin_url: &str, diagram: &Diagram, dialect: Dialect) -> Result<(), Failure> {
    let name = fresh_name();
    let mut admin = MySqlConnection::connect(admin_url)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .map_err(|e| e.to_string())?;
    let result = async {
        let mut conn = MySqlConnection::connect(&with_database(admin_url, &name))
            .await
            .map_err(|e| e.to_string())?;
        let sql = script(diagram, dialect);
        run_script!(&mut conn, &sql)?;
        run_script!(&mut conn, &sql)?;
        let catalog = mysql_catalog(&mut conn).await.map_err(|e| e.to_string())?;
        let _ = conn.close().await;
        check(diagram, dialect, &catalog)
    }
    .await;
    let _ = sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}")))
        .execute(&mut admin)
        .await;
    result
}

async fn mysql_catalog(conn: &mut MySqlConnection) -> Result<Catalog, sqlx::Error> {
    let mut catalog = Catalog::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table,) in tables {
        let mut info = TableInfo::default();
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT CAST(column_name AS CHAR), CAST(is_nullable AS CHAR) FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        info.columns = columns
            .into_iter()
            .map(|(n, nullable)| (n, nullable == "NO"))
            .collect();
        let pk: Vec<(String,)> = sqlx::query_as(
            "SELECT CAST(column_name AS CHAR) FROM information_schema.key_column_usage \
             WHERE table_schema = DATABASE() AND table_name = ? AND constraint_name = 'PRIMARY'",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        info.primary_key = pk.into_iter().map(|(n,)| n).collect();
        let fks: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT CAST(constraint_name AS CHAR), CAST(referenced_table_name AS CHAR), \
               CAST(column_name AS CHAR), CAST(referenced_column_name AS CHAR) \
             FROM information_schema.key_column_usage WHERE table_schema = DATABASE() \
             AND table_name = ? AND referenced_table_name IS NOT NULL \
             ORDER BY constraint_name, ordinal_position",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        collect_fks(&mut info, fks);
        catalog.insert(table, info);
    }
    Ok(catalog)
}

/// Where the exported DDL is run.
#[derive(Debug, Clone, Copy)]
enum Target {
    Sqlite,
    Postgres,
    /// MariaDB, running the export for the given dialect (MySQL's output must run there too).
    Mariadb(Dialect),
}

async fn run(target: Target, url: &str, diagram: &Diagram) -> Result<(), Failure> {
    match target {
        Target::Sqlite => on_sqlite(diagram).await,
        Target::Postgres => on_postgres(url, diagram).await,
        Target::Mariadb(dialect) => on_mariadb(url, diagram, dialect).await,
    }
}

async fn url_for(target: Target) -> Option<String> {
    match target {
        Target::Sqlite => Some(String::new()),
        Target::Postgres => server::<PgConnection>("TABLEWRIGHT_TEST_PG_URL", LOCAL_PG).await,
        Target::Mariadb(_) => {
            server::<MySqlConnection>("TABLEWRIGHT_TEST_MYSQL_URL", LOCAL_MYSQL).await
        }
    }
}

async fn shop_runs_on(target: Target) {
    let Some(url) = url_for(target).await else {
        return;
    };
    if let Err(e) = run(target, &url, &export_common::shop()).await {
        panic!("{target:?}: {e}");
    }
}

/// Every corpus schema, imported, exported and run on `target`; prints a row per file.
async fn corpus_runs_on(target: Target) {
    let Some(files) = export_common::corpus() else {
        return;
    };
    let Some(url) = url_for(target).await else {
        return;
    };
    let mut failures = Vec::new();
    for (file, dialect, sql) in files {
        let imported = catch_unwind(AssertUnwindSafe(|| import(&sql, dialect)));
        let outcome = match imported {
            Err(_) => Err("import panicked".to_string()),
            Ok(Err(e)) => Err(format!("import failed: {e}")),
            Ok(Ok(report)) => run(target, &url, &report.diagram)
                .await
                .map(|()| report.diagram.tables.len()),
        };
        match outcome {
            Ok(tables) => println!("{target:?} | {file} | ok | {tables} tables"),
            Err(e) => {
                println!("{target:?} | {file} | FAIL | {e}");
                failures.push(format!("{file}: {e}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} file(s) failed on {target:?}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn hand_built_shop_runs_on_sqlite() {
    shop_runs_on(Target::Sqlite).await;
}

#[tokio::test]
async fn hand_built_shop_runs_on_postgres() {
    shop_runs_on(Target::Postgres).await;
}

#[tokio::test]
async fn hand_built_shop_runs_on_mariadb_as_mariadb_and_as_mysql() {
    shop_runs_on(Target::Mariadb(Dialect::Mariadb)).await;
    shop_runs_on(Target::Mariadb(Dialect::Mysql)).await;
}

#[tokio::test]
async fn every_corpus_schema_runs_on_sqlite() {
    corpus_runs_on(Target::Sqlite).await;
}

#[tokio::test]
async fn every_corpus_schema_runs_on_postgres() {
    corpus_runs_on(Target::Postgres).await;
}

#[tokio::test]
async fn every_corpus_schema_runs_on_mariadb() {
    corpus_runs_on(Target::Mariadb(Dialect::Mariadb)).await;
}

#[tokio::test]
async fn every_corpus_schema_exported_for_mysql_runs_on_mariadb() {
    corpus_runs_on(Target::Mariadb(Dialect::Mysql)).await;
}

#[test]
fn the_catalog_check_notices_missing_tables_columns_and_keys() {
    let shop = export_common::shop();
    let problems = compare(&shop, Dialect::Sqlite, &Catalog::new());
    assert_eq!(
        problems.iter().filter(|p| p.ends_with("missing")).count(),
        shop.tables.len()
    );
    let mut catalog = Catalog::new();
    let users = &shop.tables[0];
    let info = TableInfo {
        columns: users
            .columns
            .iter()
            .map(|c| (c.name.clone(), false))
            .collect(),
        ..TableInfo::default()
    };
    catalog.insert(users.name.clone(), info);
    let problems = compare(&shop, Dialect::Sqlite, &catalog);
    assert!(
        problems.iter().any(|p| p.contains("users: primary key")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("users.email: NOT NULL is false")),
        "{problems:?}"
    );
}
