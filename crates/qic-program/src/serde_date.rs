//! Calendar dates that read from JSON strings and from TOML's native dates alike.
//!
//! People write dates in TOML files as native dates (`start = 2023-01-09`), which the `toml`
//! crate hands to serde as a special map rather than a string, and `chrono`'s own
//! `Deserialize` for [`NaiveDate`] refuses that ("invalid type: map, expected a formatted date
//! string"). Fields of type `NaiveDate` in qic's file formats therefore use this module:
//!
//! ```
//! use chrono::NaiveDate;
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Session {
//!     #[serde(with = "qic_program::serde_date")]
//!     day: NaiveDate,
//!     #[serde(default, with = "qic_program::serde_date::option")]
//!     until: Option<NaiveDate>,
//! }
//!
//! let from_toml: Session = toml::from_str("day = 2023-01-09\nuntil = 2023-01-10")?;
//! let from_json: Session = serde_json::from_str(r#"{"day": "2023-01-09"}"#)?;
//! assert_eq!(from_toml.day, from_json.day);
//! assert_eq!(from_toml.until, NaiveDate::from_ymd_opt(2023, 1, 10));
//! assert_eq!(from_json.until, None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Dates serialize as `YYYY-MM-DD` strings, which both formats read back.

use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserializer, Serializer};

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date as YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        text.parse::<NaiveDate>()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &"a date as YYYY-MM-DD"))
    }

    // TOML's native dates arrive as a one-entry map whose value is the date's text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NaiveDate, A::Error> {
        let Some((_, text)) = map.next_entry::<de::IgnoredAny, String>()? else {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        };
        self.visit_str(&text)
    }
}

/// Serializes a date as `YYYY-MM-DD`.
///
/// # Errors
///
/// Only those of the serializer.
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` hands us a reference
pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&date.format("%Y-%m-%d"))
}

/// Deserializes a date from a `YYYY-MM-DD` string or a TOML date.
///
/// # Errors
///
/// When the value is neither, or is not a valid calendar date.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_any(DateVisitor)
}

/// The same for optional dates: use with `#[serde(default, with = "qic_program::serde_date::option")]`.
pub mod option {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes a present date as `YYYY-MM-DD` and an absent one as none.
    ///
    /// # Errors
    ///
    /// Only those of the serializer.
    #[allow(clippy::ref_option)] // serde's `with` hands us `&Option<T>`
    pub fn serialize<S: Serializer>(
        date: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.collect_str(&date.format("%Y-%m-%d")),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes an optional date from a string, a TOML date or null.
    ///
    /// # Errors
    ///
    /// When a present value is not a date.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "super")] NaiveDate);
        Option::<Wrapped>::deserialize(deserializer).map(|w| w.map(|Wrapped(d)| d))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dated {
        #[serde(with = "crate::serde_date")]
        day: NaiveDate,
        #[serde(
            default,
            with = "crate::serde_date::option",
            skip_serializing_if = "Option::is_none"
        )]
        until: Option<NaiveDate>,
    }

    #[test]
    fn reads_toml_dates_and_strings_and_round_trips() {
        let native: Dated = toml::from_str("day = 2023-02-09").unwrap();
        let quoted: Dated = toml::from_str("day = \"2023-02-09\"").unwrap();
        assert_eq!(native, quoted);
        assert_eq!(
            toml::from_str::<Dated>(&toml::to_string(&native).unwrap()).unwrap(),
            native
        );
        let json = serde_json::to_string(&native).unwrap();
        assert_eq!(json, r#"{"day":"2023-02-09"}"#);
        assert_eq!(serde_json::from_str::<Dated>(&json).unwrap(), native);
    }

    #[test]
    fn refuses_bad_dates_and_datetimes_with_a_clear_message() {
        let err = serde_json::from_str::<Dated>(r#"{"day":"2023-02-30"}"#).unwrap_err();
        assert!(err.to_string().contains("a date as YYYY-MM-DD"), "{err}");
        let err = toml::from_str::<Dated>("day = 2023-02-09T10:00:00").unwrap_err();
        assert!(err.to_string().contains("a date as YYYY-MM-DD"), "{err}");
        let err = serde_json::from_str::<Dated>(r#"{"day":20230209}"#).unwrap_err();
        assert!(err.to_string().contains("a date as YYYY-MM-DD"), "{err}");
    }
}
