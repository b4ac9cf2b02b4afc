//! MySQL's `ON UPDATE CURRENT_TIMESTAMP` is a property of the column: read from dumps, written
//! (with the type's fractional seconds) for MySQL and MariaDB, noted for the others, and set or
//! cleared by migrations; the real server then stamps the rows it changes.

mod common;
mod export_common;

use common::{col, import_ok, table, warned};
use ddl::{Dialect, ExportOptions, export};
use export_common::live::{Database, Engine, LOCAL_MYSQL, server};
use model::{ColumnPatch, Op};
use sqlx::MySqlConnection;

const MYSQL: &str = "
CREATE TABLE `film` (
  `film_id` smallint unsigned NOT NULL AUTO_INCREMENT,
  `title` varchar(128) NOT NULL,
  `last_update` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `touched` datetime(3) DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`film_id`)
) ENGINE=InnoDB;
";

#[test]
fn the_clause_is_read_as_a_property_and_written_per_dialect() {
    let r = import_ok(MYSQL, Dialect::Mysql);
    let t = table(&r, "film");
    assert!(col(t, "last_update").on_update_now);
    assert!(col(t, "touched").on_update_now);
    assert!(!col(t, "title").on_update_now);
    assert!(!warned(&r, &["ON UPDATE"]), "{:?}", r.warnings);
    // The default is the default alone.
    assert_eq!(
        col(t, "last_update").default.as_deref(),
        Some("CURRENT_TIMESTAMP")
    );

    let mariadb = export(&r.diagram, Dialect::Mariadb, &ExportOptions::default());
    assert!(
        mariadb.contains("ON UPDATE CURRENT_TIMESTAMP,")
            && mariadb.contains("ON UPDATE CURRENT_TIMESTAMP(3)"),
        "{mariadb}"
    );
    let pg = export(&r.diagram, Dialect::Postgresql, &ExportOptions::default());
    // Only as a note, once per column.
    let noted = pg
        .matches("/* ON UPDATE CURRENT_TIMESTAMP (MySQL only) */")
        .count();
    assert_eq!((noted, pg.matches("ON UPDATE").count()), (2, 2), "{pg}");
}

#[tokio::test]
async fn mariadb_stamps_changed_rows_and_migrations_set_and_clear_it() {
    let Some(admin) = server::<MySqlConnection>("TABLEWRIGHT_TEST_MYSQL_URL", LOCAL_MYSQL).await
    else {
        assert!(std::env::var("CI").is_err(), "MariaDB is needed under CI");
        println!("skipped: no MariaDB");
        return;
    };
    // From PostgreSQL, whose `timestamp` becomes DATETIME(6): the clause must say (6) too.
    let before = import_ok(
        "CREATE TABLE note (id integer PRIMARY KEY, body text, edited timestamp);",
        Dialect::Postgresql,
    )
    .diagram;
    let mut after = before.clone();
    let (table_id, column_id) = (after.tables[0].id, col(&after.tables[0], "edited").id);
    Op::UpdateColumn {
        table_id,
        column_id,
        patch: ColumnPatch {
            on_update_now: Some(true),
            ..ColumnPatch::default()
        },
    }
    .apply(&mut after)
    .unwrap();
    let stamped = "SELECT COUNT(*) FROM note WHERE edited IS NOT NULL";
    let extra = "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
                 AND TABLE_NAME = 'note' AND EXTRA LIKE '%on update%'";

    // Created with it: an update stamps the row.
    let db = Database::create(Engine::Mariadb, &admin).await.unwrap();
    let script = export(&after, Dialect::Mariadb, &ExportOptions::default());
    let created = db.run_script(&script).await.unwrap();
    db.run_whole("INSERT INTO note (id, body) VALUES (1, 'a')")
        .await
        .unwrap();
    let at_insert = db.scalar(stamped).await.unwrap();
    db.run_whole("UPDATE note SET body = 'b' WHERE id = 1")
        .await
        .unwrap();
    let at_update = db.scalar(stamped).await.unwrap();
    db.drop().await;
    assert_eq!(created, Vec::<String>::new(), "{script}");
    assert_eq!((at_insert, at_update), (0, 1));

    // Migrated to it and back.
    let migration = ddl::migrate(&before, &after, Dialect::Mariadb);
    let db = Database::create(Engine::Mariadb, &admin).await.unwrap();
    let created = db
        .run_script(&export(
            &before,
            Dialect::Mariadb,
            &ExportOptions::default(),
        ))
        .await
        .unwrap();
    let up = db.run_script(&migration.up.sql).await.unwrap();
    let with = db.scalar(extra).await.unwrap();
    let down = db.run_script(&migration.down.sql).await.unwrap();
    let without = db.scalar(extra).await.unwrap();
    db.drop().await;
    assert_eq!(created, Vec::<String>::new());
    assert_eq!(up, Vec::<String>::new(), "{}", migration.up.sql);
    assert_eq!(down, Vec::<String>::new(), "{}", migration.down.sql);
    assert_eq!((with, without), (1, 0), "{}", migration.up.sql);
}
