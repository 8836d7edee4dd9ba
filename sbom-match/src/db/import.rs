//! `db import`: read OSV records (JSON files, folders of them searched recursively, zip archives
//! of them such as osv.dev's `all.zip`) into the database in one transaction.
//!
//! Follows the OSV schema (<https://ossf.github.io/osv-schema/>): a record is a JSON object with a
//! string `id` and `modified`; `affected[].package` names `ecosystem` and `name`. Only files
//! named `*.json` (inside folders and zips) and `*.zip` are read; other files (READMEs) are
//! ignored. A record that does not parse or lacks what we need is a warning naming the file
//! and the JSON pointer (or line and column) and is skipped. Re-importing a record with the
//! same id replaces it unless the stored one has a newer `modified`.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::Path;

use rusqlite::{params, OptionalExtension};
use serde_json::Value;

use super::{Db, DbError};
use crate::identity::normalise_name;

/// The most bytes read from one record file or zip member (a record is a few KiB; osv.dev's
/// largest are well under 1 MiB).
pub const MAX_RECORD_BYTES: u64 = 32 * 1024 * 1024;
/// How deep folders are searched.
const MAX_DEPTH: usize = 64;

/// Why an import failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: no such file or folder")]
    NotFound { path: String },
    #[error("no OSV record could be read from {paths}")]
    NothingRead { paths: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportSummary {
    /// Records that parsed and were considered.
    pub records_read: u64,
    /// Records written (new or replacing an older copy).
    pub records_written: u64,
    /// Records skipped because the stored copy has a newer `modified`.
    pub kept_newer: u64,
    /// One line each: `FILE[: member]: place: what is wrong`.
    pub warnings: Vec<String>,
}

/// A record ready to store.
#[derive(Debug)]
struct Parsed {
    id: String,
    modified: String,
    withdrawn: Option<String>,
    json: String,
    /// (ecosystem as stored, normalised name)
    keys: BTreeSet<(String, String)>,
}

/// Parse one record file's bytes. Err is `place: message`.
fn parse_record(bytes: &[u8]) -> Result<Parsed, String> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("line {} column {}: {e}", e.line(), e.column()))?;
    let obj = v
        .as_object()
        .ok_or("/: not an OSV record (the top level is not an object)")?;
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return Err("/id: missing or not a non-empty string".into()),
    };
    let modified = match obj.get("modified") {
        Some(Value::String(s)) => s.clone(),
        _ => return Err("/modified: missing or not a string".into()),
    };
    let withdrawn = match obj.get("withdrawn") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("/withdrawn: not a string".into()),
    };
    let mut keys = BTreeSet::new();
    match obj.get("affected") {
        None | Some(Value::Null) => {}
        Some(Value::Array(entries)) => {
            for (i, entry) in entries.iter().enumerate() {
                let entry = entry
                    .as_object()
                    .ok_or_else(|| format!("/affected/{i}: not an object"))?;
                let Some(pkg) = entry.get("package") else {
                    continue;
                };
                let pkg = pkg
                    .as_object()
                    .ok_or_else(|| format!("/affected/{i}/package: not an object"))?;
                let eco = pkg
                    .get("ecosystem")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        format!("/affected/{i}/package/ecosystem: missing or not a string")
                    })?;
                let name = pkg.get("name").and_then(Value::as_str).ok_or_else(|| {
                    format!("/affected/{i}/package/name: missing or not a string")
                })?;
                let base = eco.split(':').next().unwrap_or(eco);
                let norm = normalise_name(base, name);
                keys.insert((eco.to_string(), norm.clone()));
                if base != eco {
                    keys.insert((base.to_string(), norm));
                }
            }
        }
        Some(_) => return Err("/affected: not an array".into()),
    }
    let json = String::from_utf8_lossy(bytes).into_owned();
    Ok(Parsed {
        id,
        modified,
        withdrawn,
        json,
        keys,
    })
}

fn newer(a: &str, b: &str) -> bool {
    use time::format_description::well_known::Rfc3339;
    match (
        time::OffsetDateTime::parse(a, &Rfc3339),
        time::OffsetDateTime::parse(b, &Rfc3339),
    ) {
        (Ok(x), Ok(y)) => x > y,
        _ => a > b,
    }
}

fn is_ext(p: &str, ext: &str) -> bool {
    p.len() > ext.len()
        && p.get(p.len() - ext.len()..)
            .is_some_and(|s| s.eq_ignore_ascii_case(ext))
}

/// Collects readable records from files, folders and zips.
struct Collector {
    parsed: Vec<Parsed>,
    warnings: Vec<String>,
}

impl Collector {
    fn add(&mut self, origin: &str, bytes: &[u8]) {
        match parse_record(bytes) {
            Ok(p) => self.parsed.push(p),
            Err(e) => self.warnings.push(format!("{origin}: {e}; record skipped")),
        }
    }

    fn file(&mut self, path: &Path) {
        let origin = path.display().to_string();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_ext(&name, ".json") {
            match read_bounded(path) {
                Ok(b) => self.add(&origin, &b),
                Err(e) => self.warnings.push(format!("{origin}: {e}; skipped")),
            }
        } else if is_ext(&name, ".zip") {
            self.zip(path, &origin);
        }
    }

    fn zip(&mut self, path: &Path, origin: &str) {
        let f = match fs::File::open(path) {
            Ok(f) => f,
            Err(e) => return self.warnings.push(format!("{origin}: {e}; skipped")),
        };
        let mut z = match zip::ZipArchive::new(std::io::BufReader::new(f)) {
            Ok(z) => z,
            Err(e) => {
                return self
                    .warnings
                    .push(format!("{origin}: not a readable zip ({e}); skipped"))
            }
        };
        for i in 0..z.len() {
            let mut entry = match z.by_index(i) {
                Ok(e) => e,
                Err(e) => {
                    self.warnings
                        .push(format!("{origin}: member {i}: {e}; skipped"));
                    continue;
                }
            };
            let name = entry.name().to_string();
            if !entry.is_file() || !is_ext(&name, ".json") {
                continue;
            }
            let mut buf = Vec::new();
            match (&mut entry)
                .take(MAX_RECORD_BYTES + 1)
                .read_to_end(&mut buf)
            {
                Ok(_) if buf.len() as u64 > MAX_RECORD_BYTES => {
                    self.warnings.push(format!(
                        "{origin}: {name}: larger than {MAX_RECORD_BYTES} bytes; skipped"
                    ));
                }
                Ok(_) => self.add(&format!("{origin}: {name}"), &buf),
                Err(e) => self
                    .warnings
                    .push(format!("{origin}: {name}: {e}; skipped")),
            }
        }
    }

    fn dir(&mut self, path: &Path, depth: usize) {
        if depth > MAX_DEPTH {
            self.warnings.push(format!(
                "{}: folders nested deeper than {MAX_DEPTH}; not searched",
                path.display()
            ));
            return;
        }
        let rd = match fs::read_dir(path) {
            Ok(rd) => rd,
            Err(e) => {
                return self
                    .warnings
                    .push(format!("{}: {e}; skipped", path.display()))
            }
        };
        let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => self.dir(&p, depth + 1),
                // Symlinks are followed to files only, so a link loop cannot recurse.
                Ok(t) if t.is_file() || (t.is_symlink() && p.is_file()) => self.file(&p),
                _ => {}
            }
        }
    }
}

fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let f = fs::File::open(path)?;
    let mut buf = Vec::new();
    f.take(MAX_RECORD_BYTES + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > MAX_RECORD_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {MAX_RECORD_BYTES} bytes"
        )));
    }
    Ok(buf)
}

/// Import every record under `paths` into `db` in one transaction.
///
/// Errors: a path that does not exist ([`ImportError::NotFound`]); nothing at all could be read
/// ([`ImportError::NothingRead`]); a database failure. Unreadable or malformed records are
/// warnings in the summary.
pub fn import(db: &mut Db, paths: &[&Path]) -> Result<ImportSummary, ImportError> {
    let mut c = Collector {
        parsed: Vec::new(),
        warnings: Vec::new(),
    };
    for p in paths {
        if p.is_dir() {
            c.dir(p, 0);
        } else if p.is_file() {
            let name = p.display().to_string();
            if is_ext(&name, ".json") || is_ext(&name, ".zip") {
                c.file(p);
            } else {
                c.warnings
                    .push(format!("{name}: not a .json or .zip file; ignored"));
            }
        } else {
            return Err(ImportError::NotFound {
                path: p.display().to_string(),
            });
        }
    }
    if c.parsed.is_empty() {
        let paths = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ImportError::NothingRead { paths });
    }
    let path = db.path.clone();
    let e = |e: rusqlite::Error| DbError::Sqlite {
        path: path.clone(),
        message: e.to_string(),
    };
    let mut summary = ImportSummary {
        warnings: c.warnings,
        ..Default::default()
    };
    let tx = db.conn.transaction().map_err(e)?;
    {
        let mut get = tx
            .prepare("SELECT modified FROM records WHERE id = ?1")
            .map_err(e)?;
        let mut del_aff = tx
            .prepare("DELETE FROM affected WHERE record_id = ?1")
            .map_err(e)?;
        let mut put = tx
            .prepare("INSERT OR REPLACE INTO records(id, modified, withdrawn, json) VALUES(?1, ?2, ?3, ?4)")
            .map_err(e)?;
        let mut put_aff = tx
            .prepare("INSERT INTO affected(ecosystem, name, record_id) VALUES(?1, ?2, ?3)")
            .map_err(e)?;
        for p in &c.parsed {
            summary.records_read += 1;
            let existing: Option<String> = get
                .query_row(params![p.id], |r| r.get(0))
                .optional()
                .map_err(e)?;
            if let Some(old) = existing {
                if newer(&old, &p.modified) {
                    summary.kept_newer += 1;
                    continue;
                }
                del_aff.execute(params![p.id]).map_err(e)?;
            }
            put.execute(params![p.id, p.modified, p.withdrawn, p.json])
                .map_err(e)?;
            for (eco, name) in &p.keys {
                put_aff.execute(params![eco, name, p.id]).map_err(e)?;
            }
            summary.records_written += 1;
        }
        let now = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES('imported_at', ?1)",
            params![now],
        )
        .map_err(e)?;
    }
    tx.commit().map_err(e)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_records_name_the_place() {
        assert!(parse_record(b"{")
            .err()
            .unwrap_or_default()
            .starts_with("line 1 column 1"));
        assert!(parse_record(b"[]")
            .err()
            .unwrap_or_default()
            .starts_with("/:"));
        assert!(parse_record(br#"{"id": "X", "modified": "2020-01-01T00:00:00Z", "affected": [{"package": {"name": 3}}]}"#)
            .err().unwrap_or_default()
            .starts_with("/affected/0/package/ecosystem"));
    }

    #[test]
    fn keys_cover_written_and_base_ecosystem() {
        let p = parse_record(
            br#"{"id": "X", "modified": "2020-01-01T00:00:00Z", "affected": [
                {"package": {"ecosystem": "Debian:12", "name": "openssl"}},
                {"package": {"ecosystem": "PyPI", "name": "PyYAML"}}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<_> = p.keys.iter().map(|(a, b)| format!("{a}/{b}")).collect();
        assert_eq!(keys, ["Debian/openssl", "Debian:12/openssl", "PyPI/pyyaml"]);
    }

    #[test]
    fn reimport_keeps_the_newer_record() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dbp = dir.path().join("osv.db");
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        fs::create_dir_all(&a).unwrap_or_else(|e| panic!("{e}"));
        fs::create_dir_all(&b).unwrap_or_else(|e| panic!("{e}"));
        let rec = |m: &str, name: &str| {
            format!(
                r#"{{"id": "X-1", "modified": "{m}", "affected": [{{"package": {{"ecosystem": "npm", "name": "{name}"}}}}]}}"#
            )
        };
        fs::write(a.join("X-1.json"), rec("2021-01-01T00:00:00Z", "new"))
            .unwrap_or_else(|e| panic!("{e}"));
        fs::write(b.join("X-1.json"), rec("2020-01-01T00:00:00Z", "old"))
            .unwrap_or_else(|e| panic!("{e}"));
        fs::write(b.join("README.md"), "hi").unwrap_or_else(|e| panic!("{e}"));
        let mut db = Db::open_or_create(&dbp).unwrap_or_else(|e| panic!("{e}"));
        let s = import(&mut db, &[a.as_path()]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.records_written, 1);
        let s = import(&mut db, &[b.as_path()]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.records_written, s.kept_newer), (0, 1));
        assert_eq!(db.records_for("npm", "new").map(|v| v.len()).ok(), Some(1));
        assert_eq!(db.records_for("npm", "old").map(|v| v.len()).ok(), Some(0));
        // A folder with nothing readable is an error.
        let c = dir.path().join("c");
        fs::create_dir_all(&c).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            import(&mut db, &[c.as_path()]),
            Err(ImportError::NothingRead { .. })
        ));
    }
}
