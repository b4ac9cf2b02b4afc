//! Reading history: what a batch of ops did, in words; what differs between two versions, as
//! marks and words; and the ops that bring the document back to an earlier version.
//!
//! Everything goes by id, so a rename is a rename, not a removal and an addition.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::diagram::{Column, Diagram, Relationship, Table};
use crate::dictionary::Dictionary;
use crate::op::{Op, TableMove};
use crate::patch::{AreaPatch, TablePatch};

/// The most lines a summary keeps; the rest are counted in a last line.
const MAX_LINES: usize = 12;

/// What happened to an entity between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Added,
    Removed,
    Changed,
}

/// The differences between two versions: a mark per table, column and relationship that
/// differs (a table whose columns changed is itself `Changed`), and one line per change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    pub tables: HashMap<Uuid, Mark>,
    pub columns: HashMap<Uuid, Mark>,
    pub relationships: HashMap<Uuid, Mark>,
    pub lines: Vec<String>,
}

impl Comparison {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Compares two versions of a diagram. Positions are not changes; everything else is.
pub fn compare(from: &Diagram, to: &Diagram) -> Comparison {
    let mut out = Comparison::default();
    let mut lines = Lines::default();
    if from.name != to.name {
        lines.push(format!("renamed the diagram to {}", to.name));
    }
    let old: HashMap<Uuid, &Table> = from.tables.iter().map(|t| (t.id, t)).collect();
    let new: HashSet<Uuid> = to.tables.iter().map(|t| t.id).collect();
    for t in &to.tables {
        let Some(o) = old.get(&t.id) else {
            out.tables.insert(t.id, Mark::Added);
            lines.push(format!("added table {}", t.name));
            continue;
        };
        let before = lines.0.len();
        if o.name != t.name || o.schema != t.schema {
            lines.push(format!(
                "renamed table {} to {}",
                qualified(o),
                qualified(t)
            ));
        }
        if o.logical_name != t.logical_name || o.comment != t.comment || o.color != t.color {
            lines.push(format!("changed table {}", t.name));
        }
        if o.area != t.area {
            lines.push(area_line(to, t.area, &[t.name.as_str()]));
        }
        compare_columns(o, t, &mut out.columns, &mut lines);
        if o.indexes != t.indexes {
            lines.push(format!("changed the indexes of {}", t.name));
        }
        if o.checks != t.checks {
            lines.push(format!("changed the checks of {}", t.name));
        }
        if lines.0.len() > before {
            out.tables.insert(t.id, Mark::Changed);
        }
    }
    for o in from.tables.iter().filter(|o| !new.contains(&o.id)) {
        out.tables.insert(o.id, Mark::Removed);
        lines.push(format!("removed table {}", o.name));
    }
    for r in &to.relationships {
        match from.relationship(r.id) {
            None => {
                out.relationships.insert(r.id, Mark::Added);
                lines.push(format!("added relationship {}", relationship(to, r)));
            }
            Some(o) if o != r => {
                out.relationships.insert(r.id, Mark::Changed);
                lines.push(format!("changed relationship {}", relationship(to, r)));
            }
            Some(_) => {}
        }
    }
    for o in &from.relationships {
        if to.relationship(o.id).is_none() {
            out.relationships.insert(o.id, Mark::Removed);
            lines.push(format!("removed relationship {}", relationship(from, o)));
        }
    }
    compare_dictionary(&from.dictionary, &to.dictionary, &mut lines);
    for a in &to.areas {
        match from.area(a.id) {
            None => lines.push(format!("added area {}", a.name)),
            Some(o) if o.name != a.name => {
                lines.push(format!("renamed area {} to {}", o.name, a.name));
            }
            Some(o) if o != a => lines.push(format!("changed area {}", a.name)),
            Some(_) => {}
        }
    }
    for o in &from.areas {
        if to.area(o.id).is_none() {
            lines.push(format!("removed area {}", o.name));
        }
    }
    for e in &to.enums {
        match from.enums.iter().find(|o| o.id == e.id) {
            None => lines.push(format!("added enum {}", e.name)),
            Some(o) if o != e => lines.push(format!("changed enum {}", e.name)),
            Some(_) => {}
        }
    }
    for o in &from.enums {
        if !to.enums.iter().any(|e| e.id == o.id) {
            lines.push(format!("removed enum {}", o.name));
        }
    }
    let texts = |d: &Diagram| {
        d.notes
            .iter()
            .map(|n| (n.id, n.text.clone()))
            .collect::<Vec<_>>()
    };
    if texts(from) != texts(to) {
        lines.push("changed notes".to_string());
    }
    out.lines = lines.finish();
    out
}

fn compare_columns(o: &Table, t: &Table, marks: &mut HashMap<Uuid, Mark>, lines: &mut Lines) {
    let old: HashMap<Uuid, &Column> = o.columns.iter().map(|c| (c.id, c)).collect();
    for c in &t.columns {
        let Some(oc) = old.get(&c.id) else {
            marks.insert(c.id, Mark::Added);
            lines.push(format!("added column {}.{}", t.name, c.name));
            continue;
        };
        let mut changed = false;
        if oc.name != c.name {
            changed = true;
            lines.push(format!(
                "renamed column {}.{} to {}",
                t.name, oc.name, c.name
            ));
        }
        if oc.data_type != c.data_type {
            changed = true;
            lines.push(format!(
                "changed {}.{} from {} to {}",
                t.name, c.name, oc.data_type, c.data_type
            ));
        }
        let rest = |c: &Column| {
            (
                c.logical_name.clone(),
                c.nullable,
                c.primary_key,
                c.unique,
                c.auto_increment,
                c.on_update_now,
                c.default.clone(),
                c.comment.clone(),
            )
        };
        if rest(oc) != rest(c) {
            changed = true;
            lines.push(format!("changed column {}.{}", t.name, c.name));
        }
        if changed {
            marks.insert(c.id, Mark::Changed);
        }
    }
    for oc in &o.columns {
        if t.column(oc.id).is_none() {
            marks.insert(oc.id, Mark::Removed);
            lines.push(format!("removed column {}.{}", t.name, oc.name));
        }
    }
    // The columns both have, in each one's order.
    let kept: Vec<Uuid> = t
        .columns
        .iter()
        .map(|c| c.id)
        .filter(|id| old.contains_key(id))
        .collect();
    let now: HashSet<Uuid> = kept.iter().copied().collect();
    let before: Vec<Uuid> = o
        .columns
        .iter()
        .map(|c| c.id)
        .filter(|id| now.contains(id))
        .collect();
    if kept != before {
        lines.push(format!("reordered the columns of {}", t.name));
    }
}

/// One line per kind of dictionary entry that differs, with how many were added, changed,
/// removed.
fn compare_dictionary(from: &Dictionary, to: &Dictionary, lines: &mut Lines) {
    fn counts<E: PartialEq>(from: &[E], to: &[E], id: impl Fn(&E) -> Uuid) -> [usize; 3] {
        let old: HashMap<Uuid, &E> = from.iter().map(|e| (id(e), e)).collect();
        let new: HashSet<Uuid> = to.iter().map(&id).collect();
        let added = to.iter().filter(|e| !old.contains_key(&id(e))).count();
        let changed = to
            .iter()
            .filter(|e| old.get(&id(e)).is_some_and(|o| o != e))
            .count();
        let removed = from.iter().filter(|e| !new.contains(&id(e))).count();
        [added, changed, removed]
    }
    if from.convention != to.convention {
        lines.push(format!(
            "changed the naming convention to {}",
            to.convention.key()
        ));
    }
    let kinds = [
        ("word", counts(&from.words, &to.words, |w| w.id)),
        ("term", counts(&from.terms, &to.terms, |t| t.id)),
        ("domain", counts(&from.domains, &to.domains, |d| d.id)),
    ];
    for (what, counts) in kinds {
        for (n, done) in counts.into_iter().zip(["added", "changed", "removed"]) {
            match n {
                0 => {}
                1 => lines.push(format!("{done} a {what} of the dictionary")),
                n => lines.push(format!("{done} {n} {what}s of the dictionary")),
            }
        }
    }
}

/// `to` with what `from` had and `to` lost put back (removed tables where they were, removed
/// columns at their old places, removed relationships), for showing a comparison on one canvas.
pub fn merged(from: &Diagram, to: &Diagram) -> Diagram {
    let mut out = to.clone();
    for o in &from.tables {
        match out.tables.iter_mut().find(|t| t.id == o.id) {
            None => out.tables.push(o.clone()),
            Some(t) => {
                for (i, oc) in o.columns.iter().enumerate() {
                    if t.column(oc.id).is_none() {
                        t.columns.insert(i.min(t.columns.len()), oc.clone());
                    }
                }
            }
        }
    }
    for o in &from.relationships {
        if out.relationship(o.id).is_none() {
            out.relationships.push(o.clone());
        }
    }
    out
}

/// The ops that turn `current` into `target` (an earlier version, say), as few as the model's
/// ops allow: tables that only moved are moved, tables whose content differs are replaced, and
/// relationships, enums and notes follow. Applied to `current` in order, they give `target`,
/// document order included.
pub fn restore(current: &Diagram, target: &Diagram) -> Vec<Op> {
    let mut doc = current.clone();
    let mut ops = Vec::new();
    let mut step = |doc: &mut Diagram, op: Op| {
        // Applied as they are made, so that each one's positions are those it will meet.
        if op.clone().apply(doc).is_ok() {
            ops.push(op);
        }
    };
    if doc.name != target.name {
        step(
            &mut doc,
            Op::RenameDiagram {
                name: target.name.clone(),
            },
        );
    }
    let same_content = |a: &Table, b: &Table| {
        let (mut a, mut b) = (a.clone(), b.clone());
        (a.x, a.y, b.x, b.y) = (0.0, 0.0, 0.0, 0.0);
        a == b
    };
    restore_dictionary(&mut doc, &target.dictionary, &mut step);
    // First what goes: differing relationships, then tables, enums and notes not as in target.
    for r in current.relationships.clone() {
        if target.relationship(r.id) != Some(&r) {
            step(
                &mut doc,
                Op::RemoveRelationship {
                    relationship_id: r.id,
                },
            );
        }
    }
    // As the dictionary left them: a domain put back may have changed its columns.
    for t in doc.tables.clone() {
        if !target.table(t.id).is_some_and(|g| same_content(g, &t)) {
            step(&mut doc, Op::RemoveTable { table_id: t.id });
        }
    }
    restore_areas(&mut doc, target, &mut step);
    for e in current.enums.clone() {
        if !target.enums.contains(&e) {
            step(&mut doc, Op::RemoveEnum { enum_id: e.id });
        }
    }
    for n in current.notes.clone() {
        if !target.notes.contains(&n) {
            step(&mut doc, Op::RemoveNote { note_id: n.id });
        }
    }
    // Then what comes, each at its place in target's order; relationships and notes after the
    // tables (taking an out-of-order table out took its relationships with it).
    place(
        &mut doc,
        &target.enums,
        |d, e| d.enums.iter().position(|x| x.id == e.id),
        |d| d.enums.len(),
        |e| Op::RemoveEnum { enum_id: e.id },
        |e, at| Op::AddEnum {
            enum_type: e.clone(),
            at: Some(at),
        },
        &mut step,
    );
    place(
        &mut doc,
        &target.tables,
        |d, t| d.table_position(t.id),
        |d| d.tables.len(),
        |t| Op::RemoveTable { table_id: t.id },
        |t, at| Op::AddTable {
            table: t.clone(),
            at: Some(at),
        },
        &mut step,
    );
    let moves: Vec<TableMove> = target
        .tables
        .iter()
        .filter(|t| {
            doc.table(t.id)
                .is_some_and(|d| (d.x, d.y, d.placed) != (t.x, t.y, t.placed))
        })
        .map(|t| TableMove {
            table_id: t.id,
            x: t.x,
            y: t.y,
            by_hand: t.placed,
        })
        .collect();
    if !moves.is_empty() {
        step(&mut doc, Op::MoveTables { moves });
    }
    // Tables kept as they were may have been taken out of an area put back in its place.
    for t in &target.tables {
        if doc.table(t.id).is_some_and(|d| d.area != t.area) {
            let patch = TablePatch {
                area: Some(t.area),
                ..TablePatch::default()
            };
            step(
                &mut doc,
                Op::UpdateTable {
                    table_id: t.id,
                    patch,
                },
            );
        }
    }
    place(
        &mut doc,
        &target.relationships,
        |d, r| d.relationships.iter().position(|x| x.id == r.id),
        |d| d.relationships.len(),
        |r| Op::RemoveRelationship {
            relationship_id: r.id,
        },
        |r, at| Op::AddRelationship {
            relationship: r.clone(),
            at: Some(at),
        },
        &mut step,
    );
    place(
        &mut doc,
        &target.notes,
        |d, n| d.notes.iter().position(|x| x.id == n.id),
        |d| d.notes.len(),
        |n| Op::RemoveNote { note_id: n.id },
        |n, at| Op::AddNote {
            note: n.clone(),
            at: Some(at),
        },
        &mut step,
    );
    ops
}

/// Brings the subject areas to `target`'s, before the tables (which name them): those target
/// lacks go, those it holds otherwise are changed, and each is put at its place.
fn restore_areas(doc: &mut Diagram, target: &Diagram, step: &mut impl FnMut(&mut Diagram, Op)) {
    for a in doc.areas.clone() {
        match target.area(a.id) {
            None => step(doc, Op::RemoveArea { area_id: a.id }),
            Some(t) if *t != a => {
                let patch = AreaPatch {
                    name: Some(t.name.clone()),
                    color: Some(t.color.clone()),
                    comment: Some(t.comment.clone()),
                };
                step(
                    doc,
                    Op::UpdateArea {
                        area_id: a.id,
                        patch,
                    },
                );
            }
            Some(_) => {}
        }
    }
    place(
        doc,
        &target.areas,
        |d, a| d.areas.iter().position(|x| x.id == a.id),
        |d| d.areas.len(),
        |a| Op::RemoveArea { area_id: a.id },
        |a, at| Op::AddArea {
            area: a.clone(),
            at: Some(at),
        },
        step,
    );
}

/// Brings the dictionary to `target`'s, before the tables (which may use its domains): what
/// target lacks goes, then each entry is put at its place unless it is there already.
fn restore_dictionary(
    doc: &mut Diagram,
    target: &Dictionary,
    step: &mut impl FnMut(&mut Diagram, Op),
) {
    if doc.dictionary.convention != target.convention {
        let convention = target.convention;
        step(doc, Op::SetConvention { convention });
    }
    let keep = |ids: &mut dyn Iterator<Item = Uuid>| ids.collect::<HashSet<Uuid>>();
    let terms = keep(&mut target.terms.iter().map(|t| t.id));
    for t in doc.dictionary.terms.clone() {
        if !terms.contains(&t.id) {
            step(doc, Op::RemoveTerm { term_id: t.id });
        }
    }
    let words = keep(&mut target.words.iter().map(|w| w.id));
    for w in doc.dictionary.words.clone() {
        if !words.contains(&w.id) {
            step(doc, Op::RemoveWord { word_id: w.id });
        }
    }
    let domains = keep(&mut target.domains.iter().map(|d| d.id));
    for d in doc.dictionary.domains.clone() {
        if !domains.contains(&d.id) {
            step(doc, Op::RemoveDomain { domain_id: d.id });
        }
    }
    // What is left is a subset of target's, so each place before `at` already holds target's.
    for (at, d) in target.domains.iter().enumerate() {
        if doc.dictionary.domains.get(at) != Some(d) {
            let (domain, at) = (d.clone(), Some(at));
            step(doc, Op::PutDomain { domain, at });
        }
    }
    for (at, w) in target.words.iter().enumerate() {
        if doc.dictionary.words.get(at) != Some(w) {
            let (word, at) = (w.clone(), Some(at));
            step(doc, Op::PutWord { word, at });
        }
    }
    for (at, t) in target.terms.iter().enumerate() {
        if doc.dictionary.terms.get(at) != Some(t) {
            let (term, at) = (t.clone(), Some(at));
            step(doc, Op::PutTerm { term, at });
        }
    }
}

/// Puts each of `wanted` at its place in their order: added when missing, taken out and put
/// back when elsewhere.
fn place<T>(
    doc: &mut Diagram,
    wanted: &[T],
    position: impl Fn(&Diagram, &T) -> Option<usize>,
    len: impl Fn(&Diagram) -> usize,
    remove: impl Fn(&T) -> Op,
    add: impl Fn(&T, usize) -> Op,
    step: &mut impl FnMut(&mut Diagram, Op),
) {
    for (at, item) in wanted.iter().enumerate() {
        match position(doc, item) {
            Some(i) if i == at => {}
            found => {
                if found.is_some() {
                    step(doc, remove(item));
                }
                let at = at.min(len(doc));
                step(doc, add(item, at));
            }
        }
    }
}

/// One line per thing a committed batch did, read from its ops, their inverses (which hold
/// what was removed and the old names) and the document right after it.
pub fn describe(after: &Diagram, ops: &[Op], inverse: &[Op]) -> Vec<String> {
    let mut before = Before::default();
    for op in flat(inverse) {
        before.learn(op);
    }
    let mut lines = Lines::default();
    let mut added = HashSet::new();
    let mut removed = Vec::new();
    let mut moved = HashSet::new();
    // Tables that joined (or, for `None`, left) an area, by area in order of first mention.
    let mut joined: Vec<(Option<Uuid>, Vec<Uuid>)> = Vec::new();
    let table = |id: Uuid| -> String {
        after
            .table(id)
            .map(|t| t.name.clone())
            .or_else(|| before.tables.get(&id).cloned())
            .unwrap_or_else(|| "a table".to_string())
    };
    let column = |table_id: Uuid, id: Uuid| -> String {
        after
            .table(table_id)
            .and_then(|t| t.column(id))
            .map(|c| c.name.clone())
            .or_else(|| before.columns.get(&id).cloned())
            .unwrap_or_else(|| "a column".to_string())
    };
    let rel = |id: Uuid| -> String {
        after
            .relationship(id)
            .or_else(|| before.relationships.get(&id))
            .map(|r| format!("{} → {}", table(r.child_table), table(r.parent_table)))
            .unwrap_or_else(|| "a relationship".to_string())
    };
    for op in flat(ops) {
        match op {
            Op::RenameDiagram { name } => lines.push(format!("renamed the diagram to {name}")),
            Op::AddTable { table: t, .. } => {
                added.insert(t.id);
                if !removed.contains(&t.id) {
                    lines.push(format!("added table {}", t.name));
                }
            }
            Op::RemoveTable { table_id } => {
                if !added.remove(table_id) {
                    removed.push(*table_id);
                    lines.push(format!("removed table {}", table(*table_id)));
                } else {
                    lines.remove(&format!("added table {}", table(*table_id)));
                }
            }
            Op::UpdateTable { table_id, patch } => {
                if let Some(area) = patch.area {
                    match joined.iter_mut().find(|(a, _)| *a == area) {
                        Some((_, tables)) => tables.push(*table_id),
                        None => joined.push((area, vec![*table_id])),
                    }
                }
                let name = table(*table_id);
                match (&patch.name, before.table_names.get(table_id)) {
                    (Some(_), Some(old)) if old != &name => {
                        lines.push(format!("renamed table {old} to {name}"));
                    }
                    _ if patch.area.is_some()
                        && *patch
                            == (TablePatch {
                                area: patch.area,
                                ..TablePatch::default()
                            }) => {}
                    _ => lines.push(format!("changed table {name}")),
                }
            }
            Op::MoveTables { moves } => moved.extend(moves.iter().map(|m| m.table_id)),
            Op::AddColumn {
                table_id,
                column: c,
                ..
            } if !added.contains(table_id) => {
                lines.push(format!("added column {}.{}", table(*table_id), c.name));
            }
            Op::RemoveColumn {
                table_id,
                column_id,
            } if !added.contains(table_id) => {
                lines.push(format!(
                    "removed column {}.{}",
                    table(*table_id),
                    column(*table_id, *column_id)
                ));
            }
            Op::UpdateColumn {
                table_id,
                column_id,
                patch,
            } if !added.contains(table_id) => {
                let (t, c) = (table(*table_id), column(*table_id, *column_id));
                if patch.name.is_some()
                    && let Some(old) = before.column_names.get(column_id)
                    && old != &c
                {
                    lines.push(format!("renamed column {t}.{old} to {c}"));
                }
                if let Some(ty) = &patch.data_type {
                    lines.push(format!("changed {t}.{c} to {ty}"));
                }
                if other_fields(patch) {
                    lines.push(format!("changed column {t}.{c}"));
                }
            }
            Op::MoveColumn { table_id, .. } if !added.contains(table_id) => {
                lines.push(format!("reordered the columns of {}", table(*table_id)));
            }
            Op::AddIndex { table_id, .. }
            | Op::RemoveIndex { table_id, .. }
            | Op::UpdateIndex { table_id, .. }
                if !added.contains(table_id) =>
            {
                lines.push(format!("changed the indexes of {}", table(*table_id)));
            }
            Op::AddCheck { table_id, .. }
            | Op::RemoveCheck { table_id, .. }
            | Op::UpdateCheck { table_id, .. }
                if !added.contains(table_id) =>
            {
                lines.push(format!("changed the checks of {}", table(*table_id)));
            }
            // Taken out and put back (with a table it touches, say): changed, or nothing.
            Op::AddRelationship { relationship, .. } => {
                let id = relationship.id;
                match before.relationships.get(&id) {
                    None => lines.push(format!("added relationship {}", rel(id))),
                    Some(old) if after.relationship(id) != Some(old) => {
                        lines.push(format!("changed relationship {}", rel(id)));
                    }
                    Some(_) => {}
                }
            }
            Op::RemoveRelationship { relationship_id }
                if after.relationship(*relationship_id).is_none() =>
            {
                lines.push(format!("removed relationship {}", rel(*relationship_id)));
            }
            Op::UpdateRelationship {
                relationship_id, ..
            } => {
                lines.push(format!("changed relationship {}", rel(*relationship_id)));
            }
            Op::AddNote { .. } => lines.push("added a note".to_string()),
            Op::RemoveNote { .. } => lines.push("removed a note".to_string()),
            Op::UpdateNote { patch, .. } => lines.push(
                if patch.text.is_some() || patch.color.is_some() {
                    "edited a note"
                } else {
                    "moved a note"
                }
                .to_string(),
            ),
            Op::PutWord { word, .. } => {
                lines.push(entry_line(&before, word.id, "word", &word.logical))
            }
            Op::PutTerm { term, .. } => {
                lines.push(entry_line(&before, term.id, "term", &term.logical))
            }
            Op::PutDomain { domain, .. } => {
                lines.push(entry_line(&before, domain.id, "domain", &domain.name));
            }
            Op::RemoveWord { word_id: id }
            | Op::RemoveTerm { term_id: id }
            | Op::RemoveDomain { domain_id: id } => {
                let (what, name) = before.entries.get(id).cloned().unwrap_or_default();
                lines.push(format!("removed {what} {name} from the dictionary"));
            }
            Op::SetConvention { convention } => lines.push(format!(
                "changed the naming convention to {}",
                convention.key()
            )),
            Op::AddEnum { enum_type, .. } => match before.enums.get(&enum_type.id) {
                // Taken out and put back in one batch: the enum was changed.
                Some(old) => {
                    lines.remove(&format!("removed enum {old}"));
                    lines.push(if *old == enum_type.name {
                        format!("changed enum {old}")
                    } else {
                        format!("renamed enum {old} to {}", enum_type.name)
                    });
                }
                None => lines.push(format!("added enum {}", enum_type.name)),
            },
            Op::RemoveEnum { enum_id } => lines.push(format!(
                "removed enum {}",
                before.enums.get(enum_id).map_or("an enum", String::as_str)
            )),
            Op::AddArea { area, .. } => match before.areas.get(&area.id) {
                Some(old) => {
                    lines.remove(&format!("removed area {old}"));
                    lines.push(format!("changed area {}", area.name));
                }
                None => lines.push(format!("added area {}", area.name)),
            },
            Op::RemoveArea { area_id } => lines.push(format!(
                "removed area {}",
                before.areas.get(area_id).map_or("an area", String::as_str)
            )),
            Op::UpdateArea { area_id, patch } => {
                let name = after.area(*area_id).map_or("an area", |a| a.name.as_str());
                match (&patch.name, before.area_names.get(area_id)) {
                    (Some(_), Some(old)) if old != name => {
                        lines.push(format!("renamed area {old} to {name}"));
                    }
                    _ => lines.push(format!("changed area {name}")),
                }
            }
            _ => {}
        }
    }
    // A table taken out and put back in the same batch (a restore) was changed, not removed.
    for id in removed.iter().filter(|id| added.contains(id)) {
        let name = table(*id);
        lines.remove(&format!("removed table {name}"));
        lines.push(format!("changed table {name}"));
    }
    for (area, tables) in joined {
        let tables: Vec<String> = tables
            .into_iter()
            .filter(|id| after.table(*id).is_some() && !added.contains(id))
            .map(table)
            .collect();
        if !tables.is_empty() {
            let names: Vec<&str> = tables.iter().map(String::as_str).collect();
            lines.push(area_line(after, area, &names));
        }
    }
    moved.retain(|id| after.table(*id).is_some() && !added.contains(id));
    match moved.len() {
        0 => {}
        1 => lines.push(format!(
            "moved {}",
            table(*moved.iter().next().expect("one"))
        )),
        n => lines.push(format!("moved {n} tables")),
    }
    lines.finish()
}

/// "put orders in area Sales", "took 3 tables out of their areas".
fn area_line(after: &Diagram, area: Option<Uuid>, tables: &[&str]) -> String {
    let what = match tables {
        [one] => format!("table {one}"),
        many => format!("{} tables", many.len()),
    };
    match area.and_then(|id| after.area(id)) {
        Some(a) => format!("put {what} in area {}", a.name),
        None if area.is_some() => format!("put {what} in an area"),
        None if tables.len() == 1 => format!("took {what} out of its area"),
        None => format!("took {what} out of their areas"),
    }
}

/// "added …" or "changed …" for a dictionary entry put: its inverse put it back if it existed.
fn entry_line(before: &Before, id: Uuid, what: &str, name: &str) -> String {
    let done = match before.entries.get(&id) {
        Some(_) => "changed",
        None => "added",
    };
    format!("{done} {what} {name} in the dictionary")
}

/// Whether a column patch changes more than the name and the type.
fn other_fields(p: &crate::patch::ColumnPatch) -> bool {
    p.logical_name.is_some()
        || p.nullable.is_some()
        || p.primary_key.is_some()
        || p.unique.is_some()
        || p.auto_increment.is_some()
        || p.on_update_now.is_some()
        || p.comment.is_some()
        || p.default.is_some()
        || p.domain.is_some()
}

/// What a batch's inverse ops say the document held before it.
#[derive(Default)]
struct Before {
    /// Removed tables' names.
    tables: HashMap<Uuid, String>,
    /// Renamed tables' old names.
    table_names: HashMap<Uuid, String>,
    columns: HashMap<Uuid, String>,
    column_names: HashMap<Uuid, String>,
    relationships: HashMap<Uuid, Relationship>,
    enums: HashMap<Uuid, String>,
    /// Removed areas' names, and renamed areas' old names.
    areas: HashMap<Uuid, String>,
    area_names: HashMap<Uuid, String>,
    /// Dictionary entries an inverse puts back: what they are, and their names.
    entries: HashMap<Uuid, (&'static str, String)>,
}

impl Before {
    fn learn(&mut self, op: &Op) {
        match op {
            Op::AddTable { table, .. } => {
                for c in &table.columns {
                    self.columns.insert(c.id, c.name.clone());
                }
                self.tables.insert(table.id, table.name.clone());
            }
            Op::UpdateTable { table_id, patch } => {
                if let Some(name) = &patch.name {
                    self.table_names.insert(*table_id, name.clone());
                }
            }
            Op::AddColumn { column, .. } => {
                self.columns.insert(column.id, column.name.clone());
            }
            Op::UpdateColumn {
                column_id, patch, ..
            } => {
                if let Some(name) = &patch.name {
                    self.column_names.insert(*column_id, name.clone());
                }
            }
            Op::AddRelationship { relationship, .. } => {
                self.relationships
                    .insert(relationship.id, relationship.clone());
            }
            Op::AddEnum { enum_type, .. } => {
                self.enums.insert(enum_type.id, enum_type.name.clone());
            }
            Op::AddArea { area, .. } => {
                self.areas.insert(area.id, area.name.clone());
            }
            Op::UpdateArea { area_id, patch } => {
                if let Some(name) = &patch.name {
                    self.area_names.insert(*area_id, name.clone());
                }
            }
            Op::PutWord { word, .. } => {
                self.entries.insert(word.id, ("word", word.logical.clone()));
            }
            Op::PutTerm { term, .. } => {
                self.entries.insert(term.id, ("term", term.logical.clone()));
            }
            Op::PutDomain { domain, .. } => {
                self.entries
                    .insert(domain.id, ("domain", domain.name.clone()));
            }
            _ => {}
        }
    }
}

/// The ops of nested batches, in order.
fn flat(ops: &[Op]) -> Vec<&Op> {
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        match op {
            Op::Batch { ops } => out.extend(flat(ops)),
            other => out.push(other),
        }
    }
    out
}

/// Summary lines without repeats, at most [`MAX_LINES`] of them.
#[derive(Default)]
struct Lines(Vec<String>, HashSet<String>);

impl Lines {
    fn push(&mut self, line: String) {
        if self.1.insert(line.clone()) {
            self.0.push(line);
        }
    }

    fn remove(&mut self, line: &str) {
        if self.1.remove(line) {
            self.0.retain(|l| l != line);
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.0.len() > MAX_LINES {
            let more = self.0.len() - (MAX_LINES - 1);
            self.0.truncate(MAX_LINES - 1);
            self.0.push(format!("and {more} more changes"));
        }
        self.0
    }
}

fn qualified(t: &Table) -> String {
    match &t.schema {
        Some(s) => format!("{s}.{}", t.name),
        None => t.name.clone(),
    }
}

fn relationship(d: &Diagram, r: &Relationship) -> String {
    let name = |id| d.table(id).map_or("?", |t| t.name.as_str());
    format!("{} → {}", name(r.child_table), name(r.parent_table))
}
