//! An index of an outer archive (a `docker save` tar or an OCI layout packed in a tar): member
//! names → (offset, size) taken from the tar crate's raw positions, so that members are later
//! read by seeking into the archive, never extracted to disk.
//!
//! Member names are normalised with [`crate::fs::normalize`] (`./manifest.json` and
//! `manifest.json` are the same member). A member may be a symlink or a hard link to another
//! member (skopeo writes `<id>/layer.tar -> ../<diff_id>.tar`); [`ArchiveIndex::locate`] follows
//! such links inside the archive, at most [`crate::fs::MAX_LINK_HOPS`] times.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::fs::{normalize, MAX_LINK_HOPS};
use crate::GenError;

/// What a member of the outer archive is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberKind {
    /// A regular file (its data is at [`Member::offset`]).
    File,
    /// A folder.
    Dir,
    /// Symlink target as written (relative to the member's folder, or absolute = archive root).
    Symlink(String),
    /// Hard link target (an archive-root-relative member name).
    HardLink(String),
    /// Anything else (device, fifo): never read.
    Other,
}

/// One member: its kind, the byte offset of its data in the archive and its size in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub kind: MemberKind,
    pub offset: u64,
    pub size: u64,
}

/// The index of a tar archive on the host: normalised member name → [`Member`] (the last
/// member of a name wins, as when extracting).
#[derive(Debug, Clone)]
pub struct ArchiveIndex {
    path: PathBuf,
    members: BTreeMap<String, Member>,
}

fn io_err(path: &Path, source: io::Error) -> GenError {
    GenError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn invalid(path: &Path, place: &str, message: impl Into<String>) -> GenError {
    GenError::Invalid {
        path: path.to_path_buf(),
        place: place.to_string(),
        message: message.into(),
    }
}

impl ArchiveIndex {
    /// Index the tar at `path`, reading only headers (data is skipped by seeking). At most
    /// `max_members` members; more is [`GenError::Limit`]. A file that is not a tar is
    /// [`GenError::Invalid`].
    pub fn open(path: &Path, max_members: u64) -> Result<Self, GenError> {
        let file = File::open(path).map_err(|e| io_err(path, e))?;
        let mut magic = [0u8; 4];
        let mut probe = file.try_clone().map_err(|e| io_err(path, e))?;
        let n = read_up_to(&mut probe, &mut magic).map_err(|e| io_err(path, e))?;
        if n >= 2 && magic[..2] == [0x1f, 0x8b] || n == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd] {
            return Err(invalid(
                path,
                "archive",
                "compressed archive; decompress it first (expected a plain tar)",
            ));
        }
        probe
            .seek(SeekFrom::Start(0))
            .map_err(|e| io_err(path, e))?;
        let mut archive = tar::Archive::new(BufReader::new(file));
        let mut members = BTreeMap::new();
        let mut count = 0u64;
        let entries = archive
            .entries_with_seek()
            .map_err(|e| invalid(path, "tar", e.to_string()))?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                if count == 0 {
                    invalid(
                        path,
                        "tar",
                        "not a tar archive (no valid tar header at its start)",
                    )
                } else {
                    invalid(
                        path,
                        "tar",
                        format!(
                            "unreadable after {count} members: {}",
                            one_line(&e.to_string())
                        ),
                    )
                }
            })?;
            count += 1;
            if count > max_members {
                return Err(GenError::Limit {
                    path: path.to_path_buf(),
                    message: format!("more than {max_members} archive members"),
                });
            }
            let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let (name, _) = normalize(&raw_name);
            if name.is_empty() {
                continue;
            }
            let header = entry.header();
            let et = header.entry_type();
            let link = || {
                entry
                    .link_name_bytes()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default()
            };
            let kind = if et.is_file() || et.is_contiguous() {
                MemberKind::File
            } else if et.is_dir() {
                MemberKind::Dir
            } else if et.is_symlink() {
                MemberKind::Symlink(link())
            } else if et.is_hard_link() {
                MemberKind::HardLink(link())
            } else {
                MemberKind::Other
            };
            members.insert(
                name,
                Member {
                    kind,
                    offset: entry.raw_file_position(),
                    size: entry.size(),
                },
            );
        }
        Ok(ArchiveIndex {
            path: path.to_path_buf(),
            members,
        })
    }

    /// The archive's host path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a member of this (normalised) name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.members.contains_key(&normalize(name).0)
    }

    /// Every member name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.members.keys().map(String::as_str)
    }

    /// The regular member that `name` designates after following symlinks and hard links
    /// between members: returns (offset, size) of its data. A missing member, a dangling link
    /// or a loop is [`GenError::Invalid`] naming the member.
    pub fn locate(&self, name: &str) -> Result<(u64, u64), GenError> {
        let (mut cur, _) = normalize(name);
        for _ in 0..=MAX_LINK_HOPS {
            let m = self.members.get(&cur).ok_or_else(|| {
                invalid(
                    &self.path,
                    name,
                    format!("no member {cur:?} in the archive"),
                )
            })?;
            match &m.kind {
                MemberKind::File => return Ok((m.offset, m.size)),
                MemberKind::Symlink(target) => {
                    let joined = if target.starts_with('/') {
                        target.clone()
                    } else {
                        match cur.rsplit_once('/') {
                            Some((dir, _)) => format!("{dir}/{target}"),
                            None => target.clone(),
                        }
                    };
                    cur = normalize(&joined).0;
                }
                MemberKind::HardLink(target) => cur = normalize(target).0,
                MemberKind::Dir | MemberKind::Other => {
                    return Err(invalid(&self.path, name, "member is not a regular file"));
                }
            }
        }
        Err(invalid(
            &self.path,
            name,
            "too many links between archive members",
        ))
    }

    /// Open the data of member `name` (links followed) as a reader of exactly its size.
    pub fn open_member(&self, name: &str) -> Result<(io::Take<File>, u64), GenError> {
        let (offset, size) = self.locate(name)?;
        Ok((open_range(&self.path, offset, size)?, size))
    }

    /// Read member `name` whole; more than `max` bytes is [`GenError::Limit`].
    pub fn read_small(&self, name: &str, max: u64) -> Result<Vec<u8>, GenError> {
        let (mut r, size) = self.open_member(name)?;
        if size > max {
            return Err(GenError::Limit {
                path: self.path.clone(),
                message: format!("{name}: {size} bytes, more than the {max} allowed"),
            });
        }
        let mut buf = Vec::new();
        r.read_to_end(&mut buf).map_err(|e| io_err(&self.path, e))?;
        if (buf.len() as u64) < size {
            return Err(invalid(&self.path, name, "archive ends inside this member"));
        }
        Ok(buf)
    }
}

/// Open `path` and position it at `offset`, limited to `size` bytes.
pub fn open_range(path: &Path, offset: u64, size: u64) -> Result<io::Take<File>, GenError> {
    let mut f = File::open(path).map_err(|e| io_err(path, e))?;
    f.seek(SeekFrom::Start(offset))
        .map_err(|e| io_err(path, e))?;
    Ok(f.take(size))
}

/// Read up to `buf.len()` bytes (fewer only at end of stream); returns how many.
pub fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// `s` with control characters (newlines from hostile headers) escaped, so an error stays one
/// line.
pub fn one_line(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}
