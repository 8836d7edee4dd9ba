//! CycloneDX reading and writing.
//!
//! - [`write_json`]: CycloneDX 1.5 / 1.6 / 1.7 JSON, deterministic (module `write`).
//! - [`write_xml`]: CycloneDX XML (1.6 as the CLI writes it), the same content as the JSON
//!   (module `write_xml`).
//! - [`read_json`]: CycloneDX JSON 1.2–1.7 (module `read_json`).
//! - [`read_xml`]: CycloneDX XML 1.0–1.7, any namespace prefix (module `read_xml`).
//!
//! Both readers flatten the component tree depth-first (nested `components` at any depth),
//! skip `metadata.component`, pedigree components and services, and take the distro from an
//! `operating-system` component (in `components` or `metadata.component`).

mod read_json;
mod read_xml;
mod write;
mod write_xml;

pub use read_json::read_json;
pub(crate) use read_xml::looks_like_cyclonedx_xml;
pub use read_xml::read_xml;
pub(crate) use write::{canonical_purl, is_image, ordered_components, os_bom_ref};
pub use write::{
    is_license_expression, serial_namespace, serial_number, spdx_license_id, to_value,
    SERIAL_NAMESPACE,
};
pub use write_xml::{namespace as xml_namespace, write_xml};

use crate::{Component, Distro, Inventory, Location, Warning};

/// Which CycloneDX spec version to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpecVersion {
    V1_5,
    #[default]
    V1_6,
    V1_7,
}

impl SpecVersion {
    /// Parse `"1.5"`, `"1.6"` or `"1.7"` (as in `-o cyclonedx-json@1.5`); other versions are
    /// not written.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "1.5" => Some(SpecVersion::V1_5),
            "1.6" => Some(SpecVersion::V1_6),
            "1.7" => Some(SpecVersion::V1_7),
            _ => None,
        }
    }

    /// `"1.5"`, `"1.6"` or `"1.7"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SpecVersion::V1_5 => "1.5",
            SpecVersion::V1_6 => "1.6",
            SpecVersion::V1_7 => "1.7",
        }
    }
}

/// How to write: the spec version, the timestamp (RFC 3339, already chosen by the caller from
/// `SOURCE_DATE_EPOCH`, the config's `created` or the Unix epoch), and the tool's version.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub spec_version: SpecVersion,
    pub timestamp: String,
    pub tool_name: String,
    pub tool_version: String,
}

/// Write an inventory as CycloneDX JSON: pretty-printed, UTF-8, with a trailing newline.
///
/// Deterministic: the same inventory and options give the same bytes (components sorted by
/// canonical purl, then name, version and first location; serial number a UUID v5 of the
/// config digest, see [`serial_number`]). The operating-system component (from
/// `inv.distro`) comes first, with bom-ref `os:<ID>@<VERSION_ID>`.
pub fn write_json(inv: &Inventory, opts: &WriteOptions) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(&to_value(inv, opts)).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The distro an operating-system component describes: id = `syft:distro:id` or the name
/// (lowercased), version_id = the version or `syft:distro:versionID`; pretty name and codename
/// from `sbom-gen:distro:*` or `syft:distro:*` properties.
pub(crate) fn distro_from_component(c: &Component) -> Distro {
    let id = c
        .property("syft:distro:id")
        .map(str::to_string)
        .unwrap_or_else(|| c.name.to_lowercase());
    let version_id = c
        .version
        .clone()
        .or_else(|| c.property("syft:distro:versionID").map(str::to_string))
        .unwrap_or_default();
    let pretty_name = c
        .property("sbom-gen:distro:pretty-name")
        .or_else(|| c.property("syft:distro:prettyName"))
        .map(str::to_string);
    let codename = c
        .property("sbom-gen:distro:codename")
        .or_else(|| c.property("syft:distro:versionCodename"))
        .map(str::to_string);
    Distro {
        id,
        version_id,
        pretty_name,
        codename,
    }
}

/// Locations written by `sbom-gen` as properties: each `sbom-gen:location` starts one, the
/// `sbom-gen:layer:digest` / `sbom-gen:layer:index` after it fill it in.
pub(crate) fn locations_from_properties(props: &[(String, String)]) -> Vec<Location> {
    let mut out: Vec<Location> = Vec::new();
    for (k, v) in props {
        match k.as_str() {
            "sbom-gen:location" => out.push(Location {
                path: v.clone(),
                ..Default::default()
            }),
            "sbom-gen:layer:digest" => {
                if let Some(l) = out.last_mut() {
                    l.layer_diff_id = Some(v.clone());
                }
            }
            "sbom-gen:layer:index" => {
                if let Some(l) = out.last_mut() {
                    l.layer_index = v.parse().ok();
                }
            }
            _ => {}
        }
    }
    out
}

/// A component without a name but with a parseable purl takes its name (and, when missing,
/// its version) from the purl, with a warning at `place`. Without either, a warning only.
pub(crate) fn fill_name_from_purl(c: &mut Component, place: &str, warnings: &mut Vec<Warning>) {
    if !c.name.is_empty() {
        return;
    }
    match c.purl.as_deref().map(crate::purl::Purl::parse) {
        Some(Ok(p)) => {
            c.name = p.name.clone();
            if c.version.is_none() {
                c.version = p.version.clone();
            }
            warnings.push(Warning {
                place: place.to_string(),
                message: format!(
                    "component has no name; name {:?} taken from its purl",
                    c.name
                ),
            });
        }
        Some(Err(e)) => warnings.push(Warning {
            place: place.to_string(),
            message: format!("component has no name and its purl is not valid: {e}"),
        }),
        None => warnings.push(Warning {
            place: place.to_string(),
            message: "component has no name and no purl".into(),
        }),
    }
}
