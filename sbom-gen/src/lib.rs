//! `sbom-gen`: inventory a container image into an SBOM.
//!
//! Flow: a SOURCE ([`source`]) gives an image config and ordered layer streams; [`image`] reads
//! each layer once, keeping the files the catalogers want, and builds the squashed
//! [`fs::FileSystem`]; [`distro`] reads os-release; each [`catalog::Cataloger`] turns the kept
//! files into components; the result is an [`sbom_model::Inventory`].

pub mod catalog;
pub mod distro;
pub mod error;
pub mod fs;
pub mod image;
pub mod source;

pub use error::GenError;
pub mod pipeline;

pub use pipeline::{scan, ScanOptions, ScanResult};
