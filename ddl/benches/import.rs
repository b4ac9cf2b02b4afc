//! Import against sqlparser's own parse of the same input.
//!
//! The goal is import ≤ 1.2 × sqlparser's time. sqlparser cannot read whole client scripts
//! (GO, DELIMITER, `/` lines), so its side parses the statements our splitter yields, one by
//! one, errors ignored: the parse sqlparser alone would do of the same statements.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use ddl::{Dialect, import, split_statements};
use sqlparser::dialect::{
    Dialect as SqlDialect, MsSqlDialect, MySqlDialect, OracleDialect, PostgreSqlDialect,
    SQLiteDialect,
};
use sqlparser::parser::Parser;

/// The largest corpus file of each dialect.
const FILES: [(&str, Dialect); 5] = [
    ("postgresql/chinook_postgresql.sql", Dialect::Postgresql),
    ("mysql/zabbix60_mysql.sql", Dialect::Mysql),
    ("mssql/northwind_mssql.sql", Dialect::Mssql),
    ("oracle/zabbix60_oracle.sql", Dialect::Oracle),
    ("sqlite/chinook_sqlite.sql", Dialect::Sqlite),
];

fn sql_dialect(d: Dialect) -> Box<dyn SqlDialect> {
    match d {
        Dialect::Postgresql => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql | Dialect::Mariadb => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
        Dialect::Mssql => Box::new(MsSqlDialect {}),
        Dialect::Oracle => Box::new(OracleDialect {}),
    }
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("TABLEWRIGHT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    }
}

/// 1,000 tables of eight columns, each with a foreign key to the one before and an index.
fn generated_schema() -> String {
    let mut sql = String::new();
    for i in 0..1000 {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (\n  id bigint NOT NULL PRIMARY KEY,\n  parent_id bigint{fk},\n  name varchar(100) NOT NULL,\n  price numeric(10,2) DEFAULT 0,\n  created timestamp DEFAULT CURRENT_TIMESTAMP,\n  note text,\n  flag boolean NOT NULL DEFAULT false,\n  code char(8) UNIQUE\n);\nCREATE INDEX t{i}_name ON t{i} (name);\n",
            fk = if i > 0 { format!(" REFERENCES t{} (id)", i - 1) } else { String::new() },
        ));
    }
    sql
}

fn bench_pair(c: &mut Criterion, label: &str, sql: &str, dialect: Dialect) {
    let statements: Vec<String> = split_statements(sql, dialect)
        .into_iter()
        .map(|s| s.text)
        .collect();
    let parser_dialect = sql_dialect(dialect);
    let mut group = c.benchmark_group(label);
    group.sample_size(20);
    group.bench_function("ddl::import", |b| {
        b.iter(|| import(black_box(sql), dialect))
    });
    group.bench_function("sqlparser", |b| {
        b.iter(|| {
            for s in &statements {
                let _ = black_box(Parser::parse_sql(parser_dialect.as_ref(), black_box(s)));
            }
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let dir = corpus_dir();
    for (file, dialect) in FILES {
        match std::fs::read_to_string(dir.join(file)) {
            Ok(sql) => bench_pair(c, file, &sql, dialect),
            Err(_) => eprintln!("{file}: corpus not found at {}; skipped", dir.display()),
        }
    }
    bench_pair(
        c,
        "generated/1000_tables",
        &generated_schema(),
        Dialect::Postgresql,
    );
}

criterion_group!(import_benches, benches);
criterion_main!(import_benches);
