//! What the fuzz targets share: the property each checks, written once so the normal test suite
//! (`server/tests/properties.rs` holds its own copies of the regression inputs) and the fuzzers
//! agree on what a failure is.

use ddl::Dialect;
use model::{Diagram, Op};

/// `ddl::import` on any text, in every dialect: an answer, never a panic; what it returns is a
/// valid document.
pub fn import_any(data: &[u8]) {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    for dialect in Dialect::ALL {
        if let Ok(report) = ddl::import(sql, dialect) {
            match report.diagram.validate() {
                // Known and reported (server/tests/properties.rs): over-long quoted names pass.
                Ok(()) | Err(model::OpError::NameTooLong { .. }) => {}
                Err(e) => panic!("{dialect}: import produced an invalid document: {e}"),
            }
        }
    }
}

/// A document to apply fuzzed ops to, with fixed ids the seeds name (tables `…0100`,
/// `…0101`; columns `…0200`.. `…0202` and `…0210`.. `…0212`; relationship `…0300`; index `…0400`;
/// note `…0500`), so mutations reach deep into `apply`.
pub fn base_document() -> Diagram {
    let id = model::Uuid::from_u128;
    let table = |t: u128, name: &str| {
        let columns = ["id", "name", "ref_id"]
            .iter()
            .enumerate()
            .map(|(c, column)| {
                let mut column = model::Column::new(*column, "integer");
                column.id = id(0x200 + t * 0x10 + c as u128);
                column
            })
            .collect();
        let mut table = model::Table::empty(name, columns);
        table.id = id(0x100 + t);
        table
    };
    let mut doc = Diagram::new("fuzz");
    let (mut users, orders) = (table(0, "users"), table(1, "orders"));
    users.indexes.push(model::Index {
        id: id(0x400),
        name: "users_name".into(),
        columns: vec![id(0x201)],
        unique: true,
    });
    let mut rel =
        model::Relationship::new((orders.id, vec![id(0x212)]), (users.id, vec![id(0x200)]));
    rel.id = id(0x300);
    let mut note = model::Note::new("hello", 0.0, 0.0);
    note.id = id(0x500);
    doc.tables = vec![users, orders];
    doc.relationships.push(rel);
    doc.notes.push(note);
    doc
}

/// Decodes an op batch and applies it: never a panic; the returned inverse puts the previous
/// document back exactly; a refused op changes nothing. (An applied op may leave a document that
/// does not validate, such as a note reusing a table's id: a known model finding that the server
/// guards against by validating each batch before its commit.)
pub fn apply_any(data: &[u8]) {
    let Ok(ops) = serde_json::from_slice::<Vec<Op>>(data) else {
        return;
    };
    let mut doc = base_document();
    for op in ops {
        let before = doc.clone();
        match op.apply(&mut doc) {
            Ok(inverse) => {
                let mut undone = doc.clone();
                match inverse.apply(&mut undone) {
                    Ok(_) => assert_eq!(undone, before, "the inverse does not restore"),
                    Err(e) => panic!("the inverse does not apply: {e}"),
                }
            }
            Err(_) => assert_eq!(doc, before, "a refused op changed the document"),
        }
    }
}

/// A valid document from the input (a JSON document, else SQL in a dialect picked by the first
/// byte), exported in every dialect: each export imports back without errors into the same
/// tables with the same number of columns.
pub fn export_roundtrip(data: &[u8]) {
    let Some(doc) = document_from(data) else {
        return;
    };
    for dialect in Dialect::ALL {
        let sql = ddl::export(&doc, dialect, &ddl::ExportOptions::default());
        // A table without columns cannot be created in SQL (but PostgreSQL's): the export leaves
        // it out, on purpose, so a document of such tables alone exports no statement at all.
        let nothing_to_create = doc.tables.iter().all(|t| t.columns.is_empty());
        let back = match ddl::import(&sql, dialect) {
            Ok(back) => back,
            Err(_) if nothing_to_create => continue,
            Err(e) => panic!("{dialect}: the export does not import: {e}\n{sql}"),
        };
        assert!(
            back.errors.is_empty(),
            "{dialect}: the export has statements that do not import: {:?}\n{sql}",
            back.errors
        );
        let shape = |d: &Diagram| {
            d.tables
                .iter()
                .map(|t| t.columns.len())
                .filter(|n| *n > 0)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            shape(&back.diagram),
            shape(&doc),
            "{dialect}: tables or columns changed\n{sql}"
        );
    }
}

fn document_from(data: &[u8]) -> Option<Diagram> {
    if let Ok(doc) = serde_json::from_slice::<Diagram>(data) {
        return doc.validate().is_ok().then_some(doc);
    }
    let (&first, rest) = data.split_first()?;
    let sql = std::str::from_utf8(rest).ok()?;
    let dialect = Dialect::ALL[usize::from(first) % Dialect::ALL.len()];
    let doc = ddl::import(sql, dialect).ok()?.diagram;
    doc.validate().is_ok().then_some(doc)
}
