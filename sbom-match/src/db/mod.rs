//! The advisory database: OSV records kept whole in SQLite (rusqlite, bundled), with an index
//! from (ecosystem, package name) to record ids.
//!
//! Tables: `records(id PRIMARY KEY, modified, withdrawn, json)` — the record's JSON text as
//! imported, unchanged; `affected(ecosystem, name, record_id)` with an index on
//! `(ecosystem, name)` — one row per affected package with the ecosystem as written
//! (`Debian:12`), plus one with its base (`Debian`) when it has a `:` suffix. PyPI names are
//! stored PEP 503-normalised (the OSV schema requires that form; we normalise anyway), NuGet and
//! Packagist names lowercased (`identity::normalise_name`).
//! `meta(key, value)` holds `schema_version` and `imported_at` (RFC 3339).
//!
//! Import reads OSV JSON files, folders of them (recursive), and zips of them (osv.dev
//! `all.zip`), see [`import`].

pub mod import;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

/// The schema version written into `meta`.
pub const SCHEMA_VERSION: i64 = 1;

/// A database failure: the file and what went wrong. Displayed as one line.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}: no advisory database here; run `sbom-match db import PATH...` first")]
    Missing { path: String },
    #[error("{path}: {message}")]
    Sqlite { path: String, message: String },
    #[error("{path}: schema version {found} is not supported (expected {SCHEMA_VERSION}); re-import into a new file")]
    Schema { path: String, found: String },
}

/// The default database path: `$SBOM_MATCH_DB`, else `$XDG_DATA_HOME/sbom-match/osv.db`, else
/// `~/.local/share/sbom-match/osv.db` (contract, `--db`). `None` when no home is known.
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SBOM_MATCH_DB").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(x).join("sbom-match").join("osv.db"));
    }
    std::env::var_os("HOME").filter(|p| !p.is_empty()).map(|h| {
        PathBuf::from(h)
            .join(".local")
            .join("share")
            .join("sbom-match")
            .join("osv.db")
    })
}

/// An open advisory database.
pub struct Db {
    conn: Connection,
    path: String,
}

/// What `db status` and the report's `database` object show.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Status {
    pub path: String,
    pub records: u64,
    /// Records per base ecosystem (`Debian`, `PyPI`), a record counted once per ecosystem it names.
    pub ecosystems: BTreeMap<String, u64>,
    /// RFC 3339 time of the last import, if any.
    pub imported_at: Option<String>,
    pub schema_version: i64,
}

/// A stored record, as returned by [`Db::records_for`].
#[derive(Debug, Clone)]
pub struct StoredRecord {
    pub id: String,
    pub json: String,
}

fn sql_err(path: &str) -> impl Fn(rusqlite::Error) -> DbError + '_ {
    move |e| DbError::Sqlite {
        path: path.to_string(),
        message: e.to_string(),
    }
}

impl Db {
    /// Open an existing database for reading. A missing file is [`DbError::Missing`].
    pub fn open_existing(path: &Path) -> Result<Db, DbError> {
        let p = path.display().to_string();
        if !path.is_file() {
            return Err(DbError::Missing { path: p });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql_err(&p))?;
        let db = Db { conn, path: p };
        db.check_schema()?;
        Ok(db)
    }

    /// Open (creating when absent) a database for writing, with its tables.
    pub fn open_or_create(path: &Path) -> Result<Db, DbError> {
        let p = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| DbError::Sqlite {
                path: dir.display().to_string(),
                message: e.to_string(),
            })?;
        }
        let conn = Connection::open(path).map_err(sql_err(&p))?;
        conn.execute_batch(
            "PRAGMA journal_mode=DELETE;
             CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS records(
                 id TEXT PRIMARY KEY, modified TEXT NOT NULL, withdrawn TEXT, json TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS affected(
                 ecosystem TEXT NOT NULL, name TEXT NOT NULL, record_id TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS affected_eco_name ON affected(ecosystem, name);
             CREATE INDEX IF NOT EXISTS affected_record ON affected(record_id);",
        )
        .map_err(sql_err(&p))?;
        let db = Db { conn, path: p };
        let found: Option<String> = db
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key='schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql_err(&db.path))?;
        match found {
            None => {
                db.conn
                    .execute(
                        "INSERT INTO meta(key, value) VALUES('schema_version', ?1)",
                        params![SCHEMA_VERSION.to_string()],
                    )
                    .map_err(sql_err(&db.path))?;
            }
            Some(v) if v == SCHEMA_VERSION.to_string() => {}
            Some(v) => {
                return Err(DbError::Schema {
                    path: db.path.clone(),
                    found: v,
                })
            }
        }
        Ok(db)
    }

    fn check_schema(&self) -> Result<(), DbError> {
        let found: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key='schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| DbError::Sqlite {
                path: self.path.clone(),
                message: format!("not an sbom-match database ({e})"),
            })?;
        match found {
            Some(v) if v == SCHEMA_VERSION.to_string() => Ok(()),
            Some(v) => Err(DbError::Schema {
                path: self.path.clone(),
                found: v,
            }),
            None => Err(DbError::Schema {
                path: self.path.clone(),
                found: "none".into(),
            }),
        }
    }

    /// The database file as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Records naming `(ecosystem, name)` in an affected entry, ordered by id. `ecosystem` is
    /// compared exactly against both stored forms (as written and base); `name` must already be
    /// normalised as [`crate::identity::normalise_name`] does.
    pub fn records_for(&self, ecosystem: &str, name: &str) -> Result<Vec<StoredRecord>, DbError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT r.id, r.json FROM records r WHERE r.id IN
                   (SELECT record_id FROM affected WHERE ecosystem = ?1 AND name = ?2) ORDER BY r.id",
            )
            .map_err(sql_err(&self.path))?;
        let rows = st
            .query_map(params![ecosystem, name], |r| {
                Ok(StoredRecord {
                    id: r.get(0)?,
                    json: r.get(1)?,
                })
            })
            .map_err(sql_err(&self.path))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(sql_err(&self.path))
    }

    /// Whether any record names a package of `ecosystem` (compared as [`Db::records_for`]
    /// compares it: exactly, against the stored form as written and its base).
    pub fn has_ecosystem(&self, ecosystem: &str) -> Result<bool, DbError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM affected WHERE ecosystem = ?1 LIMIT 1")
            .map_err(sql_err(&self.path))?;
        st.exists(params![ecosystem]).map_err(sql_err(&self.path))
    }

    /// Counts, last import time and schema version.
    pub fn status(&self) -> Result<Status, DbError> {
        let e = sql_err(&self.path);
        let records: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))
            .map_err(&e)?;
        let mut st = self
            .conn
            .prepare(
                "SELECT ecosystem, COUNT(DISTINCT record_id) FROM affected
                 WHERE instr(ecosystem, ':') = 0 GROUP BY ecosystem ORDER BY ecosystem",
            )
            .map_err(&e)?;
        let mut ecosystems = BTreeMap::new();
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(&e)?;
        for row in rows {
            let (k, v) = row.map_err(&e)?;
            ecosystems.insert(k, u64::try_from(v).unwrap_or(0));
        }
        let imported_at: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key='imported_at'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(&e)?;
        Ok(Status {
            path: self.path.clone(),
            records: u64::try_from(records).unwrap_or(0),
            ecosystems,
            imported_at,
            schema_version: SCHEMA_VERSION,
        })
    }
}
