//! Where a command's output goes: a file named by `--output`, or standard output.
//!
//! Nothing a user owns is lost through this module:
//!
//! - an output that is one of the command's inputs (the same file, whatever the name: a
//!   symbolic link, a hard link, `./a.jsonl` for `a.jsonl`) is refused before anything is
//!   opened for writing;
//! - a file is written to a temporary file in the same folder and renamed over the old one only
//!   when every byte is written and flushed, so a failed write (a full disk, `ulimit -f`, an
//!   error half-way) leaves the old file whole and no partial file behind.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::CliError;

/// The buffer size used for every file and standard output.
const BUFFER: usize = 1 << 16;

/// Refuses an output path that is one of `inputs`.
///
/// An output that does not exist yet cannot be an input. Inputs named `-` (standard input) are
/// skipped. Folder inputs refuse outputs that are inside them and already exist as one of the
/// folder's files is left to the caller, which knows which files it read: pass those files.
///
/// # Errors
///
/// [`CliError::OutputIsInput`] when the output is an input.
pub(crate) fn refuse_input_as_output(output: &Path, inputs: &[&Path]) -> Result<(), CliError> {
    if !output.exists() {
        return Ok(());
    }
    for input in inputs {
        if *input == Path::new("-") {
            continue;
        }
        if same_file::is_same_file(output, input).unwrap_or(false) {
            return Err(CliError::OutputIsInput {
                output: output.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Writes `contents` to `path` atomically, or to standard output when there is no path.
///
/// # Errors
///
/// [`CliError::OutputIsInput`] when `path` is one of `inputs`; [`CliError::Io`] when the file
/// cannot be written (the old file, if any, is left as it was); [`CliError::Output`] when
/// standard output is closed.
pub(crate) fn write_output(
    path: Option<&Path>,
    inputs: &[&Path],
    contents: &str,
) -> Result<(), CliError> {
    write_with(path, inputs, |out| out.write_all(contents.as_bytes()))
}

/// Streams output through a buffer to `path` (atomically) or standard output, so that large
/// outputs are never held as one string. `write` gets a writer whose concrete type lets the many
/// small writes of a serializer be inlined.
///
/// # Errors
///
/// As [`write_output`]; an error returned by `write` is reported against the file.
pub(crate) fn write_with(
    path: Option<&Path>,
    inputs: &[&Path],
    write: impl FnOnce(&mut Sink) -> std::io::Result<()>,
) -> Result<(), CliError> {
    if let Some(path) = path {
        let mut file = AtomicFile::create(path, inputs)?;
        write(&mut file.sink).map_err(|e| CliError::io(path, e))?;
        return file.commit();
    }
    let mut sink = Sink::Stdout(BufWriter::with_capacity(BUFFER, std::io::stdout()));
    write(&mut sink)
        .and_then(|()| sink.flush())
        .map_err(CliError::Output)
}

/// A buffered destination: a temporary file that becomes the output, or standard output.
pub(crate) enum Sink {
    /// The temporary file beside the output.
    File(BufWriter<tempfile::NamedTempFile>),
    /// Standard output.
    Stdout(BufWriter<std::io::Stdout>),
}

impl Write for Sink {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Self::File(w) => w.write(buf),
            Self::Stdout(w) => w.write(buf),
        }
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Self::File(w) => w.write_all(buf),
            Self::Stdout(w) => w.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Self::File(w) => w.flush(),
            Self::Stdout(w) => w.flush(),
        }
    }
}

/// A file written beside its destination and renamed into place by [`AtomicFile::commit`].
/// Dropped without a commit, the temporary file is removed and the destination is untouched.
pub(crate) struct AtomicFile {
    path: PathBuf,
    sink: Sink,
}

impl AtomicFile {
    /// Opens a temporary file in `path`'s folder, after checking `path` is none of `inputs`.
    ///
    /// # Errors
    ///
    /// [`CliError::OutputIsInput`], or [`CliError::Io`] when the folder cannot take a file.
    pub(crate) fn create(path: &Path, inputs: &[&Path]) -> Result<Self, CliError> {
        refuse_input_as_output(path, inputs)?;
        if path.is_dir() {
            return Err(CliError::io(
                path,
                std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a folder, not a file"),
            ));
        }
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temporary = tempfile::Builder::new()
            .prefix(".qic-")
            .suffix(".tmp")
            .tempfile_in(folder)
            .map_err(|e| CliError::io(path, e))?;
        Ok(Self {
            path: path.to_path_buf(),
            sink: Sink::File(BufWriter::with_capacity(BUFFER, temporary)),
        })
    }

    /// The writer.
    pub(crate) fn sink(&mut self) -> &mut Sink {
        &mut self.sink
    }

    /// Flushes, syncs and renames the temporary file over the destination.
    ///
    /// # Errors
    ///
    /// [`CliError::Io`] when a byte could not be written or the rename failed; the destination
    /// is then as it was.
    pub(crate) fn commit(self) -> Result<(), CliError> {
        let Self { path, sink } = self;
        let Sink::File(buffer) = sink else {
            return Ok(());
        };
        let temporary = buffer
            .into_inner()
            .map_err(|e| CliError::io(&path, e.into_error()))?;
        temporary
            .as_file()
            .sync_all()
            .map_err(|e| CliError::io(&path, e))?;
        keep_permissions(&path, &temporary);
        temporary
            .persist(&path)
            .map_err(|e| CliError::io(&path, e.error))?;
        Ok(())
    }
}

/// Gives the new file the old one's permissions (a temporary file is created private to its
/// owner); a new file gets what `File::create` gives under the common umask 022.
fn keep_permissions(path: &Path, temporary: &tempfile::NamedTempFile) {
    let permissions = std::fs::metadata(path).map(|old| old.permissions());
    #[cfg(unix)]
    let permissions = permissions.or_else(|_| {
        use std::os::unix::fs::PermissionsExt;
        Ok::<_, std::io::Error>(std::fs::Permissions::from_mode(0o644))
    });
    if let Ok(permissions) = permissions {
        // Best effort: a file system without permissions keeps the temporary file's.
        let _ = temporary.as_file().set_permissions(permissions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_input_is_refused_as_output_under_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("a.jsonl");
        std::fs::write(&input, "{}\n").unwrap();
        let other_name = dir.path().join(".").join("a.jsonl");
        let err = write_output(Some(&other_name), &[&input], "x").unwrap_err();
        assert!(matches!(err, CliError::OutputIsInput { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "{}\n");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.jsonl");
            std::os::unix::fs::symlink(&input, &link).unwrap();
            assert!(write_output(Some(&link), &[&input], "x").is_err());
            let hard = dir.path().join("hard.jsonl");
            std::fs::hard_link(&input, &hard).unwrap();
            assert!(write_output(Some(&hard), &[&input], "x").is_err());
        }
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "{}\n");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_whole_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        std::fs::write(&out, "old").unwrap();
        let err = write_with(Some(&out), &[], |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("disk full"), "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the old file remains");
    }

    #[test]
    fn a_write_replaces_the_file_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.txt");
        std::fs::write(&out, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_output(Some(&out), &[], "new").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
    }

    #[test]
    fn a_folder_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_output(Some(dir.path()), &[], "x").is_err());
    }
}
