//! The dictionary panel's Enums tab: the diagram's enum types, their names and values edited in
//! place. A rename retypes the columns that use the type, in the same undoable edit.

use leptos::prelude::*;
use model::{EnumType, Op, Uuid, enums};

use super::dictionary::{cell, clear, field, input, on_enter};
use super::state::Editor;

/// Values as the person types them: separated by commas, blanks around them dropped.
fn values(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

#[component]
pub(super) fn Enums(editor: Editor) -> impl IntoView {
    let ids = move || {
        editor
            .enums
            .with(|e| e.iter().map(|x| x.id).collect::<Vec<_>>())
    };
    let (name, listed) = (input(), input());
    let add = move || {
        let enum_type = EnumType {
            id: Uuid::new_v4(),
            name: field(name).trim().to_string(),
            schema: None,
            values: values(&field(listed)),
        };
        if enum_type.values.is_empty() {
            editor
                .problem
                .set(Some("An enum needs at least one value.".into()));
            return;
        }
        if editor.try_edit(Op::AddEnum {
            enum_type,
            at: None,
        }) {
            clear(&[name, listed]);
        }
    };
    view! {
        <table class="column-grid dictionary-grid enums">
            <thead>
                <tr>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Values, separated by commas"</th>
                    <th scope="col" title="Columns of this type">"Columns"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=ids key=|id| *id children=move |id| view! { <EnumRow editor id /> } />
                {(!editor.read_only).then(|| view! {
                    <tr class="add-row" on:keydown=on_enter(add)>
                        <td><input node_ref=name class="mono" aria-label="New enum's name" placeholder="order_status" /></td>
                        <td><input node_ref=listed class="mono" aria-label="New enum's values" placeholder="new, paid, shipped" /></td>
                        <td></td>
                        <td class="check"><button class="icon" aria-label="Add enum" title="Add enum" on:click=move |_| add()>"+"</button></td>
                    </tr>
                })}
            </tbody>
        </table>
    }
}

#[component]
fn EnumRow(editor: Editor, id: Uuid) -> impl IntoView {
    let current = Memo::new(move |_| {
        editor
            .enums
            .with(|l| l.iter().find(|e| e.id == id).cloned())
    });
    // Counted again on every edit: a column may have been retyped.
    let used = Memo::new(move |_| {
        editor.edits.track();
        current.with(|e| {
            e.as_ref()
                .map_or(0, |e| editor.with_doc(|d| enums::users(d, e)))
        })
    });
    let change = move |f: fn(&mut EnumType, String) -> bool| {
        move |typed: String| {
            let mut next = current.get_untracked()?;
            f(&mut next, typed).then_some(())?;
            editor.with_doc(|d| enums::changed(d, next))
        }
    };
    let name = move || current.with(|e| e.as_ref().map(|e| e.name.clone()).unwrap_or_default());
    let listed =
        move || current.with(|e| e.as_ref().map(|e| e.values.join(", ")).unwrap_or_default());
    let delete_title = move || match used.get() {
        0 => "Delete enum".to_string(),
        n => format!("Used by {n} column(s): give them another type first"),
    };
    view! {
        <tr>
            {cell(editor, "Enum name", true, name, change(|e, v| {
                e.name = v.trim().to_string();
                true
            }))}
            {cell(editor, "Enum values", true, listed, change(|e, v| {
                e.values = values(&v);
                !e.values.is_empty()
            }))}
            <td class="muted" aria-label="Columns of this type">{move || used.get()}</td>
            {(!editor.read_only).then(|| view! {
                <td class="check">
                    <button
                        class="icon"
                        aria-label="Delete enum"
                        disabled=move || { used.get() > 0 }
                        title=delete_title
                        on:click=move |_| {
                            editor.try_edit(Op::RemoveEnum { enum_id: id });
                        }
                    >"×"</button>
                </td>
            })}
        </tr>
    }
}
