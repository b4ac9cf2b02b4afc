//! What the report says: errors placed in the original input, skipped statements, warnings,
//! positions that do not overlap, and the diagram's name.

mod common;

use common::{import_ok, rel, table, warned};
use ddl::{DdlError, Dialect, import};

#[test]
fn one_bad_statement_does_not_lose_the_others_and_is_placed_in_the_original_input() {
    let sql = "-- header\nCREATE TABLE a (id int PRIMARY KEY);\n\n  /* note */ CREATE TABLE b (\n    id int,\n    x int foo bar\n  );\nCREATE TABLE c (id int);";
    let r = import_ok(sql, Dialect::Postgresql);
    assert_eq!(common::names(&r), ["a", "c"]);
    assert_eq!(r.errors.len(), 1);
    let e = &r.errors[0];
    assert_eq!(e.kind, "CREATE TABLE");
    assert_eq!((e.line, e.column), (6, 11), "{e:?}");
    assert!(e.snippet.contains("x int foo bar"), "{e:?}");
    assert!(
        !e.message.contains("Line:"),
        "position is not repeated in the message"
    );
}

#[test]
fn an_error_on_the_first_line_of_a_statement_counts_its_indent() {
    let r = import_ok(
        "SELECT 1;\n   CREATE TABLE t (id int) GARBAGE;",
        Dialect::Postgresql,
    );
    let e = &r.errors[0];
    assert_eq!((e.line, e.column), (2, 28), "{e:?}");
}

#[test]
fn unknown_statements_are_errors_not_skips() {
    let r = import_ok(
        "FROBNICATE the database;\nCREATE TABLE t (id int);",
        Dialect::Mysql,
    );
    assert_eq!(r.errors.len(), 1);
    assert_eq!(
        (r.errors[0].kind.as_str(), r.errors[0].line),
        ("unknown", 1)
    );
    assert_eq!(r.diagram.tables.len(), 1);
}

#[test]
fn empty_input_is_an_error() {
    assert_eq!(import("", Dialect::Sqlite), Err(DdlError::Empty));
    assert_eq!(
        import("-- only a comment\n/* and another */", Dialect::Postgresql),
        Err(DdlError::Empty)
    );
}

#[test]
fn the_diagram_is_named_for_the_server_to_rename() {
    let r = import_ok("CREATE TABLE t (id int);", Dialect::Sqlite);
    assert_eq!(r.diagram.name, "Imported schema");
}

#[test]
fn self_references_are_kept_and_unknown_parents_warned() {
    let sql = "CREATE TABLE emp (id int PRIMARY KEY, boss int REFERENCES emp (id), dept int REFERENCES nowhere (id));";
    let r = import_ok(sql, Dialect::Postgresql);
    let boss = rel(&r, "emp", "emp");
    assert_eq!(boss.child_table, boss.parent_table);
    assert_eq!(r.diagram.relationships.len(), 1);
    assert!(warned(&r, &["nowhere", "not drawn"]));
}

#[test]
fn foreign_keys_may_reference_tables_created_later() {
    let sql = "CREATE TABLE child (id int, p int, FOREIGN KEY (p) REFERENCES parent (id));\nCREATE TABLE parent (id int PRIMARY KEY);";
    let r = import_ok(sql, Dialect::Sqlite);
    rel(&r, "child", "parent");
}

#[test]
fn unquoted_references_find_tables_whatever_the_case() {
    let sql = "CREATE TABLE \"Users\" (id int PRIMARY KEY);\nCREATE TABLE posts (u int REFERENCES users (ID));";
    let r = import_ok(sql, Dialect::Postgresql);
    rel(&r, "posts", "Users");
}

#[test]
fn imported_tables_laid_out_do_not_overlap() {
    let mut sql = String::new();
    for i in 0..30 {
        let fk = if i % 3 == 0 {
            String::new()
        } else {
            format!(", p int REFERENCES t{} (id)", i - 1)
        };
        let cols: String = (0..i % 9).map(|c| format!(", c{c} int")).collect();
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id int PRIMARY KEY{fk}{cols});\n"
        ));
    }
    let mut r = import_ok(&sql, Dialect::Postgresql);
    // The server places imported tables with the layout crate; check the two work together.
    let moves = layout::auto_layout(&r.diagram);
    for (t, m) in r.diagram.tables.iter_mut().zip(moves) {
        (t.x, t.y) = (m.x, m.y);
    }
    let height = |t: &model::Table| 28.0 + 22.0 * t.columns.len() as f64;
    let tables = &r.diagram.tables;
    for (i, a) in tables.iter().enumerate() {
        for b in &tables[i + 1..] {
            let apart = a.x + 220.0 <= b.x
                || b.x + 220.0 <= a.x
                || a.y + height(a) <= b.y
                || b.y + height(b) <= a.y;
            assert!(
                apart,
                "{} at ({}, {}) overlaps {} at ({}, {})",
                a.name, a.x, a.y, b.name, b.x, b.y
            );
        }
    }
    let t1 = table(&r, "t1");
    let t2 = table(&r, "t2");
    assert!(
        (t1.x - t2.x).abs() < 600.0 && (t1.y - t2.y).abs() < 600.0,
        "related tables start near"
    );
}

#[test]
fn split_statements_is_public_and_keeps_positions() {
    let st = ddl::split_statements("SELECT 1;\n\n  SELECT 2;", Dialect::Postgresql);
    assert_eq!(
        (st[1].line, st[1].column, st[1].text.as_str()),
        (3, 3, "SELECT 2")
    );
}

#[test]
fn constraints_added_after_an_unreadable_statement_still_apply_to_the_tables_read() {
    let sql = "CREATE TABLE a (id int NOT NULL, c_id int);\n\
               CREATE TABLE b (id int, x int foo bar);\n\
               CREATE TABLE c (id int NOT NULL);\n\
               ALTER TABLE a ADD CONSTRAINT a_pk PRIMARY KEY (id);\n\
               ALTER TABLE c ADD CONSTRAINT c_pk PRIMARY KEY (id);\n\
               ALTER TABLE a ADD CONSTRAINT a_c FOREIGN KEY (c_id) REFERENCES c (id);\n\
               ALTER TABLE a FROB THE KEYS;\n\
               ALTER TABLE b ADD CONSTRAINT b_pk PRIMARY KEY (id);\n\
               ALTER TABLE c ADD CONSTRAINT c_a FOREIGN KEY (id) REFERENCES a (id);\n\
               CREATE UNIQUE INDEX a_c_ix ON a (c_id);";
    for dialect in [Dialect::Postgresql, Dialect::Mysql, Dialect::Sqlite] {
        let r = import_ok(sql, dialect);
        assert_eq!(common::names(&r), ["a", "c"], "{dialect}");
        let places: Vec<(usize, usize)> = r.errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(places.len(), 2, "{dialect}: {:?}", r.errors);
        assert_eq!(places[0], (2, 31), "{dialect}: {:?}", r.errors);
        assert_eq!(places[1].0, 7, "{dialect}: {:?}", r.errors);
        let a = table(&r, "a");
        assert!(common::col(a, "id").primary_key, "{dialect}");
        assert!(a.indexes.iter().any(|i| i.unique), "{dialect}");
        assert!(common::col(table(&r, "c"), "id").primary_key, "{dialect}");
        rel(&r, "a", "c");
        rel(&r, "c", "a");
        assert_eq!(r.diagram.relationships.len(), 2, "{dialect}");
        assert!(warned(&r, &["unknown table b", "not applied"]), "{dialect}");
    }
}
