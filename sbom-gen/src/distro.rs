//! Distro detection from `etc/os-release`, else `usr/lib/os-release` (os-release(5)), through
//! links inside the image root.
//!
//! STUB: filled in by the catalogers work.

use sbom_model::Distro;

use crate::fs::FileSystem;

/// The paths whose contents distro detection needs.
pub fn wants(path: &str) -> bool {
    matches!(path, "etc/os-release" | "usr/lib/os-release")
}

/// Detect the distro, if any os-release file is present and names an `ID`.
pub fn detect(_fs: &FileSystem) -> Option<Distro> {
    None
}
