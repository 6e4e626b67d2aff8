//! Reading the written folder back: each aim's progress from the data, and a check that every
//! patient-level extract adds up to its measure's monthly data file.

use qic_equity::period::Period;
use qic_pdsa::aim::{AimData, AimProgress, Goal, Population};
use qic_pdsa::folder::{Collaborative, TeamFolder};
use qic_pdsa::series::{DataPoint, Series};
use qic_pdsa::{Aim, Measure};
use qic_program::YearMonth;

use super::Result;

/// One group's monthly series of a stratified measure, from the team's patient-level extract
/// (`group` is the category's label, as aims name it). `None` when the measure has no extract.
pub(crate) fn group_series(
    team: &TeamFolder,
    measure: &Measure,
    group: &str,
) -> Result<Option<Series>> {
    let Some(counts) = team.strata.get(&measure.key) else {
        return Ok(None);
    };
    let stratifiers = counts.stratifiers();
    let mut points = Vec::new();
    for (period, stratum, cell) in counts.cells() {
        if stratum.label(stratifiers) == group {
            points.push(DataPoint {
                month: YearMonth::new(period.year(), period.month())?,
                numerator: cell.numerator as f64,
                denominator: Some(cell.denominator as f64),
            });
        }
    }
    let series = Series::new(measure, points)
        .map_err(|(i, problem)| format!("{} group {group}, point {i}: {problem}", team.folder))?;
    Ok(Some(series))
}

/// Progress toward one aim, computed from the team's data as of the folder's date.
pub(crate) fn progress(
    collaborative: &Collaborative,
    team: &TeamFolder,
    aim: &Aim,
) -> Result<AimProgress> {
    let measure = team
        .measure(&aim.measure)
        .ok_or_else(|| format!("{}: aim {} names an unknown measure", team.folder, aim.key))?;
    let missing = |what: &str| format!("{}: aim {} has no data for {what}", team.folder, aim.key);
    let as_of = collaborative.settings.as_of;
    let progress = match (&aim.goal, &aim.population) {
        (
            Goal::CloseGap {
                group, reference, ..
            },
            _,
        ) => {
            let group_data = group_series(team, measure, group)?.ok_or_else(|| missing(group))?;
            let reference_data =
                group_series(team, measure, reference)?.ok_or_else(|| missing(reference))?;
            aim.progress(
                measure,
                AimData::Gap {
                    group: &group_data,
                    reference: &reference_data,
                },
                as_of,
            )?
        }
        (Goal::Reach { .. }, Population::Stratum { group, .. }) => {
            let data = group_series(team, measure, group)?.ok_or_else(|| missing(group))?;
            aim.progress(measure, AimData::Level(&data), as_of)?
        }
        (Goal::Reach { .. }, Population::All) => {
            let data = team
                .series
                .get(&measure.key)
                .ok_or_else(|| missing("all patients"))?;
            aim.progress(measure, AimData::Level(data), as_of)?
        }
    };
    Ok(progress)
}

/// Checks that each stratified extract's monthly totals equal the measure's data file.
///
/// # Errors
///
/// The first team, measure and month where they differ.
pub(crate) fn strata_match_data(collaborative: &Collaborative) -> Result<()> {
    for team in &collaborative.teams {
        for (key, counts) in &team.strata {
            let series = team
                .series
                .get(key)
                .ok_or_else(|| format!("{}: {key} has an extract but no data file", team.folder))?;
            if counts.rows().skipped.values().sum::<u64>() > 0 {
                return Err(format!("{}: {key}'s extract has unusable rows", team.folder).into());
            }
            for point in series.points() {
                let period = Period::new(point.month.year(), point.month.month())
                    .ok_or("a month out of range")?;
                let total = counts.period_total(period).unwrap_or_default();
                let same = (total.numerator as f64 - point.numerator).abs() < 1e-9
                    && point
                        .denominator
                        .is_some_and(|d| (total.denominator as f64 - d).abs() < 1e-9);
                if !same {
                    return Err(format!(
                        "{}: {key} in {}: the extract sums to {}/{}, the data file says {}/{:?}",
                        team.folder,
                        point.month,
                        total.numerator,
                        total.denominator,
                        point.numerator,
                        point.denominator
                    )
                    .into());
                }
            }
        }
    }
    Ok(())
}
