//! The command table as Discord application commands, for the bulk overwrite sent on ready.
//!
//! Everything comes from [`crate::cmd::COMMANDS`]: a group's subcommands become Discord
//! subcommands (and a group within a group a subcommand group), options keep their type,
//! `required`, `autocomplete` and `max_length`. Admin commands are hidden behind Manage Server
//! (`default_member_permissions`); every other command gets the shared `ephemeral` option.

use serenity::all::{CommandOptionType, Permissions};
use serenity::builder::{CreateCommand, CreateCommandOption};

use crate::cmd::{CommandSpec, OptionKind, OptionSpec};

/// The boolean option every non-admin command takes: answer only to the asker.
pub const EPHEMERAL: &str = "ephemeral";
const EPHEMERAL_DESCRIPTION: &str = "Only you see the answer";

/// Discord's longest string option value.
const MAX_STRING_LENGTH: usize = 6000;

/// The ids Discord gave the registered commands, by name: what a command mention
/// (`</brief:ID>`, see [`super::text::command_mention`]) needs. Empty until registration
/// answered (and in the console): mentions then fall back to plain `/brief`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandIds(std::collections::BTreeMap<String, u64>);

/// The ids as the gateway learns them on ready and the digest scheduler reads them.
pub type SharedCommandIds = std::sync::Arc<std::sync::RwLock<CommandIds>>;

impl CommandIds {
    /// The ids of the commands Discord returned from a bulk overwrite.
    pub fn of(commands: &[serenity::all::Command]) -> CommandIds {
        CommandIds(
            commands
                .iter()
                .map(|c| (c.name.clone(), c.id.get()))
                .collect(),
        )
    }

    pub fn insert(&mut self, name: &str, id: u64) {
        self.0.insert(name.to_string(), id);
    }

    /// The id of a top-level command.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.0.get(name).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A copy of what `shared` holds (also after a writer panicked).
    pub fn read(shared: &SharedCommandIds) -> CommandIds {
        match shared.read() {
            Ok(ids) => ids.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces what `shared` holds.
    pub fn store(shared: &SharedCommandIds, ids: CommandIds) {
        match shared.write() {
            Ok(mut held) => *held = ids,
            Err(poisoned) => *poisoned.into_inner() = ids,
        }
    }
}

/// Every command of `specs`, ready for `set_commands` / `set_global_commands`.
pub fn commands(specs: &[&CommandSpec]) -> Vec<CreateCommand> {
    specs.iter().map(|spec| command(spec)).collect()
}

fn command(spec: &CommandSpec) -> CreateCommand {
    let mut command = CreateCommand::new(spec.name).description(spec.description);
    if spec.admin {
        command = command
            .default_member_permissions(Permissions::MANAGE_GUILD)
            .dm_permission(false);
    }
    let options = if spec.subcommands.is_empty() {
        leaf_options(spec, spec.admin)
    } else {
        spec.subcommands
            .iter()
            .map(|sub| subcommand(sub, spec.admin))
            .collect()
    };
    command.set_options(options)
}

fn subcommand(spec: &CommandSpec, admin: bool) -> CreateCommandOption {
    if spec.subcommands.is_empty() {
        CreateCommandOption::new(CommandOptionType::SubCommand, spec.name, spec.description)
            .set_sub_options(leaf_options(spec, admin))
    } else {
        CreateCommandOption::new(
            CommandOptionType::SubCommandGroup,
            spec.name,
            spec.description,
        )
        .set_sub_options(spec.subcommands.iter().map(|sub| subcommand(sub, admin)))
    }
}

/// A command's own options, required ones first (Discord requires it), then `ephemeral`.
fn leaf_options(spec: &CommandSpec, admin: bool) -> Vec<CreateCommandOption> {
    let required = spec.options.iter().filter(|o| o.required);
    let optional = spec.options.iter().filter(|o| !o.required);
    let mut options: Vec<CreateCommandOption> = required.chain(optional).map(option).collect();
    if !admin {
        options.push(CreateCommandOption::new(
            CommandOptionType::Boolean,
            EPHEMERAL,
            EPHEMERAL_DESCRIPTION,
        ));
    }
    options
}

fn option(spec: &OptionSpec) -> CreateCommandOption {
    let kind = match spec.kind {
        OptionKind::Text => CommandOptionType::String,
        OptionKind::Integer => CommandOptionType::Integer,
        OptionKind::Boolean => CommandOptionType::Boolean,
        OptionKind::Channel => CommandOptionType::Channel,
    };
    let mut option =
        CreateCommandOption::new(kind, spec.name, spec.description).required(spec.required);
    if spec.kind == OptionKind::Text {
        let max = spec.max_length.clamp(1, MAX_STRING_LENGTH);
        // Invariant: clamped to 6000 just above, which fits a u16.
        option = option.max_length(u16::try_from(max).unwrap_or(u16::MAX));
        if spec.autocomplete.is_some() {
            option = option.set_autocomplete(true);
        }
    }
    option
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::COMMANDS;
    use crate::search::Kind;
    use serde_json::{Value, json};

    static GROUP: CommandSpec = CommandSpec {
        name: "digest",
        description: "Scheduled digests",
        options: &[],
        admin: true,
        subcommands: &[
            CommandSpec {
                name: "subscribe",
                description: "Post a digest in a channel",
                options: &[
                    OptionSpec {
                        name: "channel",
                        description: "Where",
                        kind: OptionKind::Channel,
                        required: true,
                        autocomplete: None,
                        max_length: 100,
                    },
                    OptionSpec::text("topic", "About what").completes(Kind::Topic),
                ],
                admin: true,
                subcommands: &[],
            },
            CommandSpec {
                name: "list",
                description: "The subscriptions",
                options: &[],
                admin: true,
                subcommands: &[],
            },
        ],
    };

    #[test]
    fn an_admin_group_becomes_subcommands_behind_manage_server() {
        let value = prune(serde_json::to_value(commands(&[&GROUP])).unwrap());
        assert_eq!(
            value,
            json!([{
                "name": "digest",
                "description": "Scheduled digests",
                "default_member_permissions": "32",
                "dm_permission": false,
                "nsfw": false,
                "options": [
                    {"type": 1, "name": "subscribe", "description": "Post a digest in a channel",
                     "required": false, "autocomplete": false, "options": [
                        {"type": 7, "name": "channel", "description": "Where", "required": true,
                         "autocomplete": false},
                        {"type": 3, "name": "topic", "description": "About what", "required": false,
                         "autocomplete": true, "max_length": 100}
                     ]},
                    {"type": 1, "name": "list", "description": "The subscriptions",
                     "required": false, "autocomplete": false}
                ]
            }])
        );
    }

    /// The JSON without the nulls and empty lists serenity sends for unset fields.
    fn prune(value: Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.into_iter().map(prune).collect()),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .filter(|(_, v)| {
                        !v.is_null()
                            && v.as_array().is_none_or(|a| !a.is_empty())
                            && v.as_object().is_none_or(|o| !o.is_empty())
                    })
                    .map(|(k, v)| (k, prune(v)))
                    .collect(),
            ),
            other => other,
        }
    }

    #[test]
    fn the_engine_commands_fit_discord_and_take_ephemeral() {
        let value = serde_json::to_value(commands(COMMANDS)).unwrap();
        let commands = value.as_array().unwrap();
        assert_eq!(commands.len(), COMMANDS.len());
        assert!(commands.len() <= 100);
        for command in commands {
            check_names(command);
            let name = command["name"].as_str().unwrap();
            let options = command["options"].as_array().unwrap();
            assert!(options.len() <= 25, "{name}");
            let admin = COMMANDS.iter().any(|spec| spec.name == name && spec.admin);
            let ephemerals = options.iter().filter(|o| o["name"] == EPHEMERAL).count();
            if admin {
                assert_eq!(command["default_member_permissions"], "32", "{name}");
                assert_eq!(
                    ephemerals, 0,
                    "{name}: admin commands always answer quietly"
                );
            } else {
                assert!(command["default_member_permissions"].is_null(), "{name}");
                assert_eq!(ephemerals, 1, "{name} declares its own ephemeral option");
                let last = options.last().unwrap();
                assert_eq!(last["name"], EPHEMERAL, "{name}");
                assert_eq!(last["type"], 5, "{name}");
            }
            let required: Vec<bool> = options
                .iter()
                .map(|o| o["required"].as_bool().unwrap_or(false))
                .collect();
            assert!(
                required.windows(2).all(|w| w[0] || !w[1]),
                "{name}: {required:?}"
            );
            assert!(text_length(command) <= 8000, "{name}");
        }
        let who = commands.iter().find(|c| c["name"] == "who").unwrap();
        assert_eq!(who["options"][0]["autocomplete"], true);
        assert_eq!(who["options"][0]["required"], true);
    }

    fn check_names(command: &Value) {
        let name = command["name"].as_str().unwrap();
        assert!(
            (1..=32).contains(&name.chars().count())
                && name
                    .chars()
                    .all(|c| c == '-' || c == '_' || c == '\'' || c.is_alphanumeric())
                && name.to_lowercase() == name,
            "{name}"
        );
        let description = command["description"].as_str().unwrap();
        assert!((1..=100).contains(&description.chars().count()), "{name}");
        for option in command["options"].as_array().into_iter().flatten() {
            check_names(option);
        }
    }

    fn text_length(command: &Value) -> usize {
        let own = ["name", "description"]
            .iter()
            .map(|k| command[k].as_str().map_or(0, |s| s.chars().count()))
            .sum::<usize>();
        own + command["options"]
            .as_array()
            .into_iter()
            .flatten()
            .map(text_length)
            .sum::<usize>()
    }
}
