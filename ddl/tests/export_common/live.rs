//! Real databases for the differential tests: fresh databases on the PostgreSQL and MariaDB
//! servers (or an SQLite file), source scripts loaded through each database's own client, and
//! catalogs read back with keys, uniques and indexes.
//!
//! Servers: `TABLEWRIGHT_TEST_PG_URL` / `TABLEWRIGHT_TEST_MYSQL_URL` when set, else the local
//! ones on their standard ports.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sqlx::{AssertSqlSafe, Connection, MySqlConnection, PgConnection, SqliteConnection};

use super::catalog::{Catalog, ColumnType, TableInfo, statements};

pub const LOCAL_PG: &str = "postgres://postgres@127.0.0.1:5432/test";
pub const LOCAL_MYSQL: &str = "mysql://root@127.0.0.1:3306/test";
/// The last part of a partial index's column list in a catalog.
pub const PARTIAL: &str = "(where)";

static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// A database name no other test of this run uses.
pub fn fresh_name(prefix: &str) -> String {
    let n = DATABASES.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}_{}_{n}", std::process::id())
}

/// `url` with its database (the path) replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
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

/// The server URL from `env`, else `local` when it answers there.
pub async fn server<C: Connection>(env: &str, local: &str) -> Option<String> {
    if let Ok(url) = std::env::var(env) {
        return Some(url);
    }
    let answers = tokio::time::timeout(Duration::from_secs(5), C::connect(local)).await;
    match answers {
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Some(local.to_string())
        }
        _ => None,
    }
}

/// Where a schema is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    Mariadb,
    Sqlite,
}

/// A fresh, empty database of one engine; dropped by [`Database::drop`].
pub struct Database {
    pub engine: Engine,
    /// Connection URL (for SQLite, `sqlite://path`).
    pub url: String,
    admin: String,
    name: String,
}

impl Database {
    pub async fn create(engine: Engine, admin_url: &str) -> Result<Self, String> {
        let name = fresh_name("tw_wider");
        match engine {
            Engine::Postgres => {
                let mut admin = PgConnection::connect(admin_url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Engine::Mariadb => {
                let mut admin = MySqlConnection::connect(admin_url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::raw_sql(AssertSqlSafe(format!(
                    "CREATE DATABASE {name} CHARACTER SET utf8mb4"
                )))
                .execute(&mut admin)
                .await
                .map_err(|e| e.to_string())?;
            }
            Engine::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.sqlite"));
                let _ = std::fs::remove_file(&path);
                return Ok(Self {
                    engine,
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    admin: String::new(),
                    name: path.display().to_string(),
                });
            }
        }
        Ok(Self {
            engine,
            url: with_database(admin_url, &name),
            admin: admin_url.to_string(),
            name,
        })
    }

    pub async fn drop(self) {
        match self.engine {
            Engine::Postgres => {
                if let Ok(mut admin) = PgConnection::connect(&self.admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
                    let _ = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut admin).await;
                }
            }
            Engine::Mariadb => {
                if let Ok(mut admin) = MySqlConnection::connect(&self.admin).await {
                    let sql = format!("DROP DATABASE IF EXISTS {}", self.name);
                    let _ = sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut admin).await;
                }
            }
            Engine::Sqlite => {
                let _ = std::fs::remove_file(&self.name);
            }
        }
    }

    /// Runs a source script through the database's own command-line client (psql, mariadb,
    /// sqlite3), which understands the client syntax dumps carry, going on past errors.
    /// Answers the client's error lines.
    ///
    /// What is loaded is the schema: on PostgreSQL, rows the script inserts are discarded (a rule
    /// on each table it creates, also inside `CREATE SCHEMA`, made by an event trigger), so a foreign key it declares is
    /// created even when the rows it would check came from files the corpus lacks.
    pub fn load_with_client(&self, file: &Path) -> Result<Vec<String>, String> {
        let mut sql = std::fs::read(file).map_err(|e| e.to_string())?;
        if self.engine == Engine::Mariadb {
            sql = mysql8_collations(&sql);
        }
        if self.engine == Engine::Postgres {
            let mut schema_only = SCHEMA_ONLY.as_bytes().to_vec();
            schema_only.extend_from_slice(&sql);
            schema_only.extend_from_slice(SCHEMA_ONLY_END.as_bytes());
            sql = schema_only;
        }
        let mut command = match self.engine {
            Engine::Postgres => {
                let mut c = Command::new("psql");
                c.args(["-X", "-q", "-v", "ON_ERROR_STOP=0", "-d", &self.url]);
                c
            }
            Engine::Mariadb => {
                let (user, host, port) = mysql_parts(&self.url);
                let mut c = Command::new("mariadb");
                c.args([
                    "--no-defaults",
                    "--force",
                    "-h",
                    &host,
                    "-P",
                    &port,
                    "-u",
                    &user,
                ]);
                c.arg(&self.name);
                c
            }
            Engine::Sqlite => {
                let mut c = Command::new("sqlite3");
                c.arg(&self.name);
                c
            }
        };
        // Relative `\copy` and `source` paths resolve beside the file, like a person running it.
        if let Some(dir) = file.parent() {
            command.current_dir(dir);
        }
        let mut child = command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("{:?} client not runnable: {e}", self.engine))?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let _ = stdin.write_all(&sql);
        });
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let _ = writer.join();
        let errors = String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.contains("ERROR") || l.starts_with("Parse error") || l.contains("Error"))
            .map(str::to_string)
            .collect();
        Ok(errors)
    }

    /// Runs an exported script statement by statement; answers the statements that failed.
    pub async fn run_script(&self, script: &str) -> Result<Vec<String>, String> {
        let mut failed = Vec::new();
        macro_rules! each {
            ($conn:expr) => {{
                for statement in statements(script) {
                    if let Err(e) = sqlx::raw_sql(AssertSqlSafe(statement.clone()))
                        .execute(&mut *$conn)
                        .await
                    {
                        failed.push(format!("{e} in: {}", first_line(&statement)));
                    }
                }
            }};
        }
        match self.engine {
            Engine::Postgres => {
                let mut c = PgConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                each!(&mut c);
                let _ = c.close().await;
            }
            Engine::Mariadb => {
                let mut c = MySqlConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                each!(&mut c);
                let _ = c.close().await;
            }
            Engine::Sqlite => {
                let mut c = SqliteConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::raw_sql("PRAGMA foreign_keys = ON")
                    .execute(&mut c)
                    .await
                    .map_err(|e| e.to_string())?;
                each!(&mut c);
                let _ = c.close().await;
            }
        }
        Ok(failed)
    }

    /// Runs a script as one request, as a client given the file would: its own statements
    /// (`BEGIN`, `PRAGMA`, `DO` blocks) decide what happens on an error.
    pub async fn run_whole(&self, script: &str) -> Result<(), String> {
        let sql = AssertSqlSafe(script.to_string());
        let result = match self.engine {
            Engine::Postgres => {
                let mut c = PgConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::raw_sql(sql).execute(&mut c).await.map(|_| ())
            }
            Engine::Mariadb => {
                let mut c = MySqlConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::raw_sql(sql).execute(&mut c).await.map(|_| ())
            }
            Engine::Sqlite => {
                let mut c = SqliteConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::raw_sql(sql).execute(&mut c).await.map(|_| ())
            }
        };
        result.map_err(|e| e.to_string())
    }

    /// The one integer a query answers.
    pub async fn scalar(&self, query: &str) -> Result<i64, String> {
        let sql = AssertSqlSafe(query.to_string());
        let result = match self.engine {
            Engine::Postgres => {
                let mut c = PgConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::query_scalar(sql).fetch_one(&mut c).await
            }
            Engine::Mariadb => {
                let mut c = MySqlConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::query_scalar(sql).fetch_one(&mut c).await
            }
            Engine::Sqlite => {
                let mut c = SqliteConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::query_scalar(sql).fetch_one(&mut c).await
            }
        };
        result.map_err(|e| e.to_string())
    }

    pub async fn catalog(&self) -> Result<Catalog, String> {
        let result = match self.engine {
            Engine::Postgres => {
                let mut c = PgConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                let catalog = pg_catalog(&mut c).await;
                let _ = c.close().await;
                catalog
            }
            Engine::Mariadb => {
                let mut c = MySqlConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                let catalog = mysql_catalog(&mut c).await;
                let _ = c.close().await;
                catalog
            }
            Engine::Sqlite => {
                let mut c = SqliteConnection::connect(&self.url)
                    .await
                    .map_err(|e| e.to_string())?;
                let catalog = sqlite_catalog(&mut c).await;
                let _ = c.close().await;
                catalog
            }
        };
        result.map_err(|e| e.to_string())
    }
}

/// MySQL 8's collation names (`utf8mb4_0900_ai_ci`), which MariaDB before 11.4 does not know,
/// as the nearest MariaDB one, so that a MySQL source can be its own truth on MariaDB.
fn mysql8_collations(sql: &[u8]) -> Vec<u8> {
    const MYSQL8: &[u8] = b"utf8mb4_0900_";
    const MARIADB: &[u8] = b"utf8mb4_unicode_520_ci";
    let mut out = Vec::with_capacity(sql.len());
    let mut i = 0;
    while i < sql.len() {
        if sql[i..].starts_with(MYSQL8) {
            out.extend_from_slice(MARIADB);
            i += MYSQL8.len();
            while i < sql.len() && (sql[i].is_ascii_alphanumeric() || sql[i] == b'_') {
                i += 1;
            }
        } else {
            out.push(sql[i]);
            i += 1;
        }
    }
    out
}

/// User, host and port of a `mysql://user[:pw]@host:port/db` URL.
fn mysql_parts(url: &str) -> (String, String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['/', '?']).next().unwrap_or("");
    let (user, host) = rest.rsplit_once('@').unwrap_or(("root", rest));
    let user = user.split(':').next().unwrap_or("root");
    let (host, port) = host.split_once(':').unwrap_or((host, "3306"));
    (user.to_string(), host.to_string(), port.to_string())
}

pub fn first_line(statement: &str) -> String {
    statement
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(120)
        .collect()
}

/// A column's type as read, its default unless that is NULL.
fn column_type(ty: String, default: Option<String>, auto: bool) -> ColumnType {
    let default = default.filter(|d| {
        let d = d.trim().to_ascii_uppercase();
        !(d.is_empty() || d == "NULL" || d.starts_with("NULL::") || auto)
    });
    ColumnType { ty, default, auto }
}

/// Groups `(constraint, parent, child column, parent column)` rows into foreign keys.
pub fn collect_fks<K: PartialEq>(
    info: &mut TableInfo,
    rows: Vec<(K, String, String, Option<String>)>,
) {
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

/// Tables keyed `schema.name`, system schemas left out.
pub async fn pg_catalog(conn: &mut PgConnection) -> Result<Catalog, sqlx::Error> {
    let mut catalog = Catalog::new();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT n.nspname::text, c.relname::text FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
         AND n.nspname NOT LIKE 'pg_toast%'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (schema, table) in tables {
        let mut info = TableInfo::default();
        let relation = "(quote_ident($1) || '.' || quote_ident($2))::regclass";
        let columns: Vec<(String, bool, String, Option<String>, bool)> =
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT a.attname::text, a.attnotnull, \
                   format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, \
                     CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END), \
                   pg_get_expr(d.adbin, d.adrelid), a.attidentity <> '' \
                 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid \
                 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
                 WHERE a.attrelid = {relation} AND a.attnum > 0 AND NOT a.attisdropped \
                 ORDER BY a.attnum"
            )))
            .bind(&schema)
            .bind(&table)
            .fetch_all(&mut *conn)
            .await?;
        for (name, not_null, ty, default, identity) in columns {
            let auto = identity || default.as_deref().is_some_and(|d| d.contains("nextval("));
            info.columns.push((name, not_null));
            info.column_types.push(column_type(ty, default, auto));
        }
        // Key parts as `name`, `name desc` or `(expr)`; included columns as `+name`; a partial
        // index ends in `(where)`.
        let indexes: Vec<(bool, bool, Vec<String>, bool)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT i.indisprimary, i.indisunique, \
               (SELECT coalesce(array_agg( \
                    CASE WHEN k.o > i.indnkeyatts THEN '+' ELSE '' END \
                    || coalesce(a.attname::text, '(expr)') \
                    || CASE WHEN k.o <= i.indnkeyatts AND (i.indoption[k.o - 1] & 1) = 1 \
                       THEN ' desc' ELSE '' END ORDER BY k.o), '{{}}') \
                  FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) \
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n), \
               i.indpred IS NOT NULL \
             FROM pg_index i WHERE i.indrelid = {relation}"
        )))
        .bind(&schema)
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        for (primary, unique, mut columns, partial) in indexes {
            if partial {
                columns.push(PARTIAL.into());
            }
            if primary {
                info.primary_key = columns.into_iter().collect();
            } else if unique {
                info.uniques.insert(columns);
            } else {
                info.indexes.insert(columns);
            }
        }
        let fks: Vec<(String, String, Vec<String>, Vec<String>)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT pns.nspname::text, pcl.relname::text, \
               (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(con.conkey) WITH ORDINALITY k(n, o) \
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n), \
               (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) \
             FROM pg_constraint con JOIN pg_class pcl ON pcl.oid = con.confrelid \
             JOIN pg_namespace pns ON pns.oid = pcl.relnamespace \
             WHERE con.contype = 'f' AND con.conrelid = {relation} AND con.conparentid = 0"
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

/// Tables of the connection's database, keyed by name.
pub async fn mysql_catalog(conn: &mut MySqlConnection) -> Result<Catalog, sqlx::Error> {
    let mut catalog = Catalog::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table,) in tables {
        let mut info = TableInfo::default();
        let columns: Vec<(String, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT CAST(column_name AS CHAR), CAST(is_nullable AS CHAR), \
               CAST(column_type AS CHAR), CAST(column_default AS CHAR), CAST(extra AS CHAR) \
             FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        for (name, nullable, ty, default, extra) in columns {
            info.columns.push((name, nullable == "NO"));
            let auto = extra.to_ascii_lowercase().contains("auto_increment");
            info.column_types.push(column_type(ty, default, auto));
        }
        let rows: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT CAST(index_name AS CHAR), CAST(non_unique AS SIGNED), \
               CAST(CONCAT(coalesce(column_name, '(expr)'), \
                 CASE WHEN collation = 'D' THEN ' desc' ELSE '' END) AS CHAR) \
             FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? \
             ORDER BY index_name, seq_in_index",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        let mut current: Option<(String, i64, Vec<String>)> = None;
        let mut groups = Vec::new();
        for (name, non_unique, column) in rows {
            match &mut current {
                Some((n, _, cols)) if *n == name => cols.push(column),
                _ => {
                    groups.extend(current.take());
                    current = Some((name, non_unique, vec![column]));
                }
            }
        }
        groups.extend(current);
        for (name, non_unique, columns) in groups {
            if name == "PRIMARY" {
                info.primary_key = columns.into_iter().collect();
            } else if non_unique == 0 {
                info.uniques.insert(columns);
            } else {
                info.indexes.insert(columns);
            }
        }
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

/// Tables keyed by name. Virtual tables (FTS and the like) and the shadow tables their module
/// keeps are a module's storage, not declared tables, and are left out.
pub async fn sqlite_catalog(conn: &mut SqliteConnection) -> Result<Catalog, sqlx::Error> {
    let mut catalog = Catalog::new();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
         AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table,) in tables {
        let mut info = TableInfo::default();
        let columns: Vec<(String, i64, i64, String, Option<String>)> = sqlx::query_as(
            "SELECT name, \"notnull\", pk, type, dflt_value FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        let sql: Option<(String,)> =
            sqlx::query_as("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
                .bind(&table)
                .fetch_optional(&mut *conn)
                .await?;
        let autoincrement =
            sql.is_some_and(|(s,)| s.to_ascii_uppercase().contains("AUTOINCREMENT"));
        for (name, not_null, pk, ty, default) in columns {
            info.columns.push((name.clone(), not_null != 0 || pk != 0));
            let auto = pk != 0 && autoincrement;
            info.column_types.push(column_type(ty, default, auto));
            if pk != 0 {
                info.primary_key.insert(name);
            }
        }
        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)")
                .bind(&table)
                .fetch_all(&mut *conn)
                .await?;
        for (name, unique, origin, partial) in indexes {
            if origin == "pk" {
                continue;
            }
            let cols: Vec<(Option<String>, i64)> = sqlx::query_as(
                "SELECT name, \"desc\" FROM pragma_index_xinfo(?) WHERE key ORDER BY seqno",
            )
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?;
            let mut cols: Vec<String> = cols
                .into_iter()
                .map(|(n, desc)| {
                    let n = n.unwrap_or_else(|| "(expr)".into());
                    if desc != 0 { format!("{n} desc") } else { n }
                })
                .collect();
            if partial != 0 {
                cols.push(PARTIAL.into());
            }
            if unique != 0 {
                info.uniques.insert(cols);
            } else {
                info.indexes.insert(cols);
            }
        }
        let fks: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await?;
        collect_fks(&mut info, fks);
        catalog.insert(table, info);
    }
    Ok(catalog)
}

/// Set before a PostgreSQL source is loaded: every table it creates takes no rows.
const SCHEMA_ONLY: &str = r#"
CREATE FUNCTION public.tw_schema_only() RETURNS event_trigger LANGUAGE plpgsql AS $tw$
DECLARE created record;
BEGIN
  FOR created IN SELECT object_identity FROM pg_event_trigger_ddl_commands()
                 WHERE command_tag = 'CREATE TABLE' AND object_type = 'table' LOOP
    EXECUTE format('CREATE RULE tw_no_rows AS ON INSERT TO %s DO INSTEAD NOTHING',
                   created.object_identity);
  END LOOP;
END $tw$;
CREATE EVENT TRIGGER tw_schema_only ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'CREATE SCHEMA')
  EXECUTE FUNCTION public.tw_schema_only();
"#;

/// Run after it: the trigger and its function go (the rules stay; catalogs do not read them).
const SCHEMA_ONLY_END: &str = r#"
;
DROP EVENT TRIGGER IF EXISTS tw_schema_only;
DROP FUNCTION IF EXISTS public.tw_schema_only();
"#;
