//! The diagram editor: canvas, table editor panel, toolbar, history and saving.

mod canvas;
mod card;
mod minimap;
mod panel;
mod save;
mod state;
mod toolbar;
mod viewport;

use leptos::prelude::*;
use model::api::DiagramState;

use canvas::Canvas;
use minimap::Minimap;
use panel::TablePanel;
pub use state::Editor;
use toolbar::Toolbar;

/// The whole editor for a loaded diagram.
#[component]
pub fn EditorView(state: DiagramState) -> impl IntoView {
    let editor = Editor::new(state.diagram, state.revision);
    let space_held = RwSignal::new(false);
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        shortcut(editor, space_held, ev)
    });
    let space_up = window_event_listener(leptos::ev::keyup, move |ev| {
        if ev.key() == " " {
            space_held.set(false);
        }
    });
    let leaving = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if editor.saver.has_unsaved() {
            ev.prevent_default();
            ev.set_return_value("Some changes are not saved yet.");
        }
    });
    on_cleanup(move || {
        keys.remove();
        space_up.remove();
        leaving.remove();
    });
    view! {
        <div class="editor">
            <Toolbar editor />
            <div class="workspace">
                <Canvas editor space_held />
                <Minimap editor />
                {move || editor.open_table.get().map(|id| view! { <TablePanel editor id /> })}
            </div>
        </div>
    }
}

/// Keyboard shortcuts. Keys typed into a field belong to the field.
fn shortcut(editor: Editor, space_held: RwSignal<bool>, ev: leptos::ev::KeyboardEvent) {
    let typing = document()
        .active_element()
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    if typing {
        return;
    }
    let command = ev.ctrl_key() || ev.meta_key();
    let key = ev.key();
    match key.as_str() {
        "z" | "Z" if command && ev.shift_key() => editor.redo(),
        "z" | "Z" if command => editor.undo(),
        "y" | "Y" if command => editor.redo(),
        "Delete" | "Backspace" => editor.delete_selection(),
        "Enter" => {
            if let [only] = editor.selected()[..] {
                editor.open_table.set(Some(only));
            }
        }
        "Escape" => {
            editor.open_table.set(None);
            editor.select([]);
        }
        "t" | "T" if !command => toolbar::add_table(editor),
        " " => space_held.set(true),
        _ => return,
    }
    ev.prevent_default();
}
