//! A collaborative's folder: the files a collaborative keeps, read and checked as one
//! [`Collaborative`].
//!
//! ```text
//! collaborative.toml        title, program (file or preset), cohort, as-of date, report
//!                           policy, suppression; the program's measures and change package
//! program.toml              the program (qic-program's format), unless a preset is named
//! teams/<folder>/
//!   team.toml               the team's name in the program, measures chosen from the menu,
//!                           its own measures, its aims
//!   cycles.toml             change ideas and PDSA cycles
//!   reports/*.toml|*.json   monthly reports, one file per month
//!   data/<measure>.csv      a measure's monthly data: month,numerator[,denominator]
//!   strata/<measure>.csv    patient-level records of a stratified measure: month,numerator,
//!                           denominator and one column per stratum dimension
//! ```
//!
//! Everything is read before anything is reported, and nothing is dropped in silence: a file
//! that cannot be used stops the load with an error naming the file, line and field (a cycle
//! whose study comes before its do, an aim without a date, a measure with an unknown unit, a
//! month reported twice, a team the program does not know, two folders for one team, a data
//! file with a column twice or a line longer than [`qic_io::DEFAULT_MAX_LINE_BYTES`], numbers
//! whose sums over the collaborative would be too large to chart); things worth a look but
//! usable (a team that is not enrolled in the cohort, whose folder is then left out of the
//! report; a report whose numbers differ from the data file; a required measure without data; a
//! data file with only its header) become [`FolderWarning`]s that the report shows.
//!
//! TOML and JSON files are read by [`qic_io::read_document`] (`.toml` or `.json`, a byte order
//! mark accepted, errors naming the file, line, column and `$.field`); CSV files give the true
//! line of each row, whatever their line endings. [`Collaborative::inputs`] lists every file
//! read, so that nothing is written over one of them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use qic_equity::codes::Dimension;
use qic_equity::mapping::{Mapping, MultipleRule};
use qic_equity::read::{ReadOptions, StratifySpec, stratify_file};
use qic_equity::stratify::{StratifiedCounts, Stratifier};
use qic_equity::suppression::Suppression;
use qic_io::{Document, LineCounter, LineLimit, LineTooLong};
use qic_program::{Preset, Program, TeamId, YearMonth};
use serde::de::DeserializeOwned;

pub use crate::collaborative::Collaborative;
use crate::collaborative::{FolderWarning, Settings, TeamFolder, TeamPlan};
use crate::cycle::{CycleLog, Problem, ProblemSeverity, validate};
use crate::error::PdsaError;
use crate::key::Key;
use crate::measure::{Measure, Tier};
use crate::monthly::MonthlyReport;
use crate::series::{DataPoint, Series};

/// How a folder is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    /// The longest line a CSV data file may hold, in bytes (default
    /// [`qic_io::DEFAULT_MAX_LINE_BYTES`]).
    pub max_line_bytes: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            max_line_bytes: qic_io::DEFAULT_MAX_LINE_BYTES,
        }
    }
}

/// The largest sum of a measure's numerators (or denominators) over the whole collaborative
/// that is charted: far beyond any real count, and far enough below `f64::MAX` that the
/// charts' sums, moving ranges and limits stay finite.
pub const MAX_MEASURE_SUM: f64 = 1e300;

impl Collaborative {
    /// Reads and checks a collaborative's folder.
    ///
    /// # Errors
    ///
    /// [`PdsaError`] naming the file (and line, field, cycle or month) of the first thing that
    /// cannot be used; see the module docs.
    pub fn load(root: impl AsRef<Path>) -> Result<Self, PdsaError> {
        Self::load_with(root, &LoadOptions::default())
    }

    /// Reads and checks a collaborative's folder with the given options.
    ///
    /// # Errors
    ///
    /// As [`Collaborative::load`].
    pub fn load_with(root: impl AsRef<Path>, options: &LoadOptions) -> Result<Self, PdsaError> {
        let root = root.as_ref().to_path_buf();
        let settings_path = root.join("collaborative.toml");
        let settings_document = Document::read(&settings_path)?;
        let settings: Settings = settings_document.parse()?;
        let mut inputs = vec![settings_path.clone()];
        let value_error = |field: &str, message: String| PdsaError::Value {
            location: settings_document.locate(field),
            message,
        };
        for (i, measure) in settings.measures.iter().enumerate() {
            measure.validate().map_err(|source| PdsaError::Measure {
                path: settings_path.clone(),
                source,
            })?;
            if measure.tier == Tier::TeamDefined {
                return Err(value_error(
                    &format!("measures[{i}].tier"),
                    format!(
                        "measure `{}`: the program's measures are `required` or `menu`; team-defined measures go in the team's team.toml",
                        measure.key
                    ),
                ));
            }
        }
        let program = match (&settings.program, &settings.preset) {
            (Some(file), None) => {
                let path = root.join(file);
                inputs.push(path.clone());
                qic_program::io::load_program(path)?
            }
            (None, Some(name)) => name
                .parse::<Preset>()
                .and_then(qic_program::Preset::program)
                .map_err(|e| value_error("preset", e.to_string()))?,
            _ => {
                return Err(value_error(
                    "",
                    "give exactly one of `program` (a file) and `preset`".into(),
                ));
            }
        };
        let cohort = program.cohort_named(&settings.cohort).ok_or_else(|| {
            value_error(
                "cohort",
                format!(
                    "the program has no cohort named `{}` (it has: {})",
                    settings.cohort,
                    program
                        .cohorts()
                        .iter()
                        .map(qic_program::Cohort::name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        let cohort_id = cohort.id();
        let enrolled: Vec<TeamId> = cohort.teams().collect();
        Suppression::with_threshold(settings.suppress_counts_up_to)
            .map_err(|e| value_error("suppress_counts_up_to", e.to_string()))?;

        let mut loader = Loader {
            root: &root,
            settings: &settings,
            program: &program,
            options,
            warnings: Vec::new(),
            inputs,
            team_files: BTreeMap::new(),
            sums: BTreeMap::new(),
        };
        let mut teams = Vec::new();
        let teams_dir = root.join("teams");
        for folder in sorted_entries(&teams_dir)?
            .into_iter()
            .filter(|p| p.is_dir())
        {
            let name = file_name(&folder);
            if let Some(team) = loader.team(&folder, &name, &enrolled)? {
                teams.push(team);
            }
        }
        let Loader {
            warnings, inputs, ..
        } = loader;
        Ok(Self {
            root,
            settings,
            program,
            cohort: cohort_id,
            teams,
            warnings,
            inputs,
        })
    }
}

struct Loader<'a> {
    root: &'a Path,
    settings: &'a Settings,
    program: &'a Program,
    options: &'a LoadOptions,
    warnings: Vec<FolderWarning>,
    /// Every file read, in order.
    inputs: Vec<PathBuf>,
    /// Each team's team.toml, by team name, to refuse a second folder for one team.
    team_files: BTreeMap<String, PathBuf>,
    /// Running sums of each measure's numerators and denominators over the collaborative.
    sums: BTreeMap<Key, (f64, f64)>,
}

impl Loader<'_> {
    fn warn(&mut self, path: &Path, message: impl Into<String>) {
        let path = path.strip_prefix(self.root).unwrap_or(path).to_path_buf();
        self.warnings.push(FolderWarning {
            path,
            message: message.into(),
        });
    }

    /// Reads a TOML or JSON file of the folder, noting it as an input.
    fn read<T: DeserializeOwned>(&mut self, path: &Path) -> Result<T, PdsaError> {
        self.inputs.push(path.to_path_buf());
        Ok(qic_io::read_document(path)?)
    }

    /// Adds a data file's numbers to the collaborative's sums of the measure, refusing the line
    /// where a sum passes [`MAX_MEASURE_SUM`] (charts sum every team's months).
    fn add_to_sums(
        &mut self,
        path: &Path,
        measure: &Measure,
        points: &[(DataPoint, u64)],
    ) -> Result<(), PdsaError> {
        let sums = self.sums.entry(measure.key.clone()).or_insert((0.0, 0.0));
        for (point, line) in points {
            for (sum, value, column) in [
                (&mut sums.0, point.numerator, "numerator"),
                (&mut sums.1, point.denominator.unwrap_or(0.0), "denominator"),
            ] {
                // Negative and non-finite values are refused with their line by `Series::new`.
                *sum += value.abs();
                if sum.is_nan() || *sum > MAX_MEASURE_SUM {
                    return Err(PdsaError::Data {
                        path: path.to_path_buf(),
                        line: Some(*line),
                        message: format!(
                            "column `{column}`: the {column}s of measure `{}` over the collaborative add up to more than {MAX_MEASURE_SUM:e}, too large to chart",
                            measure.key
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    fn team(
        &mut self,
        folder: &Path,
        name: &str,
        enrolled: &[TeamId],
    ) -> Result<Option<TeamFolder>, PdsaError> {
        let plan_path = folder.join("team.toml");
        let plan: TeamPlan = self.read(&plan_path)?;
        let Some(team) = self.program.teams().iter().find(|t| t.name == plan.team) else {
            return Err(PdsaError::UnknownTeam {
                path: plan_path,
                team: plan.team,
                reason: "is not among the program's teams".into(),
            });
        };
        if let Some(first) = self.team_files.get(&team.name) {
            return Err(PdsaError::DuplicateTeam {
                team: team.name.clone(),
                first: first.clone(),
                second: plan_path,
            });
        }
        self.team_files.insert(team.name.clone(), plan_path.clone());
        if !enrolled.contains(&team.id) {
            self.warn(
                folder,
                format!(
                    "team `{}` is not enrolled in the cohort `{}`; its folder is left out of the report",
                    team.name, self.settings.cohort
                ),
            );
            return Ok(None);
        }
        let measures = self.team_measures(&plan, &plan_path)?;
        for aim in &plan.aims {
            if !measures.iter().any(|m| m.key == aim.measure) {
                return Err(PdsaError::UnknownMeasure {
                    path: plan_path.clone(),
                    measure: aim.measure.to_string(),
                });
            }
        }
        let cycles = self.cycles(&folder.join("cycles.toml"))?;
        let reports = self.reports(&folder.join("reports"), &team.name, &cycles, &measures)?;
        let series = self.series(&folder.join("data"), &measures)?;
        let strata = self.strata(&folder.join("strata"), &measures)?;
        for m in measures.iter().filter(|m| m.tier == Tier::Required) {
            if !series.contains_key(&m.key)
                && !folder.join("data").join(format!("{}.csv", m.key)).exists()
            {
                self.warn(
                    folder,
                    format!("required measure `{}` has no data file", m.key),
                );
            }
        }
        self.compare_reports(folder, &reports, &series);
        self.compare_strata(folder, &strata, &series);
        Ok(Some(TeamFolder {
            folder: name.to_owned(),
            team: team.clone(),
            measures,
            aims: plan.aims,
            cycles,
            reports,
            series,
            strata,
        }))
    }

    fn team_measures(&self, plan: &TeamPlan, path: &Path) -> Result<Vec<Measure>, PdsaError> {
        let mut measures: Vec<Measure> = self
            .settings
            .measures
            .iter()
            .filter(|m| m.tier == Tier::Required)
            .cloned()
            .collect();
        for key in &plan.chosen_measures {
            match self.settings.measures.iter().find(|m| &m.key == key) {
                Some(m) if m.tier == Tier::Menu => measures.push(m.clone()),
                Some(_) => {} // a required measure listed again: already in
                None => {
                    return Err(PdsaError::UnknownMeasure {
                        path: path.to_path_buf(),
                        measure: key.to_string(),
                    });
                }
            }
        }
        for m in &plan.measures {
            m.validate().map_err(|source| PdsaError::Measure {
                path: path.to_path_buf(),
                source,
            })?;
            if m.tier != Tier::TeamDefined {
                return Err(invalid_field(
                    path,
                    &m.key,
                    "tier",
                    "a team's own measures have tier `team_defined`",
                ));
            }
            if measures.iter().any(|x| x.key == m.key) {
                return Err(invalid_field(
                    path,
                    &m.key,
                    "key",
                    "this key is already used by a program measure",
                ));
            }
            measures.push(m.clone());
        }
        Ok(measures)
    }

    fn cycles(&mut self, path: &Path) -> Result<CycleLog, PdsaError> {
        if !path.exists() {
            self.warn(path, "no cycles.toml: the team has recorded no PDSA cycles");
            return Ok(CycleLog::default());
        }
        let log: CycleLog = self.read(path)?;
        let window = self.program.window();
        let range = window.start()..=window.end();
        let problems = validate(&log, Some(&range));
        if problems
            .iter()
            .any(|p| p.severity == ProblemSeverity::Error)
        {
            return Err(PdsaError::Invalid {
                path: path.to_path_buf(),
                problems,
            });
        }
        for p in problems {
            self.warn(path, p.to_string());
        }
        Ok(log)
    }

    fn reports(
        &mut self,
        dir: &Path,
        team: &str,
        cycles: &CycleLog,
        measures: &[Measure],
    ) -> Result<Vec<MonthlyReport>, PdsaError> {
        let mut by_month: BTreeMap<YearMonth, (PathBuf, MonthlyReport)> = BTreeMap::new();
        for path in sorted_entries(dir)? {
            if !matches!(extension(&path).as_deref(), Some("toml" | "json")) {
                continue;
            }
            let report: MonthlyReport = self.read(&path)?;
            for value in &report.data {
                if !measures.iter().any(|m| m.key == value.measure) {
                    return Err(PdsaError::UnknownMeasure {
                        path,
                        measure: value.measure.to_string(),
                    });
                }
            }
            for key in &report.cycles {
                if !cycles.cycles.iter().any(|c| &c.key == key) {
                    self.warn(
                        &path,
                        format!("cycle `{key}` is not in the team's cycles.toml"),
                    );
                }
            }
            if !self.program.window().contains(report.month.first_day())
                && !self.program.window().contains(report.month.last_day())
            {
                self.warn(
                    &path,
                    format!("month {} is outside the program", report.month),
                );
            }
            if let Some((first, _)) = by_month.get(&report.month) {
                return Err(PdsaError::DuplicateReport {
                    team: team.to_owned(),
                    month: report.month.to_string(),
                    first: first.clone(),
                    second: path,
                });
            }
            by_month.insert(report.month, (path, report));
        }
        Ok(by_month.into_values().map(|(_, r)| r).collect())
    }

    fn series(
        &mut self,
        dir: &Path,
        measures: &[Measure],
    ) -> Result<BTreeMap<Key, Series>, PdsaError> {
        let mut out = BTreeMap::new();
        for path in sorted_entries(dir)? {
            if extension(&path).as_deref() != Some("csv") {
                continue;
            }
            let measure = measure_of_file(&path, measures)?;
            self.inputs.push(path.clone());
            let points = read_points(&path, self.options.max_line_bytes)?;
            if points.is_empty() {
                self.warn(
                    &path,
                    format!(
                        "the file has only its header: measure `{}` has no data yet",
                        measure.key
                    ),
                );
                continue;
            }
            self.add_to_sums(&path, measure, &points)?;
            for p in &points {
                if p.0.month.first_day() > self.settings.as_of {
                    self.warn(
                        &path,
                        format!("line {}: month {} is after the as-of date", p.1, p.0.month),
                    );
                }
            }
            let lines: Vec<u64> = points.iter().map(|p| p.1).collect();
            let series = Series::new(measure, points.into_iter().map(|p| p.0).collect()).map_err(
                |(i, problem)| PdsaError::Data {
                    path: path.clone(),
                    line: lines.get(i).copied(),
                    message: problem.to_string(),
                },
            )?;
            out.insert(measure.key.clone(), series);
        }
        Ok(out)
    }

    fn strata(
        &mut self,
        dir: &Path,
        measures: &[Measure],
    ) -> Result<BTreeMap<Key, StratifiedCounts>, PdsaError> {
        let mut out = BTreeMap::new();
        for path in sorted_entries(dir)? {
            if extension(&path).as_deref() != Some("csv") {
                continue;
            }
            let measure = measure_of_file(&path, measures)?;
            if measure.strata.is_empty() {
                return Err(PdsaError::Data {
                    path,
                    line: None,
                    message: format!(
                        "measure `{}` lists no strata, so it has no stratified data",
                        measure.key
                    ),
                });
            }
            let stratifiers = measure
                .strata
                .iter()
                .map(|name| match dimension_named(name) {
                    Some(d) => Stratifier::dimension(d, name.clone()),
                    None => Stratifier::column(name.clone()),
                })
                .collect();
            let spec = StratifySpec {
                period: "month".into(),
                numerator: "numerator".into(),
                denominator: measure
                    .unit
                    .has_denominator()
                    .then(|| "denominator".to_owned()),
                stratifiers,
                rule: MultipleRule::Multiracial,
            };
            self.inputs.push(path.clone());
            let read_options = ReadOptions {
                max_line_bytes: self.options.max_line_bytes,
                ..ReadOptions::default()
            };
            let counts =
                stratify_file(&path, &spec, &Mapping::standard(), &read_options).map_err(|e| {
                    PdsaError::Equity {
                        source: Box::new(e),
                    }
                })?;
            let skipped: u64 = counts.rows().skipped.values().sum();
            if skipped > 0 {
                self.warn(
                    &path,
                    format!("{skipped} rows could not be used (counted in the equity section)"),
                );
            }
            out.insert(measure.key.clone(), counts);
        }
        Ok(out)
    }

    /// A stratified extract and its measure's data file describe the same months: their totals
    /// must agree, or one of them is stale. The warning names the months, never the counts.
    fn compare_strata(
        &mut self,
        folder: &Path,
        strata: &BTreeMap<Key, StratifiedCounts>,
        series: &BTreeMap<Key, Series>,
    ) {
        for (key, counts) in strata {
            let Some(series) = series.get(key) else {
                self.warn(
                    folder,
                    format!("strata/{key}.csv has no data/{key}.csv to go with it"),
                );
                continue;
            };
            let mut months: Vec<YearMonth> = counts
                .cells()
                .filter_map(|(p, _, _)| YearMonth::new(p.year(), p.month()).ok())
                .chain(series.points().iter().map(|p| p.month))
                .collect();
            months.sort_unstable();
            months.dedup();
            let differing: Vec<String> = months
                .into_iter()
                .filter(|&month| {
                    let total = qic_equity::period::Period::new(month.year(), month.month())
                        .and_then(|p| counts.period_total(p));
                    let point = series.at(month);
                    match (total, point) {
                        (Some(t), Some(p)) => {
                            (t.numerator as f64 - p.numerator).abs() > 1e-9
                                || p.denominator
                                    .is_some_and(|d| (t.denominator as f64 - d).abs() > 1e-9)
                        }
                        (None, None) => false,
                        _ => true,
                    }
                })
                .map(|m| m.to_string())
                .collect();
            if !differing.is_empty() {
                self.warn(
                    folder,
                    format!(
                        "the monthly totals of strata/{key}.csv differ from data/{key}.csv in {}",
                        differing.join(", ")
                    ),
                );
            }
        }
    }

    fn compare_reports(
        &mut self,
        folder: &Path,
        reports: &[MonthlyReport],
        series: &BTreeMap<Key, Series>,
    ) {
        for report in reports {
            for value in &report.data {
                let matches = series
                    .get(&value.measure)
                    .and_then(|s| s.at(report.month))
                    .map(|p| {
                        (p.numerator - value.numerator).abs() < 1e-9
                            && p.denominator
                                .zip(value.denominator)
                                .is_none_or(|(a, b)| (a - b).abs() < 1e-9)
                            && p.denominator.is_some() == value.denominator.is_some()
                    });
                match matches {
                    Some(true) => {}
                    Some(false) => self.warn(
                        folder,
                        format!(
                            "the {} report's value of `{}` differs from data/{}.csv",
                            report.month, value.measure, value.measure
                        ),
                    ),
                    None => self.warn(
                        folder,
                        format!(
                            "the {} report gives `{}`, but data/{}.csv has no such month",
                            report.month, value.measure, value.measure
                        ),
                    ),
                }
            }
        }
    }
}

fn invalid_field(path: &Path, item: &Key, field: &str, message: &str) -> PdsaError {
    PdsaError::Invalid {
        path: path.to_path_buf(),
        problems: vec![Problem {
            severity: ProblemSeverity::Error,
            item: item.clone(),
            field: field.to_owned(),
            message: message.to_owned(),
        }],
    }
}

/// The equity dimension a stratum name stands for, if it is one of qic-equity's.
fn dimension_named(name: &str) -> Option<Dimension> {
    Dimension::ALL.into_iter().find(|d| d.name() == name)
}

fn measure_of_file<'m>(path: &Path, measures: &'m [Measure]) -> Result<&'m Measure, PdsaError> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    measures
        .iter()
        .find(|m| m.key.as_str() == stem)
        .ok_or_else(|| PdsaError::UnknownMeasure {
            path: path.to_path_buf(),
            measure: stem,
        })
}

/// A data file's reader: lines no longer than the limit, counted so that rows are named by
/// their true lines.
type DataReader = csv::Reader<LineCounter<LineLimit<fs::File>>>;

/// Reads `month,numerator[,denominator]`, returning each point with its line.
fn read_points(path: &Path, max_line_bytes: usize) -> Result<Vec<(DataPoint, u64)>, PdsaError> {
    let data_error = |line: Option<u64>, message: String| PdsaError::Data {
        path: path.to_path_buf(),
        line,
        message,
    };
    let file = fs::File::open(path).map_err(|e| PdsaError::io(path, e))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .has_headers(false)
        .from_reader(LineCounter::new(LineLimit::new(file, max_line_bytes)));
    let mut record = csv::StringRecord::new();
    let Some(header_line) = next_row(&mut reader, &mut record, path)? else {
        return Err(data_error(
            Some(1),
            "the file is empty: no header (month,numerator[,denominator])".into(),
        ));
    };
    let header = qic_io::header_names(record.iter());
    if let Some(twice) = qic_io::DuplicateColumn::find(&header) {
        return Err(data_error(Some(header_line), twice.to_string()));
    }
    let column = |name: &str| header.iter().position(|h| h == name);
    let month_col =
        column("month").ok_or_else(|| data_error(Some(header_line), "no `month` column".into()))?;
    let num_col = column("numerator")
        .ok_or_else(|| data_error(Some(header_line), "no `numerator` column".into()))?;
    let den_col = column("denominator");
    let mut points = Vec::new();
    while let Some(line) = next_row(&mut reader, &mut record, path)? {
        if record.len() != header.len() {
            return Err(data_error(
                Some(line),
                format!(
                    "the row has {} fields, the header has {}",
                    record.len(),
                    header.len()
                ),
            ));
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        let month: YearMonth = cell(month_col).parse().map_err(|_| {
            data_error(Some(line), "column `month` is not a month (YYYY-MM)".into())
        })?;
        let number = |i: usize, name: &str| -> Result<f64, PdsaError> {
            cell(i)
                .parse::<f64>()
                .map_err(|_| data_error(Some(line), format!("column `{name}` is not a number")))
        };
        let numerator = number(num_col, "numerator")?;
        let denominator = den_col
            .filter(|&i| !cell(i).is_empty())
            .map(|i| number(i, "denominator"))
            .transpose()?;
        points.push((
            DataPoint {
                month,
                numerator,
                denominator,
            },
            line,
        ));
    }
    Ok(points)
}

/// Reads the next row of a data file: its true line, or `None` at the end. Errors name the
/// line, never a cell's value.
fn next_row(
    reader: &mut DataReader,
    record: &mut csv::StringRecord,
    path: &Path,
) -> Result<Option<u64>, PdsaError> {
    let data_error = |line: Option<u64>, message: String| PdsaError::Data {
        path: path.to_path_buf(),
        line,
        message,
    };
    match reader.read_record(record) {
        Ok(true) => {
            let reported = record.position().map_or(0, csv::Position::byte);
            Ok(Some(reader.get_mut().record_start(reported).line))
        }
        Ok(false) => Ok(None),
        Err(e) => {
            if let csv::ErrorKind::Io(io) = e.kind() {
                return Err(match LineTooLong::from_io(io) {
                    Some(too_long) => data_error(Some(too_long.line), too_long.to_string()),
                    None => data_error(None, io.to_string()),
                });
            }
            let line = e
                .position()
                .map(|p| reader.get_mut().record_start(p.byte()).line);
            Err(data_error(line, "the row cannot be read as CSV".into()))
        }
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The entries of a folder, sorted by name; none when the folder does not exist.
fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, PdsaError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| PdsaError::io(dir, e))? {
        entries.push(entry.map_err(|e| PdsaError::io(dir, e))?.path());
    }
    entries.sort();
    Ok(entries)
}
