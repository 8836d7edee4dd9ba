//! `sbom-match`: match any SBOM against OSV advisories kept in an embedded database.
//!
//! Data flow: an SBOM reader (`sbom_model::read_sbom`) gives components; [`identity`] maps each
//! purl to an OSV ecosystem, name and version scheme; [`db`] holds the records; [`matcher`]
//! evaluates OSV ranges and merges alias groups; [`severity`] scores them; [`report`] writes the
//! table and the JSON report.

pub mod db;
pub mod identity;
pub mod matcher;
pub mod report;
pub mod severity;
pub mod version;
