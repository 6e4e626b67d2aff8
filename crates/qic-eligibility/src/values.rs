//! Small validated values shared by applications and rule sets: cohort ids and shares.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::EligibilityError;

/// A stable string id of a cohort, e.g. `"pursuing-equity-2022/action-community"`.
///
/// Applications name the cohort they apply for with it, and rule sets name the cohort they admit
/// and the one they offer instead. It is text on purpose: a sponsor writes it by hand, and it does
/// not depend on how a program's cohorts are modelled elsewhere. It is non-empty, at most 200
/// characters, and has no whitespace or control characters.
///
/// ```
/// use qic_eligibility::CohortRef;
///
/// let cohort = CohortRef::new("pursuing-equity-2022/learning-network")?;
/// assert_eq!(cohort.as_str(), "pursuing-equity-2022/learning-network");
/// assert!(CohortRef::new("two words").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CohortRef(String);

impl CohortRef {
    /// Checks and wraps a cohort id.
    ///
    /// # Errors
    ///
    /// [`EligibilityError::InvalidValue`] when the id is empty, longer than 200 characters, or
    /// contains whitespace or control characters.
    pub fn new(id: impl Into<String>) -> Result<Self, EligibilityError> {
        let id = id.into();
        match Self::problem(&id) {
            Some(message) => Err(EligibilityError::InvalidValue {
                what: "cohort id",
                message: message.to_owned(),
            }),
            None => Ok(Self(id)),
        }
    }

    fn problem(id: &str) -> Option<&'static str> {
        if id.is_empty() {
            Some("a cohort id cannot be empty")
        } else if id.chars().count() > 200 {
            Some("a cohort id has at most 200 characters")
        } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some("a cohort id has no spaces or control characters (e.g. \"program-2022/cohort\")")
        } else {
            None
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CohortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CohortRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = String::deserialize(deserializer)?;
        match Self::problem(&id) {
            Some(message) => Err(serde::de::Error::custom(message)),
            None => Ok(Self(id)),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for CohortRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CohortRef".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A stable cohort id, e.g. \"pursuing-equity-2022/action-community\".",
            "minLength": 1,
            "maxLength": 200,
            "pattern": "^[^\\s]+$"
        })
    }
}

/// A share between 0 and 1 (e.g. the share of records in which a field is complete).
///
/// ```
/// use qic_eligibility::Share;
///
/// let share = Share::new(0.85)?;
/// assert_eq!(share.get(), 0.85);
/// assert_eq!(share.to_string(), "85%");
/// assert!(Share::new(1.5).is_err());
/// assert!(Share::new(f64::NAN).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Share(f64);

impl Share {
    /// Checks and wraps a share.
    ///
    /// # Errors
    ///
    /// [`EligibilityError::InvalidValue`] when the value is not a number from 0 to 1.
    pub fn new(value: f64) -> Result<Self, EligibilityError> {
        if (0.0..=1.0).contains(&value) {
            Ok(Self(value))
        } else {
            Err(EligibilityError::InvalidValue {
                what: "share",
                message: "a share is a number from 0 to 1 (e.g. 0.85 for 85%)".to_owned(),
            })
        }
    }

    /// The share, from 0 to 1.
    pub const fn get(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Share {
    /// As a percentage, rounded down to one decimal so that a share just below a threshold never
    /// prints as the threshold itself (0.5999 is "59.9%", not "60%").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The small epsilon absorbs binary representation error (0.29 * 1000 = 289.999...).
        let tenths = (self.0 * 1000.0 + 1e-6).floor();
        if tenths % 10.0 == 0.0 {
            write!(f, "{}%", tenths / 10.0)
        } else {
            write!(f, "{:.1}%", tenths / 10.0)
        }
    }
}

impl<'de> Deserialize<'de> for Share {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Self::new(value).map_err(|_| {
            serde::de::Error::custom("a share is a number from 0 to 1 (e.g. 0.85 for 85%)")
        })
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Share {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Share".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "A share from 0 to 1 (0.85 means 85%).",
            "minimum": 0,
            "maximum": 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_print_rounded_down() {
        let p = |x: f64| Share::new(x).unwrap().to_string();
        assert_eq!(p(0.0), "0%");
        assert_eq!(p(1.0), "100%");
        assert_eq!(p(0.6), "60%");
        assert_eq!(p(0.29), "29%");
        assert_eq!(p(0.5999), "59.9%");
        assert_eq!(p(0.925), "92.5%");
    }

    #[test]
    fn shares_outside_zero_to_one_are_refused_when_read() {
        let err = serde_json::from_str::<Share>("1.2")
            .unwrap_err()
            .to_string();
        assert!(err.contains("from 0 to 1"), "{err}");
        assert!(serde_json::from_str::<Share>("-0.1").is_err());
        let share = serde_json::from_str::<Share>("0.3").unwrap().get();
        assert!((share - 0.3).abs() < f64::EPSILON);
    }

    #[test]
    fn cohort_ids_have_no_spaces() {
        assert!(CohortRef::new("").is_err());
        assert!(CohortRef::new("a\tb").is_err());
        assert!(CohortRef::new("x".repeat(201)).is_err());
        assert!(serde_json::from_str::<CohortRef>("\"a b\"").is_err());
        assert_eq!(
            serde_json::from_str::<CohortRef>("\"pe/ac\"")
                .unwrap()
                .as_str(),
            "pe/ac"
        );
    }
}
