//! The data directory is the server's alone: directories 0700, files 0600 (the
//! database with its `-wal`/`-shm`, uploads, recordings). Modes are given explicitly
//! when something is created, never left to the process umask, and `secure_data_dir`
//! repairs what older versions (or a restore from backup) left readable at start-up.

use std::io;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

pub const DIR_MODE: u32 = 0o700;
pub const FILE_MODE: u32 = 0o600;
/// How deep start-up looks below the data directory (`files/<hash>` and
/// `recordings/<id>.webm` are one level down; the margin covers future layouts).
const MAX_DEPTH: usize = 4;

/// Creates `path` and any missing parents as 0700, and makes `path` itself exactly
/// 0700 even if it already existed.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    make_dirs(path)?;
    set_mode(path, DIR_MODE)
}

fn make_dirs(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(DIR_MODE);
    builder.create(path)
}

/// Options for opening a file that is created 0600 if it does not exist yet; the
/// caller adds `write`, `create`, `truncate`, … as before.
pub fn file_options() -> std::fs::OpenOptions {
    #[allow(unused_mut)]
    let mut options = std::fs::OpenOptions::new();
    #[cfg(unix)]
    options.mode(FILE_MODE);
    options
}

/// `file_options` for tokio.
pub fn tokio_file_options() -> tokio::fs::OpenOptions {
    tokio::fs::OpenOptions::from(file_options())
}

/// A new (or truncated) file for writing, created 0600: `File::create` with a mode.
pub async fn create_file(path: &Path) -> io::Result<tokio::fs::File> {
    tokio_file_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .await
}

/// `create_file` for blocking code.
pub fn create_file_blocking(path: &Path) -> io::Result<std::fs::File> {
    file_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

/// At start-up, before the database opens: makes the data directory (0700), creates
/// an empty SQLite database file as 0600 if there is none (SQLite gives its `-wal` and
/// `-shm` the main file's mode, and treats an empty file as a new database; `None` with
/// Postgres, whose files are its own), then sets every directory below to 0700 and
/// every file to 0600. Symbolic links are not followed.
pub fn secure_data_dir(data_dir: &Path, database_file: Option<&Path>) -> io::Result<()> {
    make_dirs(data_dir)?;
    repair(data_dir, DIR_MODE);
    if let Some(database_file) = database_file {
        match file_options()
            .write(true)
            .create_new(true)
            .open(database_file)
        {
            Ok(_) => {}
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
    }
    secure_tree(data_dir, 0)
}

fn secure_tree(dir: &Path, depth: usize) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            repair(&path, DIR_MODE);
            if depth < MAX_DEPTH {
                secure_tree(&path, depth + 1)?;
            }
        } else if kind.is_file() {
            repair(&path, FILE_MODE);
        }
    }
    Ok(())
}

/// An entry someone else owns (a restore done as root, say) cannot be changed: that is
/// worth a warning, not a server that refuses to start.
fn repair(path: &Path, mode: u32) {
    if let Err(err) = set_mode(path, mode) {
        tracing::warn!(path = %path.display(), error = %err, "could not make private");
    }
}

/// Sets the permission bits to exactly `mode` (only if they differ, so a tree that is
/// already right costs one `stat` per entry).
#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    let current = std::fs::symlink_metadata(path)?.permissions().mode() & 0o7777;
    if current != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn start_up_makes_the_data_dir_private_and_repairs_what_is_in_it() {
        let root = std::env::temp_dir().join(format!("tandem-modes-{}", uuid::Uuid::new_v4()));
        let data = root.join("data");
        std::fs::create_dir_all(data.join("files")).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(data.join("files"), std::fs::Permissions::from_mode(0o777))
            .unwrap();
        std::fs::write(data.join("files").join("old"), b"x").unwrap();
        std::fs::set_permissions(
            data.join("files").join("old"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();

        secure_data_dir(&data, Some(&data.join("tandem.db"))).unwrap();
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("files")), 0o700);
        assert_eq!(mode(&data.join("files").join("old")), 0o600);
        assert_eq!(mode(&data.join("tandem.db")), 0o600);
        assert_eq!(std::fs::metadata(data.join("tandem.db")).unwrap().len(), 0);

        let nested = data.join("recordings");
        create_dir_all(&nested).unwrap();
        assert_eq!(mode(&nested), 0o700);
        create_file_blocking(&nested.join("a.webm")).unwrap();
        assert_eq!(mode(&nested.join("a.webm")), 0o600);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
