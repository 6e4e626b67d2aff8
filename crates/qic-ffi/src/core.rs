//! What each exported function does, in safe Rust on `&str`s: the exported functions in
//! [`crate::api`] only read their C arguments, call these and hand the result back.

use chrono::NaiveDate;
use qic_eligibility::{Application, RuleSet};
use qic_spc::{ChartOptions, ChartResult, ChartType, X};
use serde::Deserialize;

/// Why a call failed: the status it returns and the message it hands back.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: crate::QicStatus,
    pub(crate) message: String,
}

impl Failure {
    /// The caller gave an unusable argument (a null pointer, text that is not UTF-8, a bad date).
    pub(crate) fn argument(message: impl Into<String>) -> Self {
        Self {
            status: crate::QicStatus::InvalidArgument,
            message: message.into(),
        }
    }

    /// The input cannot be read or used; `error`'s message names the place.
    #[allow(clippy::needless_pass_by_value)] // Taken by value to serve as `map_err(Failure::input)`.
    pub(crate) fn input(error: impl ToString) -> Self {
        Self {
            status: crate::QicStatus::InputError,
            message: error.to_string(),
        }
    }
}

/// A rule set preset by name.
pub(crate) fn ruleset_from_preset(name: &str) -> Result<RuleSet, Failure> {
    RuleSet::preset(name).map_err(Failure::input)
}

/// A rule set from the text of a TOML rule set file.
pub(crate) fn ruleset_from_toml(text: &str) -> Result<RuleSet, Failure> {
    RuleSet::from_toml_str(text).map_err(Failure::input)
}

/// A rule set from JSON text.
pub(crate) fn ruleset_from_json(text: &str) -> Result<RuleSet, Failure> {
    RuleSet::from_json_str(text).map_err(Failure::input)
}

/// Reads the evaluation day.
pub(crate) fn parse_as_of(text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Failure::argument("as_of: expected a date as YYYY-MM-DD"))
}

/// Judges one application (JSON text) as of a day: the decision as `qic eligibility check
/// --format json` prints it.
pub(crate) fn evaluate_json(
    rules: &RuleSet,
    application: &str,
    as_of: &str,
) -> Result<String, Failure> {
    let as_of = parse_as_of(as_of)?;
    let application = Application::from_json_str(application).map_err(Failure::input)?;
    Ok(rules.evaluate(&application, as_of).to_json())
}

/// A chart request: the chart type, the columns and the options, in the JSON shapes qic-spc
/// reads and writes (`null` is a missing value).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartRequest {
    chart: ChartType,
    y: Vec<Option<f64>>,
    #[serde(default)]
    n: Option<Vec<Option<f64>>>,
    #[serde(default)]
    x: Option<Vec<Option<X>>>,
    #[serde(default)]
    options: ChartOptions,
}

/// Computes a chart from a JSON request: the chart as JSON (the shape of `qic chart --format
/// json`, on one line).
pub(crate) fn chart_json(request: &str) -> Result<String, Failure> {
    let result = chart(request)?;
    serde_json::to_string(&result).map_err(Failure::input)
}

fn chart(request: &str) -> Result<ChartResult, Failure> {
    let mut deserializer = serde_json::Deserializer::from_str(request);
    let request: ChartRequest =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let place = if path == "." {
                String::new()
            } else {
                format!(", field `{path}`")
            };
            Failure::input(format!(
                "chart request:{}:{}{place}: {}",
                inner.line(),
                inner.column(),
                json_message(&inner)
            ))
        })?;
    deserializer.end().map_err(|e| {
        Failure::input(format!(
            "chart request:{}:{}: {}",
            e.line(),
            e.column(),
            json_message(&e)
        ))
    })?;
    let missing_as_nan = |v: &[Option<f64>]| -> Vec<f64> {
        v.iter().map(|value| value.unwrap_or(f64::NAN)).collect()
    };
    let y = missing_as_nan(&request.y);
    let n = request.n.as_deref().map(missing_as_nan);
    let result =
        qic_spc::compute_columns(request.chart, &y, n.as_deref(), request.x, &request.options);
    result.map_err(|e| Failure::input(format!("chart request: {e}")))
}

/// A `serde_json` message without its " at line L column C" suffix (the caller puts the place
/// first).
fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}

/// The JSON Schema of the application format.
pub(crate) fn application_schema() -> String {
    qic_eligibility::application_schema()
}

/// The rule set presets' names as a JSON array.
pub(crate) fn presets_json() -> String {
    serde_json::to_string(&qic_eligibility::PRESETS).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const APPLICATION: &str = r#"{"cohort": "action-learning-collaborative", "organization": {"name": "A", "kind": "aco"}}"#;

    #[test]
    fn a_decision_is_the_library_s_json() {
        let rules = ruleset_from_preset("action-learning-collaborative").unwrap();
        let json = evaluate_json(&rules, APPLICATION, "2025-01-06").unwrap();
        let app = Application::from_json_str(APPLICATION).unwrap();
        let expected = rules
            .evaluate(&app, NaiveDate::from_ymd_opt(2025, 1, 6).unwrap())
            .to_json();
        assert_eq!(json, expected);
    }

    #[test]
    fn errors_name_the_place() {
        let rules = ruleset_from_preset("action-learning-collaborative").unwrap();
        let err = evaluate_json(&rules, "{\n \"teem\": 1}", "2025-01-06").unwrap_err();
        assert_eq!(err.status, crate::QicStatus::InputError);
        assert!(err.message.starts_with("application:2:"), "{}", err.message);
        assert!(
            err.message.contains("unknown field `teem`"),
            "{}",
            err.message
        );

        let err = evaluate_json(&rules, APPLICATION, "21/10/2022").unwrap_err();
        assert_eq!(err.status, crate::QicStatus::InvalidArgument);

        let err = ruleset_from_preset("nope").err().unwrap();
        assert!(err.message.contains("no rule set preset named `nope`"));
    }

    #[test]
    fn charts_read_the_request_and_name_the_field_at_fault() {
        let json =
            chart_json(r#"{"chart": "c", "y": [4, 6, 5, null, 3], "options": {"freeze": 3}}"#)
                .unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["chart"], "c");
        assert_eq!(value["points"].as_array().map(Vec::len), Some(5));

        let err = chart_json(r#"{"chart": "c", "y": [1], "options": {"frezee": 3}}"#).unwrap_err();
        assert!(
            err.message.contains("field `options.frezee`"),
            "{}",
            err.message
        );
        let err = chart_json(r#"{"chart": "p", "y": [1, 2], "n": [2]}"#).unwrap_err();
        assert!(
            err.message.contains("n has 1 values but y has 2"),
            "{}",
            err.message
        );
        let err = chart_json(r#"{"chart": "p", "y": [3], "n": [2]}"#).unwrap_err();
        assert!(err.message.contains("row 1, y"), "{}", err.message);
    }

    #[test]
    fn charts_with_keys_take_dates_and_rows_without_one() {
        let json = chart_json(
            r#"{"chart": "i", "x": ["2024-01-01", null, "2024-02-01", "2024-03-01"], "y": [1, 2, 3, 4]}"#,
        )
        .unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["points"].as_array().map(Vec::len), Some(3));
    }
}
