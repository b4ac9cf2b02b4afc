//! The JSON of `GET /api/diagrams/{id}`, assembled from cached pieces.
//!
//! A big diagram's JSON is megabytes, and most writes change one table. Each table, relationship,
//! note and enum keeps its serialized form beside a copy of what it was made from; rendering a new
//! revision compares each entity with the copy at its position (cheap) and serializes only the
//! ones that changed.
//! The output is byte for byte what `serde_json::to_vec(&DiagramState)` gives.

use axum::body::Bytes;
use model::{Diagram, EnumType, Note, Relationship, Table};
use serde::Serialize;

/// Serialized pieces of one diagram, reused across revisions.
#[derive(Default)]
pub struct Rendered {
    tables: Pieces<Table>,
    relationships: Pieces<Relationship>,
    notes: Pieces<Note>,
    enums: Pieces<EnumType>,
    /// The whole answer for `revision`, until the next write.
    whole: Option<(i64, Bytes)>,
}

impl Rendered {
    /// The JSON of `DiagramState { diagram, revision }`.
    pub fn state(&mut self, diagram: &Diagram, revision: i64) -> Result<Bytes, serde_json::Error> {
        if let Some((at, json)) = &self.whole
            && *at == revision
        {
            return Ok(json.clone());
        }
        let mut out = Vec::with_capacity(self.whole.as_ref().map_or(4096, |(_, j)| j.len() + 256));
        out.extend_from_slice(b"{\"diagram\":{\"id\":");
        serde_json::to_writer(&mut out, &diagram.id)?;
        out.extend_from_slice(b",\"name\":");
        serde_json::to_writer(&mut out, &diagram.name)?;
        out.extend_from_slice(b",\"tables\":");
        self.tables.write(&diagram.tables, &mut out)?;
        out.extend_from_slice(b",\"relationships\":");
        self.relationships.write(&diagram.relationships, &mut out)?;
        out.extend_from_slice(b",\"notes\":");
        self.notes.write(&diagram.notes, &mut out)?;
        if !diagram.enums.is_empty() {
            out.extend_from_slice(b",\"enums\":");
            self.enums.write(&diagram.enums, &mut out)?;
        }
        out.extend_from_slice(b"},\"revision\":");
        out.extend_from_slice(revision.to_string().as_bytes());
        out.push(b'}');
        let json = Bytes::from(out);
        self.whole = Some((revision, json.clone()));
        Ok(json)
    }
}

/// The serialized form of each entity of one kind, in document order, with the value it was
/// made from. Matched by position: edits keep positions, and an insertion or removal costs one
/// serialization of the entities after it.
struct Pieces<T> {
    cached: Vec<(T, Bytes)>,
}

impl<T> Default for Pieces<T> {
    fn default() -> Self {
        Self { cached: Vec::new() }
    }
}

impl<T: Serialize + PartialEq + Clone> Pieces<T> {
    /// Writes `items` as a JSON array, serializing only those that differ from the cached copy
    /// at their position.
    fn write(&mut self, items: &[T], out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        self.cached.truncate(items.len());
        out.push(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match self.cached.get_mut(i) {
                Some((old, json)) if old == item => out.extend_from_slice(json),
                cached => {
                    let json = Bytes::from(serde_json::to_vec(item)?);
                    out.extend_from_slice(&json);
                    match cached {
                        Some(slot) => *slot = (item.clone(), json),
                        None => self.cached.push((item.clone(), json)),
                    }
                }
            }
        }
        out.push(b']');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use model::api::DiagramState;
    use model::{Column, EnumType, Note, Op, TablePatch, Uuid};

    use super::*;

    fn table(name: &str) -> Table {
        let mut t = Table::new(name);
        t.columns.push(Column::new("label", "text"));
        t
    }

    fn assert_same(rendered: &mut Rendered, diagram: &Diagram, revision: i64) {
        let json = rendered.state(diagram, revision).unwrap();
        let expected = serde_json::to_vec(&DiagramState {
            diagram: diagram.clone(),
            revision,
        })
        .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&json),
            String::from_utf8_lossy(&expected)
        );
    }

    #[test]
    fn matches_serde_across_edits_that_reuse_and_replace_pieces() {
        let mut doc = Diagram::new("Shop \"quoted\" </script>");
        let mut rendered = Rendered::default();
        assert_same(&mut rendered, &doc, 1);
        for name in ["a", "b", "c"] {
            Op::AddTable {
                table: table(name),
                at: None,
            }
            .apply(&mut doc)
            .unwrap();
        }
        doc.notes.push(Note::new("hello", 0.0, 0.0));
        assert_same(&mut rendered, &doc, 2);
        let b = doc.tables[1].id;
        Op::UpdateTable {
            table_id: b,
            patch: TablePatch {
                comment: Some("changed".into()),
                ..TablePatch::default()
            },
        }
        .apply(&mut doc)
        .unwrap();
        assert_same(&mut rendered, &doc, 3);
        assert!(
            String::from_utf8_lossy(&rendered.state(&doc, 3).unwrap()).contains("changed"),
            "the changed table is serialized again"
        );
        Op::RemoveTable { table_id: b }.apply(&mut doc).unwrap();
        doc.enums.push(EnumType {
            id: Uuid::new_v4(),
            name: "mood".into(),
            schema: None,
            values: vec!["ok".into()],
        });
        assert_same(&mut rendered, &doc, 4);
        assert_eq!(
            rendered.tables.cached.len(),
            2,
            "removed tables are forgotten"
        );
    }

    #[test]
    fn the_same_revision_is_served_from_the_whole_cache() {
        let doc = Diagram::new("d");
        let mut rendered = Rendered::default();
        let first = rendered.state(&doc, 7).unwrap();
        let second = rendered.state(&doc, 7).unwrap();
        assert_eq!(
            first.as_ptr(),
            second.as_ptr(),
            "no new buffer for one revision"
        );
    }
}
