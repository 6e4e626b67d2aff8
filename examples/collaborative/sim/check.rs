//! Reading the written folder back: a check that every patient-level extract adds up to its
//! measure's monthly data file (the folder loader does not compare them).

use qic_equity::period::Period;
use qic_pdsa::Collaborative;

use super::Result;

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
