//! The JSON Schema of the application format (feature `schema`).

use crate::Application;

/// The JSON Schema (draft 2020-12) of [`Application`], pretty-printed with a final newline: the
/// text of `docs/application.schema.json`.
///
/// ```
/// let schema = qic_eligibility::application_schema();
/// let json: serde_json::Value = serde_json::from_str(&schema)?;
/// assert_eq!(json["title"], "qic application");
/// assert!(json["properties"]["team"].is_object());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn application_schema() -> String {
    let schema = schemars::schema_for!(Application);
    // A schema is a JSON value with string keys: it always serializes.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
