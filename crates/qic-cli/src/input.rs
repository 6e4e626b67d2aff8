//! Options about how inputs are read, shared by the commands that read line-oriented files.

use clap::Args;
use qic_io::DEFAULT_MAX_LINE_BYTES;

/// The longest line a command accepts.
#[derive(Clone, Copy, Debug, Args)]
pub(crate) struct LineLimitArgs {
    /// The longest line accepted in CSV and JSON Lines inputs, in bytes (suffixes K, M, G for
    /// KiB, MiB, GiB). A longer line stops the command with its line number.
    #[arg(
        long,
        value_name = "BYTES",
        default_value = "8M",
        value_parser = parse_bytes,
    )]
    pub(crate) max_line_bytes: usize,
}

impl Default for LineLimitArgs {
    fn default() -> Self {
        Self {
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }
}

/// A size in bytes: digits, with an optional K, M or G (powers of 1024; `KiB`, `MB` and the
/// like are read the same way).
fn parse_bytes(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: usize = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size in bytes (e.g. 8M)"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return Err(format!("`{text}`: the unit is K, M or G")),
    };
    if number == 0 {
        return Err("the limit must be at least 1 byte".to_owned());
    }
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// Whether an error's message is that of a line over the limit, which the flag can raise.
pub(crate) fn is_line_too_long(message: &str) -> bool {
    message.contains("the most a line may hold")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_their_units() {
        assert_eq!(parse_bytes("8M"), Ok(DEFAULT_MAX_LINE_BYTES));
        assert_eq!(parse_bytes("100"), Ok(100));
        assert_eq!(parse_bytes("2 KiB"), Ok(2048));
        assert_eq!(parse_bytes("1g"), Ok(1 << 30));
        assert!(parse_bytes("0").is_err());
        assert!(parse_bytes("-5").is_err());
        assert!(parse_bytes("5T").is_err());
        assert!(parse_bytes("99999999999999999999G").is_err());
    }
}
