//! Calls to the JSON API from the browser. On the server these futures never resolve: pages
//! load through `LocalResource`, which only runs in the browser.

use model::Uuid;
use model::api::{DiagramState, DiagramSummary, NewDiagram};

/// A failed call, as the person should read it.
pub type Failure = String;

pub async fn list_diagrams() -> Result<Vec<DiagramSummary>, Failure> {
    get("/api/diagrams").await
}

pub async fn create_diagram() -> Result<DiagramState, Failure> {
    post("/api/diagrams", &NewDiagram::default()).await
}

pub async fn diagram(id: Uuid) -> Result<DiagramState, Failure> {
    get(&format!("/api/diagrams/{id}")).await
}

#[cfg(feature = "hydrate")]
async fn get<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, Failure> {
    answer(gloo_net::http::Request::get(url).send().await).await
}

#[cfg(feature = "hydrate")]
async fn post<B: serde::Serialize, T: serde::de::DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<T, Failure> {
    let request = gloo_net::http::Request::post(url)
        .json(body)
        .map_err(|e| e.to_string())?;
    answer(request.send().await).await
}

/// Reads a JSON answer, or the API's error message.
#[cfg(feature = "hydrate")]
async fn answer<T: serde::de::DeserializeOwned>(
    response: Result<gloo_net::http::Response, gloo_net::Error>,
) -> Result<T, Failure> {
    let response = response.map_err(|_| "The server cannot be reached.".to_string())?;
    if response.ok() {
        return response.json().await.map_err(|e| e.to_string());
    }
    match response.json::<model::api::ErrorBody>().await {
        Ok(body) => Err(body.error.message),
        Err(_) => Err(format!("The server answered {}.", response.status())),
    }
}

#[cfg(not(feature = "hydrate"))]
async fn get<T>(_url: &str) -> Result<T, Failure> {
    std::future::pending().await
}

#[cfg(not(feature = "hydrate"))]
async fn post<B, T>(_url: &str, _body: &B) -> Result<T, Failure> {
    std::future::pending().await
}
