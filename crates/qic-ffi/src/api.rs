//! The exported functions. Each reads its C arguments, runs [`crate::core`] inside
//! [`raw::guard`] (which catches panics) and hands back a pointer or a message.

#![allow(unsafe_code)]

use std::ffi::{CStr, c_char};

use qic_eligibility::RuleSet;

use crate::core;
use crate::raw;

/// What a call did. Every function that can fail returns one; on anything but `QIC_STATUS_OK`
/// the message is in `*err` (when `err` is not NULL) and `*out` is NULL.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QicStatus {
    /// Success: `*out` holds the result.
    Ok = 0,
    /// An argument is unusable: NULL where a value is required, text that is not UTF-8, a
    /// date that is not `YYYY-MM-DD`.
    InvalidArgument = 1,
    /// The input cannot be read or used: an application, rule set or chart request with bad
    /// syntax or a misspelt, missing or invalid field, or an unknown preset. The message names
    /// the line, column, rule or field at fault.
    InputError = 2,
    /// A bug in qic: a panic was caught at the boundary and did not reach the caller.
    InternalError = 3,
}

/// A rule set: opaque to C. Made by `qic_ruleset_from_preset`, `qic_ruleset_from_toml` or
/// `qic_ruleset_from_json`, freed by `qic_ruleset_free`. It never changes after it is made,
/// so any number of threads may judge applications with it at the same time.
pub struct QicRuleSet {
    rules: RuleSet,
}

fn into_handle(rules: RuleSet) -> *mut QicRuleSet {
    Box::into_raw(Box::new(QicRuleSet { rules }))
}

/// The library's version, e.g. `"0.1.0"`: a static string, never to be freed.
#[unsafe(no_mangle)]
pub extern "C" fn qic_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(version) => version,
            Err(_) => c"",
        };
    VERSION.as_ptr()
}

/// Makes a rule set from a built-in preset, e.g. `"pursuing-equity-action-community-2022"`
/// (`qic_presets_json` lists them).
///
/// # Safety
///
/// `name` is NULL or a NUL-terminated string; `out` and `err` are NULL or valid for writing
/// one pointer. On success free `*out` with `qic_ruleset_free`; on failure free `*err` with
/// `qic_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qic_ruleset_from_preset(
    name: *const c_char,
    out: *mut *mut QicRuleSet,
    err: *mut *mut c_char,
) -> QicStatus {
    let body = || {
        // SAFETY: the caller promises `name` is NULL or a NUL-terminated string.
        let name = unsafe { raw::read_str(name, "name") }?;
        core::ruleset_from_preset(name).map(into_handle)
    };
    // SAFETY: the caller promises `out` and `err` are NULL or writable.
    unsafe { raw::guard(out, err, body) }
}

/// Makes a rule set from the text of a TOML rule set file (as `qic eligibility rules NAME
/// --format toml` writes one).
///
/// # Safety
///
/// As `qic_ruleset_from_preset`, with `toml` in place of `name`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qic_ruleset_from_toml(
    toml: *const c_char,
    out: *mut *mut QicRuleSet,
    err: *mut *mut c_char,
) -> QicStatus {
    let body = || {
        // SAFETY: the caller promises `toml` is NULL or a NUL-terminated string.
        let text = unsafe { raw::read_str(toml, "toml") }?;
        core::ruleset_from_toml(text).map(into_handle)
    };
    // SAFETY: the caller promises `out` and `err` are NULL or writable.
    unsafe { raw::guard(out, err, body) }
}

/// Makes a rule set from JSON text (the same fields as the TOML file).
///
/// # Safety
///
/// As `qic_ruleset_from_preset`, with `json` in place of `name`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qic_ruleset_from_json(
    json: *const c_char,
    out: *mut *mut QicRuleSet,
    err: *mut *mut c_char,
) -> QicStatus {
    let body = || {
        // SAFETY: the caller promises `json` is NULL or a NUL-terminated string.
        let text = unsafe { raw::read_str(json, "json") }?;
        core::ruleset_from_json(text).map(into_handle)
    };
    // SAFETY: the caller promises `out` and `err` are NULL or writable.
    unsafe { raw::guard(out, err, body) }
}

/// Frees a rule set. NULL is ignored.
///
/// # Safety
///
/// `rules` is NULL or a rule set from this library that was not freed before, and no other
/// thread is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qic_ruleset_free(rules: *mut QicRuleSet) {
    // SAFETY: the caller promises a live handle (or NULL) that nothing else uses any more.
    raw::guard_unit(|| unsafe { raw::free_box(rules) });
}

/// Judges one application (JSON text, in the format of `docs/application.schema.json`) as of
/// a day (`"YYYY-MM-DD"`). `*out` receives the decision as indented JSON, byte for byte what
/// `qic eligibility check --format json` prints for the same application, rule set and day.
///
/// A failing application is a decision, not an error: errors are only for text that cannot be
/// read as an application (`QIC_STATUS_INPUT_ERROR`, the message naming the line, column and
/// field) and for unusable arguments.
///
/// # Safety
///
/// `rules` is NULL or a live rule set; `application_json` and `as_of` are NULL or
/// NUL-terminated strings; `out` and `err` are NULL or valid for writing one pointer. Free
/// `*out` or `*err` with `qic_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qic_evaluate_json(
    rules: *const QicRuleSet,
    application_json: *const c_char,
    as_of: *const c_char,
    out: *mut *mut c_char,
    err: *mut *mut c_char,
) -> QicStatus {
    let body = || {
        // SAFETY: the caller promises a live rule set or NULL.
        let handle = unsafe { raw::borrow(rules, "rules") }?;
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let application = unsafe { raw::read_str(application_json, "application_json") }?;
        // SAFETY: as above.
        let as_of = unsafe { raw::read_str(as_of, "as_of") }?;
        core::evaluate_json(&handle.rules, application, as_of).map(raw::into_c_string)
    };
    // SAFETY: the caller promises `out` and `err` are NULL or writable.
    unsafe { raw::guard(out, err, body) }
}

/// Computes a run or control chart from a JSON request and writes the chart as JSON (the shape
/// of `qic chart --format json`, on one line) to `*out`.
///
/// The request: `{"chart": "p", "y": [...], "n": [...], "x": [...], "options": {...}}`. `chart`
/// is one of run, i, mr, xbar, s, t, p, pp, c, u, up, g; `y` the values or numerators (`null`
/// for a missing one); `n` the denominators (p, pp, u, up); `x` the subgroup keys (numbers,
/// `"YYYY-MM-DD"` dates or labels; rows with the same key form one subgroup); `options` any of
/// `freeze`, `parts`, `exclude`, `multiply`, `screened_mr`, `negative_limits`, `centre`,
/// `target`, `direction` (`increase`, `decrease`, `neutral`), `rules` (`anhoej`, `ihi`, `mdc`),
/// `ihi`, `mdc`.
///
/// # Safety
///
/// `request_json` is NULL or a NUL-terminated string; `out` and `err` are NULL or valid for
/// writing one pointer. Free `*out` or `*err` with `qic_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qic_chart_json(
    request_json: *const c_char,
    out: *mut *mut c_char,
    err: *mut *mut c_char,
) -> QicStatus {
    let body = || {
        // SAFETY: the caller promises NULL or a NUL-terminated string.
        let request = unsafe { raw::read_str(request_json, "request_json") }?;
        core::chart_json(request).map(raw::into_c_string)
    };
    // SAFETY: the caller promises `out` and `err` are NULL or writable.
    unsafe { raw::guard(out, err, body) }
}

/// Writes the JSON Schema of the application format to `*out`.
///
/// # Safety
///
/// `out` and `err` are NULL or valid for writing one pointer. Free `*out` with
/// `qic_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qic_application_schema(
    out: *mut *mut c_char,
    err: *mut *mut c_char,
) -> QicStatus {
    let body = || Ok(raw::into_c_string(core::application_schema()));
    // SAFETY: the caller promises `out` and `err` are NULL or writable.
    unsafe { raw::guard(out, err, body) }
}

/// Writes the names of the rule set presets to `*out`, as a JSON array of strings.
///
/// # Safety
///
/// `out` and `err` are NULL or valid for writing one pointer. Free `*out` with
/// `qic_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qic_presets_json(
    out: *mut *mut c_char,
    err: *mut *mut c_char,
) -> QicStatus {
    let body = || Ok(raw::into_c_string(core::presets_json()));
    // SAFETY: the caller promises `out` and `err` are NULL or writable.
    unsafe { raw::guard(out, err, body) }
}

/// Frees a string this library handed out (a result or an error message). NULL is ignored.
///
/// # Safety
///
/// `text` is NULL or a string from this library that was not freed before and was not
/// modified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn qic_string_free(text: *mut c_char) {
    // SAFETY: the caller promises a string from this library (or NULL), freed once.
    raw::guard_unit(|| unsafe { raw::free_c_string(text) });
}
