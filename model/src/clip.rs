//! Copying and pasting tables. A clip holds tables and the relationships that touch them, as the
//! JSON a clipboard carries; pasting gives every entity a new id and each table a free name, so
//! a clip pastes into any diagram, its own included (which is what Duplicate is). A copied
//! table's foreign key to a parent outside the clip is kept where that parent exists (a
//! duplicate keeps its keys to the same parents) and dropped elsewhere; keys of tables outside
//! the clip are not copied.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::diagram::{Diagram, Relationship, Table};
use crate::op::Op;

/// What the clipboard holds: tables in document order, and their foreign keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clip {
    /// Marks the JSON as a clip of Tablewright's (its version), so that other JSON is not taken
    /// for one.
    pub tablewright_clip: u32,
    pub tables: Vec<Table>,
    #[serde(default)]
    pub relationships: Vec<Relationship>,
}

/// The clip format's version.
const VERSION: u32 = 1;

impl Clip {
    /// The tables `ids` of `doc` (in document order), with their foreign keys when
    /// `with_relationships`.
    pub fn copy(doc: &Diagram, ids: &[Uuid], with_relationships: bool) -> Self {
        let chosen: HashSet<Uuid> = ids.iter().copied().collect();
        let tables: Vec<Table> = doc
            .tables
            .iter()
            .filter(|t| chosen.contains(&t.id))
            .cloned()
            .collect();
        let relationships = match with_relationships {
            true => doc
                .relationships
                .iter()
                .filter(|r| chosen.contains(&r.child_table))
                .cloned()
                .collect(),
            false => Vec::new(),
        };
        Self {
            tablewright_clip: VERSION,
            tables,
            relationships,
        }
    }

    /// The clip of a whole diagram (an SQL import's, say).
    pub fn of(doc: Diagram) -> Self {
        Self {
            tablewright_clip: VERSION,
            tables: doc.tables,
            relationships: doc.relationships,
        }
    }

    /// Reads a clip from clipboard text; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str::<Self>(text.trim())
            .ok()
            .filter(|c| c.tablewright_clip == VERSION)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The top-left corner of the clip's tables.
    pub fn corner(&self) -> (f64, f64) {
        self.tables
            .iter()
            .fold((f64::MAX, f64::MAX), |(x, y), t| (x.min(t.x), y.min(t.y)))
    }

    /// The ops that paste the clip into `doc`, moved by `offset`, and the new tables' ids.
    /// Names taken in `doc` get `_copy` (then `_copy_2` …); an area or a domain `doc` lacks is
    /// left off. The ops are checked when applied, as any others.
    pub fn paste(self, doc: &Diagram, offset: (f64, f64)) -> (Vec<Op>, Vec<Uuid>) {
        let mut ids: HashMap<Uuid, Uuid> = HashMap::new();
        let mut fresh = |old: Uuid| *ids.entry(old).or_insert_with(Uuid::new_v4);
        let mut taken: HashSet<(Option<String>, String)> = doc
            .tables
            .iter()
            .map(|t| (t.schema.clone(), t.name.clone()))
            .collect();
        let mut ops = Vec::with_capacity(self.tables.len() + self.relationships.len());
        let mut pasted = Vec::with_capacity(self.tables.len());
        for mut table in self.tables {
            table.id = fresh(table.id);
            table.name = free_name(&taken, &table.schema, &table.name);
            taken.insert((table.schema.clone(), table.name.clone()));
            table.x += offset.0;
            table.y += offset.1;
            table.placed = false;
            table.area = table.area.filter(|a| doc.area(*a).is_some());
            for column in &mut table.columns {
                column.id = fresh(column.id);
                let domain = column.domain.and_then(|d| doc.dictionary.domain(d));
                if domain.is_none_or(|d| d.data_type != column.data_type) {
                    column.domain = None;
                }
            }
            for index in &mut table.indexes {
                index.id = fresh(index.id);
                for column in index
                    .columns
                    .iter_mut()
                    .chain(&mut index.descending)
                    .chain(&mut index.include)
                {
                    *column = fresh(*column);
                }
                for class in &mut index.classes {
                    class.column = fresh(class.column);
                }
            }
            for check in &mut table.checks {
                check.id = fresh(check.id);
                check.column = check.column.map(&mut fresh);
            }
            pasted.push(table.id);
            ops.push(Op::AddTable { table, at: None });
        }
        for mut rel in self.relationships {
            // A foreign key belongs to its child: one whose child was not copied would give a
            // table outside the paste a key it did not have. Its parent is a copied table, or
            // one this diagram has; either way every column must be its table's.
            let copied = |columns: &[Uuid]| columns.iter().map(|c| ids.get(c).copied()).collect();
            let Some(&child) = ids.get(&rel.child_table) else {
                continue;
            };
            let Some(child_columns) = copied(&rel.child_columns) else {
                continue;
            };
            let parent = match ids.get(&rel.parent_table) {
                Some(&new) => copied(&rel.parent_columns).map(|columns| (new, columns)),
                None => doc
                    .table(rel.parent_table)
                    .map(|_| (rel.parent_table, rel.parent_columns.clone())),
            };
            let Some((parent, parent_columns)) = parent else {
                continue;
            };
            (rel.child_table, rel.child_columns) = (child, child_columns);
            (rel.parent_table, rel.parent_columns) = (parent, parent_columns);
            rel.id = Uuid::new_v4();
            ops.push(Op::AddRelationship {
                relationship: rel,
                at: None,
            });
        }
        (ops, pasted)
    }
}

/// `name`, or `name_copy`, `name_copy_2` … whichever is free in `schema`.
fn free_name(
    taken: &HashSet<(Option<String>, String)>,
    schema: &Option<String>,
    name: &str,
) -> String {
    let free = |n: &str| !taken.contains(&(schema.clone(), n.to_string()));
    if free(name) {
        return name.to_string();
    }
    (1..)
        .map(|k| match k {
            1 => format!("{name}_copy"),
            k => format!("{name}_copy_{k}"),
        })
        .find(|n| free(n))
        .unwrap_or_default()
}
