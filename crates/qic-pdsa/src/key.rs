//! Short human-written keys for the things teams write in files.
//!
//! Measures, change ideas and PDSA cycles live in files that improvement teams edit by hand and
//! refer to each other from there (`follows = "c2"`, `measure = "bp-control"`). UUIDs would make
//! those files unwritable, so these entities are named by a [`Key`]: lowercase letters, digits,
//! `-`, `_` and `.`, starting with a letter or digit, at most 64 characters. Entities that other
//! programs create (programs, cohorts, teams) keep qic-program's UUID ids.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A validated key such as `bp-control` or `c3`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Key(String);

/// Why a text is not a valid [`Key`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The key is empty.
    #[error("a key cannot be empty")]
    Empty,
    /// The key is longer than 64 characters.
    #[error("a key has at most 64 characters, this one has {0}")]
    TooLong(usize),
    /// The key holds a character other than a-z, 0-9, '-', '_' or '.', or does not start with
    /// a letter or digit.
    #[error(
        "key `{0}` may hold only lowercase letters, digits, '-', '_' and '.', and must start with a letter or digit"
    )]
    InvalidCharacter(String),
}

impl Key {
    /// The longest key accepted.
    pub const MAX_LEN: usize = 64;

    /// Validates `text` as a key.
    ///
    /// # Errors
    ///
    /// [`KeyError`] when the text is empty, too long or holds other characters.
    ///
    /// # Examples
    ///
    /// ```
    /// use qic_pdsa::Key;
    /// assert_eq!(Key::new("bp-control")?.as_str(), "bp-control");
    /// assert!(Key::new("BP control").is_err());
    /// # Ok::<(), qic_pdsa::KeyError>(())
    /// ```
    pub fn new(text: impl Into<String>) -> Result<Self, KeyError> {
        let text = text.into();
        let first_ok = text
            .bytes()
            .next()
            .ok_or(KeyError::Empty)?
            .is_ascii_alphanumeric();
        if text.len() > Self::MAX_LEN {
            return Err(KeyError::TooLong(text.len()));
        }
        let rest_ok = text.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
        if first_ok && rest_ok {
            Ok(Self(text))
        } else {
            Err(KeyError::InvalidCharacter(text))
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Key {
    type Error = KeyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Key> for String {
    fn from(key: Key) -> Self {
        key.0
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Key {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_accept_slugs_and_refuse_the_rest() {
        for good in ["a", "c3", "bp-control", "ramp_1.2", "9lives"] {
            assert!(Key::new(good).is_ok(), "{good}");
        }
        assert_eq!(Key::new(""), Err(KeyError::Empty));
        assert!(matches!(Key::new("-a"), Err(KeyError::InvalidCharacter(_))));
        assert!(matches!(
            Key::new("Upper"),
            Err(KeyError::InvalidCharacter(_))
        ));
        assert!(matches!(
            Key::new("a b"),
            Err(KeyError::InvalidCharacter(_))
        ));
        assert!(matches!(Key::new("é"), Err(KeyError::InvalidCharacter(_))));
        assert_eq!(Key::new("x".repeat(65)), Err(KeyError::TooLong(65)));
    }

    #[test]
    fn keys_deserialize_through_validation() {
        let k: Key = serde_json::from_str("\"c1\"").unwrap();
        assert_eq!(k.as_str(), "c1");
        let err = serde_json::from_str::<Key>("\"C 1\"").unwrap_err();
        assert!(err.to_string().contains("may hold only"), "{err}");
    }
}
