//! SQL Server and Oracle cannot run here, so their exports (of the hand-built diagram and of every
//! corpus schema) are parsed back with sqlparser instead, statement by statement; every other
//! dialect's output is parsed too, as a cheap syntax check before the execution tests.

mod export_common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use ddl::{Dialect, ExportOptions, export, import};
use export_common::catalog::statements;
use model::Diagram;
use sqlparser::dialect::{
    Dialect as ParserDialect, GenericDialect, MsSqlDialect, MySqlDialect, OracleDialect,
    PostgreSqlDialect, SQLiteDialect,
};
use sqlparser::parser::Parser;

fn parsers(dialect: Dialect) -> Vec<Box<dyn ParserDialect>> {
    match dialect {
        Dialect::Postgresql => vec![Box::new(PostgreSqlDialect {})],
        Dialect::Mysql | Dialect::Mariadb => vec![Box::new(MySqlDialect {})],
        Dialect::Sqlite => vec![Box::new(SQLiteDialect {})],
        Dialect::Mssql => vec![Box::new(MsSqlDialect {})],
        // sqlparser's Oracle support is young; the generic dialect is the second opinion.
        Dialect::Oracle => vec![Box::new(OracleDialect {}), Box::new(GenericDialect {})],
    }
}

/// Statements of the export that no parser for the dialect accepts, with the error.
fn unparsed(diagram: &Diagram, dialect: Dialect) -> Vec<String> {
    let sql = export(
        diagram,
        dialect,
        &ExportOptions {
            drop_existing: true,
        },
    );
    let parsers = parsers(dialect);
    let mut failures = Vec::new();
    for statement in statements(&sql) {
        // Oracle's CASCADE CONSTRAINTS is valid Oracle that sqlparser does not know yet.
        let statement = match statement.strip_suffix(" CASCADE CONSTRAINTS") {
            Some(rest) if dialect == Dialect::Oracle => rest.to_string(),
            _ => statement,
        };
        let errors: Vec<String> = parsers
            .iter()
            .filter_map(|p| Parser::parse_sql(p.as_ref(), &statement).err())
            .map(|e| e.to_string())
            .collect();
        if errors.len() == parsers.len() {
            let head: String = statement.chars().take(200).collect();
            failures.push(format!("{}\n      in: {head}", errors.join(" / ")));
        }
    }
    failures
}

#[test]
fn hand_built_shop_parses_in_every_dialect() {
    let shop = export_common::shop();
    let failures: Vec<String> = Dialect::ALL
        .iter()
        .flat_map(|&d| {
            unparsed(&shop, d)
                .into_iter()
                .map(move |f| format!("{d}: {f}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every corpus schema exported for SQL Server and Oracle parses back.
#[test]
fn every_corpus_schema_exported_for_mssql_and_oracle_parses() {
    let Some(files) = export_common::corpus() else {
        return;
    };
    let mut failed = 0;
    for (file, dialect, sql) in files {
        let diagram = match catch_unwind(AssertUnwindSafe(|| import(&sql, dialect))) {
            Ok(Ok(report)) => report.diagram,
            Ok(Err(e)) => {
                println!("{file} | import failed: {e}");
                failed += 1;
                continue;
            }
            Err(_) => {
                println!("{file} | import panicked");
                failed += 1;
                continue;
            }
        };
        for target in [Dialect::Mssql, Dialect::Oracle] {
            let failures = unparsed(&diagram, target);
            if failures.is_empty() {
                println!("{file} | {target} | ok");
            } else {
                failed += 1;
                println!("{file} | {target} | {} statements fail", failures.len());
                for f in failures.iter().take(3) {
                    println!("    {f}");
                }
            }
        }
    }
    assert_eq!(failed, 0, "some exports do not parse (table above)");
}
