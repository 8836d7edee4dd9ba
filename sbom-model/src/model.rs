//! The inventory model: components, where they were found, the distro, unknowns.

use std::collections::BTreeMap;

/// The kind of a component, as CycloneDX `component.type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ComponentKind {
    #[default]
    Library,
    Application,
    OperatingSystem,
    Framework,
    Container,
    File,
    Other,
}

impl ComponentKind {
    /// The CycloneDX `type` string.
    pub fn as_cyclonedx(&self) -> &'static str {
        match self {
            ComponentKind::Library => "library",
            ComponentKind::Application => "application",
            ComponentKind::OperatingSystem => "operating-system",
            ComponentKind::Framework => "framework",
            ComponentKind::Container => "container",
            ComponentKind::File => "file",
            ComponentKind::Other => "library",
        }
    }

    /// Parse a CycloneDX `type` string; unknown types map to [`ComponentKind::Other`].
    pub fn from_cyclonedx(s: &str) -> Self {
        match s {
            "library" => ComponentKind::Library,
            "application" => ComponentKind::Application,
            "operating-system" => ComponentKind::OperatingSystem,
            "framework" => ComponentKind::Framework,
            "container" => ComponentKind::Container,
            "file" => ComponentKind::File,
            _ => ComponentKind::Other,
        }
    }
}

/// Where a component was found: a path inside the image (no leading `/`) and the layer whose
/// file proves it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    /// Path inside the image root, relative (no leading `/`), e.g. `var/lib/dpkg/status`.
    pub path: String,
    /// The layer's diff_id (`sha256:…` of its uncompressed tar), when known.
    pub layer_diff_id: Option<String>,
    /// 1-based index of the layer (1 = base), when known.
    pub layer_index: Option<usize>,
}

/// One package (or the operating system) in an inventory or a read SBOM.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Component {
    pub kind: ComponentKind,
    /// CycloneDX `group` (Maven groupId, npm scope without `@`), when the format has one.
    pub group: Option<String>,
    pub name: String,
    pub version: Option<String>,
    /// The package URL exactly as written by the producer (or built by a cataloger).
    pub purl: Option<String>,
    /// CycloneDX `bom-ref` / SPDX `SPDXID`.
    pub bom_ref: Option<String>,
    /// SPDX license expressions or ids, as declared by the package.
    pub licenses: Vec<String>,
    pub locations: Vec<Location>,
    /// Name/value properties (CycloneDX `properties`), in insertion order; several values per
    /// name are allowed.
    pub properties: Vec<(String, String)>,
}

impl Component {
    /// First value of a property, if present.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The operating system an image (or SBOM) describes, from `os-release`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Distro {
    /// os-release `ID`, e.g. `debian`.
    pub id: String,
    /// os-release `VERSION_ID`, e.g. `12`; may be empty (Debian testing).
    pub version_id: String,
    pub pretty_name: Option<String>,
    pub codename: Option<String>,
}

impl Distro {
    /// `ID-VERSION_ID`, as written in a purl's `distro=` qualifier (e.g. `debian-12`).
    pub fn qualifier(&self) -> String {
        if self.version_id.is_empty() {
            self.id.clone()
        } else {
            format!("{}-{}", self.id, self.version_id)
        }
    }
}

/// A layer of the scanned image, as recorded in the SBOM.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LayerInfo {
    /// 1-based (1 = base).
    pub index: usize,
    /// `sha256:…` of the uncompressed layer tar.
    pub diff_id: String,
    /// The history entry's `created_by`, when the config pairs one with this layer.
    pub created_by: Option<String>,
}

/// A file that could not be read or parsed: reported, never the end of a scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unknown {
    pub path: String,
    pub layer_index: Option<usize>,
    pub message: String,
}

/// What the SBOM describes (the image, folder or archive that was scanned).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceInfo {
    /// The name given by `--source-name`, else the image's first repo tag, else the input path.
    pub name: String,
    pub version: Option<String>,
    /// `sha256:…` of the image config, when the source is an image; seeds the serial number.
    pub config_digest: Option<String>,
    /// RFC 3339 `created` of the image config, when present.
    pub created: Option<String>,
    /// e.g. `docker-archive`, `oci-archive`, `oci-dir`, `dir`.
    pub scheme: String,
    pub layers: Vec<LayerInfo>,
    /// Extra source facts (architecture, os, repo tags), written as metadata properties.
    pub properties: BTreeMap<String, String>,
}

/// The result of cataloging a source: what `sbom-gen` writes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inventory {
    pub source: SourceInfo,
    pub distro: Option<Distro>,
    /// Packages found (not including the operating-system component, which writers add from
    /// `distro`).
    pub components: Vec<Component>,
    pub unknowns: Vec<Unknown>,
}

/// A warning raised while reading an SBOM: the place (JSON pointer, XML path or line) and what
/// is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub place: String,
    pub message: String,
}

/// An SBOM as read by `sbom-match`: its format, components (flattened, nested ones included),
/// the distro it declares, and the problems found while reading.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sbom {
    /// e.g. `CycloneDX 1.6 JSON`, `CycloneDX 1.4 XML`, `SPDX 2.3 JSON`, `SPDX 2.2 tag-value`.
    pub format: String,
    /// Every component of the component tree (nested ones flattened, depth-first), excluding
    /// `metadata.component` and pedigree components. Operating-system components are included.
    pub components: Vec<Component>,
    /// The distro from an operating-system component in `components` or `metadata.component`.
    pub distro: Option<Distro>,
    pub warnings: Vec<Warning>,
}
