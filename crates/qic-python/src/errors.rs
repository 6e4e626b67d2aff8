//! The exceptions: each library error becomes one with the library's message (naming the
//! file, line, column and field) and those places as attributes.

use pyo3::exceptions::{PyException, PyFileNotFoundError, PyOSError, PyPermissionError};
use pyo3::prelude::*;
use qic_eligibility::EligibilityError;
use qic_equity::EquityError;
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
    pub(crate) column: Option<usize>,
    pub(crate) field: Option<String>,
    pub(crate) row: Option<usize>,
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

fn os_error(message: String, source: &std::io::Error) -> PyErr {
    match source.kind() {
        std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(message),
        std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(message),
        _ => PyOSError::new_err(message),
    }
}

/// An eligibility error as a Python exception.
pub(crate) fn eligibility(err: EligibilityError) -> PyErr {
    let message = err.to_string();
    match err {
        EligibilityError::Application {
            source_name,
            line,
            column,
            ..
        } => raise::<ApplicationError>(
            message,
            Place {
                source: Some(source_name),
                line: line.map(|l| l as u64),
                column,
                ..Place::default()
            },
        ),
        EligibilityError::RuleSetSyntax {
            source_name,
            line,
            column,
            ..
        } => raise::<RuleSetError>(
            message,
            Place {
                source: Some(source_name),
                line: line.map(|l| l as u64),
                column,
                ..Place::default()
            },
        ),
        EligibilityError::Rule {
            source_name, index, ..
        } => raise::<RuleSetError>(
            message,
            Place {
                source: Some(source_name),
                field: Some(format!("rules[{index}]")),
                ..Place::default()
            },
        ),
        EligibilityError::RuleSet { source_name, .. } => raise::<RuleSetError>(
            message,
            Place {
                source: Some(source_name),
                ..Place::default()
            },
        ),
        EligibilityError::UnknownPreset { .. } => raise::<RuleSetError>(message, Place::default()),
        EligibilityError::Io { ref source, .. } | EligibilityError::BatchIo { ref source, .. } => {
            os_error(message, source)
        }
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
            column: Some(column_number),
            field: Some(column),
            ..Place::default()
        },
        EquityError::FieldCount {
            source_name, line, ..
        }
        | EquityError::Csv {
            source_name, line, ..
        }
        | EquityError::Mapping {
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
