//! Edit operations. Each op validates against the document, changes it, and returns its inverse.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::areas;
use crate::checks;
use crate::diagram::{
    Area, Check, Column, Diagram, EnumType, Index, KeyPart, Note, Relationship, Table,
};
use crate::dictionary::ops as dictionary;
use crate::dictionary::{Convention, Domain, Term, Word};
use crate::error::OpError;
use crate::patch::{
    AreaPatch, CheckPatch, ColumnPatch, IndexPatch, NotePatch, RelationshipPatch, TablePatch,
};
use crate::validate;

/// One edit of a diagram. `at` fields are list positions (append when absent); they make inverses
/// exact, so that undo puts things back where they were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    RenameDiagram {
        name: String,
    },
    AddTable {
        table: Table,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    /// Removes a table together with every relationship that touches it.
    RemoveTable {
        table_id: Uuid,
    },
    UpdateTable {
        table_id: Uuid,
        patch: TablePatch,
    },
    /// Moves any number of tables at once (one drag of a selection is one op, one undo step).
    MoveTables {
        moves: Vec<TableMove>,
    },
    AddColumn {
        table_id: Uuid,
        column: Column,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    /// Removes a column, the relationships that use it, the checks that name it, and it from
    /// indexes (emptied ones go).
    RemoveColumn {
        table_id: Uuid,
        column_id: Uuid,
    },
    /// Changes a column; a rename carries into the conditions of the table's checks.
    UpdateColumn {
        table_id: Uuid,
        column_id: Uuid,
        patch: ColumnPatch,
    },
    /// Moves a column to position `to` within its table.
    MoveColumn {
        table_id: Uuid,
        column_id: Uuid,
        to: usize,
    },
    AddIndex {
        table_id: Uuid,
        index: Index,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveIndex {
        table_id: Uuid,
        index_id: Uuid,
    },
    UpdateIndex {
        table_id: Uuid,
        index_id: Uuid,
        patch: IndexPatch,
    },
    AddCheck {
        table_id: Uuid,
        check: Check,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveCheck {
        table_id: Uuid,
        check_id: Uuid,
    },
    UpdateCheck {
        table_id: Uuid,
        check_id: Uuid,
        patch: CheckPatch,
    },
    AddRelationship {
        relationship: Relationship,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveRelationship {
        relationship_id: Uuid,
    },
    UpdateRelationship {
        relationship_id: Uuid,
        patch: RelationshipPatch,
    },
    AddNote {
        note: Note,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveNote {
        note_id: Uuid,
    },
    UpdateNote {
        note_id: Uuid,
        patch: NotePatch,
    },
    AddEnum {
        #[serde(rename = "enum")]
        enum_type: EnumType,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveEnum {
        enum_id: Uuid,
    },
    AddArea {
        area: Area,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    /// Removes a subject area; its tables stay, in no area.
    RemoveArea {
        area_id: Uuid,
    },
    UpdateArea {
        area_id: Uuid,
        patch: AreaPatch,
    },
    /// Adds a word to the dictionary, or replaces the word with its id (moved to `at` if given).
    PutWord {
        word: Word,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveWord {
        word_id: Uuid,
    },
    /// Adds or replaces a term, as [`Op::PutWord`] does a word.
    PutTerm {
        term: Term,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    RemoveTerm {
        term_id: Uuid,
    },
    /// Adds or replaces a domain; replacing one changes the columns that use it.
    PutDomain {
        domain: Domain,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<usize>,
    },
    /// Removes a domain; its columns and terms keep their types.
    RemoveDomain {
        domain_id: Uuid,
    },
    /// How the dictionary's words join into physical names.
    SetConvention {
        convention: Convention,
    },
    /// Several ops applied in order, all or none; the inverse of a compound edit.
    Batch {
        ops: Vec<Op>,
    },
}

/// The new position of one table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableMove {
    pub table_id: Uuid,
    pub x: f64,
    pub y: f64,
    /// The person put it there (a drag), rather than a layout or a program: the table's
    /// `placed` becomes this.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_hand: bool,
}

impl Op {
    /// The ids of the diagram's entities (tables, relationships, notes, enums) this op changes
    /// directly, in order, Batch ops included. What an op changes by cascade (the relationships
    /// a removed table takes with it) its inverse names: the op and its inverse together name
    /// everything that changed. Exhaustive, so a new op must say what it touches.
    pub fn touched_ids(&self) -> Vec<Uuid> {
        let mut ids = Vec::new();
        self.touched(&mut ids);
        ids
    }

    fn touched(&self, into: &mut Vec<Uuid>) {
        match self {
            Op::RenameDiagram { .. } => {}
            Op::AddTable { table, .. } => into.push(table.id),
            Op::MoveTables { moves } => into.extend(moves.iter().map(|m| m.table_id)),
            Op::RemoveTable { table_id }
            | Op::UpdateTable { table_id, .. }
            | Op::AddColumn { table_id, .. }
            | Op::RemoveColumn { table_id, .. }
            | Op::UpdateColumn { table_id, .. }
            | Op::MoveColumn { table_id, .. }
            | Op::AddIndex { table_id, .. }
            | Op::RemoveIndex { table_id, .. }
            | Op::UpdateIndex { table_id, .. }
            | Op::AddCheck { table_id, .. }
            | Op::RemoveCheck { table_id, .. }
            | Op::UpdateCheck { table_id, .. } => into.push(*table_id),
            Op::AddRelationship { relationship, .. } => into.push(relationship.id),
            Op::RemoveRelationship { relationship_id }
            | Op::UpdateRelationship {
                relationship_id, ..
            } => into.push(*relationship_id),
            Op::AddNote { note, .. } => into.push(note.id),
            Op::RemoveNote { note_id } | Op::UpdateNote { note_id, .. } => into.push(*note_id),
            Op::AddEnum { enum_type, .. } => into.push(enum_type.id),
            Op::RemoveEnum { enum_id } => into.push(*enum_id),
            Op::AddArea { area, .. } => into.push(area.id),
            Op::RemoveArea { area_id } | Op::UpdateArea { area_id, .. } => into.push(*area_id),
            Op::PutWord { word, .. } => into.push(word.id),
            Op::PutTerm { term, .. } => into.push(term.id),
            Op::PutDomain { domain, .. } => into.push(domain.id),
            Op::RemoveWord { word_id: id }
            | Op::RemoveTerm { term_id: id }
            | Op::RemoveDomain { domain_id: id } => into.push(*id),
            Op::SetConvention { .. } => {}
            Op::Batch { ops } => ops.iter().for_each(|op| op.touched(into)),
        }
    }

    /// Applies the op to `doc` and returns the op that undoes it. On error `doc` is unchanged.
    pub fn apply(self, doc: &mut Diagram) -> Result<Op, OpError> {
        match self {
            Op::RenameDiagram { name } => {
                validate::name("diagram", &name)?;
                let old = std::mem::replace(&mut doc.name, name);
                Ok(Op::RenameDiagram { name: old })
            }
            Op::AddTable { table, at } => add_table(doc, table, at),
            Op::RemoveTable { table_id } => {
                let ti = find_table_index(doc, table_id)?;
                let ops = doc
                    .relationships
                    .iter()
                    .filter(|r| r.child_table == table_id || r.parent_table == table_id)
                    .map(|r| Op::RemoveRelationship {
                        relationship_id: r.id,
                    })
                    .collect();
                let mut inverse = apply_all(doc, ops)?;
                let table = doc.tables.remove(ti);
                inverse.insert(
                    0,
                    Op::AddTable {
                        table,
                        at: Some(ti),
                    },
                );
                Ok(Op::Batch { ops: inverse })
            }
            Op::UpdateTable { table_id, patch } => {
                // Patched in place and put back if refused: a copy of a wide table would cost
                // more than the edit.
                let position = find_table_index(doc, table_id)?;
                validate::table_patch(&patch)?;
                if let Some(area) = patch.area {
                    areas::exists(doc, area)?;
                }
                let inverse = patch.apply_to(&mut doc.tables[position]);
                if let Err(error) = validate::unique_table_name(doc, &doc.tables[position]) {
                    inverse.apply_to(&mut doc.tables[position]);
                    return Err(error);
                }
                Ok(Op::UpdateTable {
                    table_id,
                    patch: inverse,
                })
            }
            Op::MoveTables { moves } => {
                let mut positions = Vec::with_capacity(moves.len());
                for m in &moves {
                    validate::finite("x", m.x)?;
                    validate::finite("y", m.y)?;
                    positions.push(find_table_index(doc, m.table_id)?);
                }
                let mut inverse = Vec::with_capacity(moves.len());
                // The inverse runs backwards, so a table listed twice gets its original place back.
                for (m, &i) in moves.iter().zip(&positions) {
                    let t = &mut doc.tables[i];
                    inverse.push(TableMove {
                        table_id: t.id,
                        x: t.x,
                        y: t.y,
                        by_hand: t.placed,
                    });
                    t.x = m.x;
                    t.y = m.y;
                    t.placed = m.by_hand;
                }
                inverse.reverse();
                Ok(Op::MoveTables { moves: inverse })
            }
            Op::AddColumn {
                table_id,
                column,
                at,
            } => {
                let ti = find_table_index(doc, table_id)?;
                let table = &mut doc.tables[ti];
                let at = position(at, table.columns.len())?;
                validate::new_column(table, &column)?;
                dictionary::column_domain(doc, &column)?;
                let table = &mut doc.tables[ti];
                let column_id = column.id;
                table.columns.insert(at, column);
                Ok(Op::RemoveColumn {
                    table_id,
                    column_id,
                })
            }
            Op::RemoveColumn {
                table_id,
                column_id,
            } => remove_column(doc, table_id, column_id),
            Op::UpdateColumn {
                table_id,
                column_id,
                patch,
            } => {
                let ti = find_table_index(doc, table_id)?;
                let table = &mut doc.tables[ti];
                let ci = find_column_index(table, column_id)?;
                validate::column_patch(&patch)?;
                let mut next = table.columns[ci].clone();
                let inverse = patch.apply_to(&mut next);
                validate::unique_column_name(table, &next, Some(ci))?;
                dictionary::column_domain(doc, &next)?;
                let table = &mut doc.tables[ti];
                let rewrites = match &inverse.name {
                    Some(old) if *old != next.name => {
                        let mut ops = checks::renamed(table, old, &next.name);
                        ops.extend(renamed_in_indexes(table, old, &next.name));
                        ops
                    }
                    _ => Vec::new(),
                };
                table.columns[ci] = next;
                let inverse = Op::UpdateColumn {
                    table_id,
                    column_id,
                    patch: inverse,
                };
                if rewrites.is_empty() {
                    return Ok(inverse);
                }
                // Conditions and index expressions follow the rename; they hold only names, so
                // this cannot fail.
                let mut undo = apply_all(doc, rewrites)?;
                undo.push(inverse);
                Ok(Op::Batch { ops: undo })
            }
            Op::MoveColumn {
                table_id,
                column_id,
                to,
            } => {
                let ti = find_table_index(doc, table_id)?;
                let columns = &mut doc.tables[ti].columns;
                let from = columns.iter().position(|c| c.id == column_id).ok_or(
                    OpError::UnknownColumn {
                        table: table_id,
                        column: column_id,
                    },
                )?;
                if to >= columns.len() {
                    return Err(OpError::IndexOutOfRange {
                        index: to,
                        len: columns.len(),
                    });
                }
                let column = columns.remove(from);
                columns.insert(to, column);
                Ok(Op::MoveColumn {
                    table_id,
                    column_id,
                    to: from,
                })
            }
            Op::AddIndex {
                table_id,
                index,
                at,
            } => {
                let ti = find_table_index(doc, table_id)?;
                let table = &mut doc.tables[ti];
                let at = position(at, table.indexes.len())?;
                validate::index_in(table, &index, None)?;
                let index_id = index.id;
                table.indexes.insert(at, index);
                Ok(Op::RemoveIndex { table_id, index_id })
            }
            Op::RemoveIndex { table_id, index_id } => {
                let ti = find_table_index(doc, table_id)?;
                let table = &mut doc.tables[ti];
                let at = find_index_index(table, index_id)?;
                let index = table.indexes.remove(at);
                Ok(Op::AddIndex {
                    table_id,
                    index,
                    at: Some(at),
                })
            }
            Op::UpdateIndex {
                table_id,
                index_id,
                patch,
            } => {
                let ti = find_table_index(doc, table_id)?;
                let table = &mut doc.tables[ti];
                let ii = find_index_index(table, index_id)?;
                let mut next = table.indexes[ii].clone();
                let inverse = patch.apply_to(&mut next);
                validate::index_in(table, &next, Some(ii))?;
                table.indexes[ii] = next;
                Ok(Op::UpdateIndex {
                    table_id,
                    index_id,
                    patch: inverse,
                })
            }
            Op::AddCheck {
                table_id,
                check,
                at,
            } => checks::add(doc, table_id, check, at),
            Op::RemoveCheck { table_id, check_id } => checks::remove(doc, table_id, check_id),
            Op::UpdateCheck {
                table_id,
                check_id,
                patch,
            } => checks::update(doc, table_id, check_id, patch),
            Op::AddRelationship { relationship, at } => {
                let at = position(at, doc.relationships.len())?;
                if doc.relationship(relationship.id).is_some() {
                    return Err(OpError::DuplicateId(relationship.id));
                }
                validate::relationship(doc, &relationship)?;
                let relationship_id = relationship.id;
                doc.relationships.insert(at, relationship);
                Ok(Op::RemoveRelationship { relationship_id })
            }
            Op::RemoveRelationship { relationship_id } => {
                let at = find_relationship_index(doc, relationship_id)?;
                let relationship = doc.relationships.remove(at);
                Ok(Op::AddRelationship {
                    relationship,
                    at: Some(at),
                })
            }
            Op::UpdateRelationship {
                relationship_id,
                patch,
            } => {
                let at = find_relationship_index(doc, relationship_id)?;
                let mut next = doc.relationships[at].clone();
                let inverse = patch.apply_to(&mut next);
                validate::relationship(doc, &next)?;
                doc.relationships[at] = next;
                Ok(Op::UpdateRelationship {
                    relationship_id,
                    patch: inverse,
                })
            }
            Op::AddNote { note, at } => {
                let at = position(at, doc.notes.len())?;
                if doc.note(note.id).is_some() {
                    return Err(OpError::DuplicateId(note.id));
                }
                validate::note(&note)?;
                let note_id = note.id;
                doc.notes.insert(at, note);
                Ok(Op::RemoveNote { note_id })
            }
            Op::RemoveNote { note_id } => {
                let at = find_note_index(doc, note_id)?;
                let note = doc.notes.remove(at);
                Ok(Op::AddNote { note, at: Some(at) })
            }
            Op::UpdateNote { note_id, patch } => {
                let at = find_note_index(doc, note_id)?;
                validate::note_patch(&patch)?;
                let inverse = patch.apply_to(&mut doc.notes[at]);
                Ok(Op::UpdateNote {
                    note_id,
                    patch: inverse,
                })
            }
            Op::AddEnum { enum_type, at } => {
                let at = position(at, doc.enums.len())?;
                if doc.enums.iter().any(|e| e.id == enum_type.id) {
                    return Err(OpError::DuplicateId(enum_type.id));
                }
                validate::enum_type(doc, &enum_type)?;
                let enum_id = enum_type.id;
                doc.enums.insert(at, enum_type);
                Ok(Op::RemoveEnum { enum_id })
            }
            Op::RemoveEnum { enum_id } => {
                let at = doc
                    .enums
                    .iter()
                    .position(|e| e.id == enum_id)
                    .ok_or(OpError::UnknownEnum(enum_id))?;
                let enum_type = doc.enums.remove(at);
                Ok(Op::AddEnum {
                    enum_type,
                    at: Some(at),
                })
            }
            Op::AddArea { area, at } => areas::add(doc, area, at),
            Op::RemoveArea { area_id } => areas::remove(doc, area_id),
            Op::UpdateArea { area_id, patch } => areas::update(doc, area_id, patch),
            Op::PutWord { word, at } => dictionary::put_word(doc, word, at),
            Op::RemoveWord { word_id } => dictionary::remove_word(doc, word_id),
            Op::PutTerm { term, at } => dictionary::put_term(doc, term, at),
            Op::RemoveTerm { term_id } => dictionary::remove_term(doc, term_id),
            Op::PutDomain { domain, at } => dictionary::put_domain(doc, domain, at),
            Op::RemoveDomain { domain_id } => dictionary::remove_domain(doc, domain_id),
            Op::SetConvention { convention } => Ok(dictionary::set_convention(doc, convention)),
            Op::Batch { ops } => apply_all(doc, ops).map(|ops| Op::Batch { ops }),
        }
    }
}

/// Applies `ops` in order, all or none, and returns the inverse sequence (already reversed).
pub(crate) fn apply_all(doc: &mut Diagram, ops: Vec<Op>) -> Result<Vec<Op>, OpError> {
    let mut inverses = Vec::with_capacity(ops.len());
    for op in ops {
        match op.apply(doc) {
            Ok(inverse) => inverses.push(inverse),
            Err(err) => {
                // Roll back what this batch did; inverses of applied ops always apply (trusted:
                // they may put back values stored under earlier rules).
                validate::trusted(|| {
                    for inverse in inverses.into_iter().rev() {
                        let undone = inverse.apply(doc);
                        debug_assert!(undone.is_ok(), "inverse failed: {undone:?}");
                    }
                });
                return Err(err);
            }
        }
    }
    inverses.reverse();
    Ok(inverses)
}

fn add_table(doc: &mut Diagram, table: Table, at: Option<usize>) -> Result<Op, OpError> {
    let at = position(at, doc.tables.len())?;
    if doc.table(table.id).is_some() {
        return Err(OpError::DuplicateId(table.id));
    }
    validate::table(&table)?;
    validate::unique_table_name(doc, &table)?;
    areas::exists(doc, table.area)?;
    for column in &table.columns {
        dictionary::column_domain(doc, column)?;
    }
    let table_id = table.id;
    doc.tables.insert(at, table);
    Ok(Op::RemoveTable { table_id })
}

/// Removes a column after taking it out of relationships, indexes and the checks that name it,
/// as one batch whose inverse restores them all.
fn remove_column(doc: &mut Diagram, table_id: Uuid, column_id: Uuid) -> Result<Op, OpError> {
    let ti = find_table_index(doc, table_id)?;
    let ci = find_column_index(&doc.tables[ti], column_id)?;
    let uses = |table: Uuid, columns: &[Uuid]| table == table_id && columns.contains(&column_id);
    let mut ops: Vec<Op> = doc
        .relationships
        .iter()
        .filter(|r| {
            uses(r.child_table, &r.child_columns) || uses(r.parent_table, &r.parent_columns)
        })
        .map(|r| Op::RemoveRelationship {
            relationship_id: r.id,
        })
        .collect();
    for index in doc.tables[ti].indexes.iter() {
        if let Some(op) = index_without(table_id, index, column_id) {
            ops.push(op);
        }
    }
    ops.extend(checks::removed_with(&doc.tables[ti], column_id));
    let mut inverse = apply_all(doc, ops)?;
    let column = doc.tables[ti].columns.remove(ci);
    inverse.insert(
        0,
        Op::AddColumn {
            table_id,
            column,
            at: Some(ci),
        },
    );
    Ok(Op::Batch { ops: inverse })
}

/// The ops that rewrite the expressions and conditions of `table`'s indexes naming column `old`
/// to name `new` instead (key columns are held by id and need nothing).
fn renamed_in_indexes(table: &Table, old: &str, new: &str) -> Vec<Op> {
    table
        .indexes
        .iter()
        .filter_map(|index| {
            let mut patch = IndexPatch::default();
            if let Some(sql) = index.predicate.as_deref() {
                patch.predicate = checks::renamed_sql(sql, old, new).map(Some);
            }
            let mut expressions = index.expressions.clone();
            let mut changed = false;
            for e in &mut expressions {
                if let Some(sql) = checks::renamed_sql(&e.sql, old, new) {
                    e.sql = sql;
                    changed = true;
                }
            }
            if changed {
                patch.expressions = Some(expressions);
            }
            (patch != IndexPatch::default()).then_some(Op::UpdateIndex {
                table_id: table.id,
                index_id: index.id,
                patch,
            })
        })
        .collect()
}

/// What becomes of `index` when column `column_id` goes: nothing when it does not use it; else
/// the column leaves its key (the expressions after it move up a place) and its included
/// columns, and an index left with no key goes.
fn index_without(table_id: Uuid, index: &Index, column_id: Uuid) -> Option<Op> {
    let place = index
        .key()
        .iter()
        .position(|p| matches!(p, KeyPart::Column { id, .. } if *id == column_id));
    let included = index.include.contains(&column_id);
    if place.is_none() && !included {
        return None;
    }
    let others =
        |ids: &[Uuid]| -> Vec<Uuid> { ids.iter().copied().filter(|&c| c != column_id).collect() };
    let mut patch = IndexPatch::default();
    if let Some(place) = place {
        if index.columns.len() + index.expressions.len() == 1 {
            return Some(Op::RemoveIndex {
                table_id,
                index_id: index.id,
            });
        }
        patch.columns = Some(others(&index.columns));
        if index.descending.contains(&column_id) {
            patch.descending = Some(others(&index.descending));
        }
        if index.classes.iter().any(|c| c.column == column_id) {
            let kept = index.classes.iter().filter(|c| c.column != column_id);
            patch.classes = Some(kept.cloned().collect());
        }
        if index.expressions.iter().any(|e| e.at > place) {
            let mut moved = index.expressions.clone();
            for e in moved.iter_mut().filter(|e| e.at > place) {
                e.at -= 1;
            }
            patch.expressions = Some(moved);
        }
    }
    if included {
        patch.include = Some(others(&index.include));
    }
    Some(Op::UpdateIndex {
        table_id,
        index_id: index.id,
        patch,
    })
}

/// A list insertion position: `None` appends; past the end is an error.
pub(crate) fn position(at: Option<usize>, len: usize) -> Result<usize, OpError> {
    match at {
        None => Ok(len),
        Some(index) if index <= len => Ok(index),
        Some(index) => Err(OpError::IndexOutOfRange { index, len }),
    }
}

fn find_table_index(doc: &Diagram, id: Uuid) -> Result<usize, OpError> {
    doc.table_position(id).ok_or(OpError::UnknownTable(id))
}

fn find_column_index(table: &Table, id: Uuid) -> Result<usize, OpError> {
    table
        .columns
        .iter()
        .position(|c| c.id == id)
        .ok_or(OpError::UnknownColumn {
            table: table.id,
            column: id,
        })
}

fn find_index_index(table: &Table, id: Uuid) -> Result<usize, OpError> {
    table
        .indexes
        .iter()
        .position(|i| i.id == id)
        .ok_or(OpError::UnknownIndex {
            table: table.id,
            index: id,
        })
}

fn find_relationship_index(doc: &Diagram, id: Uuid) -> Result<usize, OpError> {
    doc.relationships
        .iter()
        .position(|r| r.id == id)
        .ok_or(OpError::UnknownRelationship(id))
}

fn find_note_index(doc: &Diagram, id: Uuid) -> Result<usize, OpError> {
    doc.notes
        .iter()
        .position(|n| n.id == id)
        .ok_or(OpError::UnknownNote(id))
}
