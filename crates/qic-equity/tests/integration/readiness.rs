//! The readiness report as a reader of it sees it: JSON and text, with small cells hidden.

use qic_equity::codes::Dimension;
use qic_equity::mapping::{Mapping, MultipleRule};
use qic_equity::readiness::{ReadinessCounts, ReadinessThresholds};
use qic_equity::suppression::Suppression;

fn extract() -> ReadinessCounts {
    let mut mapping = Mapping::standard();
    mapping
        .add_csv(
            "dimension,raw,category\nrace,R9,declined\n".as_bytes(),
            "map.csv",
        )
        .unwrap();
    let mut counts = ReadinessCounts::new(
        [
            (Dimension::Race, "RACE"),
            (Dimension::Ethnicity, "ETH"),
            (Dimension::PreferredLanguage, "LANG"),
            (Dimension::SexualOrientation, "SO"),
            (Dimension::GenderIdentity, "GI"),
        ],
        MultipleRule::Multiracial,
    )
    .unwrap();
    let rows: [(&str, &str, &str, &str, &str, usize); 8] = [
        (
            "2106-3",
            "2186-5",
            "en-US",
            "20430005",
            "446141000124107",
            400,
        ),
        ("2054-5", "2186-5", "en", "20430005", "446151000124109", 250),
        ("2106-3", "2135-2", "es", "ASKU", "446141000124107", 180),
        ("2028-9", "2186-5", "Vietnamese", "", "", 60),
        (
            "2106-3;2054-5",
            "2186-5",
            "en",
            "38628009",
            "33791000087105",
            30,
        ),
        ("R9", "UNK", "", "UNK", "ASKU", 45),
        ("Hispanic", "2135-2", "Spanish", "", "", 28),
        ("2076-8", "2186-5", "sm", "42035005", "446141000124107", 7),
    ];
    for (race, eth, lang, so, gi, n) in rows {
        for _ in 0..n {
            counts.add_record(&mapping, [race, eth, lang, so, gi]);
        }
    }
    counts
}

#[test]
fn readiness_report_json() {
    let report = extract()
        .report(&ReadinessThresholds::default(), &Suppression::default())
        .unwrap();
    insta::assert_json_snapshot!(report);
}

#[test]
fn readiness_report_text() {
    let report = extract()
        .report(&ReadinessThresholds::default(), &Suppression::default())
        .unwrap();
    insta::assert_snapshot!(report.to_text());
}

#[test]
fn readiness_report_round_trips_through_json() {
    let report = extract()
        .report(&ReadinessThresholds::default(), &Suppression::default())
        .unwrap();
    let json = serde_json::to_string(&report).unwrap();
    let back: qic_equity::readiness::ReadinessReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}
