//! CHECK constraints: read from each dialect's usual forms (pg_dump's, SSMS's, inline and
//! table-level, named or not), written for every target so that the real database refuses the
//! rows the source refuses and takes the others, and changed by migrations.

mod common;
mod export_common;

use common::{col, import_ok, table, warned};
use ddl::{Dialect, ExportOptions, export};
use export_common::live::{Database, Engine, LOCAL_MYSQL, LOCAL_PG, server};
use model::{Check, Diagram, Op, Uuid};
use sqlx::{MySqlConnection, PgConnection};

/// pg_dump's spelling: casts, `= ANY (ARRAY[…])`, conditions in extra brackets, and names
/// PostgreSQL gave the unnamed ones.
const PG: &str = "
CREATE TABLE public.product (
    id integer NOT NULL,
    price numeric(8,2) NOT NULL CHECK (price >= 0),
    rating character varying(5),
    code character varying(10),
    CONSTRAINT product_rating CHECK (((rating)::text = ANY ((ARRAY['G'::character varying, 'PG'::character varying])::text[]))),
    CHECK ((char_length((code)::text) >= 2)),
    CONSTRAINT product_pkey PRIMARY KEY (id)
);
ALTER TABLE ONLY public.product ADD CONSTRAINT product_code_short CHECK ((char_length((code)::text) <= 5));
";

/// SSMS's spelling: bracketed, every literal in brackets, `WITH CHECK ADD`.
const MSSQL: &str = "
CREATE TABLE [dbo].[product](
    [id] [int] NOT NULL,
    [price] [decimal](8, 2) NOT NULL,
    [rating] [nvarchar](5) NULL,
    [code] [nvarchar](10) NULL,
    [born] [datetime] NULL,
 CONSTRAINT [PK_product] PRIMARY KEY CLUSTERED ([id] ASC)
) ON [PRIMARY]
GO
ALTER TABLE [dbo].[product]  WITH CHECK ADD  CONSTRAINT [CK_product_price] CHECK  (([price]>=(0)))
GO
ALTER TABLE [dbo].[product] CHECK CONSTRAINT [CK_product_price]
GO
ALTER TABLE [dbo].[product]  WITH CHECK ADD  CONSTRAINT [CK_product_rating] CHECK  (([rating]=N'PG' OR [rating]=N'G'))
GO
ALTER TABLE [dbo].[product]  WITH CHECK ADD  CONSTRAINT [CK_product_code] CHECK  ((len([code])>=(2) AND len([code])<=(5)))
GO
ALTER TABLE [dbo].[product]  WITH CHECK ADD  CONSTRAINT [CK_product_born] CHECK  (([born]<getdate()))
GO
";

const MYSQL: &str = "
CREATE TABLE `product` (
  `id` int NOT NULL,
  `price` decimal(8,2) NOT NULL,
  `rating` varchar(5) DEFAULT NULL,
  `code` varchar(10) DEFAULT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `product_chk_1` CHECK ((`price` >= 0)),
  CONSTRAINT `product_chk_2` CHECK ((`rating` in (_utf8mb4'G',_utf8mb4'PG'))),
  CONSTRAINT `product_chk_3` CHECK ((char_length(`code`) between 2 and 5))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
";

const SQLITE: &str = "
CREATE TABLE product (
  id INTEGER PRIMARY KEY,
  price NUMERIC NOT NULL CHECK (price >= 0),
  rating TEXT CHECK (rating IN ('G', 'PG')),
  code TEXT,
  CHECK (length(code) BETWEEN 2 AND 5)
);
";

/// Rows each version of `product` must take, and rows it must refuse (one rule broken each).
const GOOD: [&str; 2] = ["(1, 5, 'G', 'ab')", "(2, 0, NULL, 'abcde')"];
const BAD: [&str; 3] = [
    "(3, -1, 'G', 'ab')",
    "(4, 5, 'X', 'ab')",
    "(5, 5, 'PG', 'a')",
];

fn exported(d: &Diagram, to: Dialect) -> String {
    export(d, to, &ExportOptions::default())
}

#[test]
fn checks_are_read_from_every_dialect_with_their_names() {
    let pg = import_ok(PG, Dialect::Postgresql);
    let t = table(&pg, "product");
    let names: Vec<&str> = t.checks.iter().map(|c| c.name.as_str()).collect();
    // Unnamed ones get PostgreSQL's names: on a column, `table_column_check`, else `table_check`.
    assert_eq!(
        names,
        [
            "product_price_check",
            "product_rating",
            "product_check",
            "product_code_short"
        ]
    );
    assert_eq!(t.checks[0].column, Some(col(t, "price").id));
    assert_eq!(t.checks[1].column, None);
    assert!(
        t.checks
            .iter()
            .all(|c| c.dialect == Some(Dialect::Postgresql))
    );
    assert!(!warned(&pg, &["CHECK"]), "{:?}", pg.warnings);

    let mssql = import_ok(MSSQL, Dialect::Mssql);
    let t = table(&mssql, "product");
    let names: Vec<&str> = t.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "CK_product_price",
            "CK_product_rating",
            "CK_product_code",
            "CK_product_born"
        ]
    );
    assert!(!warned(&mssql, &["CHECK"]), "{:?}", mssql.warnings);

    for (sql, dialect) in [(MYSQL, Dialect::Mysql), (SQLITE, Dialect::Sqlite)] {
        let r = import_ok(sql, dialect);
        assert_eq!(table(&r, "product").checks.len(), 3, "{dialect:?}");
        assert!(!warned(&r, &["CHECK"]), "{:?}", r.warnings);
    }
}

#[test]
fn what_a_target_cannot_hold_is_left_out_with_a_note() {
    let mssql = import_ok(MSSQL, Dialect::Mssql).diagram;
    for to in [
        Dialect::Postgresql,
        Dialect::Mysql,
        Dialect::Sqlite,
        Dialect::Oracle,
    ] {
        let script = exported(&mssql, to);
        assert!(
            script.contains("-- Note: check CK_product_born of product is not written"),
            "{to:?}: {script}"
        );
        assert!(script.contains("CK_product_price"), "{to:?}: {script}");
    }
    // SQL Server itself gets it as SSMS wrote it.
    let own = exported(&mssql, Dialect::Mssql);
    assert!(own.contains("CHECK (([born] < getdate()))"), "{own}");
}

#[tokio::test]
async fn every_target_refuses_the_rows_the_source_refuses() {
    let pg = server::<PgConnection>("TABLEWRIGHT_TEST_PG_URL", LOCAL_PG).await;
    let maria = server::<MySqlConnection>("TABLEWRIGHT_TEST_MYSQL_URL", LOCAL_MYSQL).await;
    if std::env::var("CI").is_ok() {
        assert!(
            pg.is_some() && maria.is_some(),
            "PostgreSQL and MariaDB are needed under CI"
        );
    }
    let mut targets = vec![(Dialect::Sqlite, Engine::Sqlite, String::new())];
    if let Some(url) = &pg {
        targets.push((Dialect::Postgresql, Engine::Postgres, url.clone()));
    }
    if let Some(url) = &maria {
        targets.push((Dialect::Mysql, Engine::Mariadb, url.clone()));
        targets.push((Dialect::Mariadb, Engine::Mariadb, url.clone()));
    }
    let sources = [
        (PG, Dialect::Postgresql),
        (MSSQL, Dialect::Mssql),
        (MYSQL, Dialect::Mysql),
        (SQLITE, Dialect::Sqlite),
    ];
    let mut failures = Vec::new();
    for (sql, source) in sources {
        let diagram = import_ok(sql, source).diagram;
        for (to, engine, admin) in &targets {
            let db = Database::create(*engine, admin).await.unwrap();
            let script = exported(&diagram, *to);
            let outcome = rows_refused(&db, &script).await;
            db.drop().await;
            if let Err(why) = outcome {
                failures.push(format!("{source:?} → {to:?}: {why}\n{script}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Runs `script`, then checks `product` takes the good rows and refuses each bad one.
async fn rows_refused(db: &Database, script: &str) -> Result<(), String> {
    let failed = db.run_script(script).await?;
    if !failed.is_empty() {
        return Err(format!("statements failed: {failed:?}"));
    }
    let insert = |row: &str| format!("INSERT INTO product (id, price, rating, code) VALUES {row}");
    for row in GOOD {
        db.run_whole(&insert(row))
            .await
            .map_err(|e| format!("refused good row {row}: {e}"))?;
    }
    for row in BAD {
        if db.run_whole(&insert(row)).await.is_ok() {
            return Err(format!("took bad row {row}"));
        }
    }
    Ok(())
}

#[tokio::test]
async fn migrations_add_change_and_drop_checks_on_the_real_databases() {
    let before = import_ok(
        "CREATE TABLE product (id integer PRIMARY KEY, price numeric(8,2) NOT NULL, \
         rating varchar(5), code varchar(10), CONSTRAINT product_price CHECK (price >= 0));",
        Dialect::Postgresql,
    )
    .diagram;
    let mut after = before.clone();
    let t = &after.tables[0];
    let (table_id, price_check) = (t.id, t.checks[0].id);
    let edits = vec![
        // Tightened: dropped and made again.
        Op::UpdateCheck {
            table_id,
            check_id: price_check,
            patch: model::CheckPatch {
                sql: Some("price >= 0 AND price < 1000".into()),
                ..Default::default()
            },
        },
        Op::AddCheck {
            table_id,
            check: Check {
                id: Uuid::new_v4(),
                name: "product_rating".into(),
                sql: "rating IN ('G', 'PG')".into(),
                column: Some(col(t, "rating").id),
                dialect: None,
            },
            at: None,
        },
    ];
    for op in edits {
        op.apply(&mut after).expect("edit applies");
    }

    let pg = server::<PgConnection>("TABLEWRIGHT_TEST_PG_URL", LOCAL_PG).await;
    let maria = server::<MySqlConnection>("TABLEWRIGHT_TEST_MYSQL_URL", LOCAL_MYSQL).await;
    let mut targets = vec![(Dialect::Sqlite, Engine::Sqlite, String::new())];
    targets.extend(pg.map(|u| (Dialect::Postgresql, Engine::Postgres, u)));
    targets.extend(maria.map(|u| (Dialect::Mariadb, Engine::Mariadb, u)));
    let mut failures = Vec::new();
    for (to, engine, admin) in &targets {
        let migration = ddl::migrate(&before, &after, *to);
        let db = Database::create(*engine, admin).await.unwrap();
        let created = db.run_script(&exported(&before, *to)).await.unwrap();
        let migrated = db.run_script(&migration.up.sql).await.unwrap();
        let insert = |row: &str| format!("INSERT INTO product (id, price, rating) VALUES {row}");
        let good = db.run_whole(&insert("(1, 5, 'G')")).await;
        let too_dear = db.run_whole(&insert("(2, 5000, 'G')")).await;
        let bad_rating = db.run_whole(&insert("(3, 5, 'X')")).await;
        let back = db.run_script(&migration.down.sql).await.unwrap();
        let dear_again = db.run_whole(&insert("(4, 5000, 'X')")).await;
        db.drop().await;
        let problems = [
            (!created.is_empty(), format!("create failed: {created:?}")),
            (!migrated.is_empty(), format!("up failed: {migrated:?}")),
            (good.is_err(), format!("good row refused: {good:?}")),
            (too_dear.is_ok(), "the tightened check took 5000".into()),
            (bad_rating.is_ok(), "the new check took rating X".into()),
            (!back.is_empty(), format!("down failed: {back:?}")),
            (
                dear_again.is_err(),
                format!("down kept a check: {dear_again:?}"),
            ),
        ];
        for (bad, why) in problems {
            if bad {
                failures.push(format!("{to:?}: {why}\n{}", migration.up.sql));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_domain_check_is_written_for_its_columns() {
    let mut d = import_ok(
        "CREATE TABLE invoice (id integer PRIMARY KEY, amount numeric(15,2));",
        Dialect::Postgresql,
    )
    .diagram;
    let domain = model::Domain {
        id: Uuid::new_v4(),
        name: "Amount".into(),
        data_type: "numeric(15,2)".into(),
        not_null: false,
        default: None,
        check: Some("VALUE >= 0".into()),
        description: String::new(),
    };
    let (table_id, column_id) = (d.tables[0].id, d.tables[0].columns[1].id);
    Op::PutDomain {
        domain: domain.clone(),
        at: None,
    }
    .apply(&mut d)
    .unwrap();
    Op::UpdateColumn {
        table_id,
        column_id,
        patch: model::ColumnPatch {
            domain: Some(Some(domain.id)),
            ..Default::default()
        },
    }
    .apply(&mut d)
    .unwrap();
    for to in [
        Dialect::Postgresql,
        Dialect::Mysql,
        Dialect::Sqlite,
        Dialect::Mssql,
    ] {
        let script = exported(&d, to);
        assert!(script.contains("CHECK (amount >= 0)"), "{to:?}: {script}");
    }
}

#[test]
fn mysql_output_leaves_out_checks_mysql_refuses_and_mariadb_keeps_them() {
    let d = import_ok(
        "CREATE TABLE a (id integer PRIMARY KEY);
         CREATE TABLE b (id serial PRIMARY KEY, a_id integer REFERENCES a ON DELETE SET NULL,
                         n integer, CHECK (a_id > 0), CHECK (id > 0), CHECK (n > 0));",
        Dialect::Postgresql,
    )
    .diagram;
    let mysql = exported(&d, Dialect::Mysql);
    assert!(mysql.contains("check b_check of b is not written: MySQL refuses a check on a_id, which a foreign key's action changes"), "{mysql}");
    assert!(mysql.contains("check b_check1 of b is not written: MySQL refuses a check on id, which is auto-increment"), "{mysql}");
    assert!(mysql.contains("CONSTRAINT b_check2 CHECK"), "{mysql}");
    let mariadb = exported(&d, Dialect::Mariadb);
    assert_eq!(mariadb.matches(" CHECK (").count(), 3, "{mariadb}");
}

#[test]
fn a_check_the_model_cannot_hold_loses_only_itself() {
    // PostgreSQL's escaped and dollar-quoted strings read, to the model's quote rules, as an
    // unclosed quote and a statement end.
    let r = import_ok(
        "CREATE TABLE t (a text CHECK (a <> E'it\\'s'), b text CHECK (b <> $$x;y$$), c int CHECK (c > 0));",
        Dialect::Postgresql,
    );
    let t = table(&r, "t");
    let kept: Vec<&str> = t.checks.iter().map(|c| c.sql.as_str()).collect();
    assert_eq!(kept, ["c > 0"]);
    assert!(
        warned(&r, &["t: CHECK (a <> E'", "not kept", "quote"]),
        "{:?}",
        r.warnings
    );
    assert!(
        warned(&r, &["t: CHECK (b <> $$x;y$$) not kept", "statement end"]),
        "{:?}",
        r.warnings
    );
}
