//! Where a recording's bytes live: `data_dir/recordings/<id>.webm` (the raw appended
//! chunks while recording, then the finalised file) and `<id>.thumb`.

use std::io;
use std::path::{Path, PathBuf};

use tandem_protocol::recordings::RecordingId;
use tokio::io::AsyncWriteExt;

use super::webm::{self, FinaliseError, Finalised, WebmError};
use crate::private_files;

pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("recordings")
}

pub fn media(data_dir: &Path, id: RecordingId) -> PathBuf {
    dir(data_dir).join(format!("{id}.webm"))
}

pub fn thumbnail(data_dir: &Path, id: RecordingId) -> PathBuf {
    dir(data_dir).join(format!("{id}.thumb"))
}

/// An empty media file for a new recording.
pub async fn create(data_dir: &Path, id: RecordingId) -> io::Result<()> {
    private_files::create_dir_all(&dir(data_dir))?;
    private_files::create_file(&media(data_dir, id)).await?;
    Ok(())
}

/// Appends a chunk at `offset` (the stored size): anything past it (a write whose
/// bookkeeping did not commit) is cut first, so the file always matches the row.
pub async fn append(path: &Path, offset: u64, bytes: &[u8]) -> io::Result<()> {
    let file = private_files::tokio_file_options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .await?;
    file.set_len(offset).await?;
    let mut file = tokio::io::BufWriter::new(file);
    use tokio::io::AsyncSeekExt;
    file.seek(io::SeekFrom::Start(offset)).await?;
    file.write_all(bytes).await?;
    file.flush().await?;
    Ok(())
}

/// Replaces `path` atomically (see [`replace_blocking`]) with `bytes`.
pub async fn replace(path: &Path, bytes: Vec<u8>) -> io::Result<()> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || {
        replace_blocking(&path, |out| std::io::Write::write_all(out, &bytes))
    })
    .await
    .map_err(io::Error::other)?
}

/// Replaces `path` atomically, on a blocking thread: `write` fills a temporary file
/// next to it, which is synced and renamed over it only if `write` succeeds (otherwise
/// it is removed and `path` is untouched), so a crash leaves the old file or the new.
pub fn replace_blocking<T>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> io::Result<T>,
) -> io::Result<T> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    let written = (|| {
        let mut out = std::io::BufWriter::new(private_files::create_file_blocking(&tmp)?);
        let value = write(&mut out)?;
        out.flush()?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(value)
    })();
    let value = match written {
        Ok(value) => value,
        Err(err) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(err);
        }
    };
    std::fs::rename(&tmp, path)?;
    if let Some(parent) = path.parent() {
        // The rename itself is durable only once the directory is synced.
        if let Ok(dir) = std::fs::File::open(parent) {
            let _ = dir.sync_all();
        }
    }
    Ok(value)
}

/// Rewrites the media file at `path` seekable (see `webm`), on a blocking thread,
/// reading only its first `limit` bytes. The input is streamed, never read whole. On a
/// `Webm` error nothing was written and `path` is untouched; a missing file is not WebM.
pub fn finalise_blocking(path: &Path, limit: u64) -> Result<Finalised, FinaliseError> {
    let input = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Err(WebmError::NoHeader.into()),
        Err(err) => return Err(err.into()),
    };
    // The first pass finds any problem before the temporary file exists.
    let plan = webm::plan(input, limit)?;
    Ok(replace_blocking(path, |out| plan.write(out))?)
}

/// Keeps the file as uploaded, cut to its first `limit` bytes (created empty if
/// missing); returns its size.
pub fn keep_blocking(path: &Path, limit: u64) -> io::Result<u64> {
    let file = private_files::file_options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    let size = file.metadata()?.len().min(limit);
    file.set_len(size)?;
    file.sync_all()?;
    Ok(size)
}

/// Removes the recording's files (missing ones are fine).
pub async fn remove(data_dir: &Path, id: RecordingId) {
    for path in [media(data_dir, id), thumbnail(data_dir, id)] {
        if let Err(err) = tokio::fs::remove_file(&path).await {
            if err.kind() != io::ErrorKind::NotFound {
                tracing::warn!(
                    error = %err,
                    path = %path.display(),
                    "could not remove a recording file"
                );
            }
        }
    }
}
