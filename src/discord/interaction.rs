//! The transport-independent core of the Discord front end: one interaction in, one response
//! out. The gateway client and the HTTP interactions endpoint both call [`respond`] (or
//! [`answer`], when they may defer first), so both answer the same way.
//!
//! Slash commands become an [`Invocation`] and go through [`App::answer`]; autocomplete asks the
//! engine's fuzzy completion for the focused option; buttons decode their id and re-run the
//! command for the page or suggestion picked, updating the message in place. Admin commands are
//! checked against the permissions Discord sends with the interaction. Nothing here panics or
//! does I/O, whatever the payload.

use serenity::all::{
    AutocompleteChoice, CommandData, CommandDataOption, CommandDataOptionValue, CommandInteraction,
    ComponentInteraction, Interaction, Permissions,
};
use serenity::builder::{
    CreateAutocompleteResponse, CreateInteractionResponse, CreateInteractionResponseMessage,
    EditInteractionResponse,
};

use super::custom_id;
use super::register::EPHEMERAL;
use super::render::{self, Rendered};
use crate::app::App;
use crate::cmd;
use crate::cmd::complete::{self, Choice};
use crate::reply::{Invocation, Reply};

/// What to send back, before it becomes a serenity builder.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A new message (interaction response type 4).
    Message { rendered: Rendered, ephemeral: bool },
    /// The clicked message, replaced (type 7).
    Update(Rendered),
    /// Autocomplete choices (type 8).
    Choices(Vec<Choice>),
    /// The answer to Discord's PING (type 1), sent only to an HTTP endpoint.
    Pong,
}

impl Answer {
    pub fn into_response(self) -> CreateInteractionResponse {
        match self {
            Answer::Message {
                rendered,
                ephemeral,
            } => CreateInteractionResponse::Message(render::message(&rendered, ephemeral)),
            Answer::Update(rendered) => {
                CreateInteractionResponse::UpdateMessage(render::message(&rendered, false))
            }
            Answer::Choices(choices) => CreateInteractionResponse::Autocomplete(
                CreateAutocompleteResponse::new().set_choices(
                    choices
                        .into_iter()
                        .map(|c| AutocompleteChoice::new(c.name, c.value))
                        .collect(),
                ),
            ),
            Answer::Pong => CreateInteractionResponse::Pong,
        }
    }

    /// The edit that replaces a deferred response, for answers that are messages.
    pub fn into_edit(self) -> Option<EditInteractionResponse> {
        match self {
            Answer::Message { rendered, .. } | Answer::Update(rendered) => {
                Some(render::edit(&rendered))
            }
            Answer::Choices(_) | Answer::Pong => None,
        }
    }
}

/// The response to one interaction.
pub fn respond(app: &App, interaction: &Interaction) -> CreateInteractionResponse {
    answer(app, interaction).into_response()
}

/// The answer to one interaction.
pub fn answer(app: &App, interaction: &Interaction) -> Answer {
    match interaction {
        Interaction::Ping(_) => Answer::Pong,
        Interaction::Command(command) => command_answer(app, command),
        Interaction::Autocomplete(command) => Answer::Choices(choices(app, command)),
        Interaction::Component(component) => component_answer(app, component),
        _ => notice(
            "Not supported",
            "briefing-bot answers slash commands and its own buttons only.",
        ),
    }
}

/// The "thinking…" response that buys 15 minutes for slow work, or `None` for autocomplete
/// (which cannot be deferred) and pings. A deferred command keeps its visibility; a deferred
/// button click keeps the message as it is until the edit.
pub fn deferral(app: &App, interaction: &Interaction) -> Option<CreateInteractionResponse> {
    match interaction {
        Interaction::Command(command) => {
            let (invocation, ephemeral) = invocation(&command.data);
            let ephemeral = visibility(app, &invocation, ephemeral);
            Some(CreateInteractionResponse::Defer(
                CreateInteractionResponseMessage::new().ephemeral(ephemeral),
            ))
        }
        Interaction::Component(_) => Some(CreateInteractionResponse::Acknowledge),
        _ => None,
    }
}

/// Whether the member holds Manage Server (or Administrator) where they asked. Outside a server
/// there is no member and no permission.
pub fn is_admin(permissions: Option<Permissions>) -> bool {
    permissions.is_some_and(|p| p.manage_guild() || p.administrator())
}

fn command_answer(app: &App, command: &CommandInteraction) -> Answer {
    let (invocation, ephemeral) = invocation(&command.data);
    let admin = is_admin(command.member.as_ref().and_then(|m| m.permissions));
    let place = cmd::Place {
        guild_id: command.guild_id.map(|g| g.get()),
        channel_id: Some(command.channel_id.get()),
        user_id: Some(command.user.id.get()),
    };
    let reply = app.answer_at(&invocation, admin, place);
    Answer::Message {
        rendered: render::render(&reply, &invocation, 0),
        ephemeral: visibility(app, &invocation, ephemeral),
    }
}

/// Admin commands always answer quietly; others as asked, or as configured.
fn visibility(app: &App, invocation: &Invocation, asked: Option<bool>) -> bool {
    let admin = cmd::spec(&invocation.command).is_some_and(|spec| spec.admin);
    admin || asked.unwrap_or(app.ephemeral_default)
}

fn component_answer(app: &App, component: &ComponentInteraction) -> Answer {
    let button = match custom_id::decode(&component.data.custom_id) {
        Ok(button) => button,
        Err(err) => {
            tracing::debug!(%err, "unknown button");
            return notice(
                "This button no longer works",
                "It comes from another version of the bot. Run the command again.",
            );
        }
    };
    let admin = is_admin(component.member.as_ref().and_then(|m| m.permissions));
    let place = cmd::Place {
        guild_id: component.guild_id.map(|g| g.get()),
        channel_id: Some(component.channel_id.get()),
        user_id: Some(component.user.id.get()),
    };
    let reply = app.answer_at(&button.invocation, admin, place);
    Answer::Update(render::render(&reply, &button.invocation, button.page))
}

/// Up to 25 choices for the focused option, whatever was typed; none for an option that does not
/// complete, or an admin command the user may not run.
fn choices(app: &App, command: &CommandInteraction) -> Vec<Choice> {
    let Some(focused) = command.data.autocomplete() else {
        return Vec::new();
    };
    let (invocation, _) = invocation(&command.data);
    let Some(spec) = cmd::spec(&invocation.command) else {
        return Vec::new();
    };
    if spec.admin && !is_admin(command.member.as_ref().and_then(|m| m.permissions)) {
        return Vec::new();
    }
    let Some(completes) = spec
        .options
        .iter()
        .find(|o| o.name == focused.name)
        .and_then(|o| o.autocomplete)
    else {
        return Vec::new();
    };
    complete::option_choices(&app.snapshot().corpus, completes, focused.value)
}

/// A slash command's path and option values as the engine takes them, and the `ephemeral`
/// option when given.
pub fn invocation(data: &CommandData) -> (Invocation, Option<bool>) {
    let mut path = vec![data.name.clone()];
    let mut options: &[CommandDataOption] = &data.options;
    // Descend into the subcommand (group) chosen, if any.
    while let Some(next) = options.iter().find_map(|o| match &o.value {
        CommandDataOptionValue::SubCommand(sub) | CommandDataOptionValue::SubCommandGroup(sub) => {
            Some((o.name.clone(), sub))
        }
        _ => None,
    }) {
        path.push(next.0);
        options = next.1;
    }
    let mut invocation = Invocation::new(&path.join(" "));
    let mut ephemeral = None;
    for option in options {
        if option.name == EPHEMERAL {
            if let CommandDataOptionValue::Boolean(value) = option.value {
                ephemeral = Some(value);
            }
            continue;
        }
        if let Some(value) = option_text(&option.value) {
            invocation = invocation.arg(&option.name, &value);
        }
    }
    (invocation, ephemeral)
}

/// An option value as the engine's text, or `None` for kinds the engine does not declare.
fn option_text(value: &CommandDataOptionValue) -> Option<String> {
    Some(match value {
        CommandDataOptionValue::String(s) => s.clone(),
        CommandDataOptionValue::Autocomplete { value, .. } => value.clone(),
        CommandDataOptionValue::Integer(n) => n.to_string(),
        CommandDataOptionValue::Boolean(b) => b.to_string(),
        CommandDataOptionValue::Channel(id) => id.get().to_string(),
        CommandDataOptionValue::Number(n) => n.to_string(),
        _ => return None,
    })
}

/// A short, quiet message: for errors and buttons that no longer work.
pub fn notice(title: &str, body: &str) -> Answer {
    let reply = Reply::failure(title, body);
    Answer::Message {
        rendered: render::render(&reply, &Invocation::default(), 0),
        ephemeral: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_needs_manage_server_or_administrator() {
        assert!(!is_admin(None));
        assert!(!is_admin(Some(Permissions::SEND_MESSAGES)));
        assert!(is_admin(Some(Permissions::MANAGE_GUILD)));
        assert!(is_admin(Some(Permissions::ADMINISTRATOR)));
    }
}
