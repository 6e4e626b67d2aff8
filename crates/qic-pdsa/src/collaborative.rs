//! A collaborative as data: its settings and measures, and each enrolled team's measures,
//! aims, cycles, reports and data.
//!
//! [`Collaborative`] is what [`crate::folder`] reads from a collaborative's folder (feature
//! `folder`), and what the analytics ([`crate::charts`], [`crate::harvest`],
//! [`crate::dashboard`]) and the report work on. It can also be built in code.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use qic_equity::stratify::StratifiedCounts;
use qic_equity::suppression::Suppression;
use qic_program::{Cohort, CohortId, Portfolio, Program, Team, YearMonth};
use serde::{Deserialize, Serialize};

use crate::aim::Aim;
use crate::cycle::CycleLog;
use crate::dashboard::ExpectedOutcome;
use crate::key::Key;
use crate::measure::Measure;
use crate::monthly::{MonthlyReport, ReportPolicy};
use crate::series::Series;

/// An item of the program's change package: a change known to work, that teams adapt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageItem {
    /// The key change ideas use to refer to it.
    pub key: Key,
    /// Its title.
    pub title: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The portfolio of population health it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portfolio: Option<Portfolio>,
}

/// `collaborative.toml`: how to read the folder and what the program measures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The report's title.
    pub title: String,
    /// The program file, relative to the folder (or give `preset`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<PathBuf>,
    /// A built-in program (see `qic program presets`), instead of a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// The cohort the folder is about.
    pub cohort: String,
    /// The day the report is as of: later data are flagged, reports due before are expected.
    #[serde(with = "qic_program::serde_date")]
    pub as_of: NaiveDate,
    /// When monthly reports are due.
    #[serde(default)]
    pub reports: ReportPolicy,
    /// The largest count hidden in shared tables (CMS: 10). Suppression cannot be turned off
    /// from a folder: a report is meant for sharing.
    #[serde(default = "default_threshold")]
    pub suppress_counts_up_to: u64,
    /// The program's measures: required of every team, or on the menu teams choose from.
    #[serde(default)]
    pub measures: Vec<Measure>,
    /// The program's change package.
    #[serde(default)]
    pub change_package: Vec<PackageItem>,
    /// What the program expects most, some or all teams to achieve, checked on the dashboard.
    #[serde(default)]
    pub expected_outcomes: Vec<ExpectedOutcome>,
}

const fn default_threshold() -> u64 {
    10
}

/// `team.toml`: which team the folder is, and what it measures and aims for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamPlan {
    /// The team's name, as in the program.
    pub team: String,
    /// Measures chosen from the program's menu (required measures need not be listed).
    #[serde(default)]
    pub chosen_measures: Vec<Key>,
    /// The team's own measures (tier `team_defined`).
    #[serde(default)]
    pub measures: Vec<Measure>,
    /// The team's aims.
    #[serde(default)]
    pub aims: Vec<Aim>,
}

/// Something in the folder worth a look that did not stop the load.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderWarning {
    /// The file or folder concerned, relative to the collaborative's folder.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

/// One team's folder, read and checked.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamFolder {
    /// The folder's name under `teams/`.
    pub folder: String,
    /// The team, from the program.
    pub team: Team,
    /// Every measure the team reports: the program's required ones, those it chose, its own.
    pub measures: Vec<Measure>,
    /// Its aims.
    pub aims: Vec<Aim>,
    /// Its change ideas and cycles.
    pub cycles: CycleLog,
    /// Its monthly reports, by month.
    pub reports: Vec<MonthlyReport>,
    /// Its measures' data, by measure key.
    pub series: BTreeMap<Key, Series>,
    /// Stratified counts of its stratified measures, by measure key.
    #[serde(skip)]
    pub strata: BTreeMap<Key, StratifiedCounts>,
}

impl TeamFolder {
    /// The team's measure with this key.
    pub fn measure(&self, key: &Key) -> Option<&Measure> {
        self.measures.iter().find(|m| &m.key == key)
    }
}

/// A collaborative's folder, read and checked.
#[derive(Clone, Debug)]
pub struct Collaborative {
    /// The folder.
    pub root: PathBuf,
    /// `collaborative.toml`.
    pub settings: Settings,
    /// The program.
    pub program: Program,
    /// The cohort reported on.
    pub cohort: CohortId,
    /// The enrolled teams' folders, in folder-name order.
    pub teams: Vec<TeamFolder>,
    /// Everything worth a look that did not stop the load.
    pub warnings: Vec<FolderWarning>,
    /// Every file the load read (settings, program, team files, cycles, reports, data and
    /// strata), in the order read: an output written beside them must be none of them.
    pub inputs: Vec<PathBuf>,
}

impl Collaborative {
    /// The suppression policy of the folder's shared outputs.
    pub fn suppression(&self) -> Suppression {
        Suppression::with_threshold(self.settings.suppress_counts_up_to).unwrap_or_default()
    }

    /// The program's measure with this key.
    pub fn program_measure(&self, key: &Key) -> Option<&Measure> {
        self.settings.measures.iter().find(|m| &m.key == key)
    }

    /// The cohort reported on.
    pub fn cohort(&self) -> Option<&Cohort> {
        self.program.cohort(self.cohort)
    }

    /// The months the report covers: from the program's first month to the as-of month (or the
    /// program's last month, if earlier).
    pub fn months(&self) -> Vec<YearMonth> {
        let window = self.program.window();
        let first = YearMonth::of(window.start());
        let last = YearMonth::of(window.end().min(self.settings.as_of));
        YearMonth::range_inclusive(first, last)
    }
}
