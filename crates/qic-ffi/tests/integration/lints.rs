//! This crate's lint tables are the workspace's, with unsafe code denied instead of forbidden
//! and three lints about unsafe code added (Cargo cannot inherit the workspace's lints and
//! change one).

use std::path::Path;

fn lints(manifest: &Path, table: &[&str]) -> toml::Table {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut value: toml::Value = toml::from_str(&text).unwrap();
    for key in table {
        value = value
            .get(*key)
            .cloned()
            .unwrap_or_else(|| panic!("no {key}"));
    }
    value.as_table().cloned().unwrap()
}

#[test]
fn the_lints_are_the_workspace_s_but_for_unsafe_code() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = crate_dir.join("../../Cargo.toml");
    let own = crate_dir.join("Cargo.toml");
    for group in ["rust", "clippy"] {
        let mut expected = lints(&workspace, &["workspace", "lints", group]);
        let mut actual = lints(&own, &["lints", group]);
        if group == "rust" {
            assert_eq!(
                expected.remove("unsafe_code").unwrap().as_str(),
                Some("forbid")
            );
            assert_eq!(actual.remove("unsafe_code").unwrap().as_str(), Some("deny"));
            assert_eq!(
                actual.remove("unsafe_op_in_unsafe_fn").unwrap().as_str(),
                Some("deny")
            );
        } else {
            for added in [
                "undocumented_unsafe_blocks",
                "multiple_unsafe_ops_per_block",
            ] {
                assert_eq!(
                    actual.remove(added).unwrap().as_str(),
                    Some("deny"),
                    "{added}"
                );
            }
        }
        assert_eq!(actual, expected, "[lints.{group}]");
    }
}
