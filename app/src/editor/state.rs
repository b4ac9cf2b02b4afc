//! The editor's document and its reactive mirror.
//!
//! The document is a [`Replica`]: the server's revision with this person's unconfirmed edits on
//! top. Every change is an [`Op`] applied to it, whose inverse goes on the undo stack and whose
//! forward form waits in the replica to be sent; other people's batches arrive on the live
//! channel and go under the own edits. The UI reads per-table signals, so a drag or an edit of
//! one table (anyone's) re-renders that table only.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use model::history::{Comparison, Mark};
use model::sync::{OutOfStep, Rebased, Replica};
use model::{Diagram, Dictionary, Op, OpError, Relationship, Table, TableMove, Uuid};

use super::live::Live;
use super::save::Saver;
use super::viewport::Viewport;

/// One table's reactive state. Position is apart from content so that a drag touches only it.
#[derive(Clone)]
pub struct TableView {
    pub id: Uuid,
    pub table: ArcRwSignal<Table>,
    pub pos: ArcRwSignal<(f64, f64)>,
    pub selected: ArcRwSignal<bool>,
    /// Others who have it selected: their colour and name.
    pub selected_by: ArcRwSignal<Vec<(String, String)>>,
}

impl TableView {
    fn new(table: &Table) -> Self {
        Self {
            id: table.id,
            pos: ArcRwSignal::new((table.x, table.y)),
            table: ArcRwSignal::new(table.clone()),
            selected: ArcRwSignal::new(false),
            selected_by: ArcRwSignal::new(Vec::new()),
        }
    }
}

/// Which names the cards (and images) show. A person's view, not part of the document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Names {
    #[default]
    Physical,
    Logical,
    Both,
}

impl Names {
    /// What shows for something named `physical` and `logical`: the name first, and in both
    /// names the logical one beside it. A missing logical name shows the physical one.
    pub fn pick<'a>(self, physical: &'a str, logical: &'a str) -> (&'a str, Option<&'a str>) {
        match self {
            Names::Logical if !logical.is_empty() => (logical, None),
            Names::Both if !logical.is_empty() && logical != physical => (physical, Some(logical)),
            _ => (physical, None),
        }
    }
}

/// Everything the editor's components share. `Copy`: it is a bundle of arena handles.
#[derive(Clone, Copy)]
pub struct Editor {
    doc: StoredValue<Replica>,
    views: StoredValue<HashMap<Uuid, TableView>>,
    /// Table ids in document order; changes only when tables are added or removed.
    pub table_ids: RwSignal<Vec<Uuid>>,
    pub name: RwSignal<String>,
    pub relationships: RwSignal<Vec<Relationship>>,
    pub notes: RwSignal<Vec<model::Note>>,
    /// The naming standard, for the dictionary panel and naming as one types.
    pub dictionary: RwSignal<Dictionary>,
    /// The diagram's enum types, for the dictionary panel's Enums tab.
    pub enums: RwSignal<Vec<model::EnumType>>,
    /// The dictionary panel is open.
    pub dictionary_open: RwSignal<bool>,
    /// The diagram's subject areas, and whether their panel is open.
    pub areas: RwSignal<Vec<model::Area>>,
    pub areas_open: RwSignal<bool>,
    /// The areas the canvas is filtered to; empty shows every table. A view of the person's,
    /// not part of the document.
    pub area_filter: RwSignal<Vec<Uuid>>,
    selection: StoredValue<HashSet<Uuid>>,
    pub selection_size: RwSignal<usize>,
    /// The relationship whose line is selected (its panel is open).
    pub selected_rel: RwSignal<Option<Uuid>>,
    /// The relationship under the pointer, whose columns are highlighted.
    pub hovered_rel: RwSignal<Option<Uuid>>,
    /// The table under the pointer, and the table selected alone: the first of them has its
    /// lines highlighted and the others dimmed.
    pub hovered_table: RwSignal<Option<Uuid>>,
    pub selected_alone: RwSignal<Option<Uuid>>,
    /// The Add relationship tool: `Some(None)` waits for the child, `Some(Some(child))` for the parent.
    pub linking: RwSignal<Option<Option<Uuid>>>,
    /// The table whose editor panel is open.
    pub open_table: RwSignal<Option<Uuid>>,
    undo: StoredValue<Vec<Op>>,
    redo: StoredValue<Vec<Op>>,
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
    /// Which names the cards show: physical, logical or both.
    pub names: RwSignal<Names>,
    pub snap: RwSignal<bool>,
    pub viewport: RwSignal<Viewport>,
    /// Bumped on every change of the document, for views that summarise it (the minimap).
    pub edits: RwSignal<u64>,
    /// The last edit the model refused, for the person to read.
    pub problem: RwSignal<Option<String>>,
    pub saver: Saver,
    /// The diagram's live channel: others' edits, who is here.
    pub live: Live,
    /// The person may look, not change: every edit is refused here, whatever asks for it (a
    /// control, a shortcut, a drag, history), and nothing is ever sent to be saved.
    pub read_only: bool,
    /// What a comparison marks on the cards (empty but for an editor showing one).
    marks: StoredValue<Comparison>,
}

impl Editor {
    pub fn new(diagram: Diagram, revision: i64, read_only: bool) -> Self {
        let id = diagram.id;
        let views = diagram
            .tables
            .iter()
            .map(|t| (t.id, TableView::new(t)))
            .collect();
        let view = initial_view(&diagram);
        let editor = Self {
            table_ids: RwSignal::new(diagram.tables.iter().map(|t| t.id).collect()),
            name: RwSignal::new(diagram.name.clone()),
            relationships: RwSignal::new(diagram.relationships.clone()),
            notes: RwSignal::new(diagram.notes.clone()),
            dictionary: RwSignal::new(diagram.dictionary.clone()),
            enums: RwSignal::new(diagram.enums.clone()),
            dictionary_open: RwSignal::new(false),
            areas: RwSignal::new(diagram.areas.clone()),
            areas_open: RwSignal::new(false),
            area_filter: RwSignal::new(Vec::new()),
            doc: StoredValue::new(Replica::new(diagram, revision)),
            views: StoredValue::new(views),
            selection: StoredValue::new(HashSet::new()),
            selection_size: RwSignal::new(0),
            open_table: RwSignal::new(None),
            selected_rel: RwSignal::new(None),
            hovered_rel: RwSignal::new(None),
            hovered_table: RwSignal::new(None),
            selected_alone: RwSignal::new(None),
            linking: RwSignal::new(None),
            undo: StoredValue::new(Vec::new()),
            redo: StoredValue::new(Vec::new()),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            names: RwSignal::new(Names::Physical),
            snap: RwSignal::new(true),
            viewport: RwSignal::new(view),
            edits: RwSignal::new(0),
            problem: RwSignal::new(None),
            saver: Saver::new(id),
            live: Live::new(),
            read_only,
            marks: StoredValue::new(Comparison::default()),
        };
        editor.saver.restore(editor);
        editor
    }

    /// A read-only editor of another version of the diagram, with a comparison's marks.
    pub fn snapshot(diagram: Diagram, marks: Comparison) -> Self {
        let editor = Self::new(diagram, 0, true);
        editor.marks.set_value(marks);
        editor
    }

    /// How a comparison marks this table, if it does.
    pub fn table_mark(&self, id: Uuid) -> Option<Mark> {
        self.marks.with_value(|m| m.tables.get(&id).copied())
    }

    /// How a comparison marks this column, if it does.
    pub fn column_mark(&self, id: Uuid) -> Option<Mark> {
        self.marks.with_value(|m| m.columns.get(&id).copied())
    }

    /// The diagram's id.
    pub fn id(&self) -> Uuid {
        self.saver.diagram_id()
    }

    /// Replaces tables, relationships, enums and notes with `imported`'s, as one undoable edit.
    pub fn replace_content(&self, imported: Diagram) -> bool {
        let mut ops: Vec<Op> = self.with_doc(|d| {
            let tables = d.tables.iter().map(|t| Op::RemoveTable { table_id: t.id });
            let notes = d.notes.iter().map(|n| Op::RemoveNote { note_id: n.id });
            let enums = d.enums.iter().map(|e| Op::RemoveEnum { enum_id: e.id });
            tables.chain(notes).chain(enums).collect()
        });
        ops.extend(imported.enums.into_iter().map(|enum_type| Op::AddEnum {
            enum_type,
            at: None,
        }));
        ops.extend(
            imported
                .tables
                .into_iter()
                .map(|table| Op::AddTable { table, at: None }),
        );
        ops.extend(
            imported
                .relationships
                .into_iter()
                .map(|relationship| Op::AddRelationship {
                    relationship,
                    at: None,
                }),
        );
        ops.extend(
            imported
                .notes
                .into_iter()
                .map(|note| Op::AddNote { note, at: None }),
        );
        let done = self.try_edit(Op::Batch { ops });
        if done {
            self.select([]);
            self.open_table.set(None);
            self.selected_rel.set(None);
            self.viewport.set(self.with_doc(initial_view));
        }
        done
    }

    /// A person's edit: applied at once, undoable, and queued for saving.
    fn edit(&self, op: Op) -> Result<(), OpError> {
        let inverse = self.apply_local(op)?;
        self.undo.update_value(|u| u.push(inverse));
        self.redo.update_value(Vec::clear);
        self.saver.changed(*self);
        self.problem.set(None);
        self.refresh_history();
        Ok(())
    }

    /// The one way in for a person's edit: applies it (see [`Editor::edit`]) and tells whether
    /// it was done, showing the model's refusal to the person. Read-only, nothing is done.
    pub fn try_edit(&self, op: Op) -> bool {
        if self.read_only {
            return false;
        }
        match self.edit(op) {
            Ok(()) => true,
            Err(e) => {
                self.problem.set(Some(e.to_string()));
                false
            }
        }
    }

    pub fn undo(&self) {
        self.step_history(self.undo, self.redo);
    }

    pub fn redo(&self) {
        self.step_history(self.redo, self.undo);
    }

    /// Pops an op from `from`, applies it as a new edit, and pushes its inverse onto `to`. Only
    /// the person's own edits are on the stacks; one that no longer applies (someone else
    /// changed what it touched) is skipped.
    fn step_history(&self, from: StoredValue<Vec<Op>>, to: StoredValue<Vec<Op>>) {
        if self.read_only {
            return;
        }
        while let Some(op) = from.try_update_value(Vec::pop).flatten() {
            if let Ok(inverse) = self.apply_local(op) {
                to.update_value(|s| s.push(inverse));
                self.saver.changed(*self);
                break;
            }
        }
        self.refresh_history();
    }

    fn refresh_history(&self) {
        self.can_undo.set(self.undo.with_value(|u| !u.is_empty()));
        self.can_redo.set(self.redo.with_value(|r| !r.is_empty()));
    }

    /// Applies an own op to the document (kept to be sent) and mirrors the change into the
    /// signals.
    fn apply_local(&self, op: Op) -> Result<Op, OpError> {
        // `None` only once the editor is unmounted; a late event handler then changes nothing.
        let Some(applied) = self.doc.try_update_value(|doc| doc.edit(op)) else {
            return Ok(Op::Batch { ops: Vec::new() });
        };
        let inverse = applied?;
        self.sync();
        Ok(inverse)
    }

    /// Runs `f` on the replica (the live channel's changes, the saver's batches) and mirrors
    /// what changed into the signals.
    pub(super) fn with_replica<R>(&self, f: impl FnOnce(&mut Replica) -> R) -> Option<R> {
        let done = self.doc.try_update_value(f)?;
        self.sync();
        Some(done)
    }

    /// Takes in a committed revision from the live channel (see [`Replica::committed`]).
    pub fn committed(
        &self,
        revision: i64,
        key: Option<&str>,
        ops: &[Op],
    ) -> Result<Rebased, OutOfStep> {
        let Some(done) = self
            .doc
            .try_update_value(|r| r.committed(revision, key, ops))
        else {
            return Ok(Rebased::default());
        };
        if done.as_ref().is_ok_and(|d| !d.own) {
            self.sync();
        }
        done
    }

    /// Runs `f` on the replica when it leaves the document as it is (sending a batch).
    pub(super) fn replica_mut<R>(&self, f: impl FnOnce(&mut Replica) -> R) -> Option<R> {
        self.doc.try_update_value(f)
    }

    /// True while some own edit has not reached the server.
    pub fn has_unsaved(&self) -> bool {
        self.replica(Replica::has_unconfirmed).unwrap_or(false)
    }

    /// Reads the replica without changing it.
    pub(super) fn replica<R>(&self, f: impl FnOnce(&Replica) -> R) -> Option<R> {
        self.doc.try_with_value(f)
    }

    /// Runs `f` on the current document.
    pub fn with_doc<R>(&self, f: impl FnOnce(&Diagram) -> R) -> R {
        self.doc.with_value(|r| f(r.doc()))
    }

    /// A copy of the current document.
    pub fn document(&self) -> Diagram {
        self.with_doc(Diagram::clone)
    }

    /// Brings every signal in line with the document, touching only what differs.
    fn sync(&self) {
        self.with_doc(|doc| {
            let ids: Vec<Uuid> = doc.tables.iter().map(|t| t.id).collect();
            let structure_changed = self.table_ids.with_untracked(|current| current != &ids);
            self.views.update_value(|views| {
                if structure_changed {
                    let keep: HashSet<Uuid> = ids.iter().copied().collect();
                    views.retain(|id, _| keep.contains(id));
                    self.selection
                        .update_value(|s| s.retain(|id| keep.contains(id)));
                }
                for table in &doc.tables {
                    let view = views.entry(table.id).or_insert_with(|| {
                        let view = TableView::new(table);
                        // Someone may have selected it before its batch arrived.
                        view.selected_by.set(self.live.selecting(table.id));
                        view
                    });
                    if view.pos.get_untracked() != (table.x, table.y) {
                        view.pos.set((table.x, table.y));
                    }
                    if !view.table.with_untracked(|t| same_content(t, table)) {
                        view.table.set(table.clone());
                    }
                }
            });
            if structure_changed {
                self.table_ids.set(ids);
                self.selection_size
                    .set(self.selection.with_value(HashSet::len));
                if let Some(open) = self.open_table.get_untracked()
                    && doc.table(open).is_none()
                {
                    self.open_table.set(None);
                }
            }
            if self
                .relationships
                .with_untracked(|r| r != &doc.relationships)
            {
                self.relationships.set(doc.relationships.clone());
            }
            if self.notes.with_untracked(|n| n != &doc.notes) {
                self.notes.set(doc.notes.clone());
            }
            if self.dictionary.with_untracked(|d| d != &doc.dictionary) {
                self.dictionary.set(doc.dictionary.clone());
            }
            if self.enums.with_untracked(|e| e != &doc.enums) {
                self.enums.set(doc.enums.clone());
            }
            if self.areas.with_untracked(|a| a != &doc.areas) {
                let kept: Vec<Uuid> = self.area_filter.with_untracked(|f| {
                    f.iter()
                        .filter(|id| doc.area(**id).is_some())
                        .copied()
                        .collect()
                });
                if self.area_filter.with_untracked(|f| *f != kept) {
                    self.area_filter.set(kept);
                }
                self.areas.set(doc.areas.clone());
            }
            if self.name.with_untracked(|n| n != &doc.name) {
                self.name.set(doc.name.clone());
            }
        });
        self.edits.update(|n| *n += 1);
    }

    pub fn view(&self, id: Uuid) -> Option<TableView> {
        self.views.with_value(|v| v.get(&id).cloned())
    }

    pub fn table(&self, id: Uuid) -> Option<Table> {
        self.with_doc(|d| d.table(id).cloned())
    }

    /// Whether the area filter shows a table of area `area`.
    pub fn shows(&self, area: Option<Uuid>) -> bool {
        self.area_filter
            .with_untracked(|f| f.is_empty() || area.is_some_and(|a| f.contains(&a)))
    }

    /// Every shown table's id, position and size estimate, for fitting, the minimap and the
    /// cards to render (the area filter leaves the others out).
    pub fn boxes(&self) -> Vec<(Uuid, f64, f64, f64, f64)> {
        let filtered = self.area_filter.with_untracked(|f| !f.is_empty());
        self.views.with_value(|views| {
            self.table_ids.with_untracked(|ids| {
                ids.iter()
                    .filter_map(|id| views.get(id))
                    .filter(|v| !filtered || self.shows(v.table.with_untracked(|t| t.area)))
                    .map(|v| {
                        let (x, y) = v.pos.get_untracked();
                        let rows = v.table.with_untracked(|t| t.columns.len());
                        (
                            v.id,
                            x,
                            y,
                            super::card::CARD_WIDTH,
                            super::card::card_height(rows),
                        )
                    })
                    .collect()
            })
        })
    }

    pub fn is_selected(&self, id: Uuid) -> bool {
        self.selection.with_value(|s| s.contains(&id))
    }

    pub fn selected(&self) -> Vec<Uuid> {
        self.selection.with_value(|s| s.iter().copied().collect())
    }

    /// Replaces the selection (selection never touches the undo stacks).
    pub fn select(&self, ids: impl IntoIterator<Item = Uuid>) {
        let next: HashSet<Uuid> = ids.into_iter().collect();
        self.views.with_value(|views| {
            self.selection.update_value(|current| {
                for id in current.difference(&next) {
                    if let Some(v) = views.get(id) {
                        v.selected.set(false);
                    }
                }
                for id in next.difference(current) {
                    if let Some(v) = views.get(id) {
                        v.selected.set(true);
                    }
                }
                *current = next;
            });
        });
        self.selection_size
            .set(self.selection.with_value(HashSet::len));
        let alone = self.selection.with_value(|s| match s.len() {
            1 => s.iter().next().copied(),
            _ => None,
        });
        if self.selected_alone.get_untracked() != alone {
            self.selected_alone.set(alone);
        }
        self.live.focus_changed(*self);
    }

    /// Shows on the cards of `tables` who else has them selected (the others' focus changed).
    pub fn refresh_selected_by(&self, tables: impl IntoIterator<Item = Uuid>) {
        let unique: HashSet<Uuid> = tables.into_iter().collect();
        self.views.with_value(|views| {
            for id in unique {
                if let Some(view) = views.get(&id) {
                    let now = self.live.selecting(id);
                    if view.selected_by.with_untracked(|by| *by != now) {
                        view.selected_by.set(now);
                    }
                }
            }
        });
    }

    /// Forgets the others' selections (the channel closed).
    pub fn clear_selected_by(&self) {
        self.views.with_value(|views| {
            for view in views.values() {
                if view.selected_by.with_untracked(|by| !by.is_empty()) {
                    view.selected_by.set(Vec::new());
                }
            }
        });
    }

    pub fn toggle_selected(&self, id: Uuid) {
        let mut ids: HashSet<Uuid> = self.selection.get_value();
        if !ids.remove(&id) {
            ids.insert(id);
        }
        self.select(ids);
    }

    /// Ends a drag: one op moves every table whose position changed, one undo step.
    pub fn commit_moves(&self, ids: &[Uuid]) {
        let moves: Vec<TableMove> = ids
            .iter()
            .filter_map(|id| {
                let (x, y) = self.view(*id)?.pos.get_untracked();
                let moved = self.with_doc(|d| d.table(*id).is_some_and(|t| (t.x, t.y) != (x, y)));
                moved.then_some(TableMove {
                    table_id: *id,
                    x,
                    y,
                    by_hand: true,
                })
            })
            .collect();
        if !moves.is_empty() {
            self.try_edit(Op::MoveTables { moves });
        }
    }

    /// Removes the selected tables in one undoable step.
    pub fn delete_selection(&self) {
        let ops: Vec<Op> = self
            .table_ids
            .get_untracked()
            .into_iter()
            .filter(|id| self.is_selected(*id))
            .map(|table_id| Op::RemoveTable { table_id })
            .collect();
        let op = match <[Op; 1]>::try_from(ops) {
            Ok([one]) => one,
            Err(ops) if ops.is_empty() => return,
            Err(ops) => Op::Batch { ops },
        };
        self.try_edit(op);
    }

    /// A table name not used yet: `table_1`, `table_2` …
    pub fn fresh_table_name(&self) -> String {
        self.with_doc(|d| {
            (1..)
                .map(|n| format!("table_{n}"))
                .find(|name| d.table_named(None, name).is_none())
                .unwrap_or_default()
        })
    }

    /// Columns of `table` that are foreign keys in some relationship.
    pub fn foreign_keys(&self, table: Uuid) -> HashSet<Uuid> {
        self.relationships.with(|rels| {
            rels.iter()
                .filter(|r| r.child_table == table)
                .flat_map(|r| r.child_columns.iter().copied())
                .collect()
        })
    }
}

/// Fits the whole diagram in the window before the first render, so a big diagram never renders
/// at full size first.
fn initial_view(diagram: &Diagram) -> Viewport {
    if diagram.tables.is_empty() {
        return Viewport::default();
    }
    let bounds = diagram.tables.iter().fold(
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
        |(x0, y0, x1, y1), t| {
            let h = super::card::card_height(t.columns.len());
            (
                x0.min(t.x),
                y0.min(t.y),
                x1.max(t.x + super::card::CARD_WIDTH),
                y1.max(t.y + h),
            )
        },
    );
    let (w, h) = window_size();
    Viewport::fit(bounds, w, h - TOOLBAR_HEIGHT)
}

const TOOLBAR_HEIGHT: f64 = 52.0;

fn window_size() -> (f64, f64) {
    let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64());
    web_sys::window()
        .and_then(|w| Some((size(w.inner_width())?, size(w.inner_height())?)))
        .unwrap_or((1200.0, 800.0))
}

/// Equal apart from position (and how it was placed, which cards do not show). Every field is
/// named, so a new one cannot be forgotten here.
fn same_content(a: &Table, b: &Table) -> bool {
    let Table {
        id,
        name,
        logical_name,
        schema,
        comment,
        color,
        area,
        x: _,
        y: _,
        placed: _,
        columns,
        indexes,
        checks,
    } = a;
    *id == b.id
        && *name == b.name
        && *logical_name == b.logical_name
        && *schema == b.schema
        && *comment == b.comment
        && *color == b.color
        && *area == b.area
        && *columns == b.columns
        && *indexes == b.indexes
        && *checks == b.checks
}

#[cfg(test)]
mod tests {
    use super::Names;

    #[test]
    fn each_view_of_names_falls_back_to_the_physical_name() {
        assert_eq!(Names::Physical.pick("cust_nm", "고객명"), ("cust_nm", None));
        assert_eq!(Names::Logical.pick("cust_nm", "고객명"), ("고객명", None));
        assert_eq!(Names::Logical.pick("id", ""), ("id", None));
        assert_eq!(
            Names::Both.pick("cust_nm", "고객명"),
            ("cust_nm", Some("고객명"))
        );
        // Nothing to add beside it: no logical name, or the same one.
        assert_eq!(Names::Both.pick("id", ""), ("id", None));
        assert_eq!(Names::Both.pick("Order", "Order"), ("Order", None));
    }
}
