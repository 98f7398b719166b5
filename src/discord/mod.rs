//! The Discord front end: the command table registered as slash commands, replies rendered as
//! embeds with page and "did you mean" buttons, autocomplete from the engine's fuzzy index.
//!
//! [`interaction`] is the transport-independent core (an interaction in, a response out);
//! [`gateway`] is the serenity client that feeds it; [`timely`] is the race against Discord's
//! 3-second window that both front ends run. [`render`] and [`custom_id`] keep every
//! message within Discord's limits and every button stateless; [`text`] is the one place
//! Discord markdown is escaped, and long text split and packed, for every message (digests
//! included); [`register`] turns the table into application commands; [`rest`] is the REST
//! client (proxy, no mentions), registration and error descriptions, shared by the gateway, the
//! HTTP endpoint and the digest poster.

pub mod custom_id;
pub mod gateway;
pub mod interaction;
pub mod register;
pub mod render;
pub mod rest;
pub mod text;
pub mod timely;
