//! The Discord front end: the command table registered as slash commands, replies rendered as
//! embeds with page and "did you mean" buttons, autocomplete from the engine's fuzzy index.
//!
//! [`interaction`] is the transport-independent core (an interaction in, a response out);
//! [`gateway`] is the serenity client that feeds it; [`timely`] is the race against Discord's
//! 3-second window that both front ends run. [`render`] and [`custom_id`] keep every
//! message within Discord's limits and every button stateless; [`register`] turns the table
//! into application commands.

pub mod custom_id;
pub mod gateway;
pub mod interaction;
pub mod register;
pub mod render;
pub mod timely;
