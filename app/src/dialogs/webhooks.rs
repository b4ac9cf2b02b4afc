//! Webhooks: a diagram's (or a team's) outside receivers. Add one (its secret is shown once), send a test,
//! read its delivery log and redeliver, turn a disabled one back on, delete.

use leptos::prelude::*;
use leptos::task::spawn_local;
use model::api::{
    DeliveryInfo, DeliveryState, NewWebhook, WebhookEvent, WebhookInfo, WebhookPatch,
};
use model::{Dialect, Uuid};

use crate::client::{self, HookOwner};

fn state_label(state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Pending => "pending",
        DeliveryState::Delivered => "delivered",
        DeliveryState::Failed => "failed",
    }
}

/// `12:03:04`, from an RFC 3339 time.
fn clock(at: &str) -> String {
    at.get(11..19).unwrap_or(at).to_string()
}

#[component]
pub fn WebhooksDialog(open: RwSignal<bool>, owner: HookOwner) -> impl IntoView {
    let hooks = RwSignal::new(None::<Result<Vec<WebhookInfo>, String>>);
    let problem = RwSignal::new(None::<String>);
    let secret = RwSignal::new(None::<String>);
    let url = RwSignal::new(String::new());
    let on_update = RwSignal::new(true);
    let on_delete = RwSignal::new(false);
    let on_named = RwSignal::new(false);
    let dialect = RwSignal::new("postgresql".to_string());
    let shown = RwSignal::new(None::<Uuid>);
    let log = RwSignal::new(None::<Result<Vec<DeliveryInfo>, String>>);
    let reload = move || {
        spawn_local(async move {
            hooks.set(Some(client::webhooks(owner).await.map_err(|e| e.message())));
        });
    };
    let load_log = move |hook: Uuid| {
        shown.set(Some(hook));
        spawn_local(async move {
            log.set(Some(
                client::deliveries(owner, hook)
                    .await
                    .map_err(|e| e.message()),
            ));
        });
    };
    reload();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut events = Vec::new();
        if on_update.get_untracked() {
            events.push(WebhookEvent::DiagramUpdated);
        }
        if on_delete.get_untracked() {
            events.push(WebhookEvent::DiagramDeleted);
        }
        if on_named.get_untracked() {
            events.push(WebhookEvent::VersionNamed);
        }
        let hook = NewWebhook {
            url: url.get_untracked(),
            events,
            dialect: Some(dialect.get_untracked()),
            secret: None,
        };
        spawn_local(async move {
            match client::create_webhook(owner, &hook).await {
                Ok(made) => {
                    problem.set(None);
                    secret.set(Some(made.secret));
                    url.set(String::new());
                    reload();
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let act = move |work: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), client::Failure>>>,
    >,
                    hook: Uuid| {
        spawn_local(async move {
            match work.await {
                Ok(()) => {
                    problem.set(None);
                    reload();
                    if shown.get_untracked() == Some(hook) {
                        load_log(hook);
                    }
                }
                Err(e) => problem.set(Some(e.message())),
            }
        });
    };
    let row = move |hook: WebhookInfo| {
        let h = hook.id;
        let events = hook
            .events
            .iter()
            .map(|e| e.name())
            .collect::<Vec<_>>()
            .join(", ");
        let off = (!hook.enabled).then(|| {
            let why = hook.disabled_reason.clone().unwrap_or_else(|| "turned off".into());
            view! {
                <span class="badge webhook-off" title=why.clone()>{format!("Off: {why}")}</span>
                <button on:click=move |_| {
                    let patch = WebhookPatch { enabled: Some(true), ..Default::default() };
                    act(Box::pin(async move { client::update_webhook(owner, h, &patch).await.map(|_| ()) }), h)
                }>"Turn on"</button>
            }
        });
        view! {
            <li class="webhook-row" aria-label=format!("Webhook {}", hook.url)>
                <div class="webhook-url">{hook.url.clone()}</div>
                <div class="muted small">{format!("{events} · {} · secret {}", hook.dialect, hook.secret_hint)}</div>
                <div class="webhook-actions">
                    {off}
                    <button on:click=move |_| act(Box::pin(client::test_webhook(owner, h)), h)>"Send test"</button>
                    <button on:click=move |_| load_log(h)>"Deliveries"</button>
                    <button class="danger" on:click=move |_| act(Box::pin(client::delete_webhook(owner, h)), h)>"Delete"</button>
                </div>
            </li>
        }
    };
    let deliveries = move || {
        let hook = shown.get()?;
        let body = match log.get() {
            None => view! { <p class="progress">"Loading…"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error">{e}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => {
                view! { <p class="muted">"Nothing sent yet."</p> }.into_any()
            }
            Some(Ok(list)) => view! {
                <table class="delivery-log">
                    <thead><tr>
                        <th>"Time"</th><th>"Event"</th><th>"State"</th><th>"Attempt"</th>
                        <th>"Status"</th><th>"Duration"</th><th>"Response"</th><th></th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|d| {
                            let last = d.attempts.last().cloned();
                            let delivery = d.id;
                            view! {
                                <tr>
                                    <td>{clock(&d.created_at)}</td>
                                    <td>{d.event.name()}</td>
                                    <td class=format!("delivery-{}", state_label(d.state))>{state_label(d.state)}</td>
                                    <td>{d.attempts.len()}</td>
                                    <td>{last.as_ref().and_then(|a| a.status).map_or("—".to_string(), |s| s.to_string())}</td>
                                    <td>{last.as_ref().map_or("—".to_string(), |a| format!("{} ms", a.duration_ms))}</td>
                                    <td class="snippet">{last.and_then(|a| a.response.or(a.error)).unwrap_or_default()}</td>
                                    <td><button on:click=move |_| act(Box::pin(client::redeliver(owner, hook, delivery)), hook)>"Redeliver"</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }
            .into_any(),
        };
        Some(view! {
            <section class="delivery-section" aria-label="Deliveries">
                <div class="dialog-actions">
                    <h3>"Deliveries"</h3>
                    <span class="grow"></span>
                    <button on:click=move |_| load_log(hook)>"Refresh"</button>
                </div>
                {body}
            </section>
        })
    };
    view! {
        <div class="dialog-backdrop" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                open.set(false)
            }
        }>
            <div class="dialog wide" role="dialog" aria-modal="true" aria-labelledby="webhooks-title">
                <div class="dialog-head">
                    <h2 id="webhooks-title">"Webhooks"</h2>
                    <button class="icon" aria-label="Close" on:click=move |_| open.set(false)>"×"</button>
                </div>
                <p class="muted small">
                    {match owner {
                        HookOwner::Diagram(_) => "Other systems are told of this diagram's changes",
                        HookOwner::Team(_) => "Other systems are told of the changes of every diagram of this team",
                    }}
                    ": one signed POST per burst of edits, with who changed what and the migration SQL."
                </p>
                <ul class="webhook-list">
                    {move || match hooks.get() {
                        None => view! { <li class="progress">"Loading…"</li> }.into_any(),
                        Some(Err(e)) => view! { <li class="error">{e}</li> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => {
                            view! { <li class="muted">"No webhooks yet."</li> }.into_any()
                        }
                        Some(Ok(list)) => list.into_iter().map(row).collect_view().into_any(),
                    }}
                </ul>
                {move || secret.get().map(|s| view! {
                    <p class="webhook-secret" role="status">
                        "Signing secret (shown only now): " <code>{s}</code>
                    </p>
                })}
                <form class="webhook-form" on:submit=add>
                    <label for="webhook-url">"URL"</label>
                    <input id="webhook-url" type="url" required placeholder="https://ci.example.com/hooks/schema"
                        prop:value=url on:input=move |ev| url.set(event_target_value(&ev)) />
                    <label><input type="checkbox" prop:checked=on_update
                        on:change=move |ev| on_update.set(event_target_checked(&ev)) />" diagram.updated"</label>
                    <label><input type="checkbox" prop:checked=on_delete
                        on:change=move |ev| on_delete.set(event_target_checked(&ev)) />" diagram.deleted"</label>
                    <label><input type="checkbox" prop:checked=on_named
                        on:change=move |ev| on_named.set(event_target_checked(&ev)) />" version.named"</label>
                    <label for="webhook-dialect">"SQL"</label>
                    <select id="webhook-dialect" on:change=move |ev| dialect.set(event_target_value(&ev))>
                        {Dialect::ALL.map(|d| view! { <option value=d.name()>{d.label()}</option> }).collect_view()}
                    </select>
                    <button class="primary" type="submit">"Add webhook"</button>
                </form>
                {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                {deliveries}
            </div>
        </div>
    }
    .into_any()
}
