//! Conversions shared by the modules: serde values to Python objects, dates, names, paths.

use std::path::PathBuf;

use chrono::NaiveDate;
use pyo3::exceptions::{PyImportError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use serde::Serialize;
use serde::de::{DeserializeOwned, IntoDeserializer};

use crate::errors::{InputError, Place, raise};

/// A serializable value as plain Python objects (dicts, lists, strings, numbers, None): the
/// same shape as its JSON.
pub(crate) fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(pythonize::pythonize(py, value)?)
}

/// Indented JSON ending in a newline, as the `qic` command prints `--format json`.
pub(crate) fn to_json<T: Serialize>(value: &T) -> PyResult<String> {
    let mut json = serde_json::to_string_pretty(value)
        .map_err(|e| raise::<InputError>(format!("cannot write JSON: {e}"), Place::default()))?;
    json.push('\n');
    Ok(json)
}

/// A day given as a `datetime.date` (or `datetime`, or pandas `Timestamp`) or a `YYYY-MM-DD`
/// string.
pub(crate) fn date(value: &Bound<'_, PyAny>, name: &str) -> PyResult<NaiveDate> {
    let text: String = if let Ok(text) = value.cast::<PyString>() {
        text.to_cow()?.into_owned()
    } else if value.hasattr("isoformat")? {
        let iso: String = value.call_method0("isoformat")?.extract()?;
        iso.get(..10).unwrap_or(&iso).to_owned()
    } else {
        return Err(PyTypeError::new_err(format!(
            "{name}: expected a datetime.date or a YYYY-MM-DD string"
        )));
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        raise::<InputError>(
            format!("{name}: expected a date as YYYY-MM-DD, not {text:?}"),
            Place {
                field: Some(name.to_owned()),
                ..Place::default()
            },
        )
    })
}

/// A value of a `snake_case` enum by its name in files (e.g. `higher_is_better`).
pub(crate) fn named<T: DeserializeOwned>(text: &str, name: &str) -> PyResult<T> {
    T::deserialize(text.into_deserializer()).map_err(|e: serde::de::value::Error| {
        raise::<InputError>(
            format!("{name}: {e}"),
            Place {
                field: Some(name.to_owned()),
                ..Place::default()
            },
        )
    })
}

/// The path of an `os.PathLike` (a `pathlib.Path`); `None` for anything else.
pub(crate) fn path_like(value: &Bound<'_, PyAny>) -> PyResult<Option<PathBuf>> {
    if value.is_instance_of::<PyString>() || !value.hasattr("__fspath__")? {
        return Ok(None);
    }
    let path = value.call_method0("__fspath__")?;
    Ok(Some(path.extract::<PathBuf>()?))
}

/// A path given as a string or an `os.PathLike`.
pub(crate) fn path(value: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    match path_like(value)? {
        Some(path) => Ok(path),
        None => value.extract::<PathBuf>(),
    }
}

/// Text given as `str` or UTF-8 `bytes`.
pub(crate) fn text(value: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Some(text.to_cow()?.into_owned()));
    }
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return String::from_utf8(bytes.as_bytes().to_vec())
            .map(Some)
            .map_err(|e| {
                raise::<InputError>(
                    format!(
                        "the text is not UTF-8 (at byte {})",
                        e.utf8_error().valid_up_to() + 1
                    ),
                    Place::default(),
                )
            });
    }
    Ok(None)
}

/// `pandas.DataFrame(records)`, or an `ImportError` saying pandas is needed.
pub(crate) fn data_frame<'py>(
    py: Python<'py>,
    records: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let pandas = py
        .import("pandas")
        .map_err(|_| PyImportError::new_err("to_pandas() needs pandas: pip install pandas"))?;
    pandas.call_method1("DataFrame", (records,))
}

/// `pandas.read_csv(io.StringIO(text))`: a table the library writes as CSV, as a data frame.
pub(crate) fn data_frame_from_csv<'py>(py: Python<'py>, csv: &str) -> PyResult<Bound<'py, PyAny>> {
    let pandas = py
        .import("pandas")
        .map_err(|_| PyImportError::new_err("to_pandas() needs pandas: pip install pandas"))?;
    let buffer = py.import("io")?.call_method1("StringIO", (csv,))?;
    pandas.call_method1("read_csv", (buffer,))
}

/// Where a value could not be read as JSON, and why.
pub(crate) struct ValueFault {
    /// The path to the value, e.g. `team[0].name` (empty at the top).
    pub(crate) path: String,
    pub(crate) message: String,
}

impl ValueFault {
    fn within(mut self, segment: &str) -> Self {
        self.path = if self.path.is_empty() || self.path.starts_with('[') {
            format!("{segment}{}", self.path)
        } else {
            format!("{segment}.{}", self.path)
        };
        self
    }
}

/// Python values in the JSON shape (dicts, lists and tuples, strings, numbers, booleans, None;
/// dates as `YYYY-MM-DD`) as a JSON value, for the library's serde types to read: one walk
/// over the objects, much faster than deserializing through the generic Python protocols.
pub(crate) fn to_json_value(value: &Bound<'_, PyAny>) -> Result<serde_json::Value, ValueFault> {
    use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyTuple};
    use serde_json::Value;

    let fault = |message: String| ValueFault {
        path: String::new(),
        message,
    };
    let python = |e: PyErr| fault(e.to_string());
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Value::String(text.to_cow().map_err(python)?.into_owned()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (key, item) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| fault("a key is not a string".to_owned()))?
                .to_cow()
                .map_err(python)?
                .into_owned();
            let item = to_json_value(&item).map_err(|f| f.within(&key))?;
            map.insert(key, item);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(value.is_truthy().map_err(python)?));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(n) = value.extract::<i64>() {
            return Ok(Value::from(n));
        }
        return value
            .extract::<u64>()
            .map(Value::from)
            .map_err(|_| fault("the integer is too large".to_owned()));
    }
    if value.is_instance_of::<PyFloat>() {
        let n: f64 = value.extract().map_err(python)?;
        return serde_json::Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| fault("the number is not finite".to_owned()));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        return value
            .try_iter()
            .map_err(python)?
            .enumerate()
            .map(|(i, item)| {
                to_json_value(&item.map_err(python)?).map_err(|f| f.within(&format!("[{i}]")))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array);
    }
    if value.hasattr("isoformat").map_err(python)? {
        let iso: String = value
            .call_method0("isoformat")
            .and_then(|iso| iso.extract())
            .map_err(python)?;
        return Ok(Value::String(iso.get(..10).unwrap_or(&iso).to_owned()));
    }
    let kind = value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    Err(fault(format!(
        "a {kind} is not a JSON value (use dicts, lists, strings, numbers, booleans, None and dates)"
    )))
}
