//! `qic.spc`: run and control charts.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyString};
use qic_spc::svg::{SvgOptions, render};
use qic_spc::{ChartOptions, ChartResult, ChartType, Date, SignalRules, X};

use crate::convert::{self, data_frame, to_json, to_python};
use crate::errors::{self, ChartError, Place, raise};

/// A computed chart: points, a summary per part, signals.
#[pyclass(frozen, module = "qic", name = "Chart")]
pub(crate) struct PyChart {
    result: ChartResult,
}

#[pymethods]
impl PyChart {
    /// The chart type, e.g. `p`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.result.chart().name()
    }

    /// One dict per point: x, y, n, cl, lcl, ucl, lcl_95, ucl_95, sigma_signal, part,
    /// baseline, include, signals.
    #[getter]
    fn points<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.result.points().collect::<Vec<_>>())
    }

    /// One dict per part: centre line, mean limits, run statistics, signals.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.result.summary())
    }

    /// The signals, each naming its rule and the subgroups it covers.
    #[getter]
    fn signals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, self.result.signals())
    }

    /// Whether a runs rule signals in any part.
    #[getter]
    fn runs_signal(&self) -> bool {
        self.result.runs_signal()
    }

    /// The chart as plain Python values: the JSON of `qic chart --format json`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.result)
    }

    /// The chart as indented JSON.
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.result)
    }

    /// The points as a pandas DataFrame (needs pandas).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        data_frame(py, self.points(py)?)
    }

    /// The chart as a self-contained SVG document.
    #[pyo3(signature = (title = None, width = None, height = None))]
    fn to_svg(&self, title: Option<String>, width: Option<u32>, height: Option<u32>) -> String {
        let mut options = SvgOptions::default();
        if let Some(title) = title {
            options = options.title(title);
        }
        if let (Some(width), Some(height)) = (width, height) {
            options = options.size(width, height);
        }
        render(&self.result, &options)
    }

    /// What was charted and what it shows, in a sentence or two.
    fn describe(&self) -> String {
        self.result.describe()
    }

    fn __len__(&self) -> usize {
        self.result.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Chart {}: {} points>",
            self.result.chart().name(),
            self.result.len()
        )
    }
}

/// Values or numerators: numbers, with None or NaN for a missing one.
fn values(value: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<f64>> {
    if value.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{name}: expected a sequence of numbers"
        )));
    }
    let values: Vec<Option<f64>> = value.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name}: expected a sequence of numbers (None for missing)"
        ))
    })?;
    Ok(values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

/// One subgroup key: a number, a date or a label; None (or NaN) for none.
fn key(value: &Bound<'_, PyAny>, row: usize) -> PyResult<Option<X>> {
    if value.is_none() {
        return Ok(None);
    }
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?;
        let text = text.trim();
        return Ok((!text.is_empty()).then(|| {
            text.parse::<Date>()
                .map_or_else(|_| X::Label(text.to_owned()), X::Date)
        }));
    }
    if value.is_instance_of::<PyBool>() {
        return Err(key_error(row));
    }
    if value.hasattr("year")? && value.hasattr("month")? && value.hasattr("day")? {
        let part = |name: &str| value.getattr(name)?.extract::<i64>();
        let (Ok(year), Ok(month), Ok(day)) = (part("year"), part("month"), part("day")) else {
            return Ok(None); // pandas' NaT
        };
        let date = i32::try_from(year).ok().and_then(|year| {
            Date::from_ymd(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
        });
        return date.map(|d| Some(X::Date(d))).ok_or_else(|| key_error(row));
    }
    match value.extract::<f64>() {
        Ok(number) if number.is_nan() => Ok(None),
        Ok(number) => Ok(Some(X::Number(number))),
        Err(_) => Err(key_error(row)),
    }
}

fn key_error(row: usize) -> PyErr {
    raise::<ChartError>(
        format!("row {row}, x: expected a number, a date or a label"),
        Place {
            row: Some(row),
            field: Some("x".to_owned()),
            ..Place::default()
        },
    )
}

/// Computes a run or control chart.
#[pyfunction]
#[pyo3(signature = (
    kind, y, n = None, x = None, *, freeze = None, part = None, exclude = None,
    rules = "anhoj", multiply = None, target = None, direction = None, screened_mr = true,
    negative_limits = true, centre = None
))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per chart option.
fn chart(
    py: Python<'_>,
    kind: &str,
    y: &Bound<'_, PyAny>,
    n: Option<&Bound<'_, PyAny>>,
    x: Option<&Bound<'_, PyAny>>,
    freeze: Option<usize>,
    part: Option<Vec<usize>>,
    exclude: Option<Vec<usize>>,
    rules: &str,
    multiply: Option<f64>,
    target: Option<f64>,
    direction: Option<&str>,
    screened_mr: bool,
    negative_limits: bool,
    centre: Option<f64>,
) -> PyResult<PyChart> {
    let kind: ChartType = kind.parse().map_err(errors::spc)?;
    let mut options = ChartOptions::default()
        .parts(part.unwrap_or_default())
        .exclude(exclude.unwrap_or_default())
        .screened_mr(screened_mr)
        .negative_limits(negative_limits)
        .rules(rules.parse::<SignalRules>().map_err(errors::spc)?);
    if let Some(freeze) = freeze {
        options = options.freeze(freeze);
    }
    if let Some(multiply) = multiply {
        options = options.multiply(multiply);
    }
    if let Some(target) = target {
        options = options.target(target);
    }
    if let Some(centre) = centre {
        options = options.centre(centre);
    }
    if let Some(direction) = direction {
        options = options.direction(convert::named(direction, "direction")?);
    }
    let y = values(y, "y")?;
    let n = n.map(|n| values(n, "n")).transpose()?;
    let keys = match x {
        None => None,
        Some(x) => {
            if x.is_instance_of::<PyString>() {
                return Err(PyTypeError::new_err("x: expected a sequence of keys"));
            }
            let keys = x
                .try_iter()?
                .enumerate()
                .map(|(i, item)| key(&item?, i + 1))
                .collect::<PyResult<Vec<_>>>()?;
            Some(keys)
        }
    };
    let result = py.detach(|| qic_spc::compute_columns(kind, &y, n.as_deref(), keys, &options));
    result.map(|result| PyChart { result }).map_err(errors::spc)
}

pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyChart>()?;
    module.add_function(wrap_pyfunction!(chart, module)?)?;
    Ok(())
}
