//! Search (Ctrl+K or ⌘K, and the toolbar field): tables and columns by physical name, logical
//! name and comment. Choosing a result brings its table into view, selected; a column's result
//! also opens the table at that column.

use leptos::prelude::*;
use model::{Diagram, Uuid};

use super::state::Editor;
use super::toolbar::canvas_size;
use super::viewport::Viewport;

/// Results shown at most: the best ones, for a short query can match thousands of columns.
const SHOWN: usize = 50;
/// The id of the search field, which Ctrl+K focuses.
pub const FIELD_ID: &str = "diagram-search";

/// One result: a table, or a column of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub table: Uuid,
    pub column: Option<Uuid>,
    /// `table` or `table.column`, as the cards show them.
    pub label: String,
    /// What else matched or describes it: the logical name, or the comment.
    pub detail: String,
}

/// Where `needle` (already lowercase ASCII-wise) is in `hay`, ignoring ASCII case: names in
/// other scripts (한글) have no case to fold.
fn find_in(hay: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// How well `text` matches: 0 the whole of it, 1 its start, 2 inside it; `None` not at all.
fn rank(text: &str, needle: &str) -> Option<u8> {
    match find_in(text, needle)? {
        0 if text.len() == needle.len() => Some(0),
        0 => Some(1),
        _ => Some(2),
    }
}

/// The best rank of a name, a logical name and a comment (worth less than the names).
fn best(name: &str, logical: &str, comment: &str, needle: &str) -> Option<u8> {
    let names = rank(name, needle).into_iter().chain(rank(logical, needle));
    names.chain(rank(comment, needle).map(|r| r + 3)).min()
}

/// The best [`SHOWN`] results for `query`: closer matches first, a table before its columns,
/// then in diagram order. Costs one pass over the names, with no allocation but the results'.
pub fn find(doc: &Diagram, query: &str) -> Vec<Hit> {
    let needle = query.trim().to_ascii_lowercase();
    if needle.is_empty() {
        return Vec::new();
    }
    // (rank, table position, column position + 1 or 0 for the table itself)
    let mut found: Vec<(u8, usize, usize)> = Vec::new();
    for (ti, t) in doc.tables.iter().enumerate() {
        if let Some(r) = best(&t.name, &t.logical_name, &t.comment, &needle) {
            found.push((r, ti, 0));
        }
        for (ci, c) in t.columns.iter().enumerate() {
            if let Some(r) = best(&c.name, &c.logical_name, &c.comment, &needle) {
                found.push((r, ti, ci + 1));
            }
        }
    }
    let shown = found.len().min(SHOWN);
    if shown < found.len() {
        found.select_nth_unstable(shown);
        found.truncate(shown);
    }
    found.sort_unstable();
    found
        .into_iter()
        .map(|(_, ti, at)| {
            let t = &doc.tables[ti];
            let (label, logical, comment, column) = match at.checked_sub(1) {
                None => (t.name.clone(), &t.logical_name, &t.comment, None),
                Some(ci) => {
                    let c = &t.columns[ci];
                    let label = format!("{}.{}", t.name, c.name);
                    (label, &c.logical_name, &c.comment, Some(c.id))
                }
            };
            let detail = if logical.is_empty() { comment } else { logical };
            Hit {
                table: t.id,
                column,
                label,
                detail: detail.chars().take(80).collect(),
            }
        })
        .collect()
}

/// Shows `hit`: its table selected, centred at a zoom its names can be read at; a column's
/// table opens at that column.
pub fn reveal(editor: Editor, hit: &Hit) {
    let Some(view) = editor.view(hit.table) else {
        return;
    };
    // A table the area filter hides is shown by showing every table again.
    if !editor.shows(view.table.with_untracked(|t| t.area)) {
        editor.area_filter.set(Vec::new());
    }
    let (x, y) = view.pos.get_untracked();
    let rows = view.table.with_untracked(|t| t.columns.len());
    let (cx, cy) = (
        x + super::card::CARD_WIDTH / 2.0,
        y + super::card::card_height(rows).min(400.0) / 2.0,
    );
    let (w, h) = canvas_size();
    // A column opens the panel, which covers the right of the canvas: centre in what is left.
    let visible = match hit.column {
        Some(_) => w - (w * 0.62).min(760.0),
        None => w,
    };
    let zoom = editor.viewport.get_untracked().zoom.max(0.8);
    editor.viewport.set(Viewport {
        x: visible / 2.0 - cx * zoom,
        y: h / 2.0 - cy * zoom,
        zoom,
    });
    editor.select([hit.table]);
    if let Some(column) = hit.column {
        editor.open_table.set(Some(hit.table));
        super::panel::focus_cell(column, "name");
    }
}

/// Focuses the search field (Ctrl+K).
pub fn focus_field() {
    if let Some(field) = document().get_element_by_id(FIELD_ID) {
        use wasm_bindgen::JsCast;
        if let Ok(input) = field.dyn_into::<web_sys::HtmlInputElement>() {
            let _ = input.focus();
            input.select();
        }
    }
}

/// The search field and its list of results.
#[component]
pub fn SearchField(editor: Editor) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let active = RwSignal::new(0usize);
    let open = RwSignal::new(false);
    // Searched while the list is open only: edits (a drag, others' changes) would search again.
    let hits = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        editor.edits.track();
        let q = query.get();
        editor.with_doc(|d| find(d, &q))
    });
    let choose = move |i: usize| {
        if let Some(hit) = hits.with_untracked(|h| h.get(i).cloned()) {
            open.set(false);
            reveal(editor, &hit);
        }
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = hits.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                open.set(true);
                active.update(|a| *a = (*a + 1) % count);
            }
            "ArrowUp" if count > 0 => active.update(|a| *a = (*a + count - 1) % count),
            "Enter" => choose(active.get_untracked()),
            "Escape" => {
                // A second Escape, on an empty field, leaves it.
                if query.with_untracked(String::is_empty)
                    && let Some(field) = document().active_element()
                {
                    use wasm_bindgen::JsCast;
                    if let Ok(f) = field.dyn_into::<web_sys::HtmlElement>() {
                        let _ = f.blur();
                    }
                }
                query.set(String::new());
                open.set(false);
            }
            _ => return,
        }
        ev.prevent_default();
    };
    let option_id = |i: usize| format!("search-hit-{i}");
    view! {
        <div class="search" role="search">
            <input
                id=FIELD_ID
                type="search"
                role="combobox"
                aria-label="Search tables and columns"
                aria-autocomplete="list"
                aria-controls="search-results"
                aria-expanded=move || (open.get() && !query.with(String::is_empty)).to_string()
                aria-activedescendant=move || {
                    (open.get() && hits.with(|h| !h.is_empty())).then(|| option_id(active.get()))
                }
                placeholder="Search…"
                title="Search tables and columns (Ctrl+K or ⌘K)"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    active.set(0);
                    open.set(true);
                }
                on:focus=move |_| open.set(true)
                on:blur=move |_| open.set(false)
                on:keydown=keydown
            />
            {move || (open.get() && !query.with(|q| q.trim().is_empty())).then(|| {
                let list = hits.get();
                if list.is_empty() {
                    return view! { <p class="search-none" role="status">"No table or column matches."</p> }.into_any();
                }
                view! {
                    <ul id="search-results" class="search-results" role="listbox" aria-label="Search results">
                        {list.into_iter().enumerate().map(|(i, hit)| {
                            let kind = if hit.column.is_some() { "Column" } else { "Table" };
                            view! {
                                <li
                                    id=option_id(i)
                                    role="option"
                                    aria-selected=move || (active.get() == i).to_string()
                                    // Before the field's blur closes the list.
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        choose(i);
                                    }
                                    on:mousemove=move |_| active.set(i)
                                >
                                    <span class="hit-kind">{kind}</span>
                                    <span class="hit-label">{hit.label}</span>
                                    <span class="hit-detail">{hit.detail}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Column, Table};

    fn doc() -> Diagram {
        let mut d = Diagram::new("shop");
        let mut customer = Table::new("customer");
        customer.logical_name = "고객".into();
        let mut name = Column::new("cust_nm", "varchar(100)");
        name.logical_name = "고객명".into();
        customer.columns.push(name);
        let mut note = Column::new("memo", "text");
        note.comment = "what the customer said about the order".into();
        customer.columns.push(note);
        let mut order = Table::new("customer_order");
        order.columns.push(Column::new("customer_id", "bigint"));
        d.tables.push(customer);
        d.tables.push(order);
        d
    }

    #[test]
    fn closer_matches_and_tables_come_first() {
        let labels: Vec<String> = find(&doc(), "Customer")
            .into_iter()
            .map(|h| h.label)
            .collect();
        assert_eq!(
            labels,
            [
                "customer",
                "customer_order",
                "customer_order.customer_id",
                "customer.memo"
            ]
        );
    }

    #[test]
    fn logical_names_in_korean_and_comments_are_searched() {
        let hits = find(&doc(), "고객명");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].label, "customer.cust_nm");
        assert_eq!(hits[0].detail, "고객명");
        assert!(hits[0].column.is_some());
        assert_eq!(find(&doc(), "  ").len(), 0);
        assert_eq!(find(&doc(), "said about")[0].label, "customer.memo");
    }

    #[test]
    fn a_short_query_on_a_big_diagram_shows_the_best_fifty() {
        let mut d = Diagram::new("big");
        for i in 0..2000 {
            let mut t = Table::new(format!("t{i}"));
            t.columns.push(Column::new(format!("a{i}"), "int"));
            d.tables.push(t);
        }
        let hits = find(&d, "t1");
        assert_eq!(hits.len(), SHOWN);
        assert_eq!(hits[0].label, "t1");
        assert!(hits.iter().all(|h| h.column.is_none()));
    }
}
