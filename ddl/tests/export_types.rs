//! Column types go through the one mapping table, whatever dialect wrote them.

mod export_common;

use ddl::{Dialect, ExportOptions, export};
use export_common::{col, pk};
use model::{Diagram, Table};

/// The type each dialect writes for `data_type`, read from a one-column export.
fn exported_type(data_type: &str, dialect: Dialect) -> String {
    let mut d = Diagram::new("types");
    d.tables.push(Table::empty("t", vec![col("c", data_type)]));
    let sql = export(&d, dialect, &ExportOptions::default());
    let line = sql
        .lines()
        .find(|l| l.trim_start().starts_with("c "))
        .unwrap_or_else(|| panic!("no column line in:\n{sql}"));
    let ty = line.trim().trim_start_matches("c ").trim_end_matches(',');
    ty.trim_end_matches(" NULL").trim().to_string()
}

/// One row of the table: postgresql, mysql, mariadb, sqlite, mssql, oracle.
fn row(data_type: &str) -> Vec<String> {
    Dialect::ALL
        .iter()
        .map(|&d| exported_type(data_type, d))
        .collect()
}

#[test]
fn integers_from_every_dialect_map_to_each_dialects_integers() {
    assert_eq!(
        row("int(11)"),
        ["INTEGER", "INT", "INT", "INTEGER", "INT", "NUMBER(10)"]
    );
    assert_eq!(row("integer"), row("int4"));
    assert_eq!(
        row("smallint"),
        [
            "SMALLINT",
            "SMALLINT",
            "SMALLINT",
            "SMALLINT",
            "SMALLINT",
            "NUMBER(5)"
        ]
    );
    assert_eq!(
        row("bigint"),
        [
            "BIGINT",
            "BIGINT",
            "BIGINT",
            "BIGINT",
            "BIGINT",
            "NUMBER(19)"
        ]
    );
    assert_eq!(
        row("tinyint(4)"),
        [
            "SMALLINT",
            "TINYINT",
            "TINYINT",
            "TINYINT",
            "SMALLINT",
            "NUMBER(3)"
        ]
    );
    assert_eq!(row("number(10,0)")[0], "BIGINT");
    assert_eq!(row("number(8)")[1], "INT");
    assert_eq!(row("mediumint")[0], "INTEGER");
}

#[test]
fn unsigned_integers_widen_where_there_is_no_unsigned() {
    assert_eq!(
        row("int(10) unsigned"),
        [
            "BIGINT",
            "INT UNSIGNED",
            "INT UNSIGNED",
            "INTEGER",
            "BIGINT",
            "NUMBER(10)"
        ]
    );
    assert_eq!(row("bigint(20) unsigned")[0], "NUMERIC(20)");
    assert_eq!(row("bigint(20) unsigned")[4], "DECIMAL(20,0)");
}

#[test]
fn strings_keep_their_length_within_each_dialects_limits() {
    assert_eq!(
        row("character varying(255)"),
        [
            "VARCHAR(255)",
            "VARCHAR(255)",
            "VARCHAR(255)",
            "VARCHAR(255)",
            "NVARCHAR(255)",
            "VARCHAR2(255)"
        ]
    );
    assert_eq!(row("varchar2(255 char)"), row("nvarchar(255)"));
    assert_eq!(
        row("nvarchar(max)"),
        [
            "TEXT",
            "LONGTEXT",
            "LONGTEXT",
            "TEXT",
            "NVARCHAR(MAX)",
            "CLOB"
        ]
    );
    assert_eq!(
        row("mediumtext"),
        [
            "TEXT",
            "MEDIUMTEXT",
            "MEDIUMTEXT",
            "TEXT",
            "NVARCHAR(MAX)",
            "CLOB"
        ]
    );
    assert_eq!(
        row("char(2)"),
        [
            "CHAR(2)", "CHAR(2)", "CHAR(2)", "CHAR(2)", "NCHAR(2)", "CHAR(2)"
        ]
    );
    assert_eq!(row("varchar(8000)")[5], "CLOB");
    assert_eq!(row("varchar(8000)")[4], "NVARCHAR(MAX)");
    assert_eq!(row("varchar(70000)")[1], "MEDIUMTEXT");
    assert_eq!(row("char(300)")[1], "VARCHAR(300)");
    assert_eq!(row("varchar")[1], "TEXT");
}

#[test]
fn booleans_numbers_and_floats() {
    assert_eq!(
        row("boolean"),
        [
            "BOOLEAN",
            "BOOLEAN",
            "BOOLEAN",
            "BOOLEAN",
            "BIT",
            "NUMBER(1)"
        ]
    );
    assert_eq!(row("tinyint(1)"), row("bool"));
    assert_eq!(row("bit"), row("boolean"));
    assert_eq!(
        row("numeric(10,2)"),
        [
            "NUMERIC(10,2)",
            "DECIMAL(10,2)",
            "DECIMAL(10,2)",
            "NUMERIC(10,2)",
            "DECIMAL(10,2)",
            "NUMBER(10,2)"
        ]
    );
    assert_eq!(
        row("numeric"),
        [
            "NUMERIC",
            "DECIMAL(65,30)",
            "DECIMAL(65,30)",
            "NUMERIC",
            "DECIMAL(38,10)",
            "NUMBER"
        ]
    );
    assert_eq!(
        row("money"),
        [
            "MONEY",
            "DECIMAL(19,4)",
            "DECIMAL(19,4)",
            "NUMERIC(19,4)",
            "MONEY",
            "NUMBER(19,4)"
        ]
    );
    assert_eq!(
        row("real"),
        ["REAL", "FLOAT", "FLOAT", "REAL", "REAL", "BINARY_FLOAT"]
    );
    assert_eq!(
        row("double precision"),
        [
            "DOUBLE PRECISION",
            "DOUBLE",
            "DOUBLE",
            "REAL",
            "FLOAT",
            "BINARY_DOUBLE"
        ]
    );
    assert_eq!(row("float(53)"), row("double"));
}

#[test]
fn dates_and_times() {
    assert_eq!(row("date"), ["DATE"; 6]);
    assert_eq!(
        row("timestamp without time zone"),
        [
            "TIMESTAMP",
            "DATETIME",
            "DATETIME",
            "TIMESTAMP",
            "DATETIME2",
            "TIMESTAMP"
        ]
    );
    assert_eq!(row("datetime"), row("timestamp"));
    assert_eq!(
        row("timestamp(3) with time zone"),
        [
            "TIMESTAMP(3) WITH TIME ZONE",
            "DATETIME(3)",
            "DATETIME(3)",
            "TIMESTAMP",
            "DATETIMEOFFSET(3)",
            "TIMESTAMP(3) WITH TIME ZONE"
        ]
    );
    assert_eq!(row("datetime2(7)")[1], "DATETIME(6)");
    assert_eq!(
        row("time"),
        [
            "TIME",
            "TIME",
            "TIME",
            "TIME",
            "TIME",
            "INTERVAL DAY(0) TO SECOND(0)"
        ]
    );
    assert_eq!(
        row("year"),
        [
            "SMALLINT",
            "YEAR",
            "YEAR",
            "SMALLINT",
            "SMALLINT",
            "NUMBER(4)"
        ]
    );
}

#[test]
fn json_uuid_and_binary() {
    assert_eq!(
        row("jsonb"),
        ["JSONB", "JSON", "JSON", "JSON", "NVARCHAR(MAX)", "CLOB"]
    );
    assert_eq!(row("json")[0], "JSON");
    assert_eq!(
        row("uuid"),
        [
            "UUID",
            "CHAR(36)",
            "UUID",
            "CHAR(36)",
            "UNIQUEIDENTIFIER",
            "CHAR(36)"
        ]
    );
    assert_eq!(row("uniqueidentifier"), row("uuid"));
    assert_eq!(
        row("bytea"),
        ["BYTEA", "BLOB", "BLOB", "BLOB", "VARBINARY(MAX)", "BLOB"]
    );
    assert_eq!(row("longblob")[1], "LONGBLOB");
    assert_eq!(row("image"), row("blob"));
    assert_eq!(
        row("varbinary(16)"),
        [
            "BYTEA",
            "VARBINARY(16)",
            "VARBINARY(16)",
            "BLOB",
            "VARBINARY(16)",
            "RAW(16)"
        ]
    );
    assert_eq!(row("binary(16)")[4], "BINARY(16)");
}

#[test]
fn unknown_and_postgres_only_types_are_kept_where_possible_and_noted_elsewhere() {
    assert_eq!(row("tsvector")[0], "TSVECTOR");
    assert_eq!(row("tsvector")[1], "LONGTEXT /* was tsvector */");
    assert_eq!(row("geometry")[3], "GEOMETRY");
    assert_eq!(row("geometry")[0], "TEXT /* was geometry */");
    assert_eq!(row("int[]")[0], "INTEGER[]");
    assert_eq!(row("int[]")[1], "JSON /* was array */");
}

#[test]
fn text_in_a_key_gets_a_bounded_type_where_the_dialect_needs_one() {
    let mut d = Diagram::new("keys");
    d.tables
        .push(Table::empty("t", vec![pk(col("code", "text"))]));
    let line = |dialect| {
        let sql = export(&d, dialect, &ExportOptions::default());
        sql.lines()
            .find(|l| l.contains("code "))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    assert_eq!(
        line(Dialect::Mysql),
        "code VARCHAR(255) NOT NULL /* unbounded in the source; VARCHAR(255) here, as MySQL cannot index it whole */,"
    );
    assert_eq!(line(Dialect::Mssql), "code NVARCHAR(450) NOT NULL,");
    assert_eq!(line(Dialect::Oracle), "code VARCHAR2(2000) NOT NULL,");
    assert_eq!(line(Dialect::Postgresql), "code TEXT NOT NULL,");
}

#[test]
fn mysql_tinyint1_with_a_non_boolean_default_stays_an_integer() {
    let mut d = Diagram::new("flags");
    d.tables.push(Table::empty(
        "t",
        vec![export_common::default(col("mode", "tinyint(1)"), "'7'")],
    ));
    let sql = export(&d, Dialect::Postgresql, &ExportOptions::default());
    assert!(sql.contains("mode SMALLINT DEFAULT 7"), "{sql}");
}

/// Intervals keep their fields where the target has interval types (PostgreSQL, Oracle) and
/// become text, noted, where it has none.
#[test]
fn intervals_keep_their_fields_where_the_target_has_intervals() {
    let year_month = row("INTERVAL YEAR TO MONTH");
    assert_eq!(year_month[0], "INTERVAL YEAR TO MONTH");
    assert_eq!(year_month[5], "INTERVAL YEAR(9) TO MONTH");
    let day_second = row("interval day(3) to second(2)");
    assert_eq!(day_second[0], "INTERVAL DAY TO SECOND");
    assert_eq!(day_second[5], "INTERVAL DAY(9) TO SECOND(6)");
    let any = row("interval");
    assert_eq!(
        (any[0].as_str(), any[5].as_str()),
        ("INTERVAL", "INTERVAL DAY(9) TO SECOND(6)")
    );
    for (dialect, ty) in Dialect::ALL.iter().zip(&year_month).skip(1).take(4) {
        assert!(ty.ends_with("/* was interval */"), "{dialect:?}: {ty}");
    }
}
