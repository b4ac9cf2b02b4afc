//! Personal API tokens on the account page: make one (shown once), list them, revoke them.

use leptos::html::{Input, Select};
use leptos::prelude::*;
use model::api::{NewToken, Scope, TokenInfo};

use crate::client;
use crate::copy_field::Secret;
use crate::dates::{time, time_or_never};
use crate::forms::{self, Form, OutcomeLine, failure_line};
use crate::labels;
use crate::load::Load;
use crate::table::{danger, head};

#[component]
pub fn Tokens() -> impl IntoView {
    let list = Load::new(client::tokens);
    let name = NodeRef::<Input>::new();
    let scope = NodeRef::<Select>::new();
    let form = Form::new();
    let outcome = form.outcome;
    let created: forms::Shown = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = NewToken {
            name: forms::text(name),
            scope: match forms::choice(scope).as_str() {
                "write" => Scope::Write,
                _ => Scope::Read,
            },
        };
        created.set(None);
        form.send(async move {
            match client::create_token(token).await {
                Ok(token) => {
                    forms::clear(&[name]);
                    created.set(Some((token.id, token.token)));
                    list.refetch();
                }
                Err(e) => form.failed(&e),
            }
        });
    };
    let revoke = move |id| {
        forms::revoke(outcome, created, id, client::revoke_token(id), move || {
            list.refetch()
        });
    };
    let scopes = [
        ("read", labels::scope(Scope::Read)),
        ("write", labels::scope(Scope::Write)),
    ];
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
                    {forms::options(&scopes, "read")}
                </select>
                <button type="submit" disabled=form.disabled()>"Create token"</button>
            </form>
            <OutcomeLine outcome />
            {move || created.get().map(|(_, token)| view! {
                <Secret id="new-token" label="New token" value=token note="Copy it now: it will not be shown again." />
            })}
            {move || match list.get() {
                None => view! { <p class="muted">"Loading tokens…"</p> }.into_any(),
                Some(Ok(tokens)) if tokens.is_empty() => view! { <p class="muted">"No tokens yet."</p> }.into_any(),
                Some(Ok(tokens)) => view! { <TokenTable tokens revoke /> }.into_any(),
                Some(Err(e)) => failure_line(&e).into_any(),
            }}
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
            {head(&["Name", "Scope", "Created", "Last used"], true)}
            <tbody>
                {tokens
                    .into_iter()
                    .map(|t| {
                        let id = t.id;
                        view! {
                            <tr>
                                <td>{t.name.clone()}</td>
                                <td>{labels::scope(t.scope)}</td>
                                <td>{time(t.created_at)}</td>
                                <td>{time_or_never(t.last_used_at)}</td>
                                <td class="row-actions">
                                    {danger(format!("Revoke {}", t.name), "Revoke", Box::new(move |_| revoke(id)))}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
