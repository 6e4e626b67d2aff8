//! Snapshots of the presets' calendars (text table and iCalendar) and of a program's JSON shape.

use qic_program::Preset;

#[test]
fn preset_calendar_tables() {
    for preset in Preset::ALL {
        let program = preset.program().unwrap();
        insta::assert_snapshot!(
            format!("{}-table", preset.name()),
            program.schedule().to_table()
        );
    }
}

#[test]
fn preset_calendar_icalendar() {
    for preset in Preset::ALL {
        let ics = preset.program().unwrap().schedule().to_ics();
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "every line ends in CRLF"
        );
        // Snapshots store LF line endings; the CRLF check above covers the real ones.
        insta::assert_snapshot!(format!("{}-ics", preset.name()), ics.replace("\r\n", "\n"));
    }
}

#[test]
fn preset_summaries() {
    for preset in Preset::ALL {
        insta::assert_snapshot!(
            format!("{}-summary", preset.name()),
            preset.program().unwrap().summary()
        );
    }
}

#[test]
fn program_json_shape() {
    let program = Preset::PursuingEquity2022.program().unwrap();
    insta::assert_json_snapshot!("pursuing-equity-2022-program", program);
}
