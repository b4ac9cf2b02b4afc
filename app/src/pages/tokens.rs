//! Personal API tokens on the account page: make one (shown once), list them, revoke them.

use leptos::html::{Input, Select};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::api::{CreatedToken, NewToken, Scope, TokenInfo};

use crate::client;
use crate::copy_field::CopyField;
use crate::dates::readable_time;
use crate::forms::{self, Outcome, OutcomeLine};
use crate::labels;

#[component]
pub fn Tokens() -> impl IntoView {
    let list = LocalResource::new(client::tokens);
    let name = NodeRef::<Input>::new();
    let scope = NodeRef::<Select>::new();
    let outcome: Outcome = RwSignal::new(None);
    let created = RwSignal::new(None::<CreatedToken>);
    let busy = RwSignal::new(false);
    let ready = forms::hydrated();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = NewToken {
            name: forms::text(name),
            scope: match forms::choice(scope).as_str() {
                "write" => Scope::Write,
                _ => Scope::Read,
            },
        };
        busy.set(true);
        outcome.set(None);
        created.set(None);
        spawn_local(async move {
            match client::create_token(token).await {
                Ok(token) => {
                    forms::clear(&[name]);
                    created.set(Some(token));
                    list.refetch();
                }
                Err(e) => forms::failed(outcome, &e),
            }
            busy.set(false);
        });
    };
    let revoke = move |id| {
        outcome.set(None);
        spawn_local(async move {
            match client::revoke_token(id).await {
                Ok(()) => {
                    if created.with_untracked(|c| c.as_ref().is_some_and(|c| c.id == id)) {
                        created.set(None);
                    }
                    list.refetch();
                }
                Err(e) => forms::failed(outcome, &e),
            }
        });
    };
    view! {
        <section class="card-section" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"API tokens"</h2>
            <p class="muted">"Scripts and tools use a token instead of your password: send it as "
                <code>"Authorization: Bearer …"</code>"."</p>
            <form class="inline-form" method="post" novalidate on:submit=submit>
                <label for="token-name">"Token name"</label>
                <input node_ref=name id="token-name" autocomplete="off" placeholder="CI export" />
                <label for="token-scope">"Scope"</label>
                <select node_ref=scope id="token-scope">
                    <option value="read" selected>{labels::scope(Scope::Read)}</option>
                    <option value="write">{labels::scope(Scope::Write)}</option>
                </select>
                <button type="submit" disabled=move || busy.get() || !ready.get()>"Create token"</button>
            </form>
            <OutcomeLine outcome />
            {move || created.get().map(|token| view! {
                <div class="secret">
                    <CopyField id="new-token" label="New token" value=token.token />
                    <p class="small">"Copy it now: it will not be shown again."</p>
                </div>
            })}
            <Transition fallback=|| view! { <p class="muted">"Loading tokens…"</p> }>
                {move || list.get().map(|answer| match answer {
                    Ok(tokens) if tokens.is_empty() => view! { <p class="muted">"No tokens yet."</p> }.into_any(),
                    Ok(tokens) => view! { <TokenTable tokens revoke /> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TokenTable(
    tokens: Vec<TokenInfo>,
    revoke: impl Fn(model::Uuid) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <table class="data-list">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Scope"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Last used"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {tokens
                    .into_iter()
                    .map(|t| {
                        let id = t.id;
                        view! {
                            <tr>
                                <td>{t.name.clone()}</td>
                                <td>{labels::scope(t.scope)}</td>
                                <td><time datetime=t.created_at.clone()>{readable_time(&t.created_at)}</time></td>
                                <td>
                                    {match &t.last_used_at {
                                        Some(at) => view! { <time datetime=at.clone()>{readable_time(at)}</time> }.into_any(),
                                        None => view! { <span class="muted">"Never"</span> }.into_any(),
                                    }}
                                </td>
                                <td class="row-actions">
                                    <button class="danger" aria-label=format!("Revoke {}", t.name) on:click=move |_| revoke(id)>
                                        "Revoke"
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
