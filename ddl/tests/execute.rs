//! Exported DDL runs on real databases: SQLite in process, PostgreSQL and MariaDB servers, each
//! schema in a fresh database. After running it, the database's own catalog must hold the
//! diagram's tables, columns, primary keys and foreign keys.
//!
//! Servers: `TABLEWRIGHT_TEST_PG_URL` / `TABLEWRIGHT_TEST_MYSQL_URL` when set, else the local
//! ones on their standard ports when they answer. Without a server the test says so and passes,
//! unless `TABLEWRIGHT_REQUIRE_DBS=1`.

mod export_common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use ddl::{Dialect, ExportOptions, export, import};
use export_common::catalog::{Catalog, TableInfo, compare, statements};
use export_common::live::{
    LOCAL_MYSQL, LOCAL_PG, first_line, fresh_name, mysql_catalog, pg_catalog, sqlite_catalog,
    with_database,
};
use model::Diagram;
use sqlx::{AssertSqlSafe, Connection, MySqlConnection, PgConnection, SqliteConnection};

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
    let catalog = sqlite_catalog(&mut conn).await.map_err(|e| e.to_string())?;
    check(diagram, Dialect::Sqlite, &catalog)
}

fn check(diagram: &Diagram, dialect: Dialect, catalog: &Catalog) -> Result<(), Failure> {
    let problems = compare(diagram, dialect, catalog);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n    "))
    }
}

/// The server URL to test against: from `env`, else `local` when it answers, else `None`
/// (failing instead under `TABLEWRIGHT_REQUIRE_DBS=1`).
async fn server<C: Connection>(env: &str, local: &str) -> Option<String> {
    let url = export_common::live::server::<C>(env, local).await;
    if url.is_none() {
        let required = std::env::var("TABLEWRIGHT_REQUIRE_DBS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{env} is not set and no server answers at {local}"
        );
        println!("skipped: no server at {local} (set {env} to test against one)");
    }
    url
}

async fn on_postgres(admin_url: &str, diagram: &Diagram) -> Result<(), Failure> {
    let name = fresh_name("tw_export");
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

async fn on_mariadb(admin_url: &str, diagram: &Diagram, dialect: Dialect) -> Result<(), Failure> {
    let name = fresh_name("tw_export");
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
