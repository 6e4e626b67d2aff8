//! Writing the collaborative's folder: TOML through the qic types' own serializers (so what is
//! written is what qic reads), CSV through the `csv` crate.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Result;
use super::measures::{BP_CONTROL, FOLLOW_UP};
use super::team::{MONTHS, PatientRow, TeamRun};

/// Counts what it writes under a root folder.
pub(crate) struct Writer {
    root: PathBuf,
    pub(crate) files: usize,
    pub(crate) bytes: u64,
}

impl Writer {
    /// Prepares `root`: creates it, or clears what an earlier run wrote there. A folder that
    /// holds other things is refused rather than emptied.
    pub(crate) fn new(root: &Path) -> Result<Self> {
        if root.exists() {
            let ours = root.join("collaborative.toml").is_file();
            let empty = fs::read_dir(root)?.next().is_none();
            if !ours && !empty {
                return Err(format!(
                    "{} is not empty and holds no collaborative.toml: refusing to write into it",
                    root.display()
                )
                .into());
            }
            for folder in ["teams", "applications"] {
                let path = root.join(folder);
                if path.is_dir() {
                    fs::remove_dir_all(&path)?;
                }
            }
        }
        fs::create_dir_all(root)?;
        Ok(Self {
            root: root.to_path_buf(),
            files: 0,
            bytes: 0,
        })
    }

    /// Writes `contents` to `relative` (creating its folder), through a temporary file renamed
    /// into place, so that a failed run never leaves a half-written file in the folder.
    pub(crate) fn bytes(&mut self, relative: &str, contents: &[u8]) -> Result<()> {
        use std::io::Write as _;
        let path = self.root.join(relative);
        let parent = path.parent().unwrap_or(&self.root);
        fs::create_dir_all(parent)?;
        let mut file = tempfile::NamedTempFile::new_in(parent)?;
        file.write_all(contents)?;
        file.persist(&path).map_err(|e| e.error)?;
        self.files += 1;
        self.bytes += contents.len() as u64;
        Ok(())
    }

    /// Writes a value as TOML under a comment line.
    pub(crate) fn toml<T: Serialize>(
        &mut self,
        relative: &str,
        comment: &str,
        value: &T,
    ) -> Result<()> {
        let mut text = String::new();
        for line in comment.lines() {
            text.push_str("# ");
            text.push_str(line);
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&toml::to_string_pretty(value)?);
        self.bytes(relative, text.as_bytes())
    }

    /// Writes a CSV file from a header and rows.
    pub(crate) fn csv<'a, R>(
        &mut self,
        relative: &str,
        header: &[&str],
        rows: impl IntoIterator<Item = R>,
    ) -> Result<()>
    where
        R: IntoIterator<Item = &'a str>,
    {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(header)?;
        for row in rows {
            out.write_record(row)?;
        }
        let contents = out.into_inner().map_err(|e| e.to_string())?;
        self.bytes(relative, &contents)
    }
}

/// Writes a team's folder: team.toml, cycles.toml, every measure's monthly data, the
/// patient-level extracts of the stratified measures, and the monthly reports.
pub(crate) fn team(writer: &mut Writer, run: &TeamRun) -> Result<()> {
    let profile = run.profile;
    let base = format!("teams/{}", profile.folder);
    writer.toml(
        &format!("{base}/team.toml"),
        &format!(
            "{}: the team's menu measures, its own measures and its aims.",
            profile.organization
        ),
        &run.plan,
    )?;
    writer.toml(
        &format!("{base}/cycles.toml"),
        &format!(
            "{}: change ideas and PDSA cycles; `follows` links a ramp's cycles.",
            profile.organization
        ),
        &run.log,
    )?;
    for measure in &run.measures {
        let key = measure.key.as_str();
        let mut lines: Vec<[String; 3]> = Vec::with_capacity(MONTHS);
        for data in &run.months {
            if let Some((numerator, denominator)) = data.value(key) {
                lines.push([
                    data.month.to_string(),
                    numerator.to_string(),
                    denominator.map(|d| d.to_string()).unwrap_or_default(),
                ]);
            }
        }
        let has_denominator = measure.unit.has_denominator();
        let header: &[&str] = if has_denominator {
            &["month", "numerator", "denominator"]
        } else {
            &["month", "numerator"]
        };
        let width = header.len();
        writer.csv(
            &format!("{base}/data/{key}.csv"),
            header,
            lines
                .iter()
                .map(|l| l.iter().take(width).map(String::as_str)),
        )?;
    }
    let months: Vec<String> = run.months.iter().map(|m| m.month.to_string()).collect();
    for (key, rows) in [
        (BP_CONTROL, &run.control_rows),
        (FOLLOW_UP, &run.follow_up_rows),
    ] {
        writer.csv(
            &format!("{base}/strata/{key}.csv"),
            &["month", "numerator", "denominator", "race_ethnicity"],
            rows.iter()
                .map(|row| patient_row(row, &months, profile.coding)),
        )?;
    }
    for report in &run.reports {
        writer.toml(
            &format!("{base}/reports/{}.toml", report.month),
            &format!(
                "{}: monthly report for {}, sent {}.",
                profile.team, report.month, report.submitted
            ),
            report,
        )?;
    }
    Ok(())
}

fn patient_row<'a>(
    row: &PatientRow,
    months: &'a [String],
    coding: super::profiles::Coding,
) -> [&'a str; 4] {
    [
        months.get(row.month).map_or("", String::as_str),
        if row.met { "1" } else { "0" },
        "1",
        row.group.written(coding),
    ]
}
