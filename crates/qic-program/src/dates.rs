//! Serde helpers for times of day in program files (dates use [`crate::serde_date`]).
//!
//! chrono reads a time only from a string (`"13:00"`), but a person writing TOML naturally writes
//! a native TOML time (`start_time = 13:00:00`), which the `toml` crate hands to serde as a
//! one-entry map holding the time's text. These helpers accept both and write `"HH:MM"`, which
//! both formats read back.

use std::fmt;

use chrono::NaiveTime;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

const EXPECTING: &str = "a time of day such as \"13:00\"";

struct TimeVisitor;

impl<'de> Visitor<'de> for TimeVisitor {
    type Value = NaiveTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTING)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveTime, E> {
        let trimmed = text.trim();
        NaiveTime::parse_from_str(trimmed, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(trimmed, "%H:%M:%S"))
            .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &EXPECTING))
    }

    // A native TOML time arrives as a one-entry map whose value is the time's text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NaiveTime, A::Error> {
        let Some((_, text)) = map.next_entry::<de::IgnoredAny, String>()? else {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        };
        self.visit_str(&text)
    }
}

/// A wrapper so that `Option` fields can reuse the visitor.
struct Wrapped(NaiveTime);

impl<'de> Deserialize<'de> for Wrapped {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimeVisitor).map(Wrapped)
    }
}

/// `#[serde(with = "crate::dates::time")]` for a [`NaiveTime`], written as `"HH:MM"`.
pub(crate) mod time {
    use super::{Deserializer, NaiveTime, Serializer, TimeVisitor};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` contract passes `&T`
    pub(crate) fn serialize<S: Serializer>(
        value: &NaiveTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&value.format("%H:%M"))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<NaiveTime, D::Error> {
        deserializer.deserialize_any(TimeVisitor)
    }
}

/// `#[serde(default, with = "crate::dates::option_time")]` for an `Option<NaiveTime>`.
pub(crate) mod option_time {
    use serde::Deserialize;

    use super::{Deserializer, NaiveTime, Serializer, Wrapped};

    #[allow(clippy::ref_option)] // serde's `with` contract passes `&Option<T>`
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<NaiveTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(time) => serializer.collect_str(&time.format("%H:%M")),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveTime>, D::Error> {
        Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|w| w.0))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Doc {
        #[serde(with = "crate::serde_date")]
        date: NaiveDate,
        #[serde(
            default,
            with = "super::option_time",
            skip_serializing_if = "Option::is_none"
        )]
        time: Option<NaiveTime>,
    }

    #[test]
    fn toml_reads_native_and_quoted_times() {
        let native: Doc = toml::from_str("date = 2020-08-05\ntime = 13:30:00\n").unwrap();
        let quoted: Doc = toml::from_str("date = \"2020-08-05\"\ntime = \"13:30\"\n").unwrap();
        assert_eq!(native, quoted);
        assert_eq!(native.time, NaiveTime::from_hms_opt(13, 30, 0));
        let missing: Doc = toml::from_str("date = 2020-08-05\n").unwrap();
        assert_eq!(missing.time, None);
    }

    #[test]
    fn a_datetime_where_a_time_or_date_belongs_is_refused() {
        assert!(toml::from_str::<Doc>("date = 2020-08-05\ntime = 2020-08-05T10:00:00\n").is_err());
        assert!(toml::from_str::<Doc>("date = 2020-08-05T10:00:00\n").is_err());
        let err =
            serde_json::from_str::<Doc>(r#"{"date": "2020-08-05", "time": "1pm"}"#).unwrap_err();
        assert!(
            err.to_string().contains("a time of day such as \"13:00\""),
            "{err}"
        );
    }

    #[test]
    fn json_round_trip_writes_strings() {
        let doc = Doc {
            date: NaiveDate::from_ymd_opt(2021, 6, 30).unwrap(),
            time: NaiveTime::from_hms_opt(9, 0, 0),
        };
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(json, r#"{"date":"2021-06-30","time":"09:00"}"#);
        assert_eq!(serde_json::from_str::<Doc>(&json).unwrap(), doc);
    }
}
