//! History: the panel of named versions and revisions (grouped, with authors and what they
//! did), and what it puts on the canvas instead of the diagram: an earlier version, read-only,
//! to restore; or two versions compared, with marks and a list of the changes.

use std::collections::HashSet;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::Diagram;
use model::api::{Author, RevisionInfo, VersionInfo};
use model::history::{Comparison, Mark, compare, merged, restore};

use super::canvas::Canvas;
use super::minimap::Minimap;
use super::panel::TablePanel;
use super::state::Editor;
use super::toolbar::ZoomControls;
use crate::client;
use crate::dates::{readable_time, unix_seconds};

/// Edits by one person this close together (seconds) are one entry of the list.
const GROUP_GAP: i64 = 5 * 60;

/// Revisions the list loads at a time.
const PAGE: usize = 200;

/// The most revisions the list keeps current after each change (the server's page limit).
const MAX_LOADED: usize = 1_000;

/// One side of a comparison: a revision, or the diagram as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Now,
    Revision(i64),
}

/// What the canvas shows instead of the diagram.
#[derive(Clone)]
pub enum Shown {
    /// An earlier version, read-only: its revision, how it is called, the document.
    Version {
        revision: i64,
        title: String,
        doc: Diagram,
    },
    /// Two versions compared: both shown at once, marked.
    Compare {
        from: i64,
        to: Side,
        doc: Diagram,
        comparison: Comparison,
    },
}

/// The history's state, shared by the toolbar, the panel and the canvas.
#[derive(Clone, Copy)]
pub struct History {
    pub open: RwSignal<bool>,
    pub shown: RwSignal<Option<Shown>>,
    revisions: RwSignal<Option<Result<Vec<RevisionInfo>, String>>>,
    /// Older revisions than those loaded exist.
    more: RwSignal<bool>,
    versions: RwSignal<Vec<VersionInfo>>,
    /// A request's failure, for the person to read.
    problem: RwSignal<Option<String>>,
}

impl Default for History {
    fn default() -> Self {
        Self {
            open: RwSignal::new(false),
            shown: RwSignal::new(None),
            revisions: RwSignal::new(None),
            more: RwSignal::new(false),
            versions: RwSignal::new(Vec::new()),
            problem: RwSignal::new(None),
        }
    }
}

impl History {
    /// True while another version is on the canvas: the diagram's own controls rest.
    pub fn viewing(&self) -> bool {
        self.shown.with_untracked(Option::is_some)
    }

    /// Loads the list again, once the last edits are saved (the list is the server's).
    fn reload(self, editor: Editor) {
        if editor.has_unsaved() {
            set_timeout(move || self.reload(editor), Duration::from_millis(300));
            return;
        }
        let id = editor.id();
        // As many as are shown already, so that reading older ones is not undone.
        let loaded = self.revisions.with_untracked(|r| match r {
            Some(Ok(list)) => list.len(),
            _ => 0,
        });
        let limit = loaded.clamp(PAGE, MAX_LOADED);
        spawn_local(async move {
            let revisions = client::revisions_page(id, None, limit)
                .await
                .map_err(|e| e.message());
            let versions = client::versions(id).await.unwrap_or_default();
            if let Ok(list) = &revisions {
                self.more
                    .set(list.len() == limit && list.first().is_some_and(|r| r.revision > 1));
            }
            self.revisions.set(Some(revisions));
            self.versions.set(versions);
        });
    }

    /// Loads the page of revisions before the oldest one loaded.
    fn older(self, editor: Editor) {
        let oldest = self.revisions.with_untracked(|r| match r {
            Some(Ok(list)) => list.first().map(|r| r.revision),
            _ => None,
        });
        let Some(oldest) = oldest else {
            return;
        };
        spawn_local(async move {
            match client::revisions_page(editor.id(), Some(oldest), PAGE).await {
                Ok(page) => {
                    self.more
                        .set(page.len() == PAGE && page.first().is_some_and(|r| r.revision > 1));
                    self.revisions.update(|r| {
                        if let Some(Ok(list)) = r {
                            list.splice(0..0, page);
                        }
                    });
                }
                Err(e) => self.problem.set(Some(e.message())),
            }
        });
    }

    /// Shows revision `revision` read-only.
    fn view(self, editor: Editor, revision: i64, title: String) {
        spawn_local(async move {
            match client::revision_document(editor.id(), revision).await {
                Ok(doc) => {
                    self.problem.set(None);
                    self.shown.set(Some(Shown::Version {
                        revision,
                        title,
                        doc,
                    }));
                }
                Err(e) => self.problem.set(Some(e.message())),
            }
        });
    }

    /// Shows what changed from revision `from` to `to`.
    fn compare(self, editor: Editor, from: i64, to: Side) {
        let id = editor.id();
        spawn_local(async move {
            let old = client::revision_document(id, from).await;
            let new = match to {
                Side::Now => Ok(editor.document()),
                Side::Revision(r) => client::revision_document(id, r).await,
            };
            match (old, new) {
                (Ok(old), Ok(new)) => {
                    self.problem.set(None);
                    self.shown.set(Some(Shown::Compare {
                        from,
                        to,
                        doc: merged(&old, &new),
                        comparison: compare(&old, &new),
                    }));
                }
                (Err(e), _) | (_, Err(e)) => self.problem.set(Some(e.message())),
            }
        });
    }
}

/// Who made a revision, as the list says it.
fn who(author: &Option<Author>) -> String {
    match author {
        Some(Author::Person { name, .. }) => name.clone(),
        Some(Author::Link { .. }) => "Someone with a link".to_string(),
        None => "Unknown".to_string(),
    }
}

/// What one revision did, in a line.
fn what(r: &RevisionInfo) -> Vec<String> {
    match r.kind.as_str() {
        "create" => vec!["created the diagram".to_string()],
        "replace" => vec!["replaced the whole diagram".to_string()],
        _ if !r.summary.is_empty() => r.summary.clone(),
        _ if r.op_count == 1 => vec!["1 change".to_string()],
        _ => vec![format!("{} changes", r.op_count)],
    }
}

/// Consecutive revisions (newest first) by one author within [`GROUP_GAP`] of each other, as
/// one entry; a named revision and a whole document stand alone.
fn groups(newest_first: &[RevisionInfo], named: &HashSet<i64>) -> Vec<Vec<RevisionInfo>> {
    let mut out: Vec<Vec<RevisionInfo>> = Vec::new();
    for r in newest_first {
        let joins = out.last().and_then(|g| g.last()).is_some_and(|prev| {
            let near = match (unix_seconds(&prev.created_at), unix_seconds(&r.created_at)) {
                (Some(a), Some(b)) => (a - b).abs() <= GROUP_GAP,
                _ => false,
            };
            near && prev.author == r.author
                && prev.kind == "ops"
                && r.kind == "ops"
                && !named.contains(&prev.revision)
                && !named.contains(&r.revision)
        });
        match out.last_mut() {
            Some(group) if joins => group.push(r.clone()),
            _ => out.push(vec![r.clone()]),
        }
    }
    out
}

/// An entry's lines: every line of its revisions, once each, the first few of them.
fn entry_text(group: &[RevisionInfo]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for r in group.iter().rev() {
        for line in what(r) {
            if !lines.contains(&line) && !folded(&mut lines, &line) {
                lines.push(line);
            }
        }
    }
    let shown = 3;
    let mut text = lines
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if lines.len() > shown {
        text.push_str(&format!("; and {} more", lines.len() - shown));
    }
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        text = first.to_uppercase().chain(chars).collect();
    }
    text
}

/// Folds a rename into the earlier line that added what it renames ("added table table_1",
/// then "renamed table table_1 to invoice": "added table invoice"); true when it did.
fn folded(lines: &mut [String], line: &str) -> bool {
    for kind in ["table", "column"] {
        let Some((old, new)) = line
            .strip_prefix(&format!("renamed {kind} "))
            .and_then(|rest| rest.split_once(" to "))
        else {
            continue;
        };
        let added = format!("added {kind} {old}");
        if let Some(at) = lines.iter().position(|l| *l == added) {
            // A column's new name comes without its table: `customer.nm` to `name`.
            let new = match old.rsplit_once('.') {
                Some((table, _)) if kind == "column" => format!("{table}.{new}"),
                _ => new.to_string(),
            };
            lines[at] = format!("added {kind} {new}");
            return true;
        }
    }
    false
}

#[component]
pub fn HistoryPanel(editor: Editor, history: History) -> impl IntoView {
    let expanded = RwSignal::new(HashSet::<i64>::new());
    let name = RwSignal::new(String::new());
    history.reload(editor);
    // Kept current while open: a moment after each change, saved.
    let edits = editor.edits;
    Effect::new(move |before: Option<u64>| {
        let now = edits.get();
        if before.is_some_and(|b| b != now) {
            set_timeout(
                move || {
                    if edits.get_untracked() == now {
                        history.reload(editor);
                    }
                },
                Duration::from_millis(1500),
            );
        }
        now
    });
    let name_version = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = name.get_untracked();
        let id = editor.id();
        // Named once saved, so that it is the revision the person sees.
        fn when_saved(editor: Editor, f: impl FnOnce() + 'static) {
            if editor.has_unsaved() {
                set_timeout(move || when_saved(editor, f), Duration::from_millis(200));
            } else {
                f();
            }
        }
        when_saved(editor, move || {
            spawn_local(async move {
                match client::name_version(id, text, None).await {
                    Ok(_) => {
                        name.set(String::new());
                        history.problem.set(None);
                        history.reload(editor);
                    }
                    Err(e) => history.problem.set(Some(e.message())),
                }
            });
        });
    };
    let unname = move |version: uuid::Uuid| {
        spawn_local(async move {
            match client::delete_version(editor.id(), version).await {
                Ok(()) => history.reload(editor),
                Err(e) => history.problem.set(Some(e.message())),
            }
        });
    };
    let versions = move || {
        let list = history.versions.get();
        if list.is_empty() {
            return None;
        }
        let rows = list
            .into_iter()
            .map(|v| {
                let title = format!("{} (r{})", v.name, v.revision);
                let (revision, id) = (v.revision, v.id);
                let remove = (!editor.read_only).then(|| view! {
                    <button class="link" title="Take the name away (the revision stays)" on:click=move |_| unname(id)>
                        "Unname"
                    </button>
                });
                view! {
                    <li class="history-entry named">
                        <div class="entry-head">
                            <strong class="version-name">{v.name.clone()}</strong>
                            <span class="muted">{format!("r{}", v.revision)}</span>
                        </div>
                        <div class="entry-meta">{who(&v.author)}" · "{readable_time(&v.created_at)}</div>
                        <div class="entry-actions">
                            <button on:click=move |_| history.view(editor, revision, title.clone())>"View"</button>
                            <button on:click=move |_| history.compare(editor, revision, Side::Now)>"Compare with now"</button>
                            {remove}
                        </div>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <h3 class="history-heading">"Named versions"</h3>
            <ul class="history-list">{rows}</ul>
        })
    };
    let changes = move || {
        let list = match history.revisions.get() {
            None => return view! { <p class="muted pad">"Loading…"</p> }.into_any(),
            Some(Err(e)) => return view! { <p class="error pad">{e}</p> }.into_any(),
            Some(Ok(list)) => list,
        };
        let named: HashSet<i64> = history
            .versions
            .with(|v| v.iter().map(|v| v.revision).collect());
        let newest: Vec<RevisionInfo> = list.into_iter().rev().collect();
        let current = newest.first().map(|r| r.revision);
        let entries = groups(&newest, &named)
            .into_iter()
            .map(|group| {
                let head = group[0].clone();
                let key = head.revision;
                let oldest = group.last().map_or(key, |r| r.revision);
                let span = if oldest == key { format!("r{key}") } else { format!("r{oldest}–r{key}") };
                let text = entry_text(&group);
                let title = format!("r{key} · {} · {}", readable_time(&head.created_at), who(&head.author));
                let is_current = Some(key) == current;
                let more = group.len() > 1;
                let count = group.len();
                let inner = group.clone();
                view! {
                    <li class="history-entry" data-revision=key>
                        <div class="entry-head">
                            <span class="entry-who">{who(&head.author)}</span>
                            <span class="muted">{span}</span>
                        </div>
                        <div class="entry-meta">{readable_time(&head.created_at)}{is_current.then_some(" · current")}</div>
                        <p class="entry-text">{text}</p>
                        <div class="entry-actions">
                            <button on:click=move |_| history.view(editor, key, title.clone())>"View"</button>
                            {(!is_current).then(|| view! {
                                <button on:click=move |_| history.compare(editor, key, Side::Now)>"Compare with now"</button>
                            })}
                            {more.then(|| view! {
                                <button
                                    class="link"
                                    aria-expanded=move || expanded.with(|e| e.contains(&key)).to_string()
                                    on:click=move |_| expanded.update(|e| if !e.remove(&key) { e.insert(key); })
                                >
                                    {format!("{count} edits")}
                                </button>
                            })}
                        </div>
                        {move || expanded.with(|e| e.contains(&key)).then(|| {
                            let rows = inner
                                .iter()
                                .map(|r| {
                                    let revision = r.revision;
                                    let title = format!("r{revision} · {} · {}", readable_time(&r.created_at), who(&r.author));
                                    let line = what(r).join("; ");
                                    view! {
                                        <li>
                                            <button class="link" on:click=move |_| history.view(editor, revision, title.clone())>
                                                {format!("r{revision}")}
                                            </button>
                                            " "{line}
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! { <ul class="history-steps">{rows}</ul> }
                        })}
                    </li>
                }
            })
            .collect_view();
        let older = history.more.get().then(|| view! {
            <button class="link" on:click=move |_| history.older(editor)>"Show older changes"</button>
        });
        view! { <ul class="history-list">{entries}</ul> {older} }.into_any()
    };
    view! {
        <aside class="panel narrow history-panel" aria-label="History">
            <div class="panel-head">
                <h2>"History"</h2>
                <button class="icon" aria-label="Close history" on:click=move |_| {
                    history.open.set(false);
                    history.shown.set(None);
                }>"×"</button>
            </div>
            {(!editor.read_only).then(|| view! {
                <form class="name-version" on:submit=name_version>
                    <input
                        aria-label="Version name"
                        placeholder="Name this version, e.g. v1.2 deployed"
                        maxlength="100"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <button type="submit" disabled=move || name.with(|n| n.trim().is_empty())>"Name"</button>
                </form>
            })}
            {move || history.problem.get().map(|p| view! { <p class="error pad" role="alert">{p}</p> })}
            <div class="history-scroll">
                {versions}
                <h3 class="history-heading">"Changes"</h3>
                {changes}
            </div>
        </aside>
    }
}

/// The canvas of the version shown (read-only, marked when compared), with a bar that says
/// what it is and what can be done: restore it, compare it, go back.
#[component]
pub fn ShownVersion(editor: Editor, history: History, space_held: RwSignal<bool>) -> impl IntoView {
    move || {
        history.shown.with(|shown| {
            shown.as_ref().map(|shown| {
                let (doc, marks) = match shown {
                    Shown::Version { doc, .. } => (doc.clone(), Comparison::default()),
                    Shown::Compare { doc, comparison, .. } => (doc.clone(), comparison.clone()),
                };
                let snap = Editor::snapshot(doc, marks);
                snap.viewport.set(editor.viewport.get_untracked());
                let bar = bar(editor, history, shown);
                view! {
                    <div class="shown-version">
                        <Canvas editor=snap space_held />
                        <Minimap editor=snap />
                        <ZoomControls editor=snap />
                        {bar}
                        {move || snap.open_table.get().map(|id| view! { <TablePanel editor=snap id /> })}
                    </div>
                }
            })
        })
    }
}

/// The bar over a shown version.
fn bar(editor: Editor, history: History, shown: &Shown) -> impl IntoView + use<> {
    let back = move |_| history.shown.set(None);
    match shown.clone() {
        Shown::Version {
            revision,
            title,
            doc,
        } => {
            let restore_it = move |_| {
                let ops = editor.with_doc(|now| restore(now, &doc));
                if ops.is_empty() {
                    history
                        .problem
                        .set(Some("This version is what the diagram is now.".into()));
                    history.shown.set(None);
                } else if editor.try_edit(model::Op::Batch { ops }) {
                    history.shown.set(None);
                }
            };
            let can_restore = !editor.read_only;
            view! {
                <div class="version-bar" role="region" aria-label="Version shown">
                    <span>"Viewing "<strong>{title}</strong>" (read-only)"</span>
                    {can_restore.then(|| view! {
                        <button class="primary" on:click=restore_it title="Make the diagram this version again (undoable)">
                            "Restore this version"
                        </button>
                    })}
                    <button on:click=move |_| history.compare(editor, revision, Side::Now)>"Compare with now"</button>
                    <button on:click=back>"Back to now"</button>
                </div>
            }
            .into_any()
        }
        Shown::Compare {
            from,
            to,
            comparison,
            ..
        } => {
            let count = |mark: Mark| comparison.tables.values().filter(|m| **m == mark).count();
            let legend = [
                (Mark::Added, "added", "Added"),
                (Mark::Removed, "removed", "Removed"),
                (Mark::Changed, "changed", "Changed"),
            ]
            .into_iter()
            .map(|(mark, class, label)| {
                view! {
                    <span class=format!("legend-item mark-{class}")>
                        <span class="swatch"></span>{format!("{label} ({})", count(mark))}
                    </span>
                }
            })
            .collect_view();
            let newer = history.revisions.with_untracked(|r| match r {
                Some(Ok(list)) => list
                    .iter()
                    .map(|r| r.revision)
                    .filter(|r| *r > from)
                    .rev()
                    .collect(),
                _ => Vec::<i64>::new(),
            });
            let pick = move |ev: leptos::ev::Event| {
                let to = event_target_value(&ev)
                    .parse()
                    .map_or(Side::Now, Side::Revision);
                history.compare(editor, from, to);
            };
            let lines = if comparison.is_empty() {
                view! { <li class="muted">"No differences."</li> }.into_any()
            } else {
                comparison
                    .lines
                    .iter()
                    .map(|l| view! { <li>{l.clone()}</li> })
                    .collect_view()
                    .into_any()
            };
            view! {
                <div class="version-bar" role="region" aria-label="Version shown">
                    <span>"Changes from "<strong>{format!("r{from}")}</strong>" to"</span>
                    <select aria-label="Compare to" on:change=pick>
                        <option value="" selected=to == Side::Now>"now"</option>
                        {newer
                            .into_iter()
                            .map(|r| view! { <option value=r.to_string() selected=to == Side::Revision(r)>{format!("r{r}")}</option> })
                            .collect_view()}
                    </select>
                    <span class="legend">{legend}</span>
                    <button on:click=back>"Back to now"</button>
                </div>
                <aside class="change-list" aria-label="Changes">
                    <h3>"Changes"</h3>
                    <ul>{lines}</ul>
                </aside>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(revision: i64, at: &str, who: &str, kind: &str) -> RevisionInfo {
        RevisionInfo {
            revision,
            kind: kind.into(),
            op_count: 1,
            created_at: at.into(),
            author: Some(Author::Person {
                id: uuid::Uuid::nil(),
                name: who.into(),
            }),
            summary: vec![format!("edit {revision}")],
        }
    }

    #[test]
    fn one_persons_edits_close_together_are_one_entry() {
        let newest_first = [
            rev(6, "2026-12-01T10:20:00.000Z", "Ann", "ops"),
            rev(5, "2026-12-01T10:17:00.000Z", "Ann", "ops"),
            rev(4, "2026-12-01T10:14:00.000Z", "Ann", "ops"),
            rev(3, "2026-12-01T10:13:00.000Z", "Bo", "ops"),
            rev(2, "2026-12-01T09:00:00.000Z", "Bo", "ops"),
            rev(1, "2026-12-01T08:59:00.000Z", "Bo", "create"),
        ];
        let shape = |named: &[i64]| {
            groups(&newest_first, &named.iter().copied().collect())
                .iter()
                .map(|g| g.iter().map(|r| r.revision).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&[]), vec![vec![6, 5, 4], vec![3], vec![2], vec![1]]);
        // A named revision stands alone.
        assert_eq!(
            shape(&[5]),
            vec![vec![6], vec![5], vec![4], vec![3], vec![2], vec![1]]
        );
        let group = &groups(&newest_first, &HashSet::new())[0];
        assert_eq!(entry_text(group), "Edit 4; edit 5; edit 6");
    }

    #[test]
    fn a_rename_of_what_the_entry_added_reads_as_adding_it_so_named() {
        let mut added = rev(2, "2026-12-01T10:00:00.000Z", "Ann", "ops");
        added.summary = vec!["added table table_1".into(), "added column t.c".into()];
        let mut renamed = rev(3, "2026-12-01T10:01:00.000Z", "Ann", "ops");
        renamed.summary = vec![
            "renamed table table_1 to invoice".into(),
            "renamed column t.c to total".into(),
            "renamed table other to x".into(),
        ];
        assert_eq!(
            entry_text(&[renamed, added]),
            "Added table invoice; added column t.total; renamed table other to x"
        );
    }
}
