//! Read any supported SBOM (format detected from content).

use std::path::Path;

use crate::Sbom;

/// An SBOM that cannot be read: the file, the place in it (JSON pointer, XML path, line) and
/// what is wrong. Displayed as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}{}: {message}", place.as_ref().map(|p| format!(" at {p}")).unwrap_or_default())]
pub struct ReadError {
    pub origin: String,
    pub place: Option<String>,
    pub message: String,
}

/// Read an SBOM file, detecting the format from its content.
pub fn read_sbom(path: &Path) -> Result<Sbom, ReadError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ReadError { origin: origin.clone(), place: None, message: e.to_string() })?;
    read_sbom_bytes(&bytes, &origin)
}

/// Read an SBOM from bytes, detecting the format from its content. `origin` names it in errors.
pub fn read_sbom_bytes(bytes: &[u8], origin: &str) -> Result<Sbom, ReadError> {
    crate::cyclonedx::read_json(bytes, origin)
}
