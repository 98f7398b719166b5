//! Discord's HTTP interactions mode (`briefing-bot serve-http`): Discord POSTs each
//! interaction, signed, to an endpoint, and the answer is the HTTP response. No connection is
//! kept and nothing is remembered between requests, so any number of instances behind a load
//! balancer can answer; this is how the bot grows past one machine.
//!
//! [`endpoint`] is the axum router: it refuses what is not from Discord ([`signature`]),
//! too large or not an interaction, and answers the rest through the same
//! [`crate::discord::interaction`] core as the gateway. It follows up through the REST client in
//! [`crate::discord::rest`] (re-exported here as `rest`): this front end may use `discord/`,
//! never the reverse. [`server`] holds the connections under the router: header, body and idle
//! timeouts, a cap, and a shutdown with a deadline; [`trim`] gives memory back after a burst.

pub mod endpoint;
pub mod server;
pub mod signature;
pub mod trim;

pub use crate::discord::rest;
