//! The exceptions: each library error becomes one with the library's message (naming the
//! file, line, column and field) and those places as attributes.

use pyo3::exceptions::{PyException, PyFileNotFoundError, PyOSError, PyPermissionError};
use pyo3::prelude::*;
use qic_eligibility::EligibilityError;
use qic_equity::EquityError;
use qic_io::{DocumentError, Location};
use qic_spc::SpcError;

pyo3::create_exception!(
    qic,
    QicError,
    PyException,
    "The base of every error qic raises (besides OSError for files that cannot be read)."
);
pyo3::create_exception!(
    qic,
    InputError,
    QicError,
    "Input that cannot be read or used. The message names the place; so do the attributes \
     `source`, `line`, `column`, `field` and `row` (None where they do not apply)."
);
pyo3::create_exception!(
    qic,
    ApplicationError,
    InputError,
    "An application that cannot be read: bad syntax, or a misspelt, missing or invalid field."
);
pyo3::create_exception!(
    qic,
    RuleSetError,
    InputError,
    "A rule set that cannot be read or used, or an unknown preset."
);
pyo3::create_exception!(
    qic,
    ChartError,
    InputError,
    "Chart input that cannot be used: a value this chart type refuses, columns of different \
     lengths, an option out of range."
);
pyo3::create_exception!(
    qic,
    DataError,
    InputError,
    "An extract or its settings cannot be used: a missing column, a malformed date or count \
     (named by line and column, never by value), a bad mapping file or setting."
);

/// The places an error names, set as attributes of the exception.
#[derive(Default)]
pub(crate) struct Place {
    pub(crate) source: Option<String>,
    pub(crate) line: Option<u64>,
    pub(crate) column: Option<u64>,
    pub(crate) field: Option<String>,
    pub(crate) row: Option<usize>,
}

impl Place {
    fn of(location: &Location) -> Self {
        Self {
            source: Some(location.source.clone()),
            line: location.line,
            column: location.column,
            field: location.field.clone(),
            row: None,
        }
    }
}

/// An exception of type `T` with `message` and the place's attributes.
pub(crate) fn raise<T: pyo3::PyTypeInfo>(message: String, place: Place) -> PyErr {
    let err = PyErr::new::<T, _>(message);
    Python::attach(|py| {
        let value = err.value(py);
        // Setting attributes on a fresh exception cannot fail; if it did, the message still
        // names the place.
        let _ = value.setattr("source", place.source);
        let _ = value.setattr("line", place.line);
        let _ = value.setattr("column", place.column);
        let _ = value.setattr("field", place.field);
        let _ = value.setattr("row", place.row);
    });
    err
}

/// An OS error (FileNotFoundError, PermissionError, OSError) with `message`.
pub(crate) fn os_error(message: String, source: &std::io::Error) -> PyErr {
    match source.kind() {
        std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(message),
        std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(message),
        _ => PyOSError::new_err(message),
    }
}

/// A document error (a file that cannot be read or parsed) as an exception of type `T`.
fn document<T: pyo3::PyTypeInfo>(message: String, err: &DocumentError) -> PyErr {
    match err {
        DocumentError::Io { source, .. } => os_error(message, source),
        DocumentError::Invalid { location, .. } => raise::<T>(message, Place::of(location)),
        _ => raise::<T>(message, Place::default()),
    }
}

/// An eligibility error while reading an application as a Python exception.
#[allow(clippy::needless_pass_by_value)] // Taken by value to serve as `map_err(errors::application)`.
pub(crate) fn application(err: EligibilityError) -> PyErr {
    eligibility_as::<ApplicationError>(&err)
}

/// An eligibility error while reading a rule set as a Python exception.
#[allow(clippy::needless_pass_by_value)] // Taken by value to serve as `map_err(errors::rule_set)`.
pub(crate) fn rule_set(err: EligibilityError) -> PyErr {
    eligibility_as::<RuleSetError>(&err)
}

/// An eligibility error as a Python exception; `T` is the type for document errors.
fn eligibility_as<T: pyo3::PyTypeInfo>(err: &EligibilityError) -> PyErr {
    let message = err.to_string();
    match err {
        EligibilityError::Document(document_error) => document::<T>(message, document_error),
        EligibilityError::Application { location, .. } => {
            raise::<ApplicationError>(message, Place::of(location))
        }
        EligibilityError::Rule { location, .. } => {
            raise::<RuleSetError>(message, Place::of(location))
        }
        EligibilityError::RuleSet { location, .. } => {
            raise::<RuleSetError>(message, Place::of(location))
        }
        EligibilityError::UnknownPreset { .. } => raise::<RuleSetError>(message, Place::default()),
        EligibilityError::BatchIo { source, .. } => os_error(message, source),
        _ => raise::<InputError>(message, Place::default()),
    }
}

/// A chart error as a Python exception.
#[allow(clippy::needless_pass_by_value)] // Taken by value to serve as `map_err(errors::spc)`.
pub(crate) fn spc(err: SpcError) -> PyErr {
    let message = err.to_string();
    let place = match err {
        SpcError::InvalidValue { row, field, .. } => Place {
            row: Some(row),
            field: Some(field.to_owned()),
            ..Place::default()
        },
        SpcError::MixedX { row } => Place {
            row: Some(row),
            field: Some("x".to_owned()),
            ..Place::default()
        },
        SpcError::LengthMismatch { field, .. } => Place {
            field: Some(field.to_owned()),
            ..Place::default()
        },
        SpcError::PositionBeyondData { option, .. } | SpcError::InvalidOption { option, .. } => {
            Place {
                field: Some(option.to_owned()),
                ..Place::default()
            }
        }
        _ => Place::default(),
    };
    raise::<ChartError>(message, place)
}

/// An equity error as a Python exception.
pub(crate) fn equity(err: EquityError) -> PyErr {
    let message = err.to_string();
    let place = match err {
        EquityError::Io { ref source, .. } => return os_error(message, source),
        EquityError::MissingColumn {
            source_name,
            column,
        } => Place {
            source: Some(source_name),
            line: Some(1),
            field: Some(column),
            ..Place::default()
        },
        EquityError::Row {
            source_name,
            line,
            column_number,
            column,
            ..
        } => Place {
            source: Some(source_name),
            line: Some(line),
            column: Some(column_number as u64),
            field: Some(column),
            ..Place::default()
        },
        EquityError::Mapping { ref location, .. } => Place::of(location),
        EquityError::Document(ref document_error) => {
            return document::<DataError>(message, document_error);
        }
        EquityError::FieldCount {
            source_name, line, ..
        }
        | EquityError::Csv {
            source_name, line, ..
        } => Place {
            source: Some(source_name),
            line: Some(line),
            ..Place::default()
        },
        EquityError::InvalidSetting { setting, .. } => Place {
            field: Some(setting.to_owned()),
            ..Place::default()
        },
        _ => Place::default(),
    };
    raise::<DataError>(message, place)
}

/// Adds the exception types to the module, with every place attribute None by default.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("QicError", py.get_type::<QicError>())?;
    let input = py.get_type::<InputError>();
    for attribute in ["source", "line", "column", "field", "row"] {
        input.setattr(attribute, py.None())?;
    }
    module.add("InputError", input)?;
    module.add("ApplicationError", py.get_type::<ApplicationError>())?;
    module.add("RuleSetError", py.get_type::<RuleSetError>())?;
    module.add("ChartError", py.get_type::<ChartError>())?;
    module.add("DataError", py.get_type::<DataError>())?;
    Ok(())
}
