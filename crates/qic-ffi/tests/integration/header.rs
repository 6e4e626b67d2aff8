//! The checked-in header is what cbindgen generates from the crate today.

use std::path::Path;

#[test]
fn the_checked_in_header_is_current() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/api.rs"))
        .generate()
        .unwrap()
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = crate_dir.join("include/qic.h");
    if std::env::var_os("QIC_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "include/qic.h is stale: run `QIC_UPDATE_HEADER=1 cargo test -p qic-ffi header` and commit it"
    );
    for function in [
        "qic_ruleset_from_preset",
        "qic_ruleset_from_toml",
        "qic_evaluate_json",
        "qic_chart_json",
        "qic_string_free",
        "qic_ruleset_free",
    ] {
        assert!(generated.contains(&format!(" {function}(")), "{function}");
    }
}
