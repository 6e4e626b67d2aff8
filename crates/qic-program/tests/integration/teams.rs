//! Teams read from JSON, as other tools write them.

use qic_program::{Lens, Role, Team};

#[test]
fn a_team_reads_from_json_with_sets_in_any_order() {
    let json = r#"{
        "id": "0b8f8a8e-3f51-4c1d-9d5c-8d1f0c0a9e01",
        "name": "Harbor",
        "organization": {
            "id": "0b8f8a8e-3f51-4c1d-9d5c-8d1f0c0a9e02",
            "name": "Harbor Free Clinic",
            "kind": "free_or_charitable_clinic"
        },
        "members": [
            {"id": "0b8f8a8e-3f51-4c1d-9d5c-8d1f0c0a9e03", "name": "P. Lee",
             "roles": ["patient_partner"], "lenses": ["lived_experience"], "compensated": true},
            {"id": "0b8f8a8e-3f51-4c1d-9d5c-8d1f0c0a9e04", "name": "D. Ruiz",
             "roles": ["day_to_day_lead", "data_lead"], "lenses": ["data", "quality_improvement", "data"]}
        ]
    }"#;
    let team: Team = serde_json::from_str(json).unwrap();
    assert!(team.has_role(Role::PatientPartner));
    assert_eq!(team.members[0].compensated, Some(true));
    assert_eq!(team.members[1].lenses.len(), 2, "repeated lenses collapse");
    assert!(team.lenses().contains(&Lens::LivedExperience));
    let back: Team = serde_json::from_str(&serde_json::to_string(&team).unwrap()).unwrap();
    assert_eq!(back, team);
}
