//! Index details — sort order, expressions, conditions, methods, operator classes, included
//! columns — are read, written for the dialect that has them, and left out (with a note) where
//! another database could not take them as written; the real databases hold what was written.

mod common;
mod export_common;

use common::{col, import_ok, table};
use ddl::{Dialect, ExportOptions, export};
use export_common::live::{Database, Engine, LOCAL_PG, PARTIAL, server};
use model::{Diagram, KeyPart, Op};
use sqlx::PgConnection;

const PG: &str = "
CREATE TABLE account (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    tenant integer NOT NULL,
    created_at timestamp NOT NULL,
    deleted_at timestamp,
    lat integer, lon integer,
    address inet
);
CREATE UNIQUE INDEX account_email_live ON account (tenant, lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX account_recent ON account (tenant, created_at DESC) INCLUDE (email);
CREATE INDEX account_place ON account USING gist (lat, lon);
CREATE INDEX account_address ON account USING gist (address inet_ops);
";

/// The PostgreSQL server's admin URL; without one the test says so and passes, except under CI.
async fn postgres() -> Option<String> {
    let admin = server::<PgConnection>("TABLEWRIGHT_TEST_PG_URL", LOCAL_PG).await;
    if admin.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "PostgreSQL is needed under CI"
        );
        println!("skipped: no PostgreSQL");
    }
    admin
}

fn exported(d: &Diagram, to: Dialect) -> String {
    export(d, to, &ExportOptions::default())
}

#[test]
fn postgresql_index_details_are_read() {
    let r = import_ok(PG, Dialect::Postgresql);
    let t = table(&r, "account");
    let live = t
        .indexes
        .iter()
        .find(|i| i.name == "account_email_live")
        .unwrap();
    assert!(live.unique);
    assert_eq!(live.predicate.as_deref(), Some("deleted_at IS NULL"));
    assert_eq!(live.dialect, Some(Dialect::Postgresql));
    let key = live.key();
    assert_eq!(key.len(), 2);
    assert_eq!(
        key[0],
        KeyPart::Column {
            id: col(t, "tenant").id,
            descending: false
        }
    );
    assert!(matches!(key[1], KeyPart::Expression { sql, .. } if sql.contains("lower(email)")));
    let recent = t
        .indexes
        .iter()
        .find(|i| i.name == "account_recent")
        .unwrap();
    assert_eq!(recent.descending, vec![col(t, "created_at").id]);
    assert_eq!(recent.include, vec![col(t, "email").id]);
    let place = t
        .indexes
        .iter()
        .find(|i| i.name == "account_place")
        .unwrap();
    assert_eq!(place.method.as_deref(), Some("gist"));
    let address = t
        .indexes
        .iter()
        .find(|i| i.name == "account_address")
        .unwrap();
    assert_eq!(address.classes[0].class, "inet_ops");
    assert!(
        r.warnings.iter().all(|w| !w.message.contains("not kept")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn postgresql_gets_them_back_and_the_extension_a_gist_index_over_integers_needs() {
    let r = import_ok(PG, Dialect::Postgresql);
    let sql = exported(&r.diagram, Dialect::Postgresql);
    assert!(
        sql.contains("CREATE EXTENSION IF NOT EXISTS btree_gist;"),
        "{sql}"
    );
    assert!(
        sql.contains("ON account (tenant, (lower(email))) WHERE deleted_at IS NULL;"),
        "{sql}"
    );
    assert!(
        sql.contains("ON account (tenant, created_at DESC) INCLUDE (email);"),
        "{sql}"
    );
    assert!(sql.contains("ON account USING gist (lat, lon);"), "{sql}");
    assert!(sql.contains("USING gist (address inet_ops);"), "{sql}");
}

#[test]
fn other_databases_get_what_they_can_hold_and_are_told_the_rest() {
    let r = import_ok(PG, Dialect::Postgresql);
    for to in [
        Dialect::Mysql,
        Dialect::Mariadb,
        Dialect::Sqlite,
        Dialect::Mssql,
        Dialect::Oracle,
    ] {
        let sql = exported(&r.diagram, to);
        // A unique index without its condition would refuse rows PostgreSQL takes.
        assert!(!sql.contains("CREATE UNIQUE INDEX"), "{to}: {sql}");
        assert!(
            sql.contains("account_email_live of account is not written"),
            "{to}: {sql}"
        );
        assert!(sql.contains("without its method gist"), "{to}: {sql}");
        assert!(!sql.contains("gist") || sql.contains("-- "), "{to}");
        assert!(!sql.contains("EXTENSION"), "{to}: {sql}");
        assert!(sql.contains("created_at DESC"), "{to}: {sql}");
    }
    assert!(exported(&r.diagram, Dialect::Mssql).contains("INCLUDE"));
    assert!(!exported(&r.diagram, Dialect::Sqlite).contains("INCLUDE"));
}

#[test]
fn mysql_functional_key_parts_stay_in_mysql_and_leave_mariadb() {
    let sql = "CREATE TABLE t (id int PRIMARY KEY, email varchar(200), KEY t_email ((lower(email)), id DESC));";
    let r = import_ok(sql, Dialect::Mysql);
    let ix = &table(&r, "t").indexes[0];
    assert_eq!(ix.expressions.len(), 1);
    assert_eq!(ix.expressions[0].at, 0);
    let mysql = exported(&r.diagram, Dialect::Mysql);
    assert!(mysql.contains("((lower(email)), id DESC)"), "{mysql}");
    let mariadb = exported(&r.diagram, Dialect::Mariadb);
    assert!(mariadb.contains("ON t (id DESC);"), "{mariadb}");
    assert!(
        mariadb.contains("without its key part lower(email)"),
        "{mariadb}"
    );
}

#[test]
fn removing_a_column_takes_it_out_of_the_key_and_moves_the_expressions_up() {
    let r = import_ok(PG, Dialect::Postgresql);
    let mut d = r.diagram.clone();
    let t = table(&r, "account");
    let inverse = Op::RemoveColumn {
        table_id: t.id,
        column_id: col(t, "tenant").id,
    }
    .apply(&mut d)
    .expect("column removed");
    let live = d.tables[0]
        .indexes
        .iter()
        .find(|i| i.name == "account_email_live")
        .unwrap();
    assert!(live.columns.is_empty());
    assert_eq!(live.expressions[0].at, 0);
    d.validate().expect("still valid");
    inverse.apply(&mut d).expect("undone");
    assert_eq!(d, r.diagram);
}

#[tokio::test]
async fn postgresql_holds_every_detail_written() {
    let Some(admin) = postgres().await else {
        return;
    };
    let r = import_ok(PG, Dialect::Postgresql);
    let db = Database::create(Engine::Postgres, &admin).await.unwrap();
    let failed = db
        .run_script(&exported(&r.diagram, Dialect::Postgresql))
        .await;
    let catalog = db.catalog().await;
    db.drop().await;
    assert_eq!(failed.unwrap(), Vec::<String>::new());
    let info = &catalog.unwrap()["public.account"];
    let parts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(
        info.uniques
            .contains(&parts(&["tenant", "(expr)", PARTIAL])),
        "{info:?}"
    );
    assert!(
        info.indexes
            .contains(&parts(&["tenant", "created_at desc", "+email"])),
        "{info:?}"
    );
    assert!(info.indexes.contains(&parts(&["lat", "lon"])), "{info:?}");
}

#[tokio::test]
async fn a_migration_adding_a_gist_index_over_integers_adds_its_extension_first() {
    let before = import_ok(
        "CREATE TABLE spot (id bigint PRIMARY KEY, lat integer, lon integer);",
        Dialect::Postgresql,
    )
    .diagram;
    let mut after = before.clone();
    let t = &after.tables[0];
    let index = model::Index {
        id: model::Uuid::new_v4(),
        name: "spot_place".into(),
        columns: vec![col(t, "lat").id, col(t, "lon").id],
        method: Some("gist".into()),
        dialect: Some(Dialect::Postgresql),
        ..model::Index::default()
    };
    after.tables[0].indexes.push(index);
    let migration = ddl::migrate(&before, &after, Dialect::Postgresql);
    let up = &migration.up.sql;
    let extension = up
        .find("CREATE EXTENSION IF NOT EXISTS btree_gist;")
        .expect(up);
    assert!(extension < up.find("CREATE INDEX").expect(up), "{up}");
    assert!(
        !migration.down.sql.contains("EXTENSION"),
        "{}",
        migration.down.sql
    );

    let Some(admin) = postgres().await else {
        return;
    };
    let db = Database::create(Engine::Postgres, &admin).await.unwrap();
    let created = db.run_script(&exported(&before, Dialect::Postgresql)).await;
    let migrated = db.run_script(up).await;
    let catalog = db.catalog().await;
    db.drop().await;
    assert_eq!(created.unwrap(), Vec::<String>::new());
    assert_eq!(migrated.unwrap(), Vec::<String>::new());
    let info = &catalog.unwrap()["public.spot"];
    assert!(
        info.indexes
            .contains(&vec!["lat".to_string(), "lon".to_string()]),
        "{info:?}"
    );
}
