//! Inventory types that both binaries share, package URLs, and the SBOM readers and writers.
//!
//! `sbom-gen` builds an [`Inventory`] and writes it with [`cyclonedx::write_json`] (or
//! [`cyclonedx::write_xml`], [`spdx_write::write_json`], [`spdx_write::write_tag_value`]);
//! `sbom-match` reads any SBOM with [`read_sbom`] into an [`Sbom`] of [`Component`]s.
//! What one binary writes the other reads with the same code.

pub mod cyclonedx;
pub mod model;
pub mod output;
pub mod purl;
pub mod reader;
pub mod schema_check;
pub mod spdx;
pub mod spdx_write;
pub mod testing;

pub use model::*;
pub use reader::{read_sbom, read_sbom_bytes, ReadError};
