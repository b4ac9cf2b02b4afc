//! The diagram editor: canvas, table editor panel, toolbar, history and saving.

mod areas;
mod canvas;
mod card;
mod checks;
mod clipboard;
mod dictionary;
mod enums;
mod history;
pub mod image;
mod indexes;
mod lines;
mod live;
mod minimap;
mod notes;
mod panel;
mod presence;
mod relate;
mod relpanel;
mod save;
mod search;
mod state;
mod toolbar;
mod viewport;

use leptos::prelude::*;
use model::api::{DiagramState, Role};

use crate::dialogs::{
    ExportDialog, ImageDialog, ImportDialog, MigrationDialog, ShareDialog, WebhooksDialog,
};
use canvas::Canvas;
use history::{History, HistoryPanel, ShownVersion};
use lines::JoinHighlight;
use minimap::Minimap;
use panel::TablePanel;
use relpanel::RelationshipPanel;
pub use state::Editor;
use toolbar::{Toolbar, ZoomControls};

/// The whole editor for a loaded diagram; `read_only` for those who may only look. `on_role`
/// hears when the person's role changes while the diagram is open (the page opens it again).
#[component]
pub fn EditorView(
    state: DiagramState,
    read_only: bool,
    #[prop(optional)] on_role: Option<Callback<Role>>,
) -> impl IntoView {
    let editor = Editor::new(state.diagram, state.revision, read_only);
    // In the browser only: the live channel opens once the editor is on the page.
    Effect::new(move |_| editor.live.start(editor, on_role));
    let space_held = RwSignal::new(false);
    let dialogs = Dialogs::default();
    let history = History::default();
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        shortcut(editor, history, space_held, ev)
    });
    let space_up = window_event_listener(leptos::ev::keyup, move |ev| {
        if ev.key() == " " {
            space_held.set(false);
        }
    });
    let leaving = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if editor.has_unsaved() && !crate::session::leaving() {
            ev.prevent_default();
            ev.set_return_value("Some changes are not saved yet.");
        }
    });
    let resized = window_event_listener(leptos::ev::resize, |_| toolbar::forget_canvas_size());
    on_cleanup(move || {
        keys.remove();
        space_up.remove();
        leaving.remove();
        resized.remove();
    });
    view! {
        <div class="editor" class:read-only=read_only>
            <Toolbar editor dialogs history />
            <div class="workspace" class:viewing=move || history.shown.with(Option::is_some)>
                <Canvas editor space_held />
                <Minimap editor />
                <ZoomControls editor />
                {move || editor.open_table.get().map(|id| view! { <TablePanel editor id /> })}
                {move || {
                    editor.selected_rel.get().map(|id| view! { <RelationshipPanel editor id /> })
                }}
                {move || {
                    editor.linking.get().map(|step| {
                        let text = match step {
                            None => "Add relationship: click the child table (the one that gets the foreign key).",
                            Some(_) => "Now click the parent table (the one referenced). Esc cancels.",
                        };
                        view! { <p class="hint" aria-live="polite">{text}</p> }
                    })
                }}
                <JoinHighlight editor />
                <ShownVersion editor history space_held />
                {move || history.open.get().then(|| view! { <HistoryPanel editor history /> })}
                {move || editor.dictionary_open.get().then(|| view! { <dictionary::DictionaryPanel editor /> })}
                {move || editor.areas_open.get().then(|| view! { <areas::AreasPanel editor /> })}
                {move || dialogs.import.get().then(|| view! { <ImportDialog open=dialogs.import editor /> })}
                {move || dialogs.export.get().then(|| view! { <ExportDialog open=dialogs.export editor /> })}
                {move || dialogs.migration.get().then(|| view! { <MigrationDialog open=dialogs.migration editor /> })}
                {move || dialogs.webhooks.get().then(|| view! { <WebhooksDialog open=dialogs.webhooks owner=crate::client::HookOwner::Diagram(editor.id()) /> })}
                {move || dialogs.image.get().then(|| view! { <ImageDialog open=dialogs.image editor /> })}
                {move || dialogs.share.get().then(|| view! { <ShareDialog open=dialogs.share diagram=editor.id() /> })}
            </div>
        </div>
    }
}

/// Which of the toolbar's dialogs are open.
#[derive(Clone, Copy)]
pub struct Dialogs {
    pub import: RwSignal<bool>,
    pub export: RwSignal<bool>,
    pub migration: RwSignal<bool>,
    pub webhooks: RwSignal<bool>,
    pub image: RwSignal<bool>,
    pub share: RwSignal<bool>,
}

impl Default for Dialogs {
    fn default() -> Self {
        Self {
            import: RwSignal::new(false),
            export: RwSignal::new(false),
            migration: RwSignal::new(false),
            webhooks: RwSignal::new(false),
            image: RwSignal::new(false),
            share: RwSignal::new(false),
        }
    }
}

/// Keyboard shortcuts. Keys typed into a field belong to the field. Read-only, only the keys
/// that look (open a table, let go of everything, pan) do anything; while another version is
/// shown, Escape goes back to the diagram and nothing else changes it.
fn shortcut(
    editor: Editor,
    history: History,
    space_held: RwSignal<bool>,
    ev: leptos::ev::KeyboardEvent,
) {
    let command = ev.ctrl_key() || ev.meta_key();
    // Search is at hand from anywhere, a field being typed into included.
    if command && ev.key().eq_ignore_ascii_case("k") && !history.viewing() {
        ev.prevent_default();
        search::focus_field();
        return;
    }
    let typing = document()
        .active_element()
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    if typing {
        return;
    }
    let key = ev.key();
    if history.viewing() {
        match key.as_str() {
            "Escape" => history.shown.set(None),
            " " => space_held.set(true),
            _ => return,
        }
        ev.prevent_default();
        return;
    }
    // Copying only looks, so it is for those who may only look too.
    let looking = matches!(key.as_str(), "Enter" | "Escape" | " ")
        || (command && key.eq_ignore_ascii_case("c"));
    if editor.read_only && !looking {
        return;
    }
    match key.as_str() {
        "z" | "Z" if command && ev.shift_key() => editor.redo(),
        "z" | "Z" if command => editor.undo(),
        "y" | "Y" if command => editor.redo(),
        "c" | "C" if command => clipboard::copy(editor),
        "v" | "V" if command => clipboard::paste(editor),
        "d" | "D" if command => clipboard::duplicate(editor, &editor.selected(), true),
        "Delete" | "Backspace" => match editor.selected_rel.get_untracked() {
            Some(rel) => {
                let rel = editor
                    .relationships
                    .with_untracked(|r| r.iter().find(|x| x.id == rel).cloned());
                if let Some(rel) = rel {
                    relate::delete(editor, &rel, false);
                }
            }
            None => editor.delete_selection(),
        },
        "Enter" => {
            if let [only] = editor.selected()[..] {
                editor.open_table.set(Some(only));
            }
        }
        "Escape" => {
            editor.linking.set(None);
            editor.open_table.set(None);
            editor.selected_rel.set(None);
            editor.select([]);
        }
        "t" | "T" if !command => toolbar::add_table(editor),
        "r" | "R" if !command => editor.linking.set(Some(None)),
        " " => space_held.set(true),
        _ => return,
    }
    ev.prevent_default();
}
