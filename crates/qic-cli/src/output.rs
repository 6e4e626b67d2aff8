//! Where a command's output goes: a file named by `--output`, or standard output.

use std::io::Write;
use std::path::Path;

use crate::CliError;

/// Writes `contents` to `path`, or to standard output when there is no path.
pub(crate) fn write_output(path: Option<&Path>, contents: &str) -> Result<(), CliError> {
    if let Some(path) = path {
        return std::fs::write(path, contents).map_err(|e| CliError::io(path, e));
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(contents.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(CliError::Output)
}
