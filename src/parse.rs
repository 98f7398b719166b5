//! Values as people type them, read the same way wherever they are typed: a command option, an
//! environment variable, a console line. One boolean parser and one channel-id parser for the
//! whole program, so `yes` means the same thing in `.env` and in `/digest subscribe`.

/// `true`/`yes`/`1`/`on` or `false`/`no`/`0`/`off`, in any case; anything else is `None`.
pub fn boolean(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Some(true),
        "false" | "no" | "0" | "off" => Some(false),
        _ => None,
    }
}

/// A channel id from `123` or `<#123>` (a channel mention as Discord's client writes it).
pub fn channel_id(value: &str) -> Option<u64> {
    let value = value.trim();
    let digits = value
        .strip_prefix("<#")
        .and_then(|v| v.strip_suffix('>'))
        .unwrap_or(value);
    digits.parse::<u64>().ok().filter(|&id| id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_and_channels() {
        for yes in ["true", "YES", " 1 ", "on"] {
            assert_eq!(boolean(yes), Some(true), "{yes}");
        }
        for no in ["false", "No", "0", "off"] {
            assert_eq!(boolean(no), Some(false), "{no}");
        }
        assert_eq!(boolean("maybe"), None);
        assert_eq!(channel_id("<#42>"), Some(42));
        assert_eq!(channel_id(" 42 "), Some(42));
        assert_eq!(channel_id("0"), None);
        assert_eq!(channel_id("#general"), None);
    }
}
