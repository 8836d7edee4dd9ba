//! Read any supported SBOM, the format detected from its content (never from the file name):
//! CycloneDX JSON (`bomFormat`), CycloneDX XML (root `bom` in a `http://cyclonedx.org/schema/bom/1.x`
//! namespace), SPDX JSON (`spdxVersion`), SPDX tag-value (first tag `SPDXVersion:`).
//! A leading UTF-8 byte-order mark and whitespace are skipped.

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
///
/// # Errors
/// [`ReadError`] when the file cannot be read, or as [`read_sbom_bytes`].
pub fn read_sbom(path: &Path) -> Result<Sbom, ReadError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ReadError {
        origin: origin.clone(),
        place: None,
        message: e.to_string(),
    })?;
    read_sbom_bytes(&bytes, &origin)
}

/// The formats [`read_sbom_bytes`] tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetectedFormat {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    b.get(start..).unwrap_or_default()
}

/// Detect the format from the content.
///
/// # Errors
/// [`ReadError`] (with `origin`) when the content is not JSON although it starts like JSON
/// (place `line L:C`), or is no supported SBOM format.
pub fn detect_format(bytes: &[u8], origin: &str) -> Result<DetectedFormat, ReadError> {
    let err = |place: Option<String>, message: &str| ReadError {
        origin: origin.to_string(),
        place,
        message: message.to_string(),
    };
    let b = strip_bom(bytes);
    match b.first() {
        Some(b'{') => {
            let v: serde_json::Value = serde_json::from_slice(b).map_err(|e| {
                err(
                    Some(format!("line {}:{}", e.line(), e.column())),
                    &format!("not valid JSON: {e}"),
                )
            })?;
            if v.get("bomFormat").is_some() {
                Ok(DetectedFormat::CycloneDxJson)
            } else if v.get("spdxVersion").is_some() {
                Ok(DetectedFormat::SpdxJson)
            } else {
                Err(err(
                    Some("/".into()),
                    "JSON but not an SBOM: neither bomFormat (CycloneDX) nor spdxVersion (SPDX)",
                ))
            }
        }
        Some(b'<') => {
            if crate::cyclonedx::looks_like_cyclonedx_xml(b) {
                Ok(DetectedFormat::CycloneDxXml)
            } else {
                Err(err(None, "XML but not a CycloneDX BOM (root element <bom> in http://cyclonedx.org/schema/bom/1.x)"))
            }
        }
        Some(_) if crate::spdx::looks_like_tag_value(b) => Ok(DetectedFormat::SpdxTagValue),
        Some(_) => Err(err(
            None,
            "not an SBOM: not CycloneDX (JSON or XML) or SPDX (JSON or tag-value)",
        )),
        None => Err(err(None, "empty file: not an SBOM")),
    }
}

/// Read an SBOM from bytes, detecting the format from its content. `origin` names it in errors.
///
/// `Sbom::format` says what was read: `CycloneDX 1.6 JSON`, `CycloneDX 1.4 XML`,
/// `SPDX 2.3 JSON`, `SPDX 2.2 tag-value`.
///
/// # Errors
/// [`ReadError`] naming the place (line:column, JSON pointer, line) when the content is not
/// an SBOM or is broken where it must be read.
pub fn read_sbom_bytes(bytes: &[u8], origin: &str) -> Result<Sbom, ReadError> {
    let b = strip_bom(bytes);
    match detect_format(b, origin)? {
        DetectedFormat::CycloneDxJson => crate::cyclonedx::read_json(b, origin),
        DetectedFormat::CycloneDxXml => crate::cyclonedx::read_xml(b, origin),
        DetectedFormat::SpdxJson => crate::spdx::read_json(b, origin),
        DetectedFormat::SpdxTagValue => crate::spdx::read_tag_value(b, origin),
    }
}
