//! Imports every real-world schema of the shared corpus and checks that no table is lost.
//!
//! CREATE TABLE statements are counted here without sqlparser, over the split statements, so a
//! table the importer drops (or a statement the splitter swallows) shows up as a failure.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use ddl::{Dialect, import, split_statements};

fn corpus_dir() -> PathBuf {
    match std::env::var_os("TABLEWRIGHT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    }
}

/// One `CREATE … TABLE name` found in a statement, by our own reading.
struct Found {
    name: String,
    temporary: bool,
}

fn words(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let separator = |b: u8| b.is_ascii_whitespace() || matches!(b, b'(' | b',' | b';');
    // One name part: quoted (spaces allowed inside) or bare.
    let part = |mut i: usize| -> usize {
        if let Some(&q @ (b'"' | b'`' | b'[' | b'\'')) = bytes.get(i) {
            let close = if q == b'[' { b']' } else { q };
            i += 1;
            while i < bytes.len() && bytes[i] != close {
                i += 1;
            }
            (i + 1).min(bytes.len())
        } else {
            while i < bytes.len() && !separator(bytes[i]) && bytes[i] != b'.' {
                i += 1;
            }
            i
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if separator(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        i = part(i);
        while i < bytes.len() && bytes[i] == b'.' {
            i = part(i + 1);
        }
        if i == start {
            i += 1;
        }
        out.push(&text[start..i]);
    }
    out
}

fn unquote_last(name: &str) -> String {
    let last = if name.ends_with(['"', '`', ']']) {
        // The last quoted part may itself hold dots.
        let open = match name.as_bytes()[name.len() - 1] {
            b']' => '[',
            b'"' => '"',
            _ => '`',
        };
        let body = &name[..name.len() - 1];
        body.rfind(open).map_or(name, |i| &name[i..])
    } else {
        name.rsplit('.').next().unwrap_or(name)
    };
    last.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']'))
        .to_string()
}

/// Every CREATE TABLE in the statement, including ones inside routine bodies.
fn create_tables(text: &str) -> Vec<Found> {
    let w = words(text);
    let mut found = Vec::new();
    // `GRANT CREATE TABLE TO …` names a privilege, not a table.
    if w.first()
        .is_some_and(|f| f.eq_ignore_ascii_case("grant") || f.eq_ignore_ascii_case("revoke"))
    {
        return found;
    }
    for i in 0..w.len() {
        if !w[i].eq_ignore_ascii_case("create") {
            continue;
        }
        let mut j = i + 1;
        let mut temporary = false;
        while j < w.len() {
            let lower = w[j].to_ascii_lowercase();
            match lower.as_str() {
                "or" | "replace" | "global" | "local" | "unlogged" => {}
                "temporary" | "temp" => temporary = true,
                _ => break,
            }
            j += 1;
        }
        if j >= w.len() || !w[j].eq_ignore_ascii_case("table") {
            continue;
        }
        j += 1;
        if w.get(j).is_some_and(|x| x.eq_ignore_ascii_case("if")) {
            j += 3;
        }
        if let Some(name) = w.get(j) {
            found.push(Found {
                name: unquote_last(name),
                temporary,
            });
        }
    }
    found
}

struct Row {
    file: String,
    dialect: String,
    found: usize,
    imported: usize,
    fks: usize,
    skipped: usize,
    errors: usize,
    warnings: usize,
}

#[test]
fn every_corpus_table_is_imported() {
    let dir = corpus_dir();
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        println!(
            "corpus not found at {} (set TABLEWRIGHT_CORPUS); skipped",
            dir.display()
        );
        return;
    };
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, dialect_name) = (cols[0], cols[1]);
        let expected_total: Option<usize> = cols.get(5).and_then(|t| t.parse().ok());
        let dialect: Dialect = dialect_name.parse().expect("MANIFEST dialect");
        let sql = std::fs::read_to_string(dir.join(file)).expect("corpus file readable");

        let found: Vec<Found> = split_statements(&sql, dialect)
            .iter()
            .flat_map(|s| create_tables(&s.text))
            .collect();
        // The MANIFEST counts every CREATE TABLE, temporary ones in routines included.
        if let Some(total) = expected_total.filter(|&t| t != found.len()) {
            failures.push(format!(
                "{file}: {} CREATE TABLE found, MANIFEST says {total}",
                found.len()
            ));
        }
        let report = match catch_unwind(AssertUnwindSafe(|| import(&sql, dialect))) {
            Ok(Ok(report)) => report,
            Ok(Err(e)) => {
                failures.push(format!("{file}: import failed: {e}"));
                continue;
            }
            Err(_) => {
                failures.push(format!("{file}: import panicked"));
                continue;
            }
        };
        let wanted: Vec<&Found> = found.iter().filter(|f| !f.temporary).collect();
        for f in &wanted {
            let present = report
                .diagram
                .tables
                .iter()
                .any(|t| t.name.eq_ignore_ascii_case(&f.name));
            if !present {
                failures.push(format!("{file}: table {} missing from the diagram", f.name));
            }
        }
        for e in &report.errors {
            if e.kind == "CREATE TABLE" || e.kind == "ALTER TABLE" {
                failures.push(format!(
                    "{file}:{}:{}: {} error: {} ({})",
                    e.line, e.column, e.kind, e.message, e.snippet
                ));
            }
        }
        if let Err(e) = report.diagram.validate() {
            failures.push(format!("{file}: the imported diagram is invalid: {e}"));
        }
        rows.push(Row {
            file: file.to_string(),
            dialect: dialect_name.to_string(),
            found: wanted.len(),
            imported: report.diagram.tables.len(),
            fks: report.diagram.relationships.len(),
            skipped: report.skipped.len(),
            errors: report.errors.len(),
            warnings: report.warnings.len(),
        });
    }
    print_table(&rows);
    assert!(!rows.is_empty(), "MANIFEST.tsv lists no files");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn print_table(rows: &[Row]) {
    println!(
        "| {:<40} | {:<10} | {:>12} | {:>8} | {:>5} | {:>7} | {:>6} | {:>8} |",
        "file", "dialect", "CREATE TABLE", "imported", "FKs", "skipped", "errors", "warnings"
    );
    println!(
        "|{:-<42}|{:-<12}|{:-<14}|{:-<10}|{:-<7}|{:-<9}|{:-<8}|{:-<10}|",
        "", "", "", "", "", "", "", ""
    );
    for r in rows {
        println!(
            "| {:<40} | {:<10} | {:>12} | {:>8} | {:>5} | {:>7} | {:>6} | {:>8} |",
            r.file, r.dialect, r.found, r.imported, r.fks, r.skipped, r.errors, r.warnings
        );
    }
    let sum = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    println!(
        "| {:<40} | {:<10} | {:>12} | {:>8} | {:>5} | {:>7} | {:>6} | {:>8} |",
        "total",
        "",
        sum(|r| r.found),
        sum(|r| r.imported),
        sum(|r| r.fks),
        sum(|r| r.skipped),
        sum(|r| r.errors),
        sum(|r| r.warnings)
    );
}

#[test]
fn the_independent_counter_reads_create_table_forms() {
    let names: Vec<(String, bool)> = create_tables(
        "CREATE TABLE IF NOT EXISTS `a` (x int); create global temporary table t (x int); CREATE TABLE [dbo].[Order Details] (x int)",
    )
    .into_iter()
    .map(|f| (f.name, f.temporary))
    .collect();
    assert_eq!(
        names,
        [
            ("a".to_string(), false),
            ("t".to_string(), true),
            ("Order Details".to_string(), false)
        ]
    );
}

#[test]
fn the_dialect_of_every_corpus_file_is_detected() {
    let dir = corpus_dir();
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        println!(
            "corpus not found at {} (set TABLEWRIGHT_CORPUS); skipped",
            dir.display()
        );
        return;
    };
    let mut wrong = Vec::new();
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let mut want: Dialect = cols[1].parse().expect("MANIFEST dialect");
        if want == Dialect::Mariadb {
            want = Dialect::Mysql;
        }
        let sql = std::fs::read_to_string(dir.join(cols[0])).expect("corpus file readable");
        let got = ddl::detect_dialect(&sql);
        if got != want {
            wrong.push(format!("{}: detected {got}, is {want}", cols[0]));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
