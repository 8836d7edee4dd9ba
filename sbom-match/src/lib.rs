//! `sbom-match`: match any SBOM against OSV advisories kept in an embedded database.

pub mod db;
pub mod identity;
pub mod matcher;
pub mod report;
pub mod version;
