//! The dictionary panel: the diagram's words, terms and domains (and its enum types), edited in
//! place; the naming convention; the checks of the diagram's names against them; files to share it by.

use leptos::prelude::*;
use model::dictionary::exchange;
use model::{Convention, Dictionary, Domain, Op, Term, Uuid, Word};
use wasm_bindgen::JsCast;

use super::panel::reset;
use super::search::{Hit, reveal};
use super::state::Editor;

/// Findings listed at most; the count says how many there are.
const SHOWN_FINDINGS: usize = 300;

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Words,
    Terms,
    Domains,
    Enums,
    Checks,
}

#[component]
pub fn DictionaryPanel(editor: Editor) -> impl IntoView {
    let tab = RwSignal::new(Tab::Words);
    let note = RwSignal::new(None::<String>);
    let counts = move || {
        editor
            .dictionary
            .with(|d| (d.words.len(), d.terms.len(), d.domains.len()))
    };
    let enum_count = move || editor.enums.with(Vec::len);
    let tab_button = move |which: Tab, label: &'static str| {
        let count = move || match which {
            Tab::Words => counts().0.to_string(),
            Tab::Terms => counts().1.to_string(),
            Tab::Domains => counts().2.to_string(),
            Tab::Enums => enum_count().to_string(),
            Tab::Checks => String::new(),
        };
        view! {
            <button
                role="tab"
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| tab.set(which)
            >
                {label}" "<span class="muted">{count}</span>
            </button>
        }
    };
    let convention = move |ev: leptos::ev::Event| {
        if let Some(convention) = Convention::from_key(&event_target_value(&ev)) {
            editor.try_edit(Op::SetConvention { convention });
        }
    };
    view! {
        <aside class="panel dictionary-panel" aria-label="Dictionary">
            <div class="panel-head">
                <h2>"Dictionary"</h2>
                <button class="icon" aria-label="Close dictionary" on:click=move |_| editor.dictionary_open.set(false)>
                    "×"
                </button>
            </div>
            <div class="fields">
                <label for="naming-convention">"Physical names"</label>
                <select id="naming-convention" disabled=editor.read_only on:change=convention>
                    {Convention::ALL.map(|c| view! {
                        <option
                            value=c.key()
                            selected=move || editor.dictionary.with(|d| d.convention == c)
                        >
                            {c.example()}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="tabs" role="tablist">
                {tab_button(Tab::Words, "Words")}
                {tab_button(Tab::Terms, "Terms")}
                {tab_button(Tab::Domains, "Domains")}
                {tab_button(Tab::Enums, "Enums")}
                {tab_button(Tab::Checks, "Checks")}
            </div>
            <div class="grid-wrap" role="tabpanel">
                {move || match tab.get() {
                    Tab::Words => view! { <Words editor /> }.into_any(),
                    Tab::Terms => view! { <Terms editor /> }.into_any(),
                    Tab::Domains => view! { <Domains editor /> }.into_any(),
                    Tab::Enums => view! { <super::enums::Enums editor /> }.into_any(),
                    Tab::Checks => view! { <Checks editor /> }.into_any(),
                }}
            </div>
            {move || note.get().map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <Files editor note />
        </aside>
    }
}

/// An input showing `value`, that turns what is typed into an op; refused, it shows the value
/// again.
pub(super) fn cell(
    editor: Editor,
    label: &'static str,
    mono: bool,
    value: impl Fn() -> String + Send + Sync + 'static,
    op: impl Fn(String) -> Option<Op> + 'static,
) -> impl IntoView {
    let initial = untrack(&value);
    let value = std::sync::Arc::new(value);
    let shown = value.clone();
    view! {
        <td>
            <input
                disabled=editor.read_only
                class:mono=mono
                aria-label=label
                value=initial
                prop:value=move || shown()
                on:change=move |ev| {
                    let done = op(event_target_value(&ev)).is_some_and(|op| editor.try_edit(op));
                    if !done {
                        reset(&ev, &value());
                    }
                }
            />
        </td>
    }
}

pub(super) fn delete_cell(
    editor: Editor,
    label: &'static str,
    op: impl Fn() -> Op + 'static,
) -> impl IntoView {
    (!editor.read_only).then(|| {
        view! {
            <td class="check">
                <button class="icon" aria-label=label title=label on:click=move |_| {
                    editor.try_edit(op());
                }>"×"</button>
            </td>
        }
    })
}

pub(super) fn input() -> NodeRef<leptos::html::Input> {
    NodeRef::new()
}

/// What the add row's inputs hold, read when the person adds the entry.
pub(super) fn field(node: NodeRef<leptos::html::Input>) -> String {
    node.get_untracked().map(|i| i.value()).unwrap_or_default()
}

/// Empties the add row and puts the cursor back in its first field, for the next entry.
pub(super) fn clear(nodes: &[NodeRef<leptos::html::Input>]) {
    for node in nodes {
        if let Some(input) = node.get_untracked() {
            input.set_value("");
            input.set_checked(false);
        }
    }
    if let Some(first) = nodes.first().and_then(|n| n.get_untracked()) {
        let _ = first.focus();
    }
}

/// Enter in an add row's field adds the entry.
pub(super) fn on_enter(
    add: impl Fn() + Copy + 'static,
) -> impl Fn(leptos::ev::KeyboardEvent) + 'static {
    move |ev| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            add();
        }
    }
}

#[component]
fn Words(editor: Editor) -> impl IntoView {
    let ids = move || {
        editor
            .dictionary
            .with(|d| d.words.iter().map(|w| w.id).collect::<Vec<_>>())
    };
    let (logical, physical, instead, description) = (input(), input(), input(), input());
    let add = move || {
        let instead_text = field(instead);
        let word = Word {
            instead: (!instead_text.trim().is_empty()).then(|| instead_text.trim().to_string()),
            description: field(description),
            ..Word::new(field(logical).trim(), field(physical).trim())
        };
        if editor.try_edit(Op::PutWord { word, at: None }) {
            clear(&[logical, physical, instead, description]);
        }
    };
    view! {
        <table class="column-grid dictionary-grid words">
            <thead>
                <tr>
                    <th scope="col">"Logical word"</th>
                    <th scope="col">"Abbreviation"</th>
                    <th scope="col" title="Marks a forbidden synonym: the word to use instead">"Use instead"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=ids key=|id| *id children=move |id| view! { <WordRow editor id /> } />
                {(!editor.read_only).then(|| view! {
                    <tr class="add-row" on:keydown=on_enter(add)>
                        <td><input node_ref=logical aria-label="New word" placeholder="고객 / Customer" /></td>
                        <td><input node_ref=physical class="mono" aria-label="New word's abbreviation" placeholder="CUST" /></td>
                        <td><input node_ref=instead aria-label="New word: use instead" placeholder="(forbidden synonym of)" /></td>
                        <td><input node_ref=description aria-label="New word's description" /></td>
                        <td class="check"><button class="icon" aria-label="Add word" title="Add word" on:click=move |_| add()>"+"</button></td>
                    </tr>
                })}
            </tbody>
        </table>
    }
}

#[component]
fn WordRow(editor: Editor, id: Uuid) -> impl IntoView {
    let word = Memo::new(move |_| editor.dictionary.with(|d| d.word(id).cloned()));
    let get =
        move |f: fn(&Word) -> String| move || word.with(|w| w.as_ref().map(f).unwrap_or_default());
    let put = move |f: fn(&mut Word, String)| {
        move |v: String| {
            word.get_untracked().map(|mut w| {
                f(&mut w, v.trim().to_string());
                Op::PutWord { word: w, at: None }
            })
        }
    };
    view! {
        <tr class:forbidden=move || word.with(|w| w.as_ref().is_some_and(|w| w.instead.is_some()))>
            {cell(editor, "Logical word", false, get(|w| w.logical.clone()), put(|w, v| w.logical = v))}
            {cell(editor, "Abbreviation", true, get(|w| w.physical.clone()), put(|w, v| w.physical = v))}
            {cell(editor, "Use instead", false, get(|w| w.instead.clone().unwrap_or_default()), put(|w, v| w.instead = (!v.is_empty()).then_some(v)))}
            {cell(editor, "Description", false, get(|w| w.description.clone()), put(|w, v| w.description = v))}
            {delete_cell(editor, "Delete word", move || Op::RemoveWord { word_id: id })}
        </tr>
    }
}

/// A select of the dictionary's domains (and none), showing `current`.
fn domain_select(
    editor: Editor,
    label: &'static str,
    current: impl Fn() -> Option<Uuid> + Send + Sync + Copy + 'static,
    chose: impl Fn(Option<Uuid>) + 'static,
    node: NodeRef<leptos::html::Select>,
) -> impl IntoView {
    let options = move || {
        editor.dictionary.with(|d| {
            d.domains
                .iter()
                .map(|x| (x.id, format!("{} · {}", x.name, x.data_type)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <select
            node_ref=node
            disabled=editor.read_only
            aria-label=label
            data-field="domain"
            on:change=move |ev| chose(Uuid::parse_str(&event_target_value(&ev)).ok())
        >
            <option value="" selected=move || current().is_none()>"—"</option>
            {move || options().into_iter().map(|(id, text)| view! {
                <option value=id.to_string() selected=move || current() == Some(id)>{text}</option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn Terms(editor: Editor) -> impl IntoView {
    let ids = move || {
        editor
            .dictionary
            .with(|d| d.terms.iter().map(|t| t.id).collect::<Vec<_>>())
    };
    let (logical, physical, description) = (input(), input(), input());
    let domain = NodeRef::<leptos::html::Select>::new();
    // What the words made of the logical name while it was typed, so that a physical name the
    // person typed is not replaced.
    let suggested = StoredValue::new(String::new());
    let suggest = move |_| {
        let Some(input) = physical.get_untracked() else {
            return;
        };
        let current = input.value();
        if current.is_empty() || current == suggested.get_value() {
            let named = editor.with_doc(|d| d.dictionary.name(&field(logical)));
            let next = named.physical.unwrap_or_default();
            input.set_value(&next);
            suggested.set_value(next);
        }
    };
    let add = move || {
        let chosen = domain
            .get_untracked()
            .and_then(|s| Uuid::parse_str(&s.value()).ok());
        let term = Term {
            domain: chosen,
            description: field(description),
            ..Term::new(field(logical).trim(), field(physical).trim())
        };
        if editor.try_edit(Op::PutTerm { term, at: None }) {
            suggested.set_value(String::new());
            if let Some(select) = domain.get_untracked() {
                select.set_value("");
            }
            clear(&[logical, physical, description]);
        }
    };
    view! {
        <table class="column-grid dictionary-grid terms">
            <thead>
                <tr>
                    <th scope="col">"Logical term"</th>
                    <th scope="col">"Physical name"</th>
                    <th scope="col">"Domain"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=ids key=|id| *id children=move |id| view! { <TermRow editor id /> } />
                {(!editor.read_only).then(|| view! {
                    <tr class="add-row" on:keydown=on_enter(add)>
                        <td><input node_ref=logical aria-label="New term" placeholder="고객명" on:input=suggest /></td>
                        <td><input node_ref=physical class="mono" aria-label="New term's physical name" placeholder="CUST_NM" /></td>
                        <td>{domain_select(editor, "New term's domain", || None, |_| {}, domain)}</td>
                        <td><input node_ref=description aria-label="New term's description" /></td>
                        <td class="check"><button class="icon" aria-label="Add term" title="Add term" on:click=move |_| add()>"+"</button></td>
                    </tr>
                })}
            </tbody>
        </table>
    }
}

#[component]
fn TermRow(editor: Editor, id: Uuid) -> impl IntoView {
    let term = Memo::new(move |_| editor.dictionary.with(|d| d.term(id).cloned()));
    let get =
        move |f: fn(&Term) -> String| move || term.with(|t| t.as_ref().map(f).unwrap_or_default());
    let put = move |f: fn(&mut Term, String)| {
        move |v: String| {
            term.get_untracked().map(|mut t| {
                f(&mut t, v.trim().to_string());
                Op::PutTerm { term: t, at: None }
            })
        }
    };
    let current = move || term.with(|t| t.as_ref().and_then(|t| t.domain));
    let chose = move |domain: Option<Uuid>| {
        if let Some(t) = term.get_untracked() {
            editor.try_edit(Op::PutTerm {
                term: Term { domain, ..t },
                at: None,
            });
        }
    };
    view! {
        <tr>
            {cell(editor, "Logical term", false, get(|t| t.logical.clone()), put(|t, v| t.logical = v))}
            {cell(editor, "Physical name", true, get(|t| t.physical.clone()), put(|t, v| t.physical = v))}
            <td>{domain_select(editor, "Term's domain", current, chose, NodeRef::new())}</td>
            {cell(editor, "Description", false, get(|t| t.description.clone()), put(|t, v| t.description = v))}
            {delete_cell(editor, "Delete term", move || Op::RemoveTerm { term_id: id })}
        </tr>
    }
}

#[component]
fn Domains(editor: Editor) -> impl IntoView {
    let ids = move || {
        editor
            .dictionary
            .with(|d| d.domains.iter().map(|x| x.id).collect::<Vec<_>>())
    };
    let (name, data_type, not_null, default, check) = (input(), input(), input(), input(), input());
    let add = move || {
        let optional = |node| Some(field(node)).filter(|v| !v.trim().is_empty());
        let domain = Domain {
            not_null: not_null
                .get_untracked()
                .is_some_and(|i: web_sys::HtmlInputElement| i.checked()),
            default: optional(default),
            check: optional(check),
            ..Domain::new(field(name).trim(), field(data_type).trim())
        };
        if editor.try_edit(Op::PutDomain { domain, at: None }) {
            clear(&[name, data_type, not_null, default, check]);
        }
    };
    view! {
        <table class="column-grid dictionary-grid domains">
            <thead>
                <tr>
                    <th scope="col">"Domain"</th>
                    <th scope="col">"Data type"</th>
                    <th scope="col" title="Not null">"NN"</th>
                    <th scope="col">"Default"</th>
                    <th scope="col">"Check"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=ids key=|id| *id children=move |id| view! { <DomainRow editor id /> } />
                {(!editor.read_only).then(|| view! {
                    <tr class="add-row" on:keydown=on_enter(add)>
                        <td><input node_ref=name aria-label="New domain" placeholder="Name" /></td>
                        <td><input node_ref=data_type class="mono" aria-label="New domain's data type" placeholder="varchar(100)" /></td>
                        <td class="check"><input node_ref=not_null type="checkbox" aria-label="New domain is not null" /></td>
                        <td><input node_ref=default class="mono" aria-label="New domain's default" /></td>
                        <td><input node_ref=check class="mono" aria-label="New domain's check" placeholder="VALUE > 0" /></td>
                        <td class="check"><button class="icon" aria-label="Add domain" title="Add domain" on:click=move |_| add()>"+"</button></td>
                    </tr>
                })}
            </tbody>
        </table>
        <p class="muted hint-text">"Columns of a domain take its type; changing the domain changes them, in one step you can undo."</p>
    }
}

#[component]
fn DomainRow(editor: Editor, id: Uuid) -> impl IntoView {
    let domain = Memo::new(move |_| editor.dictionary.with(|d| d.domain(id).cloned()));
    let get = move |f: fn(&Domain) -> String| {
        move || domain.with(|x| x.as_ref().map(f).unwrap_or_default())
    };
    let put = move |f: fn(&mut Domain, String)| {
        move |v: String| {
            domain.get_untracked().map(|mut x| {
                f(&mut x, v.trim().to_string());
                Op::PutDomain {
                    domain: x,
                    at: None,
                }
            })
        }
    };
    let not_null = move |ev: leptos::ev::Event| {
        if let Some(x) = domain.get_untracked() {
            editor.try_edit(Op::PutDomain {
                domain: Domain {
                    not_null: event_target_checked(&ev),
                    ..x
                },
                at: None,
            });
        }
    };
    view! {
        <tr>
            {cell(editor, "Domain", false, get(|x| x.name.clone()), put(|x, v| x.name = v))}
            {cell(editor, "Data type", true, get(|x| x.data_type.clone()), put(|x, v| x.data_type = v))}
            <td class="check">
                <input
                    type="checkbox"
                    disabled=editor.read_only
                    aria-label="Not null"
                    prop:checked=move || domain.with(|x| x.as_ref().is_some_and(|x| x.not_null))
                    on:change=not_null
                />
            </td>
            {cell(editor, "Default", true, get(|x| x.default.clone().unwrap_or_default()), put(|x, v| x.default = (!v.is_empty()).then_some(v)))}
            {cell(editor, "Check", true, get(|x| x.check.clone().unwrap_or_default()), put(|x, v| x.check = (!v.is_empty()).then_some(v)))}
            {delete_cell(editor, "Delete domain", move || Op::RemoveDomain { domain_id: id })}
        </tr>
    }
}

/// The names that break the dictionary, each a button that shows the place.
#[component]
fn Checks(editor: Editor) -> impl IntoView {
    let found = Memo::new(move |_| {
        editor.edits.track();
        editor.with_doc(|doc| {
            let all = model::dictionary::findings(doc);
            let total = all.len();
            let shown: Vec<(Hit, String)> = all
                .into_iter()
                .take(SHOWN_FINDINGS)
                .filter_map(|f| {
                    let t = doc.table(f.table)?;
                    let label = match f.column.and_then(|c| t.column(c)) {
                        Some(c) => format!("{}.{}", t.name, c.name),
                        None => t.name.clone(),
                    };
                    let hit = Hit {
                        table: t.id,
                        column: f.column,
                        label,
                        detail: String::new(),
                    };
                    Some((hit, f.kind.message()))
                })
                .collect();
            (total, shown)
        })
    });
    view! {
        {move || {
            let (total, shown) = found.get();
            if total == 0 {
                return view! { <p class="muted" role="status">"Every name follows the dictionary."</p> }.into_any();
            }
            let more = (total > shown.len()).then(|| format!("… and {} more", total - shown.len()));
            view! {
                <p class="muted" role="status">{format!("{total} to look at")}</p>
                <ul class="findings" aria-label="Checks">
                    {shown.into_iter().map(|(hit, message)| {
                        let label = hit.label.clone();
                        view! {
                            <li>
                                <button class="link mono" on:click=move |_| reveal(editor, &hit)>{label}</button>
                                <span>{message}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {more.map(|m| view! { <p class="muted">{m}</p> })}
            }
            .into_any()
        }}
    }
}

/// Export as CSV or JSON, and import either (merged into the dictionary, as one undoable edit).
#[component]
fn Files(editor: Editor, note: RwSignal<Option<String>>) -> impl IntoView {
    let name = move || {
        let diagram = editor.name.get_untracked();
        let stem: String = diagram
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        format!("{}-dictionary", stem.trim_matches('-'))
    };
    let export_csv = move |_| {
        let csv = editor.with_doc(|d| exchange::to_csv(&d.dictionary));
        crate::dialogs::download_text(&csv, "text/csv", &format!("{}.csv", name()));
    };
    let export_json = move |_| {
        let json = editor.with_doc(|d| serde_json::to_string_pretty(&d.dictionary));
        if let Ok(json) = json {
            crate::dialogs::download_text(&json, "application/json", &format!("{}.json", name()));
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(file) = input
            .as_ref()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        if let Some(input) = input {
            // The same file chosen again is a new import.
            input.set_value("");
        }
        let json = file.name().to_lowercase().ends_with(".json");
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string());
            let Some(text) = text else {
                note.set(Some("The file could not be read as text.".into()));
                return;
            };
            note.set(Some(import_text(editor, &text, json)));
        });
    };
    view! {
        <div class="panel-actions">
            <span class="file-buttons">
                <button on:click=export_csv>"Export CSV"</button>
                <button on:click=export_json>"Export JSON"</button>
            </span>
            {(!editor.read_only).then(|| view! {
                <label class="button">
                    "Import…"
                    <input class="sr-only" type="file" accept=".csv,.json,text/csv,application/json" aria-label="Import a dictionary" on:change=import />
                </label>
            })}
        </div>
    }
}

/// Merges a dictionary file into the diagram's and says what came of it.
fn import_text(editor: Editor, text: &str, json: bool) -> String {
    let current = editor.with_doc(|d| d.dictionary.clone());
    let (incoming, problems) = if json {
        match serde_json::from_str::<Dictionary>(text) {
            Ok(d) => (d, Vec::new()),
            Err(e) => return format!("Not a dictionary's JSON: {e}"),
        }
    } else {
        exchange::from_csv(text, &current)
    };
    let (ops, refused) = exchange::merge(&current, &incoming);
    let count = ops.len();
    if count > 0 && !editor.try_edit(Op::Batch { ops }) {
        return "The dictionary could not be merged.".into();
    }
    let mut said = match count {
        0 => "Nothing new in the file.".to_string(),
        1 => "1 entry added or changed.".to_string(),
        n => format!("{n} entries added or changed."),
    };
    let skipped: Vec<String> = problems
        .iter()
        .map(|p| match p.line {
            0 => p.message.clone(),
            line => format!("line {line}: {}", p.message),
        })
        .chain(refused)
        .collect();
    if !skipped.is_empty() {
        said.push_str(&format!(
            " Skipped {}: {}",
            skipped.len(),
            skipped.join("; ")
        ));
    }
    said
}
