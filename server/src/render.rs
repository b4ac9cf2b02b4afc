//! The JSON of `GET /api/diagrams/{id}`, assembled from cached pieces, plain and gzipped.
//!
//! A big diagram's JSON is megabytes, and most writes change one table. Each table, relationship,
//! note and enum keeps its serialized form beside a copy of what it was made from; rendering a new
//! revision serializes only the ones that changed. Which may have changed is known from the ops
//! applied since the last rendering: an op names by id every entity it changes, and so does its
//! inverse (cascades included: removing a table names the relationships going with it), as
//! `Op::touched_ids` says. An entity
//! still at its position and not named is reused as is; any other is compared with the copy at its
//! position; after a load or a replacement, all are. The output is byte for byte what
//! `serde_json::to_vec(&DiagramState)` gives.
//!
//! The gzipped form is assembled the same way: each piece keeps its own deflate segment, ended by
//! a full flush so segments can be joined into one stream (as pigz does). A segment is compressed
//! with the piece before it as preset dictionary, which is valid because those bytes precede it
//! in the stream: a 1,000-table diagram gzips to about a fifth, close to compressing it whole,
//! while a write recompresses only the pieces it changed and the ones right after them.

use std::collections::HashSet;
use std::io;

use axum::body::Bytes;
use flate2::{Compress, Compression, FlushCompress};
use model::{Diagram, EnumType, Note, Relationship, Table, Uuid};
use serde::Serialize;

/// A rendered `DiagramState`: its JSON, and the same JSON as a gzip member.
#[derive(Clone)]
pub struct Encoded {
    pub json: Bytes,
    pub gzip: Bytes,
}

/// Serialized pieces of one diagram, reused across revisions.
#[derive(Default)]
pub struct Rendered {
    tables: Pieces<Table>,
    relationships: Pieces<Relationship>,
    notes: Pieces<Note>,
    enums: Pieces<EnumType>,
    deflater: Deflater,
    /// The whole answer for `revision`, until the next write.
    whole: Option<(i64, Encoded)>,
    /// The ids of the entities that may have changed since the last rendering; `None`: any.
    changed: Option<HashSet<Uuid>>,
}

impl Rendered {
    /// Notes the entities with these ids (those ops and their inverses name) as possibly
    /// changed.
    pub fn changed(&mut self, ids: &[Uuid]) {
        if let Some(changed) = &mut self.changed {
            changed.extend(ids);
        }
        self.whole_is_stale();
    }

    /// Notes that any entity may have changed (the document was loaded or replaced).
    pub fn changed_all(&mut self) {
        self.changed = None;
        self.whole_is_stale();
    }

    /// The whole answer no longer matches its revision (a write was undone before it committed,
    /// and the next one takes the same number); its size still sizes the next rendering.
    fn whole_is_stale(&mut self) {
        if let Some((at, _)) = &mut self.whole {
            *at = i64::MIN;
        }
    }

    /// The JSON of `DiagramState { diagram, revision }`, plain and gzipped.
    pub fn state(
        &mut self,
        diagram: &Diagram,
        revision: i64,
    ) -> Result<Encoded, serde_json::Error> {
        if let Some((at, encoded)) = &self.whole
            && *at == revision
        {
            return Ok(encoded.clone());
        }
        let (json_size, gzip_size) = self.whole.as_ref().map_or((4096, 1024), |(_, e)| {
            (e.json.len() + 256, e.gzip.len() + 256)
        });
        let mut out = Output {
            json: Vec::with_capacity(json_size),
            gzip: Vec::with_capacity(gzip_size),
            sealed: 0,
            deflater: &mut self.deflater,
        };
        let changed = self.changed.as_ref();
        out.gzip.extend_from_slice(&GZIP_HEADER);
        out.json.extend_from_slice(PREFIX);
        out.json.extend_from_slice(b"{\"id\":");
        serde_json::to_writer(&mut out.json, &diagram.id)?;
        out.json.extend_from_slice(b",\"name\":");
        serde_json::to_writer(&mut out.json, &diagram.name)?;
        out.json.extend_from_slice(b",\"tables\":[");
        self.tables.write(&diagram.tables, changed, &mut out)?;
        out.json.extend_from_slice(b"],\"relationships\":[");
        self.relationships
            .write(&diagram.relationships, changed, &mut out)?;
        out.json.extend_from_slice(b"],\"notes\":[");
        self.notes.write(&diagram.notes, changed, &mut out)?;
        out.json.push(b']');
        if !diagram.enums.is_empty() {
            out.json.extend_from_slice(b",\"enums\":[");
            self.enums.write(&diagram.enums, changed, &mut out)?;
            out.json.push(b']');
        }
        // Written whole each time, as the dictionary: few beside the tables.
        if !diagram.areas.is_empty() {
            out.json.extend_from_slice(b",\"areas\":");
            serde_json::to_writer(&mut out.json, &diagram.areas)?;
        }
        // Written whole each time: a dictionary is small beside the tables.
        if !diagram.dictionary.is_empty() {
            out.json.extend_from_slice(b",\"dictionary\":");
            serde_json::to_writer(&mut out.json, &diagram.dictionary)?;
        }
        out.json.extend_from_slice(b"},\"revision\":");
        out.json.extend_from_slice(revision.to_string().as_bytes());
        out.json.push(b'}');
        out.seal()?;
        // A final empty block ends the deflate stream; the gzip trailer follows.
        out.gzip.extend_from_slice(&[0x03, 0x00]);
        out.gzip
            .extend_from_slice(&crc32fast::hash(&out.json).to_le_bytes());
        out.gzip
            .extend_from_slice(&(out.json.len() as u32).to_le_bytes());
        let encoded = Encoded {
            json: Bytes::from(out.json),
            gzip: Bytes::from(out.gzip),
        };
        self.whole = Some((revision, encoded.clone()));
        self.changed = Some(HashSet::new());
        Ok(encoded)
    }
}

/// The part of a rendered `DiagramState` of `revision` that is the document's own JSON (what
/// `serde_json::to_vec(&diagram)` gives).
pub fn document(state: &[u8], revision: i64) -> &[u8] {
    let end = state.len() - ",\"revision\":}".len() - revision.to_string().len();
    &state[PREFIX.len()..end]
}

/// How a rendered `DiagramState` begins.
const PREFIX: &[u8] = b"{\"diagram\":";

/// A gzip member header: deflate, no name, no time, unknown OS.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// The answer being assembled. The JSON after `sealed` is glue (keys, brackets) not yet in the
/// gzip stream.
struct Output<'a> {
    json: Vec<u8>,
    gzip: Vec<u8>,
    sealed: usize,
    deflater: &'a mut Deflater,
}

impl Output<'_> {
    /// Compresses the glue written since the last piece into the gzip stream.
    fn seal(&mut self) -> Result<(), serde_json::Error> {
        if self.sealed < self.json.len() {
            self.deflater
                .segment(&self.json[self.sealed..], &[], &mut self.gzip)?;
            self.sealed = self.json.len();
        }
        Ok(())
    }

    /// Appends a piece: its JSON (after a comma unless `first`) and its deflate segment.
    fn piece(
        &mut self,
        first: bool,
        json: &[u8],
        deflated: &[u8],
    ) -> Result<(), serde_json::Error> {
        self.seal()?;
        if !first {
            self.json.push(b',');
        }
        self.json.extend_from_slice(json);
        self.gzip.extend_from_slice(deflated);
        self.sealed = self.json.len();
        Ok(())
    }
}

/// One raw deflate compressor, reset for each segment.
struct Deflater(Compress);

impl Default for Deflater {
    fn default() -> Self {
        Self(Compress::new(Compression::default(), false))
    }
}

impl Deflater {
    /// Appends `input` to `out` as a self-contained deflate segment ending in a full flush,
    /// compressed against `dictionary`: bytes that directly precede it in the stream.
    fn segment(
        &mut self,
        input: &[u8],
        dictionary: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        let failed = |e| serde_json::Error::io(io::Error::other(e));
        let c = &mut self.0;
        c.reset();
        if !dictionary.is_empty() {
            c.set_dictionary(dictionary).map_err(failed)?;
        }
        let start = c.total_in();
        loop {
            out.reserve(input.len() / 2 + 64);
            let consumed = (c.total_in() - start) as usize;
            c.compress_vec(&input[consumed..], out, FlushCompress::Full)
                .map_err(failed)?;
            // The flush is complete once all input is in and the output had room to spare.
            if (c.total_in() - start) as usize == input.len() && out.len() < out.capacity() {
                return Ok(());
            }
        }
    }
}

/// The serialized form of each entity of one kind, in document order, with the value it was
/// made from. Matched by position: edits keep positions, and an insertion or removal costs one
/// serialization of the entities after it.
struct Pieces<T> {
    cached: Vec<Piece<T>>,
}

struct Piece<T> {
    value: T,
    json: Bytes,
    /// The deflate segment of the JSON (after a comma unless first), with the previous piece's
    /// JSON as dictionary.
    deflated: Bytes,
}

impl<T> Default for Pieces<T> {
    fn default() -> Self {
        Self { cached: Vec::new() }
    }
}

/// What the pieces are made of: serializable values with an id.
trait Entity: Serialize + PartialEq + Clone {
    fn id(&self) -> Uuid;
}

macro_rules! entities {
    ($($kind:ty),*) => {
        $(impl Entity for $kind {
            fn id(&self) -> Uuid {
                self.id
            }
        })*
    };
}

entities!(Table, Relationship, Note, EnumType);

impl<T: Entity> Pieces<T> {
    /// Writes `items` as the inside of a JSON array, serializing only those that differ from the
    /// cached copy at their position (taken as equal when still there and not in `changed`), and
    /// compressing those and the ones right after them.
    fn write(
        &mut self,
        items: &[T],
        changed: Option<&HashSet<Uuid>>,
        out: &mut Output,
    ) -> Result<(), serde_json::Error> {
        self.cached.truncate(items.len());
        let mut previous_changed = false;
        for (i, item) in items.iter().enumerate() {
            let same = self.cached.get(i).is_some_and(|p| {
                let untouched = changed.is_some_and(|changed| {
                    p.value.id() == item.id() && !changed.contains(&item.id())
                });
                untouched || p.value == *item
            });
            if !same || previous_changed {
                let json = if same {
                    self.cached[i].json.clone()
                } else {
                    Bytes::from(serde_json::to_vec(item)?)
                };
                let mut input = Vec::with_capacity(json.len() + 1);
                if i > 0 {
                    input.push(b',');
                }
                input.extend_from_slice(&json);
                let dictionary = match i {
                    0 => Bytes::new(),
                    _ => self.cached[i - 1].json.clone(),
                };
                let mut deflated = Vec::new();
                out.deflater.segment(&input, &dictionary, &mut deflated)?;
                let piece = Piece {
                    value: item.clone(),
                    json,
                    deflated: Bytes::from(deflated),
                };
                match self.cached.get_mut(i) {
                    Some(slot) => *slot = piece,
                    None => self.cached.push(piece),
                }
            }
            previous_changed = !same;
            let piece = &self.cached[i];
            out.piece(i == 0, &piece.json, &piece.deflated)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use model::api::DiagramState;
    use model::{Column, EnumType, Note, Op, TablePatch, Uuid};

    use std::io::Read;

    use super::*;

    fn table(name: &str) -> Table {
        let mut t = Table::new(name);
        t.columns.push(Column::new("label", "text"));
        t
    }

    fn gunzip(gzip: &[u8]) -> Vec<u8> {
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(gzip)
            .read_to_end(&mut plain)
            .expect("a valid gzip member (its CRC and length checked)");
        plain
    }

    fn assert_same(rendered: &mut Rendered, diagram: &Diagram, revision: i64) {
        let Encoded { json, gzip } = rendered.state(diagram, revision).unwrap();
        let expected = serde_json::to_vec(&DiagramState {
            diagram: diagram.clone(),
            revision,
        })
        .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&json),
            String::from_utf8_lossy(&expected)
        );
        assert_eq!(
            String::from_utf8_lossy(document(&json, revision)),
            serde_json::to_string(diagram).unwrap(),
            "the document's part is the document's JSON"
        );
        assert_eq!(
            String::from_utf8_lossy(&gunzip(&gzip)),
            String::from_utf8_lossy(&expected),
            "the gzip member holds the same JSON"
        );
    }

    #[test]
    fn matches_serde_across_edits_that_reuse_and_replace_pieces() {
        let mut doc = Diagram::new("Shop \"quoted\" </script>");
        let mut rendered = Rendered::default();
        assert_same(&mut rendered, &doc, 1);
        for name in ["a", "b", "c"] {
            let op = Op::AddTable {
                table: table(name),
                at: None,
            };
            apply(&mut rendered, &mut doc, op);
        }
        doc.notes.push(Note::new("hello", 0.0, 0.0));
        rendered.changed_all();
        assert_same(&mut rendered, &doc, 2);
        let b = doc.tables[1].id;
        let op = Op::UpdateTable {
            table_id: b,
            patch: TablePatch {
                comment: Some("changed".into()),
                ..TablePatch::default()
            },
        };
        apply(&mut rendered, &mut doc, op);
        assert_same(&mut rendered, &doc, 3);
        assert!(
            String::from_utf8_lossy(&rendered.state(&doc, 3).unwrap().json).contains("changed"),
            "the changed table is serialized again"
        );
        apply(&mut rendered, &mut doc, Op::RemoveTable { table_id: b });
        doc.enums.push(EnumType {
            id: Uuid::new_v4(),
            name: "mood".into(),
            schema: None,
            values: vec!["ok".into()],
        });
        rendered.changed_all();
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
            first.json.as_ptr(),
            second.json.as_ptr(),
            "no new buffer for one revision"
        );
    }

    #[test]
    fn gzip_stays_valid_when_pieces_change_anywhere_and_compresses_well() {
        let mut doc = Diagram::new("Big");
        for i in 0..300 {
            let mut t = table(&format!("table_{i}"));
            t.columns.push(Column::new("created_at", "timestamp"));
            doc.tables.push(t);
        }
        let mut rendered = Rendered::default();
        assert_same(&mut rendered, &doc, 1);
        let encoded = rendered.state(&doc, 1).unwrap();
        assert!(
            encoded.gzip.len() * 3 < encoded.json.len(),
            "{} of {} bytes",
            encoded.gzip.len(),
            encoded.json.len()
        );
        // Change the first, a middle and the last table (each piece's dictionary is the piece
        // before it), insert at the front, remove from the middle.
        let mut revision = 1;
        for at in [0, 150, 299] {
            doc.tables[at].comment = format!("edited {at}");
            revision += 1;
            rendered.changed_all();
            assert_same(&mut rendered, &doc, revision);
        }
        doc.tables.insert(0, table("first"));
        rendered.changed_all();
        revision += 1;
        assert_same(&mut rendered, &doc, revision);
        doc.tables.remove(100);
        doc.tables[100].name = "after_removal".into();
        rendered.changed_all();
        revision += 1;
        assert_same(&mut rendered, &doc, revision);
    }

    /// Applies `op` as the server does: the op and its inverse tell what may have changed.
    fn apply(rendered: &mut Rendered, doc: &mut Diagram, op: Op) {
        rendered.changed(&op.touched_ids());
        let inverse = op.apply(doc).unwrap();
        rendered.changed(&inverse.touched_ids());
    }

    #[test]
    fn entities_the_ops_do_not_name_are_reused_and_the_output_stays_exact() {
        let mut doc = Diagram::new("Hints");
        for i in 0..6 {
            doc.tables.push(table(&format!("t{i}")));
        }
        let ids: Vec<Uuid> = doc.tables.iter().map(|t| t.id).collect();
        let column = |doc: &Diagram, t: usize| doc.tables[t].columns[0].id;
        for (child, parent) in [(1, 0), (2, 1), (3, 1)] {
            let relationship = model::Relationship::new(
                (ids[child], vec![column(&doc, child)]),
                (ids[parent], vec![column(&doc, parent)]),
            );
            doc.relationships.push(relationship);
        }
        let mut rendered = Rendered::default();
        assert_same(&mut rendered, &doc, 1);
        let mut revision = 1;
        let area = model::Area::new("Sales");
        let area_id = area.id;
        let ops = [
            Op::AddArea { area, at: None },
            Op::UpdateTable {
                table_id: ids[3],
                patch: TablePatch {
                    area: Some(Some(area_id)),
                    ..TablePatch::default()
                },
            },
            // Takes t3 out of the area: its inverse names it.
            Op::RemoveArea { area_id },
            Op::UpdateTable {
                table_id: ids[2],
                patch: TablePatch {
                    comment: Some("edited".into()),
                    ..TablePatch::default()
                },
            },
            Op::MoveTables {
                moves: vec![model::TableMove {
                    table_id: ids[4],
                    x: 10.0,
                    y: 20.0,
                    by_hand: false,
                }],
            },
            Op::AddTable {
                table: table("first"),
                at: Some(0),
            },
            // Takes the relationships to t2 and t3 with it.
            Op::RemoveTable { table_id: ids[1] },
            Op::RemoveColumn {
                table_id: ids[5],
                column_id: column(&doc, 5),
            },
            Op::PutWord {
                word: model::Word::new("Customer", "CUST"),
                at: None,
            },
            Op::SetConvention {
                convention: model::Convention::Camel,
            },
        ];
        for op in ops {
            apply(&mut rendered, &mut doc, op);
            revision += 1;
            assert_same(&mut rendered, &doc, revision);
        }
        // A change no op named is not looked for: the hint is what the rendering goes by.
        let stale = doc.tables[3].clone();
        doc.tables[3].comment = "changed behind the ops' back".into();
        let json = rendered.state(&doc, revision + 1).unwrap().json;
        assert!(!String::from_utf8_lossy(&json).contains("behind the ops"));
        doc.tables[3] = stale;
        rendered.changed_all();
        assert_same(&mut rendered, &doc, revision + 2);
    }
}
