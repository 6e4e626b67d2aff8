//! Helpers shared by qic's fuzz targets (`fuzz_targets/`).
//!
//! Each target reads a few **control bytes** from the front of its input (the chart type, the
//! options, a date) and treats the rest as the file or files it feeds to the library: the
//! fuzzer mutates both, and a seed is a real file with its control bytes in front (see
//! `seeds/make_seeds.py`). Missing control bytes read as zero, so every input is usable.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

/// An input split into its control bytes and the rest.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    control: &'a [u8],
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    /// Splits `data` after `control_len` bytes (fewer when the input is shorter).
    pub fn new(data: &'a [u8], control_len: usize) -> Self {
        let (control, rest) = data.split_at(control_len.min(data.len()));
        Self { control, rest }
    }

    /// Control byte `i` (zero past the end of a short input).
    pub fn byte(&self, i: usize) -> u8 {
        self.control.get(i).copied().unwrap_or(0)
    }

    /// Control byte `i` as a flag: its bit `bit`.
    pub fn bit(&self, i: usize, bit: u8) -> bool {
        self.byte(i) >> (bit % 8) & 1 == 1
    }

    /// Control byte `i` as an index into a list of `len` choices.
    pub fn choice(&self, i: usize, len: usize) -> usize {
        usize::from(self.byte(i)) % len.max(1)
    }

    /// What follows the control bytes.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// What follows the control bytes, as text (invalid UTF-8 replaced).
    pub fn rest_text(&self) -> String {
        String::from_utf8_lossy(self.rest).into_owned()
    }

    /// A day in 2015–2032 from control bytes `i` and `i + 1` (the days since 2015-01-01,
    /// modulo 6,574).
    pub fn date(&self, i: usize) -> NaiveDate {
        let days = u16::from_le_bytes([self.byte(i), self.byte(i + 1)]) % 6574;
        NaiveDate::from_ymd_opt(2015, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(days))))
            .unwrap_or_default()
    }
}

/// Numbers that break arithmetic: zero, signs, subnormals, huge and tiny values.
pub const NUMBERS: [f64; 16] = [
    0.0,
    1.0,
    -1.0,
    0.5,
    100.0,
    -0.0,
    1e-320,
    f64::MIN_POSITIVE,
    1e300,
    -1e300,
    f64::MAX,
    f64::EPSILON,
    3.0,
    1e-9,
    12.5,
    1e15,
];

/// A number from [`NUMBERS`] picked by a byte.
pub fn number(byte: u8) -> f64 {
    NUMBERS[usize::from(byte) % NUMBERS.len()]
}

/// Splits bytes into at most `max` sections at NUL bytes (the last section keeps any later
/// NUL). Always returns `max` sections, empty ones for what is missing.
pub fn sections(bytes: &[u8], max: usize) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = bytes.splitn(max.max(1), |&b| b == 0).collect();
    out.resize(max.max(1), &[]);
    out
}

/// Whether any attribute value of an SVG or HTML document holds `NaN` or `inf`: a number that
/// went undefined and was written out as a coordinate.
pub fn undefined_number_in_attributes(markup: &str) -> Option<&str> {
    // Most documents hold neither word: skip the attribute scan for them (it is most of the
    // time the folder target spends outside the library).
    if !markup.contains("NaN") && !markup.contains("inf") {
        return None;
    }
    markup.split("=\"").skip(1).find_map(|after| {
        let value = after.split('"').next().unwrap_or_default();
        value
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .any(|token| matches!(token.trim_start_matches('-'), "NaN" | "inf"))
            .then_some(value)
    })
}

/// The most files a folder input may hold, and the deepest path (components).
const MAX_FILES: usize = 64;
const MAX_DEPTH: usize = 5;

/// The files of a folder input: text in which a line `=== relative/path` starts a file whose
/// contents are the lines up to the next such line. Paths with anything but letters, digits,
/// `.`, `-` and `_` in a component, `.` or `..` components, or more than five components are
/// skipped with their contents; at most 64 files are kept (later ones win on a repeated path).
pub fn folder_files(text: &str) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(Option<PathBuf>, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("=== ") {
            files.push((
                safe_relative_path(path.trim_end_matches(['\n', '\r'])),
                String::new(),
            ));
        } else if let Some((_, contents)) = files.last_mut() {
            contents.push_str(line);
        }
    }
    files
        .into_iter()
        .filter_map(|(path, contents)| path.map(|p| (p, contents)))
        .take(MAX_FILES)
        .collect()
}

fn safe_relative_path(text: &str) -> Option<PathBuf> {
    let path = Path::new(text);
    let components: Vec<_> = path.components().collect();
    let safe = !components.is_empty()
        && components.len() <= MAX_DEPTH
        && components.iter().all(|c| match c {
            Component::Normal(name) => name.to_str().is_some_and(|name| {
                !name.is_empty()
                    && name
                        .chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_'))
            }),
            _ => false,
        });
    safe.then(|| path.to_path_buf())
}

/// Writes `files` under `root`, emptied first. A path that is already a file where a folder
/// is needed (or the reverse) is skipped.
///
/// # Errors
///
/// When `root` cannot be emptied or created.
pub fn write_folder(root: &Path, files: &[(PathBuf, String)]) -> io::Result<()> {
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    fs::create_dir_all(root)?;
    for (path, contents) in files {
        let path = root.join(path);
        let written = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&path, contents));
        // A clash between a file and a folder of the same name is the input's own affair.
        drop(written);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bytes_read_as_zero_past_the_end() {
        let input = Input::new(&[3, 0b100], 4);
        assert_eq!((input.byte(0), input.byte(3)), (3, 0));
        assert!(input.bit(1, 2) && !input.bit(1, 1));
        assert_eq!(input.choice(0, 2), 1);
        assert!(input.rest().is_empty());
        let input = Input::new(b"\x01\x00x,y\n", 2);
        assert_eq!(input.rest_text(), "x,y\n");
        assert_eq!(input.date(0).to_string(), "2015-01-02");
    }

    #[test]
    fn sections_split_at_nul_and_pad() {
        assert_eq!(sections(b"a\0b\0c", 2), vec![&b"a"[..], &b"b\0c"[..]]);
        assert_eq!(sections(b"a", 3), vec![&b"a"[..], &b""[..], &b""[..]]);
    }

    #[test]
    fn undefined_numbers_are_found_in_attributes_only() {
        assert!(undefined_number_in_attributes(r#"<path d="M 1 NaN L 2 3"/>"#).is_some());
        assert!(undefined_number_in_attributes(r#"<line x1="-inf" />"#).is_some());
        assert!(undefined_number_in_attributes(r#"<text x="1">NaN</text>"#).is_none());
        assert!(undefined_number_in_attributes(r#"<g class="info" id="NaNa">"#).is_none());
    }

    #[test]
    fn folder_files_keep_safe_paths_only() {
        let text = "=== a/b.toml\nx = 1\n=== ../evil\nno\n=== /abs\nno\n=== c.csv\nm,n\n1,2\n";
        let files = folder_files(text);
        assert_eq!(
            files,
            vec![
                (PathBuf::from("a/b.toml"), "x = 1\n".to_owned()),
                (PathBuf::from("c.csv"), "m,n\n1,2\n".to_owned()),
            ]
        );
    }
}
