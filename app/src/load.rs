//! What a page loads from the API once it runs in the browser, and loads again after a change.
//!
//! `LocalResource` does this too, with machinery these loads do not use (tracking what the
//! fetcher reads, Suspense, transitions), and the bundle holds that machinery once per type
//! loaded. These loads read nothing reactive; pages whose load follows the address (a diagram,
//! a share link) keep `LocalResource`.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;

type Fetch<T> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = T>>>>;

/// The last answer (`None` until the first comes), kept while a new one is on its way.
pub struct Load<T: 'static> {
    value: RwSignal<Option<T>>,
    fetch: StoredValue<Fetch<T>, LocalStorage>,
    /// The number of the latest load: an older answer coming late is dropped.
    latest: StoredValue<u32>,
}

impl<T: 'static> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Load<T> {}

impl<T: Send + Sync + 'static> Load<T> {
    /// Starts loading with `fetch` (in the browser only: on the server the page shows what it
    /// shows while loading).
    pub fn new<F: Future<Output = T> + 'static>(fetch: impl Fn() -> F + 'static) -> Self {
        let fetch: Fetch<T> = Box::new(move || Box::pin(fetch()));
        let load = Self {
            value: RwSignal::new(None),
            fetch: StoredValue::new_local(fetch),
            latest: StoredValue::new(0),
        };
        load.refetch();
        load
    }

    /// Loads again; the last answer stays until the new one is in.
    pub fn refetch(&self) {
        if !cfg!(feature = "hydrate") {
            return;
        }
        let Some(future) = self.fetch.try_with_value(|f| f()) else {
            return;
        };
        let this = *self;
        let number = self.latest.try_update_value(|n| {
            *n += 1;
            *n
        });
        spawn_local(async move {
            let answer = future.await;
            if this.latest.try_get_value() == number {
                this.value.set(Some(answer));
            }
        });
    }

    /// The last answer (tracked).
    pub fn get(&self) -> Option<T>
    where
        T: Clone,
    {
        self.value.get()
    }
}
