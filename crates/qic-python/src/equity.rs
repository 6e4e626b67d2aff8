//! `qic.equity`: measures stratified by period and group, and the gaps between groups, from a
//! CSV extract or a data frame's columns, small cells suppressed by default.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use qic_equity::EquityError;
use qic_equity::codes::Dimension;
use qic_equity::disparity::{DisparityReport, RatePolarity, Reference};
use qic_equity::mapping::{Mapping, MultipleRule};
use qic_equity::read::{ReadOptions, StratifySpec, stratify_file, stratify_records};
use qic_equity::stratify::{StratifiedCounts, StratifiedTable, Stratifier};
use qic_equity::suppression::{Reliability, Suppression};

use crate::convert::{self, data_frame_from_csv, to_json, to_python};
use crate::errors;

/// The name errors give a data frame.
const FRAME: &str = "data frame";

/// A shareable stratified table: per period and stratum, per period, per stratum and overall.
#[pyclass(frozen, module = "qic", name = "StratifiedTable")]
pub(crate) struct PyTable {
    table: StratifiedTable,
    mapping: Arc<Mapping>,
}

#[pymethods]
impl PyTable {
    /// One dict per period and stratum: period, stratum, estimate (numerator, denominator,
    /// rate, interval, suppressed, unreliable).
    #[getter]
    fn cells<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.table.cells)
    }

    /// Rows read, used and skipped (small counts hidden).
    #[getter]
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.table.rows)
    }

    /// The grand total's estimate.
    #[getter]
    fn total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.table.total)
    }

    /// The gaps between groups against a reference: a group (e.g. `"white"`, or
    /// `"white/not_hispanic_or_latino"` for crossed strata), `"largest"` or `"best"`.
    fn disparity(&self, reference: &str, direction: &str) -> PyResult<PyDisparity> {
        disparity_of(&self.table, &self.mapping, reference, direction)
    }

    /// The table as plain Python values (its JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.table)
    }

    /// The table as indented JSON (`qic equity stratify --format json`).
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.table)
    }

    /// The table as text.
    fn to_text(&self) -> String {
        self.table.to_text()
    }

    /// The table as CSV (`qic equity stratify --format csv`).
    fn to_csv(&self) -> String {
        self.table.to_csv()
    }

    /// The CSV table as a pandas DataFrame (needs pandas).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        data_frame_from_csv(py, &self.table.to_csv())
    }

    fn __str__(&self) -> String {
        self.table.to_text()
    }

    fn __repr__(&self) -> String {
        format!("<StratifiedTable: {} cells>", self.table.cells.len())
    }
}

/// Gaps between groups per period against a reference group, and the gap series.
#[pyclass(frozen, module = "qic", name = "Disparity")]
pub(crate) struct PyDisparity {
    report: DisparityReport,
}

#[pymethods]
impl PyDisparity {
    /// Per period: the reference, each group compared with it, the composite measures.
    #[getter]
    fn periods<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.report.periods)
    }

    /// Per group, its rate difference to the reference period by period.
    #[getter]
    fn gaps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.report.gaps)
    }

    /// The report as plain Python values (its JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.report)
    }

    /// The report as indented JSON (`qic equity disparity --format json`).
    fn to_json(&self) -> PyResult<String> {
        to_json(&self.report)
    }

    /// The report as text.
    fn to_text(&self) -> String {
        self.report.to_text()
    }

    /// One line per period and compared group (`qic equity disparity --format csv`).
    fn to_csv(&self) -> String {
        self.report.to_csv()
    }

    /// The CSV comparisons as a pandas DataFrame (needs pandas).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        data_frame_from_csv(py, &self.report.to_csv())
    }

    fn __str__(&self) -> String {
        self.report.to_text()
    }

    fn __repr__(&self) -> String {
        format!("<Disparity: {} periods>", self.report.periods.len())
    }
}

fn disparity_of(
    table: &StratifiedTable,
    mapping: &Mapping,
    reference: &str,
    direction: &str,
) -> PyResult<PyDisparity> {
    let direction: RatePolarity = convert::named(direction, "direction")?;
    let reference =
        Reference::parse(reference, &table.stratifiers, mapping).map_err(errors::equity)?;
    DisparityReport::new(table, &reference, direction)
        .map(|report| PyDisparity { report })
        .map_err(errors::equity)
}

/// The measure, its stratifiers and the settings shared by `stratify` and `disparity`.
struct Measure {
    spec: StratifySpec,
    mapping: Mapping,
    suppression: Suppression,
    threads: Option<usize>,
}

impl Measure {
    #[allow(clippy::too_many_arguments)] // The keyword arguments of `stratify`.
    fn new(
        py: Python<'_>,
        period: String,
        numerator: String,
        denominator: Option<String>,
        by: Option<&Bound<'_, PyAny>>,
        by_column: Option<Vec<String>>,
        maps: Option<Vec<Bound<'_, PyAny>>>,
        multiple_races: &str,
        suppress_up_to: u64,
        no_suppression_internal_use_only: bool,
        threads: Option<usize>,
    ) -> PyResult<Self> {
        let mut stratifiers = match by {
            None => Vec::new(),
            Some(by) => dimension_stratifiers(by)?,
        };
        stratifiers.extend(
            by_column
                .unwrap_or_default()
                .into_iter()
                .map(Stratifier::column),
        );
        if stratifiers.is_empty() {
            return Err(errors::equity(EquityError::InvalidSetting {
                setting: "by",
                message: "give at least one stratifier: by=\"race\" (or a list, or a dict of \
                          dimension to column) or by_column=[...]"
                    .to_owned(),
            }));
        }
        let mut mapping = Mapping::standard();
        for path in maps.unwrap_or_default() {
            mapping
                .add_file(&convert::path(&path)?, qic_io::DEFAULT_MAX_LINE_BYTES)
                .map_err(errors::equity)?;
        }
        let suppression = if no_suppression_internal_use_only {
            py.import("warnings")?.call_method1(
                "warn",
                ("suppression is off; the output shows small counts and must not be shared",),
            )?;
            Suppression::off_for_internal_use_only()
        } else {
            Suppression::with_threshold(suppress_up_to).map_err(errors::equity)?
        };
        Ok(Self {
            spec: StratifySpec {
                period,
                numerator,
                denominator,
                stratifiers,
                rule: convert::named::<MultipleRule>(multiple_races, "multiple_races")?,
            },
            mapping,
            suppression,
            threads,
        })
    }

    /// Reads the data (a CSV path, or a frame's columns) into counts, detached.
    fn counts(&self, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<StratifiedCounts> {
        let path = match convert::path_like(data)? {
            Some(path) => Some(path),
            None if data.is_instance_of::<PyString>() => Some(convert::path(data)?),
            None => None,
        };
        let counts = if let Some(path) = path {
            let options = match self.threads {
                Some(threads) => ReadOptions {
                    threads: threads.max(1),
                    ..ReadOptions::default()
                },
                None => ReadOptions::default(),
            };
            py.detach(|| stratify_file(&path, &self.spec, &self.mapping, &options))
        } else {
            let (header, columns) = frame_columns(data, &self.spec)?;
            let rows = columns.first().map_or(0, Vec::len);
            py.detach(|| {
                let records = (0..rows).map(|i| {
                    columns
                        .iter()
                        .map(move |c| c.get(i).map_or("", String::as_str))
                });
                stratify_records(&header, records, FRAME, &self.spec, &self.mapping)
            })
        };
        counts.map_err(errors::equity)
    }

    fn table(&self, counts: &StratifiedCounts) -> StratifiedTable {
        counts.table(&self.suppression, &Reliability::default())
    }
}

/// Stratifiers from `by`: a dimension name (also its column), a list of them, or a dict of
/// dimension to column.
fn dimension_stratifiers(by: &Bound<'_, PyAny>) -> PyResult<Vec<Stratifier>> {
    let stratifier = |dimension: &str, column: String| -> PyResult<Stratifier> {
        let dimension = dimension.trim().parse::<Dimension>().map_err(|e| {
            errors::equity(EquityError::InvalidSetting {
                setting: "by",
                message: format!("{e}; use by_column for a plain column"),
            })
        })?;
        Ok(Stratifier::dimension(dimension, column))
    };
    if let Ok(name) = by.extract::<String>() {
        return Ok(vec![stratifier(&name, name.trim().to_owned())?]);
    }
    if let Ok(dict) = by.cast::<PyDict>() {
        return dict
            .iter()
            .map(|(dimension, column)| {
                stratifier(&dimension.extract::<String>()?, column.extract::<String>()?)
            })
            .collect();
    }
    by.extract::<Vec<String>>()?
        .into_iter()
        .map(|name| stratifier(&name, name.trim().to_owned()))
        .collect()
}

/// The columns the spec reads, each as text cells (empty for a missing value), and their names.
fn frame_columns(
    frame: &Bound<'_, PyAny>,
    spec: &StratifySpec,
) -> PyResult<(Vec<String>, Vec<Vec<String>>)> {
    let mut names = vec![spec.period.clone(), spec.numerator.clone()];
    names.extend(spec.denominator.iter().cloned());
    names.extend(spec.stratifiers.iter().map(|s| s.column.clone()));
    let columns = names
        .iter()
        .map(|name| {
            let column = frame.get_item(name).map_err(|_| {
                errors::equity(EquityError::MissingColumn {
                    source_name: FRAME.to_owned(),
                    column: name.clone(),
                })
            })?;
            // pandas and polars Series have `to_list`; anything iterable will do.
            let values = if column.hasattr("to_list")? {
                column.call_method0("to_list")?
            } else {
                column
            };
            values
                .try_iter()?
                .map(|value| cell(&value?))
                .collect::<PyResult<Vec<String>>>()
        })
        .collect::<PyResult<Vec<_>>>()?;
    if let Some(first) = columns.first()
        && columns.iter().any(|c| c.len() != first.len())
    {
        return Err(errors::equity(EquityError::InvalidSetting {
            setting: "data",
            message: "the columns have different lengths".to_owned(),
        }));
    }
    Ok((names, columns))
}

/// One value as the text of a CSV cell: empty for None, NaN, NaT or NA; dates as YYYY-MM-DD.
fn cell(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if value.is_none() {
        return Ok(String::new());
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    if let Ok(flag) = value.extract::<bool>()
        && value.is_instance_of::<pyo3::types::PyBool>()
    {
        return Ok(if flag { "1" } else { "0" }.to_owned());
    }
    // A missing value is not equal to itself (NaN, NaT); pandas' NA cannot even say so.
    let missing = value.ne(value).unwrap_or(true);
    if missing {
        return Ok(String::new());
    }
    if let Ok(number) = value.extract::<i64>() {
        return Ok(number.to_string());
    }
    if value.hasattr("isoformat")? {
        let iso: String = value.call_method0("isoformat")?.extract()?;
        return Ok(iso.get(..10).unwrap_or(&iso).to_owned());
    }
    if let Ok(number) = value.extract::<f64>() {
        return Ok(number.to_string());
    }
    Ok(value.str()?.to_cow()?.into_owned())
}

/// A measure per period and stratum from a CSV extract or a data frame.
#[pyfunction]
#[pyo3(signature = (
    data, *, period, numerator, denominator = None, by = None, by_column = None, maps = None,
    multiple_races = "multiracial", suppress_up_to = Suppression::CMS_THRESHOLD,
    no_suppression_internal_use_only = false, threads = None
))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments.
fn stratify(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    period: String,
    numerator: String,
    denominator: Option<String>,
    by: Option<&Bound<'_, PyAny>>,
    by_column: Option<Vec<String>>,
    maps: Option<Vec<Bound<'_, PyAny>>>,
    multiple_races: &str,
    suppress_up_to: u64,
    no_suppression_internal_use_only: bool,
    threads: Option<usize>,
) -> PyResult<PyTable> {
    let measure = Measure::new(
        py,
        period,
        numerator,
        denominator,
        by,
        by_column,
        maps,
        multiple_races,
        suppress_up_to,
        no_suppression_internal_use_only,
        threads,
    )?;
    let counts = measure.counts(py, data)?;
    Ok(PyTable {
        table: measure.table(&counts),
        mapping: Arc::new(measure.mapping),
    })
}

/// The gaps between groups, per period, against a reference group.
#[pyfunction]
#[pyo3(signature = (
    data, *, period, numerator, reference, direction, denominator = None, by = None,
    by_column = None, maps = None, multiple_races = "multiracial",
    suppress_up_to = Suppression::CMS_THRESHOLD, no_suppression_internal_use_only = false,
    threads = None
))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments.
fn disparity(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    period: String,
    numerator: String,
    reference: &str,
    direction: &str,
    denominator: Option<String>,
    by: Option<&Bound<'_, PyAny>>,
    by_column: Option<Vec<String>>,
    maps: Option<Vec<Bound<'_, PyAny>>>,
    multiple_races: &str,
    suppress_up_to: u64,
    no_suppression_internal_use_only: bool,
    threads: Option<usize>,
) -> PyResult<PyDisparity> {
    let measure = Measure::new(
        py,
        period,
        numerator,
        denominator,
        by,
        by_column,
        maps,
        multiple_races,
        suppress_up_to,
        no_suppression_internal_use_only,
        threads,
    )?;
    let counts = measure.counts(py, data)?;
    disparity_of(
        &measure.table(&counts),
        &measure.mapping,
        reference,
        direction,
    )
}

pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyTable>()?;
    module.add_class::<PyDisparity>()?;
    module.add_function(wrap_pyfunction!(stratify, module)?)?;
    module.add_function(wrap_pyfunction!(disparity, module)?)?;
    Ok(())
}
