//! How commands print their results: the text-or-JSON choice most commands offer, and JSON
//! written one way everywhere.

use clap::ValueEnum;
use serde::Serialize;

/// How a command prints its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Readable text.
    Text,
    /// JSON for other programs.
    Json,
}

/// Pretty JSON with a final newline.
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    // Serializing our own plain data types cannot fail (no maps with non-string keys).
    let mut json = serde_json::to_string_pretty(value).unwrap_or_default();
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_indented_and_ends_with_a_newline() {
        assert_eq!(to_json(&[1, 2]), "[\n  1,\n  2\n]\n");
    }
}
