//! `POST /interactions`: Discord's signed-webhook mode, and `GET /healthz`.
//!
//! Each request is handled on its own, in this order: the signature headers must be there,
//! well formed and fresh ([`signature::precheck`]: else 401 before any of the body is read);
//! the body must fit 64 KiB (a larger `Content-Length` is refused before any of it is read, a
//! chunked body is cut off at the limit, and nothing is buffered past the declared length) and
//! arrive within the body timeout (else 408); the signature must check out
//! ([`super::signature`]); only then is the body parsed. Refusals are 401 with an empty body,
//! 413, 408, or 400 with a one-line reason. The interaction is answered by the same
//! [`interaction::answer`] as the gateway, on a blocking thread; an answer not ready after
//! `defer_after` is deferred in the HTTP response and edited in through the REST API
//! afterwards, and autocomplete (which cannot be deferred) falls back to no choices at its
//! deadline.
//!
//! The connections under the router (timeouts, the cap, shutdown) are [`super::server`]'s.
//! Nothing an instance keeps is needed by the next request: buttons carry their command
//! ([`crate::discord::custom_id`]), so any number of instances can share the traffic.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http_body_util::BodyExt;
use serenity::all::{ApplicationId, Interaction};
use serenity::builder::{CreateInteractionResponse, EditInteractionResponse};
use serenity::http::Http;
use serenity::interactions_endpoint::Verifier;
use tokio_util::task::TaskTracker;

use super::server::{self, Tally};
use super::signature::{self, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::app::App;
use crate::config::ServerLimits;
use crate::discord::interaction;
use crate::discord::rest;
use crate::discord::timely::{self, Timely, Timing, kind};

/// The largest request body accepted.
pub const MAX_BODY: usize = 64 * 1024;

/// The interaction types Discord sends: PING, APPLICATION_COMMAND, AUTOCOMPLETE,
/// MESSAGE_COMPONENT, MODAL_SUBMIT.
const KNOWN_TYPES: std::ops::RangeInclusive<u64> = 1..=5;

/// What every request handler shares. Nothing in it is per-conversation.
pub struct Endpoint {
    app: Arc<App>,
    verifier: Verifier,
    /// For follow-ups (edits of deferred answers).
    http: Arc<Http>,
    timing: Timing,
    /// Unix seconds now, for the replay window; tests pin it.
    pub clock: fn() -> i64,
    /// The connections' timeouts and cap (`HTTP_*`); the body timeout is applied here.
    pub limits: ServerLimits,
    followups: TaskTracker,
    tally: Arc<Tally>,
}

impl Endpoint {
    pub fn new(app: Arc<App>, verifier: Verifier, http: Arc<Http>, timing: Timing) -> Endpoint {
        Endpoint {
            app,
            verifier,
            http,
            timing,
            clock: signature::unix_now,
            limits: ServerLimits::default(),
            followups: TaskTracker::new(),
            tally: Arc::new(Tally::default()),
        }
    }
}

/// The routes, with the body limit in place.
pub fn router(endpoint: Arc<Endpoint>) -> Router {
    Router::new()
        .route("/interactions", post(interactions))
        .route("/healthz", get(healthz))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(endpoint)
}

/// How long after the shutdown signal the follow-ups still being sent are waited for, at most
/// (`timing.drain` when shorter): with the connections' [`server::SHUTDOWN_DEADLINE`] inside it, the
/// process exits within 5 s of SIGTERM.
pub const FOLLOWUP_DEADLINE: Duration = Duration::from_millis(4500);

/// Answers on `listener` until `shutdown` completes, then finishes the requests in flight
/// ([`server::serve`]: connections closed within [`server::SHUTDOWN_DEADLINE`]) and waits for
/// follow-ups still being sent until [`FOLLOWUP_DEADLINE`] after the signal.
pub async fn serve(
    listener: tokio::net::TcpListener,
    endpoint: Arc<Endpoint>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let followups = endpoint.followups.clone();
    let drain = endpoint.timing.drain.min(FOLLOWUP_DEADLINE);
    let (limits, tally) = (endpoint.limits, Arc::clone(&endpoint.tally));
    let (signalled, at) = tokio::sync::oneshot::channel();
    let shutdown = async move {
        shutdown.await;
        let _ = signalled.send(tokio::time::Instant::now());
    };
    server::serve(listener, router(endpoint), limits, tally, shutdown).await;
    let deadline = at.await.unwrap_or_else(|_| tokio::time::Instant::now()) + drain;
    followups.close();
    if tokio::time::timeout_at(deadline, followups.wait())
        .await
        .is_err()
    {
        tracing::warn!("stopped with follow-ups still being sent");
    }
    Ok(())
}

async fn healthz(State(endpoint): State<Arc<Endpoint>>) -> Response {
    let snapshot = endpoint.app.snapshot();
    json(&serde_json::json!({
        "ok": true,
        "version": snapshot.version,
        "counts": snapshot.corpus.counts(),
    }))
}

async fn interactions(State(endpoint): State<Arc<Endpoint>>, request: Request) -> Response {
    let headers = request.headers();
    let signature = header(headers, SIGNATURE_HEADER);
    let timestamp = header(headers, TIMESTAMP_HEADER);
    let now = (endpoint.clock)();
    // Unsigned, malformed or stale: refused before a byte of the body is read.
    if let Err(refusal) = signature::precheck(signature.as_deref(), timestamp.as_deref(), now) {
        tracing::debug!(%refusal, "refused a request before its body");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let declared = header(headers, CONTENT_LENGTH.as_str()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY as u64) {
        return too_large();
    }
    let limit = declared.map_or(MAX_BODY, |length| length as usize);
    let body = match tokio::time::timeout(
        endpoint.limits.body_timeout,
        read_body(request.into_body(), limit),
    )
    .await
    {
        Ok(Ok(body)) => body,
        Ok(Err(BodyError::TooLarge)) => return too_large(),
        Ok(Err(BodyError::Broken(err))) => {
            tracing::debug!(%err, "could not read a request body");
            return bad_request("could not read the body");
        }
        Err(_) => {
            endpoint
                .tally
                .body
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return (
                StatusCode::REQUEST_TIMEOUT,
                [(CONNECTION, "close")],
                "the body did not arrive in time\n",
            )
                .into_response();
        }
    };
    if let Err(refusal) = signature::check(
        &endpoint.verifier,
        signature.as_deref(),
        timestamp.as_deref(),
        &body,
        now,
    ) {
        tracing::debug!(%refusal, "refused a request");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match parse(&body) {
        Ok(interaction) => answer(&endpoint, interaction).await,
        Err(reason) => bad_request(&reason.to_string()),
    }
}

enum BodyError {
    TooLarge,
    Broken(axum::Error),
}

/// The body, at most `limit` bytes (the declared length, or [`MAX_BODY`] for a chunked body):
/// nothing past the limit is buffered, and the buffer is sized once for a declared length.
async fn read_body(mut body: axum::body::Body, limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut bytes = Vec::with_capacity(limit.min(MAX_BODY));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(BodyError::Broken)?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > limit {
                return Err(BodyError::TooLarge);
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
}

/// A header as text, if present and visible ASCII.
fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Why a signed body is not an interaction: the one line a 400 response carries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadInteraction {
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("the interaction type is missing or not a number")]
    NoType,
    #[error("unknown interaction type {0}")]
    UnknownType(u64),
    /// serenity's reason, cut to 200 characters.
    #[error("not a valid interaction: {0}")]
    Invalid(String),
}

/// The body as a serenity interaction, or the short reason it is not one.
pub fn parse(body: &[u8]) -> Result<Interaction, BadInteraction> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|err| BadInteraction::MalformedJson(err.to_string()))?;
    let kind = value
        .get("type")
        .and_then(serde_json::Value::as_u64)
        .ok_or(BadInteraction::NoType)?;
    if !KNOWN_TYPES.contains(&kind) {
        return Err(BadInteraction::UnknownType(kind));
    }
    serde_json::from_value(value)
        .map_err(|err| BadInteraction::Invalid(err.to_string().chars().take(200).collect()))
}

/// Answers within Discord's 3 seconds: the answer itself when it is ready in time, else a
/// deferral now and an edit through the REST API when it is.
async fn answer(endpoint: &Endpoint, interaction: Interaction) -> Response {
    let kind = kind(&interaction);
    tracing::debug!(kind, id = %interaction.id(), "interaction received");
    if let Interaction::Ping(_) = interaction {
        return match interaction::respond(&endpoint.app, &interaction) {
            // serenity adds `"data": null`; Discord documents the PONG as exactly this.
            CreateInteractionResponse::Pong => json(&serde_json::json!({"type": 1})),
            other => json(&other),
        };
    }
    match timely::answer(&endpoint.app, &interaction, endpoint.timing).await {
        Timely::Now(response) => json(&response),
        Timely::Deferred { deferral, answer } => {
            let http = Arc::clone(&endpoint.http);
            endpoint.followups.spawn(async move {
                if let Some(edit) = timely::edit(answer, kind).await {
                    follow_up(&http, &interaction, edit, kind).await;
                }
            });
            json(&deferral)
        }
    }
}

/// Edits the deferred response in. Discord may not have taken the deferral in yet when the
/// answer is quick, so an unknown message (404) is tried once more a second later.
async fn follow_up(
    http: &Http,
    interaction: &Interaction,
    edit: EditInteractionResponse,
    kind: &str,
) {
    // There is no READY in this mode: the interaction, signed by Discord, names the application.
    if http.application_id().is_none()
        && let Some(id) = application_id(interaction)
    {
        http.set_application_id(id);
    }
    for attempt in 0..2 {
        let result = match interaction {
            Interaction::Command(i) => i.edit_response(http, edit.clone()).await.map(|_| ()),
            Interaction::Component(i) => i.edit_response(http, edit.clone()).await.map(|_| ()),
            _ => return,
        };
        match result {
            Ok(()) => return,
            Err(err) if attempt == 0 && rest::status(&err) == Some(404) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(err) => {
                tracing::warn!(error = %rest::describe(&err), kind, "could not edit a deferred answer");
                return;
            }
        }
    }
}

fn application_id(interaction: &Interaction) -> Option<ApplicationId> {
    match interaction {
        Interaction::Command(i) | Interaction::Autocomplete(i) => Some(i.application_id),
        Interaction::Component(i) => Some(i.application_id),
        Interaction::Modal(i) => Some(i.application_id),
        Interaction::Ping(i) => Some(i.application_id),
        _ => None,
    }
}

fn json(value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => ([(CONTENT_TYPE, "application/json")], body).into_response(),
        Err(err) => {
            tracing::error!(%err, "could not serialize a response");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn bad_request(reason: &str) -> Response {
    (StatusCode::BAD_REQUEST, format!("{reason}\n")).into_response()
}

fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the body is over {MAX_BODY} bytes\n"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_says_what_is_wrong() {
        assert!(
            parse(b"{")
                .unwrap_err()
                .to_string()
                .starts_with("malformed JSON")
        );
        assert!(
            parse(b"")
                .unwrap_err()
                .to_string()
                .starts_with("malformed JSON")
        );
        assert_eq!(
            parse(br#"{"type": 9}"#).unwrap_err().to_string(),
            "unknown interaction type 9"
        );
        assert_eq!(
            parse(br#"{"type": "2"}"#).unwrap_err().to_string(),
            "the interaction type is missing or not a number"
        );
        assert!(
            parse(br#"{"type": 2}"#)
                .unwrap_err()
                .to_string()
                .starts_with("not a valid interaction")
        );
        let ping = br#"{"id":"1","application_id":"200","type":1,"token":"t","version":1}"#;
        assert!(matches!(parse(ping), Ok(Interaction::Ping(_))));
    }
}
