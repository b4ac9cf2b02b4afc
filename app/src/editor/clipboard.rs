//! Copy (Ctrl+C), paste (Ctrl+V) and duplicate (Ctrl+D) of tables. The clipboard carries a
//! `model::clip::Clip` as JSON, so tables move between diagrams and browser tabs; pasted text
//! that is not a clip is read as SQL DDL (the server's import preview) and its tables pasted.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Op;
use model::clip::Clip;

use super::card::{CARD_WIDTH, card_height};
use super::state::Editor;
use super::toolbar::canvas_size;
use super::viewport::snap;
use crate::client;

/// The room between the tables duplicated and their copies, which go to their right.
const DUPLICATE_GAP: f64 = 60.0;

/// Puts the selected tables, with their foreign keys, on the clipboard.
pub fn copy(editor: Editor) {
    let ids = editor.selected();
    if ids.is_empty() {
        return;
    }
    let json = editor.with_doc(|d| Clip::copy(d, &ids, true)).to_json();
    let _ = window().navigator().clipboard().write_text(&json);
}

/// Duplicates tables to the right of themselves, with or without their foreign keys, as one
/// undoable edit; the copies are selected.
pub fn duplicate(editor: Editor, ids: &[model::Uuid], with_relationships: bool) {
    if ids.is_empty() {
        return;
    }
    let clip = editor.with_doc(|d| Clip::copy(d, ids, with_relationships));
    let ((x0, _), (x1, _)) = bounds(&clip);
    add(editor, clip, (snap(x1 - x0 + DUPLICATE_GAP), 0.0));
}

/// Pastes what the clipboard holds: a clip, or SQL DDL. The tables land in the middle of the view.
pub fn paste(editor: Editor) {
    let read = window().navigator().clipboard().read_text();
    spawn_local(async move {
        let Some(text) = wasm_bindgen_futures::JsFuture::from(read)
            .await
            .ok()
            .and_then(|v| v.as_string())
        else {
            editor
                .problem
                .set(Some("The clipboard could not be read.".into()));
            return;
        };
        let clip = match Clip::parse(&text) {
            Some(clip) => clip,
            None if looks_like_ddl(&text) => {
                match client::import_sql(text, "auto", true, None).await {
                    Ok(answer) if !answer.report.diagram.tables.is_empty() => {
                        Clip::of(answer.report.diagram)
                    }
                    Ok(_) => {
                        editor.problem.set(Some(
                            "The SQL on the clipboard holds no table to paste.".into(),
                        ));
                        return;
                    }
                    Err(e) => {
                        editor.problem.set(Some(e.message()));
                        return;
                    }
                }
            }
            None => {
                editor.problem.set(Some(
                    "The clipboard holds neither copied tables nor CREATE TABLE statements.".into(),
                ));
                return;
            }
        };
        let offset = centred(editor, &clip);
        add(editor, clip, offset);
    });
}

/// Whether pasted text may be DDL worth sending to the importer.
fn looks_like_ddl(text: &str) -> bool {
    text.to_ascii_lowercase().contains("create table")
}

/// The offset that puts the clip's tables in the middle of the view, on the grid.
fn centred(editor: Editor, clip: &Clip) -> (f64, f64) {
    let ((x0, y0), (x1, y1)) = bounds(clip);
    let (w, h) = canvas_size();
    let (cx, cy) = editor.viewport.get_untracked().to_world(w / 2.0, h / 2.0);
    (
        snap(cx - (x1 - x0) / 2.0) - x0,
        snap(cy - (y1 - y0) / 2.0) - y0,
    )
}

/// The top-left and bottom-right corners of the clip's cards.
fn bounds(clip: &Clip) -> ((f64, f64), (f64, f64)) {
    let (x0, y0) = clip.corner();
    let far = clip.tables.iter().fold((x0, y0), |(x, y), t| {
        (
            x.max(t.x + CARD_WIDTH),
            y.max(t.y + card_height(t.columns.len())),
        )
    });
    ((x0, y0), far)
}

/// Adds the clip's tables, moved by `offset`, as one undoable edit, and selects them; with a
/// table's panel open, a single new table's panel opens instead.
fn add(editor: Editor, clip: Clip, offset: (f64, f64)) {
    let (ops, ids) = editor.with_doc(|d| clip.paste(d, offset));
    if !ops.is_empty() && editor.try_edit(Op::Batch { ops }) {
        if let [one] = ids[..]
            && editor.open_table.get_untracked().is_some()
        {
            editor.open_table.set(Some(one));
        }
        editor.select(ids);
    }
}
