//! The same document gives the same bytes: no hash-map order, ids or clock in the output.

mod export_common;

use ddl::{Dialect, ExportOptions, export};
use model::{Diagram, Uuid};

/// The same document with every id replaced, as a copy made elsewhere would have.
fn with_fresh_ids(d: &Diagram) -> Diagram {
    let mut copy = d.clone();
    copy.id = Uuid::new_v4();
    let mut map = std::collections::HashMap::new();
    for t in &mut copy.tables {
        let new = Uuid::new_v4();
        map.insert(t.id, new);
        t.id = new;
        for c in &mut t.columns {
            let new = Uuid::new_v4();
            map.insert(c.id, new);
            c.id = new;
        }
        for i in &mut t.indexes {
            i.id = Uuid::new_v4();
            i.columns = i.columns.iter().map(|c| map[c]).collect();
        }
    }
    for r in &mut copy.relationships {
        r.id = Uuid::new_v4();
        r.child_table = map[&r.child_table];
        r.parent_table = map[&r.parent_table];
        r.child_columns = r.child_columns.iter().map(|c| map[c]).collect();
        r.parent_columns = r.parent_columns.iter().map(|c| map[c]).collect();
    }
    copy
}

#[test]
fn exporting_twice_gives_the_same_bytes() {
    let shop = export_common::shop();
    for dialect in Dialect::ALL {
        for drop_existing in [false, true] {
            let options = ExportOptions { drop_existing };
            assert_eq!(
                export(&shop, dialect, &options),
                export(&shop, dialect, &options)
            );
        }
    }
}

#[test]
fn ids_do_not_change_the_output() {
    let shop = export_common::shop();
    let copy = with_fresh_ids(&shop);
    for dialect in Dialect::ALL {
        let options = ExportOptions {
            drop_existing: true,
        };
        assert_eq!(
            export(&shop, dialect, &options),
            export(&copy, dialect, &options),
            "{dialect}"
        );
    }
}

#[test]
fn every_dialect_writes_different_text_for_the_same_document() {
    let shop = export_common::shop();
    let outputs: Vec<String> = Dialect::ALL
        .iter()
        .map(|&d| export(&shop, d, &ExportOptions::default()))
        .collect();
    for (i, a) in outputs.iter().enumerate() {
        for b in &outputs[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[test]
fn an_empty_diagram_exports_only_its_header() {
    let empty = Diagram::new("Empty");
    for dialect in Dialect::ALL {
        let out = export(
            &empty,
            dialect,
            &ExportOptions {
                drop_existing: true,
            },
        );
        assert!(!out.contains("CREATE"), "{out}");
        assert!(out.starts_with("-- Empty for "), "{out}");
    }
}
