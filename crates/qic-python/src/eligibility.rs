//! `qic.eligibility`: rule sets, applications judged into decisions, batches.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyString};
use qic_eligibility::batch::{self, BatchRecord};
use qic_eligibility::{Application, Decision, EligibilityError, Finding, PRESETS, RuleSet, Status};
use serde::{Deserialize, Serialize};

use crate::convert::{self, to_json, to_python};
use crate::errors::{self, ApplicationError, Place, raise};

/// Applications judged per trip out of the interpreter in a batch: few enough that what one
/// chunk reads stays in the cache until it is judged.
const CHUNK: usize = 64;

/// The name a value has in files and JSON (`eligible`, `not_applicable`, ...).
fn file_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn py_date(py: Python<'_>, day: NaiveDate) -> PyResult<Bound<'_, PyAny>> {
    py.import("datetime")?
        .getattr("date")?
        .call1((day.year(), day.month(), day.day()))
}

/// A rule set: who may join a cohort, as typed rules with ids, severities and citations.
#[pyclass(frozen, module = "qic", name = "RuleSet")]
pub(crate) struct PyRuleSet {
    rules: Arc<RuleSet>,
}

impl PyRuleSet {
    fn new(rules: RuleSet) -> Self {
        Self {
            rules: Arc::new(rules),
        }
    }
}

#[pymethods]
impl PyRuleSet {
    /// A built-in rule set, e.g. `"pursuing-equity-action-community-2022"`.
    #[staticmethod]
    fn preset(name: &str) -> PyResult<Self> {
        RuleSet::preset(name)
            .map(Self::new)
            .map_err(errors::rule_set)
    }

    /// The names of the built-in rule sets.
    #[staticmethod]
    fn presets() -> Vec<&'static str> {
        PRESETS.to_vec()
    }

    /// A rule set from the text of a TOML rule set file.
    #[staticmethod]
    fn from_toml(text: &str) -> PyResult<Self> {
        RuleSet::from_toml_str(text)
            .map(Self::new)
            .map_err(errors::rule_set)
    }

    /// A rule set from JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        RuleSet::from_json_str(text)
            .map(Self::new)
            .map_err(errors::rule_set)
    }

    /// A rule set file: TOML, or JSON when its name ends in `.json`.
    #[staticmethod]
    fn from_file(path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = convert::path(path)?;
        RuleSet::from_file(path)
            .map(Self::new)
            .map_err(errors::rule_set)
    }

    /// The rule set's id.
    #[getter]
    fn id(&self) -> &str {
        self.rules.id()
    }

    /// Its version.
    #[getter]
    fn version(&self) -> &str {
        self.rules.version()
    }

    /// The name of what it admits to, e.g. "the Pursuing Equity Action Community".
    #[getter]
    fn name(&self) -> &str {
        self.rules.name()
    }

    /// The cohort it admits to.
    #[getter]
    fn admits(&self) -> String {
        self.rules.admits().to_string()
    }

    /// The application deadline, if a rule sets one.
    #[getter]
    fn deadline<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.rules.deadline().map(|d| py_date(py, d)).transpose()
    }

    /// The ids of its rules, in order.
    #[getter]
    fn rule_ids(&self) -> Vec<String> {
        self.rules.rules().iter().map(|r| r.id.clone()).collect()
    }

    /// The rule set in words.
    fn describe(&self) -> String {
        self.rules.describe()
    }

    /// The rule set as a TOML file.
    fn to_toml(&self) -> String {
        self.rules.to_toml()
    }

    /// The rule set as plain Python values (its JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &*self.rules)
    }

    /// The rule set as indented JSON.
    fn to_json(&self) -> PyResult<String> {
        to_json(&*self.rules)
    }

    /// Judges one application as of a day.
    #[pyo3(signature = (application, as_of, *, readiness = None))]
    fn evaluate(
        &self,
        application: &Bound<'_, PyAny>,
        as_of: &Bound<'_, PyAny>,
        readiness: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyDecision> {
        let as_of = convert::date(as_of, "as_of")?;
        let mut application = read_application(application)?;
        if let Some(report) = readiness {
            application
                .attach_readiness_report(convert::path(report)?)
                .map_err(errors::application)?;
        }
        Ok(PyDecision {
            decision: self.rules.evaluate(&application, as_of),
            line: None,
        })
    }

    /// Judges many applications, streaming: a decision or an error record per application.
    fn batch(
        &self,
        applications: &Bound<'_, PyAny>,
        as_of: &Bound<'_, PyAny>,
    ) -> PyResult<PyBatch> {
        let as_of = convert::date(as_of, "as_of")?;
        let source = if let Some(path) = convert::path_like(applications)? {
            Source::open(&path)?
        } else if applications.is_instance_of::<PyString>() {
            Source::open(&convert::path(applications)?)?
        } else {
            Source::Items(PyIterator::from_object(applications)?.unbind())
        };
        Ok(PyBatch {
            rules: Arc::clone(&self.rules),
            as_of,
            source,
            line: 0,
            ready: VecDeque::new(),
            done: false,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<RuleSet {} version {}: {} rules>",
            self.rules.id(),
            self.rules.version(),
            self.rules.rules().len()
        )
    }
}

/// An application from a dict (its JSON shape), JSON or TOML text, or a file path.
fn read_application(value: &Bound<'_, PyAny>) -> PyResult<Application> {
    // Dicts first: they are the common case, and the checks below cost attribute lookups.
    if !value.is_instance_of::<pyo3::types::PyDict>()
        && let Some(path) = convert::path_like(value)?
    {
        return Application::from_file(path).map_err(errors::application);
    }
    if let Some(text) = convert::text(value)? {
        let read = if text.trim_start().starts_with('{') {
            Application::from_json_str(&text)
        } else {
            Application::from_toml_str(&text)
        };
        return read.map_err(errors::application);
    }
    application_from_object(value).map_err(|(message, field)| {
        let place = field
            .as_deref()
            .map_or_else(String::new, |f| format!(" {f}:"));
        raise::<ApplicationError>(
            format!("application:{place} {message}"),
            Place {
                source: Some("application".to_owned()),
                field,
                ..Place::default()
            },
        )
    })
}

/// An application from Python objects in its JSON shape; on failure the message (naming the
/// field) and the field's path.
fn application_from_object(
    value: &Bound<'_, PyAny>,
) -> Result<Application, (String, Option<String>)> {
    let json = convert::to_json_value(value).map_err(|f| named(&f.path, f.message))?;
    application_from_value(&json)
}

/// A field's path (`team[0].lenses[1]`) as the JSON path errors name (`$.team[0].lenses[1]`);
/// for an unknown field, the object it is in (the message names the field).
fn named(path: &str, message: String) -> (String, Option<String>) {
    let path = if path == "." { "" } else { path };
    let place = if message.starts_with("unknown field") {
        path.rfind('.')
            .and_then(|dot| path.get(..dot))
            .unwrap_or("")
    } else {
        path
    };
    let field = if place.is_empty() {
        "$".to_owned()
    } else if place.starts_with('[') {
        format!("${place}")
    } else {
        format!("$.{place}")
    };
    (message, Some(field))
}

/// An application from its JSON value (no interpreter needed).
fn application_from_value(
    json: &serde_json::Value,
) -> Result<Application, (String, Option<String>)> {
    let Ok(application) = Application::deserialize(json) else {
        // Read it again following the path, to name the field at fault (only on failure:
        // following the path costs time on every field).
        let err = serde_path_to_error::deserialize::<_, Application>(json)
            .err()
            .ok_or_else(|| ("the application cannot be read".to_owned(), None))?;
        let path = err.path().to_string();
        return Err(named(&path, err.into_inner().to_string()));
    };
    match application.check_values("application") {
        Ok(()) => Ok(application),
        Err(EligibilityError::Application { message, location }) => Err((message, location.field)),
        Err(other) => Err((other.to_string(), None)),
    }
}

/// The decision on one application.
#[pyclass(frozen, module = "qic", name = "Decision")]
pub(crate) struct PyDecision {
    decision: Decision,
    line: Option<u64>,
}

#[pymethods]
impl PyDecision {
    /// `eligible`, `offered_other_cohort`, `incomplete` or `not_eligible`.
    #[getter]
    fn outcome(&self) -> String {
        file_name(&self.decision.outcome)
    }

    /// The cohort offered instead, when the outcome is `offered_other_cohort`.
    #[getter]
    fn offered_cohort(&self) -> Option<String> {
        self.decision
            .offered_cohort
            .as_ref()
            .map(ToString::to_string)
    }

    /// The applying organization's name.
    #[getter]
    fn applicant(&self) -> &str {
        &self.decision.applicant
    }

    /// The cohort applied for.
    #[getter]
    fn cohort(&self) -> String {
        self.decision.cohort.to_string()
    }

    /// The id of the rule set used.
    #[getter]
    fn ruleset_id(&self) -> &str {
        &self.decision.ruleset.id
    }

    /// The version of the rule set used.
    #[getter]
    fn ruleset_version(&self) -> &str {
        &self.decision.ruleset.version
    }

    /// The day the application was judged as of.
    #[getter]
    fn as_of<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_date(py, self.decision.as_of)
    }

    /// One finding per rule, in the rule set's order.
    #[getter]
    fn findings(&self) -> Vec<PyFinding> {
        self.decision.findings.iter().map(PyFinding::new).collect()
    }

    /// Sentences for the applicant.
    #[getter]
    fn feedback(&self) -> Vec<String> {
        self.decision.feedback.clone()
    }

    /// The input line (from 1) in a batch; None from `evaluate`.
    #[getter]
    fn line(&self) -> Option<u64> {
        self.line
    }

    /// The findings that failed (required and redirect rules).
    fn failures(&self) -> Vec<PyFinding> {
        self.decision.failures().map(PyFinding::new).collect()
    }

    /// The finding of the rule with this id, or None.
    fn finding(&self, rule: &str) -> Option<PyFinding> {
        self.decision.finding(rule).map(PyFinding::new)
    }

    /// The decision as plain Python values (its JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.decision)
    }

    /// The decision as indented JSON: what `qic eligibility check --format json` prints.
    fn to_json(&self) -> String {
        self.decision.to_json()
    }

    /// The decision in words.
    fn to_text(&self) -> String {
        self.decision.to_text()
    }

    fn __str__(&self) -> String {
        self.decision.to_text()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Decision {:?}: {}>",
            self.decision.applicant,
            file_name(&self.decision.outcome)
        )
    }
}

/// What one rule found.
#[pyclass(frozen, module = "qic", name = "Finding")]
pub(crate) struct PyFinding {
    finding: Finding,
}

impl PyFinding {
    fn new(finding: &Finding) -> Self {
        Self {
            finding: finding.clone(),
        }
    }
}

#[pymethods]
impl PyFinding {
    /// The rule's id, e.g. `letters.signatories`.
    #[getter]
    fn rule(&self) -> &str {
        &self.finding.rule
    }

    /// `required`, `redirect` or `recommended`.
    #[getter]
    fn severity(&self) -> String {
        file_name(&self.finding.severity)
    }

    /// `pass`, `fail`, `warn` or `not_applicable`.
    #[getter]
    fn status(&self) -> String {
        file_name(&self.finding.status)
    }

    /// True when the application meets the rule or the rule does not apply.
    #[getter]
    fn passed(&self) -> bool {
        matches!(self.finding.status, Status::Pass | Status::NotApplicable)
    }

    /// True when the rule fails only for something that can still be sent before the deadline.
    #[getter]
    fn missing(&self) -> bool {
        self.finding.missing
    }

    /// A sentence for the applicant.
    #[getter]
    fn message(&self) -> &str {
        &self.finding.message
    }

    /// The JSON path of the application field the finding rests on, e.g. `$.letters`.
    #[getter]
    fn path(&self) -> &str {
        &self.finding.path
    }

    /// Where the rule comes from.
    #[getter]
    fn citation(&self) -> &str {
        &self.finding.citation
    }

    /// The finding as plain Python values (its JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.finding)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Finding {} {}: {}>",
            self.finding.rule,
            file_name(&self.finding.status),
            self.finding.message
        )
    }
}

/// A batch's record of an input that is not a readable application.
#[pyclass(frozen, module = "qic", name = "BatchError")]
pub(crate) struct PyBatchError {
    line: u64,
    error: String,
    column: Option<u64>,
    field: Option<String>,
}

#[pymethods]
impl PyBatchError {
    /// The input line (from 1), or the position in the iterable (from 1).
    #[getter]
    fn line(&self) -> u64 {
        self.line
    }

    /// What is wrong, naming the field where there is one.
    #[getter]
    fn error(&self) -> &str {
        &self.error
    }

    /// The column of the fault within the line, where the parser knows it.
    #[getter]
    fn column(&self) -> Option<u64> {
        self.column
    }

    /// The JSON path of the field at fault (`$.team[2].lenses`), where there is one.
    #[getter]
    fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The record as `qic eligibility batch` writes it: `{"line", "error", "column"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let record = BatchRecord::Error {
            line: self.line,
            error: self.error.clone(),
            column: self.column,
            field: self.field.clone(),
        };
        to_python(py, &record)
    }

    fn __repr__(&self) -> String {
        format!("<BatchError line {}: {}>", self.line, self.error)
    }
}

/// Where a batch reads from.
enum Source {
    /// A JSON Lines file.
    Lines {
        reader: BufReader<File>,
        path: String,
    },
    /// A Python iterable of dicts or JSON strings.
    Items(Py<PyIterator>),
}

impl Source {
    fn open(path: &std::path::Path) -> PyResult<Self> {
        let name = path.display().to_string();
        let file = File::open(path)
            .map_err(|source| errors::os_error(format!("{name}: {source}"), &source))?;
        Ok(Self::Lines {
            reader: BufReader::with_capacity(1 << 16, file),
            path: name,
        })
    }
}

/// One item of a batch, read from Python, before judging.
enum Pending {
    Application(u64, Box<Application>),
    Json(u64, Vec<u8>),
    Done(BatchRecord),
}

fn judge_pending(rules: &RuleSet, as_of: NaiveDate, pending: Vec<Pending>) -> Vec<BatchRecord> {
    pending
        .into_iter()
        .map(|item| match item {
            Pending::Application(line, application) => BatchRecord::Decision {
                line,
                decision: Box::new(rules.evaluate(&application, as_of)),
            },
            Pending::Json(line, text) => batch::record(rules, line, &text, as_of),
            Pending::Done(record) => record,
        })
        .collect()
}

/// The records of a batch, judged a chunk at a time with the interpreter detached.
#[pyclass(module = "qic", name = "Batch")]
pub(crate) struct PyBatch {
    rules: Arc<RuleSet>,
    as_of: NaiveDate,
    source: Source,
    line: u64,
    ready: VecDeque<BatchRecord>,
    done: bool,
}

impl PyBatch {
    fn fill(&mut self, py: Python<'_>) -> PyResult<()> {
        let rules = &*self.rules;
        let as_of = self.as_of;
        match &mut self.source {
            Source::Lines { reader, path } => {
                let first = self.line;
                let (records, line, done) = py
                    .detach(|| read_lines(reader, rules, as_of, first))
                    .map_err(|(line, source)| {
                    errors::os_error(
                        format!("{path}: batch stopped at line {line}: {source}"),
                        &source,
                    )
                })?;
                self.line = line;
                self.done = done;
                self.ready.extend(records);
            }
            Source::Items(items) => {
                // Reading Python objects needs the interpreter; judging them does not.
                let mut items = items.bind(py).clone();
                let mut pending = Vec::with_capacity(CHUNK);
                while pending.len() < CHUNK {
                    let Some(item) = items.next() else {
                        self.done = true;
                        break;
                    };
                    let item = item?;
                    self.line += 1;
                    let line = self.line;
                    pending.push(match convert::text(&item)? {
                        Some(text) => Pending::Json(line, text.into_bytes()),
                        // Read while the objects are in the cache; judged below.
                        None => match application_from_object(&item) {
                            Ok(application) => Pending::Application(line, Box::new(application)),
                            Err((error, field)) => Pending::Done(BatchRecord::Error {
                                line,
                                error,
                                column: None,
                                field,
                            }),
                        },
                    });
                }
                let judged = py.detach(|| judge_pending(rules, as_of, pending));
                self.ready.extend(judged);
            }
        }
        Ok(())
    }
}

/// Judges up to [`CHUNK`] lines: the records, the last line read and whether the input ended.
fn read_lines(
    reader: &mut BufReader<File>,
    rules: &RuleSet,
    as_of: NaiveDate,
    mut line: u64,
) -> Result<(Vec<BatchRecord>, u64, bool), (u64, std::io::Error)> {
    let mut records = Vec::with_capacity(CHUNK);
    let mut buffer = Vec::with_capacity(4096);
    while records.len() < CHUNK {
        buffer.clear();
        let read = reader
            .read_until(b'\n', &mut buffer)
            .map_err(|e| (line + 1, e))?;
        if read == 0 {
            return Ok((records, line, true));
        }
        line += 1;
        records.push(batch::record(rules, line, &buffer, as_of));
    }
    Ok((records, line, false))
}

#[pymethods]
impl PyBatch {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(mut slf: PyRefMut<'_, Self>) -> PyResult<Option<Py<PyAny>>> {
        let py = slf.py();
        while slf.ready.is_empty() && !slf.done {
            slf.fill(py)?;
        }
        match slf.ready.pop_front() {
            None => Ok(None),
            Some(BatchRecord::Decision { line, decision }) => Ok(Some(
                Py::new(
                    py,
                    PyDecision {
                        decision: *decision,
                        line: Some(line),
                    },
                )?
                .into_any(),
            )),
            Some(BatchRecord::Error {
                line,
                error,
                column,
                field,
            }) => Ok(Some(
                Py::new(
                    py,
                    PyBatchError {
                        line,
                        error,
                        column,
                        field,
                    },
                )?
                .into_any(),
            )),
        }
    }
}

/// The JSON Schema of the application format, as plain Python values.
#[pyfunction]
fn schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let value: serde_json::Value = serde_json::from_str(&qic_eligibility::application_schema())
        .map_err(|e| raise::<crate::errors::QicError>(e.to_string(), Place::default()))?;
    to_python(py, &value)
}

pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<PyRuleSet>()?;
    module.add_class::<PyDecision>()?;
    module.add_class::<PyFinding>()?;
    module.add_class::<PyBatchError>()?;
    module.add_class::<PyBatch>()?;
    module.add_function(wrap_pyfunction!(schema, module)?)?;
    Ok(())
}
