//! The rules on what names, text, types, colours and positions may hold, and that ops check them
//! without changing anything when they refuse.

mod support;

use model::{
    Column, ColumnPatch, Diagram, Index, Note, NotePatch, Op, OpError, Table, TableMove,
    TablePatch, TextField, Uuid,
};
use support::shop;

fn refused(doc: &Diagram, op: Op) -> OpError {
    let mut edited = doc.clone();
    let error = op.apply(&mut edited).expect_err("refused");
    assert_eq!(&edited, doc, "a refused op changes nothing");
    error
}

fn first_table(doc: &Diagram) -> Uuid {
    doc.tables[0].id
}

#[test]
fn names_refuse_control_and_bidirectional_characters_naming_the_character() {
    let doc = shop().doc;
    for (name, character) in [
        ("a\u{0}b", '\u{0}'),
        ("line\nbreak", '\n'),
        ("cr\r", '\r'),
        ("evil\u{202E}txt", '\u{202E}'),
        ("iso\u{2066}late", '\u{2066}'),
    ] {
        let error = refused(
            &doc,
            Op::UpdateTable {
                table_id: first_table(&doc),
                patch: TablePatch {
                    name: Some(name.into()),
                    ..TablePatch::default()
                },
            },
        );
        assert_eq!(
            error,
            OpError::InvalidName {
                what: "table",
                character
            }
        );
        assert_eq!(error.code(), "invalid_name");
        assert!(
            error
                .to_string()
                .contains(&format!("U+{:04X}", character as u32))
        );
    }
    let column = Column::new("bad\u{7}", "int");
    let error = refused(
        &doc,
        Op::AddColumn {
            table_id: first_table(&doc),
            column,
            at: None,
        },
    );
    assert_eq!(error.code(), "invalid_name");
    // Letters of any script are names.
    let mut ok = doc.clone();
    Op::UpdateTable {
        table_id: first_table(&doc),
        patch: TablePatch {
            name: Some("주문 상세 Ünïcode".into()),
            ..TablePatch::default()
        },
    }
    .apply(&mut ok)
    .expect("letters are fine");
}

#[test]
fn comments_keep_line_breaks_but_not_other_controls() {
    let doc = shop().doc;
    let update = |comment: &str| Op::UpdateTable {
        table_id: first_table(&doc),
        patch: TablePatch {
            comment: Some(comment.into()),
            ..TablePatch::default()
        },
    };
    let mut ok = doc.clone();
    update("two\nlines\tand a tab\r\n").apply(&mut ok).unwrap();
    assert_eq!(refused(&doc, update("nul\u{0}")).code(), "invalid_text");
    assert_eq!(refused(&doc, update("rlo\u{202E}")).code(), "invalid_text");
}

#[test]
fn data_types_read_as_one_type() {
    for good in [
        "",
        "int",
        "character varying(255)",
        "numeric(10, 2)",
        "enum('a;b', 'c)')",
        "int[]",
        "varchar(10)[3]",
        "[nvarchar](50)",
        "\"public\".\"mood\"",
        "timestamp(3) with time zone",
        "geometry(Point,4326)",
        "decimal(10,2) unsigned zerofill",
    ] {
        let mut t = Table::empty("t", vec![Column::new("c", good)]);
        t.name = "t".into();
        let mut doc = Diagram::new("d");
        Op::AddTable { table: t, at: None }
            .apply(&mut doc)
            .unwrap_or_else(|e| panic!("{good:?}: {e}"));
    }
    for bad in [
        "int; DROP TABLE x",
        "int -- comment",
        "int /* c */",
        "varchar(10",
        "varchar 10)",
        "enum('a)",
        "int\n",
        "text\u{202E}",
    ] {
        let mut doc = Diagram::new("d");
        let error = Op::AddTable {
            table: Table::empty("t", vec![Column::new("c", bad)]),
            at: None,
        }
        .apply(&mut doc)
        .expect_err(bad);
        assert_eq!(error.code(), "invalid_data_type", "{bad:?}");
    }
}

#[test]
fn colours_are_css_colours_or_empty() {
    let doc = shop().doc;
    let colour = |value: &str| Op::UpdateTable {
        table_id: first_table(&doc),
        patch: TablePatch {
            color: Some(value.into()),
            ..TablePatch::default()
        },
    };
    for good in [
        "",
        "#3b82f6",
        "#abc",
        "#11223344",
        "rgb(1, 2, 3)",
        "hsl(200 50% 40%)",
        "teal",
    ] {
        let mut ok = doc.clone();
        colour(good)
            .apply(&mut ok)
            .unwrap_or_else(|e| panic!("{good:?}: {e}"));
    }
    for bad in [
        "url(http://example.com/x.png)",
        "red; background: url(x)",
        "#12",
        "not-a-colour",
        "expression(alert(1))",
    ] {
        assert_eq!(
            refused(&doc, colour(bad)).code(),
            "invalid_color",
            "{bad:?}"
        );
    }
    let note = Note {
        color: "url(#x)".into(),
        ..Note::new("n", 0.0, 0.0)
    };
    let mut empty = Diagram::new("d");
    let error = Op::AddNote { note, at: None }
        .apply(&mut empty)
        .expect_err("note colour");
    assert_eq!(error.code(), "invalid_color");
}

#[test]
fn positions_and_sizes_stay_in_range() {
    let doc = shop().doc;
    let far = Op::MoveTables {
        moves: vec![TableMove {
            table_id: first_table(&doc),
            x: f64::MAX,
            y: 0.0,
            by_hand: false,
        }],
    };
    assert_eq!(refused(&doc, far).code(), "out_of_range");
    let mut with_note = Diagram::new("d");
    let note = Note::new("n", 0.0, 0.0);
    let note_id = note.id;
    Op::AddNote { note, at: None }
        .apply(&mut with_note)
        .unwrap();
    let huge = Op::UpdateNote {
        note_id,
        patch: NotePatch {
            width: Some(1e12),
            ..NotePatch::default()
        },
    };
    assert_eq!(refused(&with_note, huge).code(), "out_of_range");
}

#[test]
fn documents_with_unknown_fields_do_not_decode() {
    let doc = shop().doc;
    let mut json = serde_json::to_value(&doc).unwrap();
    json["tables"][0]["columns"][0]["surprise"] = true.into();
    let error = serde_json::from_value::<Diagram>(json).expect_err("unknown field");
    assert!(error.to_string().contains("surprise"), "{error}");
}

#[test]
fn a_wide_table_is_edited_without_checking_it_whole() {
    // 10,000 columns and 8 indexes over all of them: checked whole, each of these 1,000 edits
    // made 800 million column lookups (minutes); checked locally, the test takes a moment.
    let columns: Vec<Column> = (0..10_000)
        .map(|i| Column::new(format!("c{i}"), "int"))
        .collect();
    let ids: Vec<Uuid> = columns.iter().map(|c| c.id).collect();
    let mut table = Table::empty("wide", columns);
    for k in 0..8 {
        table.indexes.push(Index {
            id: Uuid::new_v4(),
            name: format!("ix{k}"),
            columns: ids.clone(),
            unique: false,
            ..Default::default()
        });
    }
    let table_id = table.id;
    let mut doc = Diagram::new("d");
    Op::AddTable { table, at: None }.apply(&mut doc).unwrap();
    for (n, id) in ids.iter().take(1_000).enumerate() {
        Op::UpdateColumn {
            table_id,
            column_id: *id,
            patch: ColumnPatch {
                comment: Some(format!("edit {n}")),
                ..ColumnPatch::default()
            },
        }
        .apply(&mut doc)
        .unwrap();
    }
    doc.validate().expect("still valid");
    let duplicate = Op::UpdateColumn {
        table_id,
        column_id: ids[5],
        patch: ColumnPatch {
            name: Some("c9999".into()),
            ..ColumnPatch::default()
        },
    };
    assert_eq!(refused(&doc, duplicate).code(), "duplicate_column_name");
}

#[test]
fn texts_of_ops_and_documents_are_all_visited() {
    let doc = shop().doc;
    let mut seen = Vec::new();
    model::diagram_texts(&doc, &mut |field, _| seen.push(field));
    assert!(seen.contains(&TextField::DataType));
    let ops = vec![Op::Batch {
        ops: vec![Op::UpdateColumn {
            table_id: first_table(&doc),
            column_id: doc.tables[0].columns[0].id,
            patch: ColumnPatch {
                default: Some(Some("x".repeat(10))),
                ..ColumnPatch::default()
            },
        }],
    }];
    let mut lengths = Vec::new();
    model::op_texts(&ops, &mut |field, text| lengths.push((field, text.len())));
    assert_eq!(lengths, vec![(TextField::Default, 10)]);
}
