//! The side panel of a selected relationship line.

use leptos::prelude::*;
use model::{Action, Cardinality, Op, RelationshipPatch, Uuid};

use super::relate;
use super::state::Editor;

const CARDINALITIES: [(Cardinality, &str); 4] = [
    (Cardinality::ExactlyOne, "exactly one"),
    (Cardinality::ZeroOrOne, "zero or one"),
    (Cardinality::OneOrMany, "one or many"),
    (Cardinality::ZeroOrMany, "zero or many"),
];

const ACTIONS: [(Action, &str); 5] = [
    (Action::NoAction, "NO ACTION"),
    (Action::Restrict, "RESTRICT"),
    (Action::Cascade, "CASCADE"),
    (Action::SetNull, "SET NULL"),
    (Action::SetDefault, "SET DEFAULT"),
];

#[component]
pub fn RelationshipPanel(editor: Editor, id: Uuid) -> impl IntoView {
    let rel = Memo::new(move |_| {
        editor
            .relationships
            .with(|r| r.iter().find(|r| r.id == id).cloned())
    });
    let name_of = move |table: Uuid| editor.table(table).map(|t| t.name).unwrap_or_default();
    let patch = move |p: RelationshipPatch| {
        editor.try_edit(Op::UpdateRelationship {
            relationship_id: id,
            patch: p,
        });
    };
    // A labelled select over `options`, showing `get` of the relationship and writing `set`.
    fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
        label: &'static str,
        options: &'static [(T, &'static str)],
        rel: Memo<Option<model::Relationship>>,
        get: fn(&model::Relationship) -> T,
        set: impl Fn(T) + Copy + Send + Sync + 'static,
        read_only: bool,
    ) -> impl IntoView {
        let id = format!("rel-{}", label.to_ascii_lowercase().replace(' ', "-"));
        view! {
            <label for=id.clone()>{label}</label>
            <select
                id=id
                disabled=read_only
                on:change=move |ev| {
                    let index: usize = event_target_value(&ev).parse().unwrap_or(0);
                    if let Some((value, _)) = options.get(index) {
                        set(*value);
                    }
                }
            >
                {options
                    .iter()
                    .enumerate()
                    .map(|(i, (value, text))| {
                        let value = *value;
                        view! {
                            <option value=i.to_string() selected=move || rel.with(|r| r.as_ref().map(get) == Some(value))>
                                {*text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
    }
    let cardinality = move |label, get, set: fn(Cardinality) -> RelationshipPatch| {
        choice(
            label,
            &CARDINALITIES,
            rel,
            get,
            move |c| patch(set(c)),
            editor.read_only,
        )
    };
    let action = move |label, get, set: fn(Action) -> RelationshipPatch| {
        choice(
            label,
            &ACTIONS,
            rel,
            get,
            move |a| patch(set(a)),
            editor.read_only,
        )
    };
    view! {
        <aside class="panel narrow" aria-label="Relationship editor">
            <div class="panel-head">
                <h2>"Relationship"</h2>
                <button class="icon" aria-label="Close editor" on:click=move |_| editor.selected_rel.set(None)>
                    "×"
                </button>
            </div>
            <p class="rel-ends">
                {move || rel.get().map(|r| format!("{} → {}", name_of(r.child_table), name_of(r.parent_table)))}
            </p>
            <div class="fields">
                <label for="rel-name">"Name"</label>
                <input
                    id="rel-name"
                    disabled=editor.read_only
                    class="mono"
                    prop:value=move || rel.with(|r| r.as_ref().map(|r| r.name.clone()).unwrap_or_default())
                    on:change=move |ev| patch(RelationshipPatch { name: Some(event_target_value(&ev)), ..Default::default() })
                />
                {cardinality("Child cardinality", |r| r.child_cardinality, |c| RelationshipPatch { child_cardinality: Some(c), ..Default::default() })}
                {cardinality("Parent cardinality", |r| r.parent_cardinality, |c| RelationshipPatch { parent_cardinality: Some(c), ..Default::default() })}
                <label for="rel-identifying">"Identifying"</label>
                <input
                    id="rel-identifying"
                    disabled=editor.read_only
                    type="checkbox"
                    prop:checked=move || rel.with(|r| r.as_ref().is_some_and(|r| r.identifying))
                    on:change=move |ev| {
                        if let Some(r) = rel.get_untracked() {
                            relate::set_identifying(editor, &r, event_target_checked(&ev));
                        }
                    }
                />
                {action("On delete", |r| r.on_delete, |a| RelationshipPatch { on_delete: Some(a), ..Default::default() })}
                {action("On update", |r| r.on_update, |a| RelationshipPatch { on_update: Some(a), ..Default::default() })}
            </div>
            {(!editor.read_only).then(|| view! {
                <div class="panel-actions">
                    <button class="danger" on:click=move |_| if let Some(r) = rel.get_untracked() { relate::delete(editor, &r, false) }>
                        "Delete relationship"
                    </button>
                    <button class="danger" on:click=move |_| if let Some(r) = rel.get_untracked() { relate::delete(editor, &r, true) }>
                        "Delete with FK columns"
                    </button>
                </div>
            })}
        </aside>
    }
}
