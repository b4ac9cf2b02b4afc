//! Who else is here: the people list and connection state in the toolbar, and the others'
//! pointers on the canvas. (Their selections are outlined by the cards themselves, and what
//! they edit is named in the side panel.)

use leptos::prelude::*;
use model::api::live::Peer;

use super::live::Connection;
use super::state::Editor;

/// The connection's state: a dot and a word, named for screen readers.
#[component]
pub fn ConnectionBadge(editor: Editor) -> impl IntoView {
    let connection = editor.live.connection;
    let name = move || connection.get().name();
    let class = move || match connection.get() {
        Connection::Live => "connection live",
        Connection::Connecting | Connection::Reconnecting => "connection waiting",
        Connection::Offline | Connection::Closed => "connection down",
    };
    view! {
        <span class=class role="img" aria-label=name title=name>
            <span class="dot" aria-hidden="true"></span>
            <span aria-hidden="true">{move || connection.get().label()}</span>
        </span>
    }
}

/// One chip per person connected (a person in two tabs is one), this person first.
#[component]
pub fn PeopleList(editor: Editor) -> impl IntoView {
    let people = move || {
        let me = editor.live.me.get();
        let mut seen = Vec::<Peer>::new();
        let mut everyone = editor.live.people.get();
        everyone.sort_by_key(|p| (Some(p.id) != me, p.id));
        for peer in everyone {
            let same = |p: &Peer| p.user.is_some() && p.user == peer.user;
            if !seen.iter().any(same) {
                let you = Some(peer.id) == me;
                seen.push(Peer {
                    name: if you {
                        format!("{} (you)", peer.name)
                    } else {
                        peer.name
                    },
                    ..peer
                });
            }
        }
        seen
    };
    view! {
        <ul class="here" aria-label="People here">
            {move || {
                people()
                    .into_iter()
                    .map(|peer| {
                        view! {
                            <li class="here-person" style:--person=peer.color.clone() title=peer.name.clone() aria-label=peer.name.clone()>
                                <span aria-hidden="true">{peer.initials.clone()}</span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

/// The others' pointers, in world coordinates (inside the canvas's world layer).
#[component]
pub fn Pointers(editor: Editor) -> impl IntoView {
    let live = editor.live;
    let shown = move || {
        let people = live.people.get();
        live.pointers
            .get()
            .into_iter()
            .filter_map(|(id, at)| {
                let peer = people.iter().find(|p| p.id == id)?;
                Some((peer.color.clone(), peer.name.clone(), at))
            })
            .collect::<Vec<_>>()
    };
    view! {
        {move || {
            shown()
                .into_iter()
                .map(|(color, name, at)| {
                    // The arrow stays the same size whatever the zoom.
                    let scale = move || 1.0 / editor.viewport.get().zoom;
                    view! {
                        <div
                            class="pointer"
                            aria-hidden="true"
                            style:--person=color
                            style:transform=move || format!("translate({}px, {}px) scale({})", at.x, at.y, scale())
                        >
                            <svg width="16" height="20" viewBox="0 0 16 20"><path d="M1 1 L1 16 L5 12 L8 19 L11 18 L8 11 L14 11 Z"></path></svg>
                            <span class="pointer-name">{name}</span>
                        </div>
                    }
                })
                .collect_view()
        }}
    }
}
