//! Serde helpers for calendar dates and times of day in program files.
//!
//! chrono reads dates only from strings (`"2020-08-01"`), but a person writing TOML naturally
//! writes a native TOML date (`start = 2020-08-01`) or time (`start_time = 13:00:00`). These
//! helpers accept both, and write strings, so JSON and TOML round trips stay lossless.

use std::fmt;

use chrono::{NaiveDate, NaiveTime};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serializer};

/// What a helper reads: a date or a time of day.
trait Civil: Sized + fmt::Display {
    const EXPECTING: &'static str;
    fn parse_str(text: &str) -> Option<Self>;
    fn from_toml(value: &toml::value::Datetime) -> Option<Self>;
}

impl Civil for NaiveDate {
    const EXPECTING: &'static str = "a date such as 2020-08-01";

    fn parse_str(text: &str) -> Option<Self> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
    }

    fn from_toml(value: &toml::value::Datetime) -> Option<Self> {
        match (value.date, value.time, value.offset) {
            (Some(date), None, None) => NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            ),
            _ => None,
        }
    }
}

impl Civil for NaiveTime {
    const EXPECTING: &'static str = "a time of day such as \"13:00\"";

    fn parse_str(text: &str) -> Option<Self> {
        let text = text.trim();
        NaiveTime::parse_from_str(text, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
            .ok()
    }

    fn from_toml(value: &toml::value::Datetime) -> Option<Self> {
        match (value.date, value.time, value.offset) {
            (None, Some(time), None) => NaiveTime::from_hms_opt(
                u32::from(time.hour),
                u32::from(time.minute),
                u32::from(time.second),
            ),
            _ => None,
        }
    }
}

struct CivilVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Civil> Visitor<'de> for CivilVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        T::parse_str(text).ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
    }

    // A native TOML date or time arrives as a map that toml's own `Datetime` knows how to read.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let value = toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        T::from_toml(&value).ok_or_else(|| {
            de::Error::custom(format_args!("expected {}, found {value}", T::EXPECTING))
        })
    }
}

fn read<'de, D: Deserializer<'de>, T: Civil>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(CivilVisitor(std::marker::PhantomData))
}

/// A wrapper so that `Option` fields can reuse the visitor.
struct Wrapped<T>(T);

impl<'de, T: Civil> Deserialize<'de> for Wrapped<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read(deserializer).map(Wrapped)
    }
}

/// `#[serde(with = "crate::dates::date")]` for a [`NaiveDate`].
pub(crate) mod date {
    use super::{Deserializer, NaiveDate, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` contract passes `&T`
    pub(crate) fn serialize<S: Serializer>(
        value: &NaiveDate,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<NaiveDate, D::Error> {
        super::read(deserializer)
    }
}

/// `#[serde(default, with = "crate::dates::option_date")]` for an `Option<NaiveDate>`.
pub(crate) mod option_date {
    use serde::Deserialize;

    use super::{Deserializer, NaiveDate, Serializer, Wrapped};

    #[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)] // serde's `with` contract passes `&Option<T>`
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(date) => serializer.collect_str(date),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        Ok(Option::<Wrapped<NaiveDate>>::deserialize(deserializer)?.map(|w| w.0))
    }
}

/// `#[serde(with = "crate::dates::time")]` for a [`NaiveTime`], written as `"HH:MM"`.
pub(crate) mod time {
    use super::{Deserializer, NaiveTime, Serializer};

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
        super::read(deserializer)
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
        Ok(Option::<Wrapped<NaiveTime>>::deserialize(deserializer)?.map(|w| w.0))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Doc {
        #[serde(with = "super::date")]
        date: NaiveDate,
        #[serde(
            default,
            with = "super::option_time",
            skip_serializing_if = "Option::is_none"
        )]
        time: Option<NaiveTime>,
    }

    #[test]
    fn toml_reads_native_and_quoted_dates_and_times() {
        let native: Doc = toml::from_str("date = 2020-08-05\ntime = 13:30:00\n").unwrap();
        let quoted: Doc = toml::from_str("date = \"2020-08-05\"\ntime = \"13:30\"\n").unwrap();
        assert_eq!(native, quoted);
        assert_eq!(native.time, NaiveTime::from_hms_opt(13, 30, 0));
        let missing: Doc = toml::from_str("date = 2020-08-05\n").unwrap();
        assert_eq!(missing.time, None);
    }

    #[test]
    fn a_datetime_where_a_date_belongs_is_refused() {
        let err = toml::from_str::<Doc>("date = 2020-08-05T10:00:00\n").unwrap_err();
        assert!(err.message().contains("expected a date"), "{err}");
        let err = serde_json::from_str::<Doc>(r#"{"date": "5 August"}"#).unwrap_err();
        assert!(
            err.to_string().contains("a date such as 2020-08-01"),
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
