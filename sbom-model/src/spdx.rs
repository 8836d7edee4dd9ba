//! SPDX 2.2 / 2.3 reading: JSON (<https://spdx.github.io/spdx-spec/v2.3/>, schema
//! `spdx-schema.json` of spdx/spdx-spec v2.3) and tag-value (SPDX 2.3 §"tag:value" format).
//!
//! Every package is a component (files and snippets are not): `SPDXID` → bom-ref, `name`,
//! `versionInfo`, the purl from an external reference with category `PACKAGE-MANAGER` (or
//! `PACKAGE_MANAGER`, as SPDX 2.2 tools wrote it) and type `purl`, `licenseDeclared` /
//! `licenseConcluded` (NOASSERTION and NONE dropped), `primaryPackagePurpose` → kind; an
//! `OPERATING-SYSTEM` package gives the distro (as Trivy writes it). Relationships are
//! tolerated and not needed. Tag-value tags that SPDX 2.x does not define are warnings naming
//! the line, never errors.

use serde_json::Value;

use crate::cyclonedx::distro_from_component;
use crate::{Component, ComponentKind, ReadError, Sbom, Warning};

fn kind_from_purpose(p: &str) -> ComponentKind {
    match p.to_ascii_uppercase().replace('_', "-").as_str() {
        "OPERATING-SYSTEM" => ComponentKind::OperatingSystem,
        "CONTAINER" => ComponentKind::Container,
        "APPLICATION" => ComponentKind::Application,
        "FRAMEWORK" => ComponentKind::Framework,
        "FILE" => ComponentKind::File,
        _ => ComponentKind::Library,
    }
}

fn is_purl_ref(category: &str, ty: &str) -> bool {
    let cat = category.trim().to_ascii_uppercase().replace('_', "-");
    cat == "PACKAGE-MANAGER" && ty.trim() == "purl"
}

fn push_license(c: &mut Component, l: &str) {
    let l = l.trim();
    if l.is_empty() || l == "NOASSERTION" || l == "NONE" || c.licenses.iter().any(|x| x == l) {
        return;
    }
    c.licenses.push(l.to_string());
}

fn finish(c: &mut Component, place: &str, warnings: &mut Vec<Warning>) {
    if c.version.as_deref() == Some("NOASSERTION") {
        c.version = None;
    }
    crate::cyclonedx::fill_name_from_purl(c, place, warnings);
}

fn distro_of(components: &[Component]) -> Option<crate::Distro> {
    components
        .iter()
        .find(|c| c.kind == ComponentKind::OperatingSystem)
        .map(distro_from_component)
}

/// `SPDX-2.3` → `2.3`.
fn version_of(s: &str) -> String {
    s.trim().trim_start_matches("SPDX-").to_string()
}

/// Read an SPDX 2.x JSON document. `Sbom::format` is `SPDX <version> JSON`.
///
/// # Errors
/// [`ReadError`] when the bytes are not JSON (place `line L:C`), have no `spdxVersion`
/// starting with `SPDX-` (place `/spdxVersion`), or `packages` is not an array (place
/// `/packages`).
pub fn read_json(bytes: &[u8], origin: &str) -> Result<Sbom, ReadError> {
    let err = |place: &str, message: String| ReadError {
        origin: origin.to_string(),
        place: Some(place.to_string()),
        message,
    };
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        err(
            &format!("line {}:{}", e.line(), e.column()),
            format!("not valid JSON: {e}"),
        )
    })?;
    let version = match doc.get("spdxVersion").and_then(Value::as_str) {
        Some(v) if v.trim().starts_with("SPDX-") => version_of(v),
        _ => {
            return Err(err(
                "/spdxVersion",
                "no spdxVersion \"SPDX-2.x\": not an SPDX document".into(),
            ))
        }
    };
    let mut warnings = Vec::new();
    let mut components = Vec::new();
    let packages = match doc.get("packages") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => return Err(err("/packages", "packages is not an array".into())),
    };
    for (i, p) in packages.iter().enumerate() {
        let place = format!("/packages/{i}");
        if !p.is_object() {
            warnings.push(Warning {
                place,
                message: "package is not an object; skipped".into(),
            });
            continue;
        }
        let s = |k: &str| {
            p.get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let mut c = Component {
            kind: kind_from_purpose(&s("primaryPackagePurpose").unwrap_or_default()),
            name: s("name").unwrap_or_default(),
            version: s("versionInfo"),
            bom_ref: s("SPDXID"),
            ..Default::default()
        };
        if let Some(refs) = p.get("externalRefs").and_then(Value::as_array) {
            for r in refs {
                let f = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default();
                if is_purl_ref(f("referenceCategory"), f("referenceType")) && c.purl.is_none() {
                    let loc = f("referenceLocator").trim();
                    if !loc.is_empty() {
                        c.purl = Some(loc.to_string());
                    }
                }
            }
        }
        if let Some(l) = s("licenseDeclared") {
            push_license(&mut c, &l);
        }
        if let Some(l) = s("licenseConcluded") {
            push_license(&mut c, &l);
        }
        if let Some(sup) = s("supplier") {
            c.properties.push(("spdx:supplier".into(), sup));
        }
        finish(&mut c, &place, &mut warnings);
        components.push(c);
    }
    let distro = distro_of(&components);
    Ok(Sbom {
        format: format!("SPDX {version} JSON"),
        components,
        distro,
        warnings,
    })
}

/// Tags SPDX 2.0–2.3 tag-value documents may use (document, package, file, snippet, other
/// licensing info, relationship, annotation, review sections).
const KNOWN_TAGS: &[&str] = &[
    "SPDXVersion",
    "DataLicense",
    "SPDXID",
    "DocumentName",
    "DocumentNamespace",
    "ExternalDocumentRef",
    "LicenseListVersion",
    "Creator",
    "Created",
    "CreatorComment",
    "DocumentComment",
    "PackageName",
    "PackageVersion",
    "PackageFileName",
    "PackageSupplier",
    "PackageOriginator",
    "PackageDownloadLocation",
    "FilesAnalyzed",
    "PackageVerificationCode",
    "PackageChecksum",
    "PackageHomePage",
    "PackageSourceInfo",
    "PackageLicenseConcluded",
    "PackageLicenseInfoFromFiles",
    "PackageLicenseDeclared",
    "PackageLicenseComments",
    "PackageCopyrightText",
    "PackageSummary",
    "PackageDescription",
    "PackageComment",
    "ExternalRef",
    "ExternalRefComment",
    "PackageAttributionText",
    "PrimaryPackagePurpose",
    "ReleaseDate",
    "BuiltDate",
    "ValidUntilDate",
    "FileName",
    "FileType",
    "FileChecksum",
    "LicenseConcluded",
    "LicenseInfoInFile",
    "LicenseComments",
    "FileCopyrightText",
    "FileComment",
    "FileNotice",
    "FileContributor",
    "FileAttributionText",
    "FileDependency",
    "ArtifactOfProjectName",
    "ArtifactOfProjectHomePage",
    "ArtifactOfProjectURI",
    "SnippetSPDXID",
    "SnippetFromFileSPDXID",
    "SnippetByteRange",
    "SnippetLineRange",
    "SnippetLicenseConcluded",
    "LicenseInfoInSnippet",
    "SnippetLicenseComments",
    "SnippetCopyrightText",
    "SnippetComment",
    "SnippetName",
    "SnippetAttributionText",
    "LicenseID",
    "ExtractedText",
    "LicenseName",
    "LicenseCrossReference",
    "LicenseComment",
    "Relationship",
    "RelationshipComment",
    "Annotator",
    "AnnotationDate",
    "AnnotationType",
    "SPDXREF",
    "AnnotationComment",
    "Reviewer",
    "ReviewDate",
    "ReviewComment",
];

/// Whether bytes look like SPDX tag-value: the first tag line is `SPDXVersion:`.
pub fn looks_like_tag_value(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("SPDXVersion:"))
}

/// Read an SPDX 2.x tag-value document. `Sbom::format` is `SPDX <version> tag-value`.
/// Multi-line `<text>…</text>` values are joined; unknown tags and lines that are not
/// `Tag: value` are warnings with the line number (`line N`).
///
/// # Errors
/// [`ReadError`] when the text is not UTF-8 or there is no `SPDXVersion: SPDX-2.x` line.
pub fn read_tag_value(bytes: &[u8], origin: &str) -> Result<Sbom, ReadError> {
    let err = |place: Option<String>, message: String| ReadError {
        origin: origin.to_string(),
        place,
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes
            .get(..e.valid_up_to())
            .map(|b| b.iter().filter(|&&c| c == b'\n').count() + 1)
            .unwrap_or(1);
        err(Some(format!("line {line}")), "not UTF-8 text".into())
    })?;
    let mut warnings = Vec::new();
    let mut components: Vec<Component> = Vec::new();
    let mut places: Vec<String> = Vec::new();
    let mut version: Option<String> = None;
    // Whether tags currently belong to the last package (until a file, snippet or license
    // section starts).
    let mut in_package = false;
    let mut package_has_id = false;
    let mut lines = text.lines().enumerate();
    while let Some((i, raw)) = lines.next() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            warnings.push(Warning {
                place: format!("line {line_no}"),
                message: format!("not a `Tag: value` line: {line:?}"),
            });
            continue;
        };
        let tag = tag.trim();
        let mut value = value.trim().to_string();
        if let Some(rest) = value.strip_prefix("<text>") {
            // Multi-line text: up to the closing </text>.
            let mut acc = rest.to_string();
            let mut closed = false;
            if let Some(end) = acc.find("</text>") {
                acc.truncate(end);
                closed = true;
            }
            while !closed {
                match lines.next() {
                    Some((_, more)) => {
                        acc.push('\n');
                        if let Some(end) = more.find("</text>") {
                            acc.push_str(more.get(..end).unwrap_or_default());
                            closed = true;
                        } else {
                            acc.push_str(more);
                        }
                    }
                    None => {
                        warnings.push(Warning {
                            place: format!("line {line_no}"),
                            message: format!("<text> of {tag} never closed"),
                        });
                        break;
                    }
                }
            }
            value = acc;
        }
        if !KNOWN_TAGS.contains(&tag) {
            warnings.push(Warning {
                place: format!("line {line_no}"),
                message: format!("unknown tag {tag:?}; ignored"),
            });
            continue;
        }
        match tag {
            "SPDXVersion" if version.is_none() => version = Some(version_of(&value)),
            "SPDXVersion" => {}
            "PackageName" => {
                components.push(Component {
                    name: value,
                    ..Default::default()
                });
                places.push(format!("line {line_no}"));
                in_package = true;
                package_has_id = false;
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => in_package = false,
            _ if !in_package => {}
            "SPDXID" if !package_has_id => {
                if let Some(c) = components.last_mut() {
                    c.bom_ref = Some(value);
                }
                package_has_id = true;
            }
            "PackageVersion" => {
                if let Some(c) = components.last_mut() {
                    c.version = Some(value).filter(|v| !v.is_empty());
                }
            }
            "PackageLicenseDeclared" | "PackageLicenseConcluded" => {
                if let Some(c) = components.last_mut() {
                    push_license(c, &value);
                }
            }
            "PrimaryPackagePurpose" => {
                if let Some(c) = components.last_mut() {
                    c.kind = kind_from_purpose(&value);
                }
            }
            "PackageSupplier" => {
                if let Some(c) = components.last_mut() {
                    c.properties.push(("spdx:supplier".into(), value));
                }
            }
            "ExternalRef" => {
                let mut parts = value.split_whitespace();
                let (cat, ty, loc) = (parts.next(), parts.next(), parts.next());
                if let (Some(cat), Some(ty), Some(loc), Some(c)) =
                    (cat, ty, loc, components.last_mut())
                {
                    if is_purl_ref(cat, ty) && c.purl.is_none() {
                        c.purl = Some(loc.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    let version = version.ok_or_else(|| {
        err(
            None,
            "no SPDXVersion line: not an SPDX tag-value document".into(),
        )
    })?;
    for (c, place) in components.iter_mut().zip(places.iter()) {
        finish(c, place, &mut warnings);
    }
    let distro = distro_of(&components);
    Ok(Sbom {
        format: format!("SPDX {version} tag-value"),
        components,
        distro,
        warnings,
    })
}
