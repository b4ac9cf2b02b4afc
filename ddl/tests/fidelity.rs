//! Constructs of real installer scripts and dump tools, each in a short hand-written script:
//! imported whole (every table, every foreign key, the columns read as declared), then exported
//! for PostgreSQL, MySQL, MariaDB and SQLite and run on the real databases, whose catalogs must
//! hold every table and foreign key.
//!
//! Servers as in `execute.rs`: `TABLEWRIGHT_TEST_PG_URL` / `TABLEWRIGHT_TEST_MYSQL_URL`, else
//! the local ones; without them only SQLite runs, unless `TABLEWRIGHT_REQUIRE_DBS=1`.

mod common;
mod export_common;

use common::{child_columns, col, import_ok, names, rel, table};
use ddl::{Dialect, ExportOptions, ImportReport, export};
use export_common::live::{Database, Engine, LOCAL_MYSQL, LOCAL_PG, server};
use model::Diagram;
use sqlx::{MySqlConnection, PgConnection};

const TARGETS: [(Dialect, Engine); 4] = [
    (Dialect::Postgresql, Engine::Postgres),
    (Dialect::Mysql, Engine::Mariadb),
    (Dialect::Mariadb, Engine::Mariadb),
    (Dialect::Sqlite, Engine::Sqlite),
];

/// The admin URL for `engine`, or `None` (a message, or a failure when servers are required).
async fn admin(engine: Engine) -> Option<String> {
    let url = match engine {
        Engine::Sqlite => return Some(String::new()),
        Engine::Postgres => server::<PgConnection>("TABLEWRIGHT_TEST_PG_URL", LOCAL_PG).await,
        Engine::Mariadb => {
            server::<MySqlConnection>("TABLEWRIGHT_TEST_MYSQL_URL", LOCAL_MYSQL).await
        }
    };
    if url.is_none() {
        let required = std::env::var("TABLEWRIGHT_REQUIRE_DBS").is_ok_and(|v| v == "1");
        assert!(!required, "no {engine:?} server to run the export on");
        println!("skipped {engine:?}: no server");
    }
    url
}

/// Exports `diagram` for every target, runs each script in a fresh database and checks that
/// every statement ran and that the catalog holds every table and foreign key. Answers the
/// scripts, by target.
async fn runs_everywhere(diagram: &Diagram) -> Vec<(Dialect, String)> {
    let mut scripts = Vec::new();
    for (dialect, engine) in TARGETS {
        let script = export(diagram, dialect, &ExportOptions::default());
        scripts.push((dialect, script.clone()));
        let Some(url) = admin(engine).await else {
            continue;
        };
        let db = Database::create(engine, &url)
            .await
            .expect("a fresh database");
        let failed = db.run_script(&script).await;
        let catalog = db.catalog().await;
        db.drop().await;
        let failed = failed.expect("the database answers");
        assert!(
            failed.is_empty(),
            "{dialect}: statements failed:\n{}\n--- script:\n{script}",
            failed.join("\n")
        );
        let catalog = catalog.expect("a catalog");
        assert_eq!(
            catalog.len(),
            diagram.tables.len(),
            "{dialect}: tables {:?}",
            catalog.keys().collect::<Vec<_>>()
        );
        let fks: usize = catalog.values().map(|t| t.foreign_keys.len()).sum();
        assert_eq!(
            fks,
            diagram.relationships.len(),
            "{dialect}: foreign keys in the catalog\n{script}"
        );
    }
    scripts
}

fn script_for(scripts: &[(Dialect, String)], dialect: Dialect) -> &str {
    &scripts
        .iter()
        .find(|(d, _)| *d == dialect)
        .expect("exported")
        .1
}

fn no_errors(r: &ImportReport) {
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}

/// An SSMS "Generate Scripts" / sample-installer shape: sqlcmd variables, GO batches, an alias
/// type, keys and foreign keys added by ALTER (several in one, WITH CHECK and WITH NOCHECK),
/// ROWGUIDCOL, a computed column, a DEFAULT … FOR item and a unique nonclustered index.
const SSMS: &str = "\
:setvar DatabaseName \"Garden\"
:on error exit
USE [$(DatabaseName)];
GO
SET ANSI_NULLS ON
GO
CREATE SCHEMA [Plants] AUTHORIZATION [dbo];
GO
CREATE TYPE [dbo].[ShortName] FROM nvarchar(30) NULL;
GO
CREATE TYPE [dbo].[Flag] FROM [bit] NOT NULL;
GO
CREATE TABLE [Plants].[Bed](
\t[BedID] [int] IDENTITY(1,1) NOT NULL,
\t[Label] [dbo].[ShortName] NOT NULL,
\t[Sunny] [Flag] NOT NULL,
\t[rowguid] [uniqueidentifier] ROWGUIDCOL NOT NULL,
\t[Area] [decimal](8, 2) NULL,
 CONSTRAINT [PK_Bed_BedID] PRIMARY KEY CLUSTERED
(
\t[BedID] ASC
)WITH (PAD_INDEX = OFF, STATISTICS_NORECOMPUTE = OFF) ON [PRIMARY]
) ON [PRIMARY]
GO
CREATE TABLE [Plants].[Seed](
\t[SeedID] [int] NOT NULL,
\t[BedID] [int] NOT NULL,
\t[NextBedID] [int] NULL,
\t[Name] [ShortName] NULL,
\t[Count] [int] NULL,
\t[Double] AS ([Count] * (2)) PERSISTED,
 CONSTRAINT [PK_Seed] PRIMARY KEY NONCLUSTERED ([SeedID])
) ON [PRIMARY]
GO
CREATE TABLE [dbo].[Log] ([LogID] [int] NOT NULL, [SeedID] [int] NOT NULL)
GO
ALTER TABLE [dbo].[Log] ADD CONSTRAINT [PK_Log] PRIMARY KEY CLUSTERED ([LogID] ASC) ON [PRIMARY]
GO
ALTER TABLE [Plants].[Bed] ADD  CONSTRAINT [DF_Bed_rowguid]  DEFAULT (newid()) FOR [rowguid]
GO
ALTER TABLE [Plants].[Seed] WITH CHECK ADD
\tCONSTRAINT [FK_Seed_Bed] FOREIGN KEY([BedID]) REFERENCES [Plants].[Bed] ([BedID]),
\tCONSTRAINT [FK_Seed_NextBed] FOREIGN KEY([NextBedID]) REFERENCES [Plants].[Bed] ([BedID]),
\tCONSTRAINT [DF_Seed_Count] DEFAULT ((0)) FOR [Count]
GO
ALTER TABLE [Plants].[Seed] CHECK CONSTRAINT [FK_Seed_Bed]
GO
ALTER TABLE [dbo].[Log]  WITH NOCHECK ADD  CONSTRAINT [FK_Log_Seed] FOREIGN KEY([SeedID])
REFERENCES [Plants].[Seed] ([SeedID])
GO
CREATE UNIQUE NONCLUSTERED INDEX [AK_Bed_rowguid] ON [Plants].[Bed]
(
\t[rowguid] ASC
)WITH (PAD_INDEX = OFF, ONLINE = OFF) ON [PRIMARY]
GO
";

#[test]
fn an_ssms_script_imports_every_table_key_and_foreign_key() {
    let r = import_ok(SSMS, Dialect::Mssql);
    no_errors(&r);
    assert_eq!(names(&r), ["Bed", "Seed", "Log"]);
    let bed = table(&r, "Bed");
    assert_eq!(bed.schema.as_deref(), Some("Plants"));
    assert_eq!(col(bed, "Label").data_type, "nvarchar(30)", "alias type");
    assert_eq!(col(bed, "Sunny").data_type, "bit", "alias type, bare name");
    assert!(col(bed, "BedID").primary_key && col(bed, "BedID").auto_increment);
    assert_eq!(col(bed, "rowguid").data_type, "uniqueidentifier");
    assert_eq!(col(bed, "rowguid").default.as_deref(), Some("newid()"));
    assert_eq!(col(bed, "Area").data_type, "decimal(8,2)");
    assert!(
        bed.indexes
            .iter()
            .any(|i| i.unique && i.name == "AK_Bed_rowguid")
    );
    let seed = table(&r, "Seed");
    assert_eq!(col(seed, "Name").data_type, "nvarchar(30)");
    assert_eq!(col(seed, "Count").default.as_deref(), Some("0"));
    assert!(
        seed.column_named("Double").is_some(),
        "computed column kept"
    );
    assert!(col(seed, "SeedID").primary_key);
    assert!(
        col(table(&r, "Log"), "LogID").primary_key,
        "key added by ALTER"
    );
    assert_eq!(r.diagram.relationships.len(), 3);
    let to_bed: Vec<Vec<String>> = r
        .diagram
        .relationships
        .iter()
        .filter(|x| x.parent_table == bed.id)
        .map(|x| child_columns(&r, x))
        .collect();
    assert_eq!(to_bed, [vec!["BedID"], vec!["NextBedID"]]);
    rel(&r, "Log", "Seed");
}

#[tokio::test]
async fn an_ssms_script_exports_and_runs_everywhere() {
    let r = import_ok(SSMS, Dialect::Mssql);
    runs_everywhere(&r.diagram).await;
}

/// An Oracle sample-schema installer: SQL*Plus lines, inline foreign keys in column
/// definitions, keys declared `NUMBER` and referenced from `NUMBER(6)` columns (and the other
/// way round), constraints added in an `ADD ( … )` list, ENABLE/NOVALIDATE, `ON NULL`, length
/// semantics, an object type.
const ORACLE: &str = "\
SET ECHO OFF
PROMPT creating the tables
CREATE TYPE address_t AS OBJECT (street VARCHAR2(40), city VARCHAR2(30));
/
CREATE TABLE region
  ( region_id   NUMBER CONSTRAINT region_id_nn NOT NULL
  , region_name VARCHAR2(25 CHAR)
  );
CREATE UNIQUE INDEX reg_id_pk ON region (region_id);
ALTER TABLE region ADD ( CONSTRAINT reg_id_pk PRIMARY KEY (region_id) );
CREATE TABLE site
  ( site_id    NUMBER(6) GENERATED BY DEFAULT ON NULL AS IDENTITY
  , name       VARCHAR2(40 BYTE) NOT NULL ENABLE
  , region_id  NUMBER(6) CONSTRAINT site_reg_fk REFERENCES region (region_id)
  , CONSTRAINT site_pk PRIMARY KEY (site_id) ENABLE
  );
CREATE TABLE visit
  ( visit_id  NUMBER(10) NOT NULL
  , site_id   NUMBER NOT NULL REFERENCES site (site_id) ON DELETE CASCADE
  , guide_id  NUMBER(6)
  , note      VARCHAR2(4000 CHAR)
  );
ALTER TABLE visit ADD
  ( CONSTRAINT visit_pk PRIMARY KEY (visit_id) USING INDEX
  , CONSTRAINT visit_guide_fk FOREIGN KEY (guide_id) REFERENCES site (site_id) ENABLE NOVALIDATE
  );
COMMIT;
";

#[test]
fn an_oracle_installer_imports_inline_and_listed_foreign_keys() {
    let r = import_ok(ORACLE, Dialect::Oracle);
    no_errors(&r);
    assert_eq!(names(&r), ["region", "site", "visit"]);
    let region = table(&r, "region");
    assert!(col(region, "region_id").primary_key);
    assert_eq!(col(region, "region_name").data_type, "varchar2(25)");
    let site = table(&r, "site");
    assert!(col(site, "site_id").auto_increment && col(site, "site_id").primary_key);
    assert!(!col(site, "name").nullable);
    assert!(col(table(&r, "visit"), "visit_id").primary_key);
    rel(&r, "site", "region");
    assert_eq!(r.diagram.relationships.len(), 3);
    let kinds: Vec<&str> = r.skipped.iter().map(|s| s.kind.as_str()).collect();
    assert!(kinds.contains(&"CREATE TYPE"), "{kinds:?}");
}

#[tokio::test]
async fn an_oracle_installer_exports_with_keys_and_their_references_alike() {
    let r = import_ok(ORACLE, Dialect::Oracle);
    let scripts = runs_everywhere(&r.diagram).await;
    // NUMBER(6) → NUMBER key and NUMBER → NUMBER(6) key: each child takes its parent's type.
    let pg = script_for(&scripts, Dialect::Postgresql);
    assert!(pg.contains("region_id NUMERIC NOT NULL"), "{pg}");
    assert!(pg.contains("  region_id NUMERIC,"), "{pg}");
    assert!(pg.contains("  site_id INTEGER NOT NULL,"), "{pg}");
}

/// mysqldump's conditional comments are client settings, read silently as such.
#[test]
fn mysqldump_conditional_comments_are_skipped_not_errors() {
    let sql = "\
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
DROP TABLE IF EXISTS `shelf`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE `shelf` (
  `id` int NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;
CREATE TABLE `book` (
  `id` int NOT NULL,
  `shelf_id` int DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `shelf_id` (`shelf_id`),
  CONSTRAINT `book_ibfk_1` FOREIGN KEY (`shelf_id`) REFERENCES `shelf` (`id`)
) ENGINE=InnoDB;
LOCK TABLES `book` WRITE;
/*!40000 ALTER TABLE `book` DISABLE KEYS */;
INSERT INTO `book` VALUES (1,NULL);
/*!40000 ALTER TABLE `book` ENABLE KEYS */;
UNLOCK TABLES;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
";
    for dialect in [Dialect::Mysql, Dialect::Mariadb] {
        let r = import_ok(sql, dialect);
        no_errors(&r);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(names(&r), ["shelf", "book"]);
        rel(&r, "book", "shelf");
    }
}

/// PostgreSQL inheritance and declarative partitions: children get their parent's columns
/// (before their own), and the export, which has no INHERITS elsewhere, writes them out.
const INHERITS: &str = "\
CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE shop (id integer PRIMARY KEY);
CREATE TABLE sale (
    sale_id integer NOT NULL,
    shop_id integer NOT NULL REFERENCES shop (id),
    sold_on date NOT NULL
) PARTITION BY RANGE (sold_on);
CREATE TABLE sale_2024 PARTITION OF sale FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE staff (salary numeric(8,2), boss_id integer) INHERITS (person);
ALTER TABLE ONLY staff ADD CONSTRAINT staff_pkey PRIMARY KEY (id);
ALTER TABLE ONLY staff ADD CONSTRAINT staff_boss FOREIGN KEY (boss_id) REFERENCES staff (id);
ALTER TABLE ONLY sale_2024 ADD CONSTRAINT sale_2024_shop FOREIGN KEY (shop_id) REFERENCES shop (id);
";

#[test]
fn inheriting_and_partition_tables_get_their_parents_columns() {
    let r = import_ok(INHERITS, Dialect::Postgresql);
    no_errors(&r);
    let staff = table(&r, "staff");
    let cols: Vec<&str> = staff.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "name", "salary", "boss_id"]);
    assert!(!col(staff, "name").nullable);
    assert!(col(staff, "id").primary_key);
    let part = table(&r, "sale_2024");
    let cols: Vec<&str> = part.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["sale_id", "shop_id", "sold_on"]);
    rel(&r, "staff", "staff");
    rel(&r, "sale_2024", "shop");
    rel(&r, "sale", "shop");
}

#[tokio::test]
async fn inheriting_tables_export_with_their_columns_everywhere() {
    let r = import_ok(INHERITS, Dialect::Postgresql);
    let scripts = runs_everywhere(&r.diagram).await;
    for dialect in [Dialect::Mysql, Dialect::Sqlite] {
        let s = script_for(&scripts, dialect);
        assert!(s.contains("CREATE TABLE staff ("), "{s}");
        assert!(!s.contains("INHERITS"), "{s}");
    }
}

/// `CREATE SCHEMA s CREATE TABLE … CREATE TABLE …`: the elements are tables of `s`.
#[tokio::test]
async fn create_schema_elements_export_in_their_schema() {
    let sql = "CREATE SCHEMA garden AUTHORIZATION admin\n\
               CREATE TABLE bed (id int PRIMARY KEY)\n\
               CREATE TABLE plant (id int PRIMARY KEY, bed_id int REFERENCES bed (id))\n\
               CREATE VIEW v AS SELECT 1;";
    let r = import_ok(sql, Dialect::Postgresql);
    no_errors(&r);
    assert_eq!(table(&r, "plant").schema.as_deref(), Some("garden"));
    rel(&r, "plant", "bed");
    let scripts = runs_everywhere(&r.diagram).await;
    let pg = script_for(&scripts, Dialect::Postgresql);
    assert!(pg.contains("REFERENCES garden.bed (id)"), "{pg}");
}

/// Two tables whose names differ only by case are two tables on PostgreSQL (quoted) and on
/// MariaDB here, but one name on SQLite, SQL Server and MySQL on case-insensitive systems: the
/// later one is written as `Name_2` there, with a note in the script, the same way every time.
const CASES: &str = "\
CREATE TABLE `countries` (`code` int PRIMARY KEY, `name` varchar(40));
CREATE TABLE `Countries` (`Id` int NOT NULL, `Name` varchar(32) NOT NULL, PRIMARY KEY (`Id`));
CREATE TABLE `Countries_2` (`Id` int PRIMARY KEY);
CREATE TABLE `States` (`Id` int NOT NULL, `CountryId` int NOT NULL, PRIMARY KEY (`Id`),
  CONSTRAINT `FK_States_Countries` FOREIGN KEY (`CountryId`) REFERENCES `Countries` (`Id`));
CREATE TABLE `users` (`id` int PRIMARY KEY, `country_code` int,
  FOREIGN KEY (`country_code`) REFERENCES `countries` (`code`));
";

#[tokio::test]
async fn names_equal_but_for_case_stay_distinct_tables_everywhere() {
    let r = import_ok(CASES, Dialect::Mysql);
    no_errors(&r);
    assert_eq!(
        names(&r),
        ["countries", "Countries", "Countries_2", "States", "users"]
    );
    let states = rel(&r, "States", "Countries");
    assert_eq!(child_columns(&r, states), ["CountryId"]);
    rel(&r, "users", "countries");
    let scripts = runs_everywhere(&r.diagram).await;
    for dialect in [Dialect::Sqlite, Dialect::Mysql, Dialect::Mariadb] {
        let s = script_for(&scripts, dialect);
        assert!(s.contains("CREATE TABLE Countries_3 ("), "{dialect}:\n{s}");
        assert!(s.contains("REFERENCES Countries_3 (Id)"), "{dialect}:\n{s}");
        assert!(s.contains("CREATE TABLE countries ("), "{dialect}:\n{s}");
        assert!(
            s.contains("-- Note: table Countries is written as Countries_3: another table"),
            "{dialect}:\n{s}"
        );
    }
    let pg = script_for(&scripts, Dialect::Postgresql);
    assert!(pg.contains("CREATE TABLE \"Countries\" ("), "{pg}");
    assert!(!pg.contains("-- Note"), "{pg}");
    let again = export(&r.diagram, Dialect::Sqlite, &ExportOptions::default());
    assert_eq!(
        again,
        script_for(&scripts, Dialect::Sqlite),
        "deterministic"
    );
}

/// Tables of one name in several schemas: schema-qualified where the target has schemas,
/// `schema_name` (made unique again if a table already has that name) and noted elsewhere.
const SCHEMAS: &str = "\
CREATE SCHEMA sales;
CREATE SCHEMA hr;
CREATE TABLE sales.person (id int PRIMARY KEY);
CREATE TABLE hr.person (id int PRIMARY KEY, buddy int REFERENCES sales.person (id));
CREATE TABLE person (id int PRIMARY KEY, hr_id int REFERENCES hr.person (id));
CREATE TABLE sales_person (id int PRIMARY KEY, p int REFERENCES person (id));
";

#[tokio::test]
async fn same_named_tables_in_several_schemas_stay_distinct_everywhere() {
    let r = import_ok(SCHEMAS, Dialect::Postgresql);
    no_errors(&r);
    assert_eq!(r.diagram.tables.len(), 4);
    assert_eq!(r.diagram.relationships.len(), 3);
    let scripts = runs_everywhere(&r.diagram).await;
    let pg = script_for(&scripts, Dialect::Postgresql);
    assert!(pg.contains("CREATE TABLE sales.person ("), "{pg}");
    assert!(pg.contains("REFERENCES hr.person (id)"), "{pg}");
    for dialect in [Dialect::Sqlite, Dialect::Mysql, Dialect::Mariadb] {
        let s = script_for(&scripts, dialect);
        for table in ["hr_person", "person", "sales_person", "sales_person_2"] {
            assert!(
                s.contains(&format!("CREATE TABLE {table} (")),
                "{dialect}:\n{s}"
            );
        }
        assert!(
            s.contains("-- Note: table hr.person is written as hr_person: the "),
            "{dialect}:\n{s}"
        );
        assert!(
            s.contains("-- Note: table sales.person is written as sales_person_2: the ")
                && s.contains("a table of that name; another table is named sales_person too"),
            "{dialect}:\n{s}"
        );
    }
}

/// PostgreSQL text and bytea keys and a timestamp default with a zone: MySQL needs bounded key
/// columns (VARCHAR(255), VARBINARY(255), noted) and MariaDB a timestamp literal without the
/// zone (the same instant in UTC).
const PG_TYPES: &str = "\
CREATE TABLE tag (name text PRIMARY KEY, note text);
CREATE TABLE post (id int PRIMARY KEY, slug character varying UNIQUE);
CREATE TABLE post_tag (
    post_id int REFERENCES post (id),
    tag text REFERENCES tag (name),
    slug varchar REFERENCES post (slug),
    PRIMARY KEY (post_id, tag)
);
CREATE TABLE file (digest bytea PRIMARY KEY, body bytea);
CREATE TABLE event (
    id int PRIMARY KEY,
    at timestamp with time zone DEFAULT '1970-01-01 00:00:00+00' NOT NULL,
    moved timestamptz DEFAULT '2024-03-01 01:30:00+02:00'::timestamp with time zone,
    plain timestamp DEFAULT '2000-01-01 00:00:00'
);
CREATE INDEX tag_note ON tag (note);
";

#[tokio::test]
async fn text_keys_and_zoned_timestamp_defaults_run_on_mariadb() {
    let r = import_ok(PG_TYPES, Dialect::Postgresql);
    no_errors(&r);
    assert_eq!(r.diagram.relationships.len(), 3);
    let scripts = runs_everywhere(&r.diagram).await;
    for dialect in [Dialect::Mysql, Dialect::Mariadb] {
        let s = script_for(&scripts, dialect);
        let note = "unbounded in the source; VARCHAR(255) here, as MySQL cannot index it whole";
        assert!(
            s.contains(&format!("  name VARCHAR(255) NOT NULL /* {note} */,")),
            "{s}"
        );
        assert!(
            s.contains(&format!("  tag VARCHAR(255) NOT NULL /* {note} */,")),
            "{s}"
        );
        assert!(s.contains("  slug VARCHAR(255) /* "), "{s}");
        assert!(s.contains("  digest VARBINARY(255) NOT NULL /* "), "{s}");
        assert!(
            s.contains("  body LONGBLOB,") || s.contains("  body BLOB,"),
            "{s}"
        );
        assert!(s.contains("DEFAULT '1970-01-01 00:00:00' NOT NULL"), "{s}");
        assert!(s.contains("DEFAULT '2024-02-29 23:30:00'"), "{s}");
        assert!(s.contains("DEFAULT '2000-01-01 00:00:00'"), "{s}");
    }
    let pg = script_for(&scripts, Dialect::Postgresql);
    assert!(pg.contains("'1970-01-01 00:00:00+00'"), "{pg}");
}
