//! A measure pooled across the fixture's teams.

use qic_pdsa::Collaborative;
use qic_pdsa::charts::pooled_series;
use qic_pdsa::measure::Unit;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/collaborative");

#[test]
fn proportions_pool_numerators_over_denominators_month_by_month() {
    let c = Collaborative::load(FIXTURE).unwrap();
    let measure = c.program_measure(&"bp-control".parse().unwrap()).unwrap();
    let pooled = pooled_series(&c.teams, measure).unwrap();
    let points: Vec<(String, f64, Option<f64>)> = pooled
        .series
        .points()
        .iter()
        .map(|p| (p.month.to_string(), p.numerator, p.denominator))
        .collect();
    // Lakeside 50/100 and 55/100 with Valley 40/80 and 41/80, then Lakeside alone.
    assert_eq!(
        points[..3],
        [
            ("2025-01".into(), 90.0, Some(180.0)),
            ("2025-02".into(), 96.0, Some(180.0)),
            ("2025-03".into(), 58.0, Some(100.0)),
        ]
    );
    assert_eq!(pooled.teams, [2, 2, 1, 1, 1, 1]);
    assert!(pooled.left_out.is_empty());
}

#[test]
fn counts_pool_only_months_every_team_reported_and_means_do_not_pool() {
    let c = Collaborative::load(FIXTURE).unwrap();
    let mut measure = c
        .program_measure(&"bp-control".parse().unwrap())
        .unwrap()
        .clone();
    let mut teams = c.teams.clone();
    measure.unit = Unit::Count;
    measure.definition.denominator = None;
    for team in &mut teams {
        let series = team.series.get(&measure.key).unwrap();
        let points = series
            .points()
            .iter()
            .map(|p| qic_pdsa::series::DataPoint {
                denominator: None,
                ..*p
            })
            .collect();
        let counts = qic_pdsa::series::Series::new(&measure, points).unwrap();
        team.series.insert(measure.key.clone(), counts);
    }
    let pooled = pooled_series(&teams, &measure).unwrap();
    assert_eq!(pooled.series.points().len(), 2);
    assert!((pooled.series.points()[1].numerator - 96.0).abs() < 1e-9);
    assert_eq!(pooled.left_out.len(), 4);

    measure.unit = Unit::Mean;
    assert!(pooled_series(&teams, &measure).is_none());
}
