//! `qic report`'s path: a collaborative's folder written from the input into a temporary
//! folder, loaded and checked, then its harvest, dashboard, report model, and the model
//! rendered as text and HTML.
//!
//! The input is text: a line `=== relative/path` starts a file, whose contents are the lines
//! up to the next such line (see `qic_fuzz::folder_files`; `seeds/make_seeds.py` turns a
//! folder into one input).
//!
//! Check: the report has no undefined number (`NaN`, `inf`) in an attribute.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use qic_fuzz::{folder_files, undefined_number_in_attributes, write_folder};
use qic_pdsa::Collaborative;
use qic_pdsa::dashboard::Dashboard;
use qic_pdsa::report::Report;

thread_local! {
    static ROOT: PathBuf = std::env::temp_dir()
        .join(format!("qic-fuzz-folder-{}", std::process::id()));
}

fuzz_target!(|data: &[u8]| {
    let files = folder_files(&String::from_utf8_lossy(data));
    ROOT.with(|root| {
        write_folder(root, &files).expect("the temporary folder is written");
        let Ok(collaborative) = Collaborative::load(root) else {
            return;
        };
        let _ = qic_pdsa::harvest::harvest(&collaborative);
        let _ = Dashboard::new(&collaborative);
        let Ok(report) = Report::build(&collaborative) else {
            return;
        };
        let _ = qic_pdsa::text::render(&report);
        let html = qic_pdsa::html::render(&report);
        if let Some(value) = undefined_number_in_attributes(&html) {
            panic!("the report has an undefined number in an attribute: {value}");
        }
    });
});
