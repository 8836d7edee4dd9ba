//! `dir:PATH`: a root filesystem (or source tree) on the host, read as a one-layer image.
//!
//! The folder is walked with `symlink_metadata`, so host symlinks are never followed: they are
//! stored as links and resolved later by [`crate::fs::FileSystem::resolve`] inside the folder,
//! as a container runtime would with this folder as `/`. Regular files are read only when
//! wanted, and only up to the per-file budget. An unreadable file or folder is a warning.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::fs::{Entry, EntryKind, FileSystem};
use crate::GenError;

/// Walk `root` into `fs` as layer 1 (see the module header). `wants(path, size)` says whether a
/// regular file's contents are kept (at most `max_file_bytes`). More than `max_entries` entries
/// is [`GenError::Limit`]; a root that is not a folder is [`GenError::Invalid`].
pub fn walk(
    root: &Path,
    wants: &dyn Fn(&str, u64) -> bool,
    max_file_bytes: u64,
    max_entries: u64,
    fs: &mut FileSystem,
    warnings: &mut Vec<String>,
) -> Result<(), GenError> {
    let meta = std::fs::metadata(root).map_err(|e| GenError::Io {
        path: root.to_path_buf(),
        source: e,
    })?;
    if !meta.is_dir() {
        return Err(GenError::Invalid {
            path: root.to_path_buf(),
            place: "dir".into(),
            message: "not a folder".into(),
        });
    }
    let mut count = 0u64;
    // (host path, image-relative path); processed depth-first, siblings sorted by name.
    let mut stack: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((host, rel)) = stack.pop() {
        let rd = match std::fs::read_dir(&host) {
            Ok(rd) => rd,
            Err(e) => {
                warnings.push(format!("{}: cannot list folder: {e}", host.display()));
                continue;
            }
        };
        let mut children: Vec<(String, PathBuf)> = Vec::new();
        for de in rd {
            match de {
                Ok(de) => children.push((de.file_name().to_string_lossy().into_owned(), de.path())),
                Err(e) => warnings.push(format!("{}: cannot list folder: {e}", host.display())),
            }
        }
        children.sort();
        let mut subdirs = Vec::new();
        for (name, child) in children {
            count += 1;
            if count > max_entries {
                return Err(GenError::Limit {
                    path: root.to_path_buf(),
                    message: format!("more than {max_entries} files and folders"),
                });
            }
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            let meta = match std::fs::symlink_metadata(&child) {
                Ok(m) => m,
                Err(e) => {
                    warnings.push(format!("{}: cannot read: {e}", child.display()));
                    continue;
                }
            };
            let ft = meta.file_type();
            let kind = if ft.is_symlink() {
                match std::fs::read_link(&child) {
                    Ok(t) => EntryKind::Symlink(t.to_string_lossy().into_owned()),
                    Err(e) => {
                        warnings.push(format!("{}: cannot read link: {e}", child.display()));
                        continue;
                    }
                }
            } else if ft.is_dir() {
                subdirs.push((child, path.clone()));
                EntryKind::Dir
            } else if ft.is_file() {
                let size = meta.len();
                let data = if wants(&path, size) {
                    if size > max_file_bytes {
                        warnings.push(format!("{path}: {size} bytes, more than the {max_file_bytes} kept per file; not read"));
                        None
                    } else {
                        match read_regular(&child, max_file_bytes) {
                            Ok(d) => Some(Arc::from(d)),
                            Err(e) => {
                                warnings.push(format!("{}: cannot read: {e}", child.display()));
                                None
                            }
                        }
                    }
                } else {
                    None
                };
                EntryKind::File { size, data }
            } else {
                EntryKind::Other
            };
            fs.add_parents(&path, 1);
            fs.put(path, Entry { kind, layer: 1 });
        }
        // Reverse so that the first sibling is walked first.
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(())
}

/// Read the regular file at image path `real` (a path [`FileSystem::resolve`] returned, so
/// every segment is a folder or file seen by the walk, never `..`) under `root`, refusing
/// anything that is not a regular file now. Returns `None` when it cannot be read.
pub fn read_inside(root: &Path, real: &str, max_file_bytes: u64) -> Option<Vec<u8>> {
    let mut host = root.to_path_buf();
    for seg in real.split('/') {
        if seg.is_empty() || seg == "." || seg == ".." {
            return None;
        }
        host.push(seg);
        // Refuse a segment that became a host symlink since the walk.
        let m = std::fs::symlink_metadata(&host).ok()?;
        if m.file_type().is_symlink() {
            return None;
        }
    }
    if !std::fs::symlink_metadata(&host).ok()?.is_file() {
        return None;
    }
    read_regular(&host, max_file_bytes).ok()
}

fn read_regular(p: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let f = std::fs::File::open(p)?;
    let mut buf = Vec::new();
    f.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "file grew beyond the per-file budget",
        ));
    }
    Ok(buf)
}
