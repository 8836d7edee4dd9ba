//! SPDX 2.3 writers: JSON (schema `spdx-schema.json` of spdx/spdx-spec v2.3) and tag-value
//! (SPDX 2.3 specification, clauses 6–11 and Annex "tag:value"; <https://spdx.github.io/spdx-spec/v2.3/>).
//!
//! Both forms are built from one [`SpdxDocument`], so they carry the same content:
//! - document: `SPDX-2.3`, data licence `CC0-1.0`, `SPDXRef-DOCUMENT`, name = the source name,
//!   namespace `https://sbom-gen.invalid/spdxdocs/<name>-<uuid>` (the uuid of the CycloneDX
//!   serial number, so deterministic), created = the CycloneDX timestamp, creator
//!   `Tool: sbom-gen-<version>`;
//! - packages: the described root (the image, `CONTAINER`; a folder, `FILE`), the operating
//!   system (`OPERATING-SYSTEM`, name = os-release `ID`, version = `VERSION_ID`), then the
//!   components in the CycloneDX writers' order, each with download location and concluded
//!   licence `NOASSERTION`, `filesAnalyzed: false`, the declared licence as a valid SPDX
//!   expression (or `NOASSERTION`), the canonical purl as a `PACKAGE-MANAGER purl` external
//!   reference, the purpose from the component kind, where it was found (path and layer) in
//!   `sourceInfo`, other properties in `comment`;
//! - relationships: `SPDXRef-DOCUMENT DESCRIBES` the root, the root `CONTAINS` every package;
//! - licence names that are not SPDX ids or expressions become `LicenseRef-…` ids with the
//!   original text in `hasExtractedLicensingInfos` (tag-value: `LicenseID`/`ExtractedText`).
//!
//! Deterministic: the same inventory and options give the same bytes.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::cyclonedx::{
    canonical_purl, is_image, ordered_components, serial_namespace, serial_number, spdx_license_id,
    WriteOptions,
};
use crate::{Component, ComponentKind, Inventory};

/// The SPDX License List version whose ids [`spdx_license_id`] knows.
pub const LICENSE_LIST_VERSION: &str = "3.28";

/// One SPDX package as both forms write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpdxPackage {
    /// `SPDXRef-…`, characters `[A-Za-z0-9.-]` after the prefix.
    pub spdx_id: String,
    pub name: String,
    pub version: Option<String>,
    /// `primaryPackagePurpose` as tag-value spells it, e.g. `LIBRARY`, `OPERATING-SYSTEM`,
    /// `CONTAINER` (JSON writes `_` for `-`, as its schema's enum does).
    pub purpose: &'static str,
    /// The canonical purl.
    pub purl: Option<String>,
    /// A valid SPDX licence expression or `NOASSERTION`.
    pub license_declared: String,
    /// Where the package was found: `path (layer N, sha256:…)`, several joined by `; `.
    pub source_info: Option<String>,
    /// Free text, e.g. the distro's pretty name.
    pub description: Option<String>,
    /// Remaining properties as `name=value` lines.
    pub comment: Option<String>,
}

/// A whole SPDX 2.3 document, before it is written in one form or the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpdxDocument {
    pub name: String,
    pub namespace: String,
    /// RFC 3339 creation time.
    pub created: String,
    /// `Tool: sbom-gen-<version>`.
    pub creator: String,
    pub packages: Vec<SpdxPackage>,
    /// (element, relationship type, related element).
    pub relationships: Vec<(String, &'static str, String)>,
    /// `LicenseRef-…` id → the licence text it stands for.
    pub extracted_licenses: BTreeMap<String, String>,
}

/// Keep `[A-Za-z0-9.-]`, replace anything else with `-` (SPDX 2.3 §3.2: `SPDXRef-[idstring]`).
fn id_chars(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The first 16 hex digits of `UUIDv5(serial namespace, seed)`: a short, stable disambiguator.
fn short_hash(seed: &str) -> String {
    Uuid::new_v5(&serial_namespace(), seed.as_bytes())
        .simple()
        .to_string()
        .chars()
        .take(16)
        .collect()
}

/// `https://sbom-gen.invalid/spdxdocs/<name>-<uuid>`: the name with characters outside
/// `[A-Za-z0-9._-]` as `-`, the uuid that of [`serial_number`]. Deterministic per inventory.
pub fn document_namespace(inv: &Inventory) -> String {
    let serial = serial_number(inv);
    let uuid = serial.trim_start_matches("urn:uuid:");
    let name: String = inv
        .source
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = if name.is_empty() {
        "sbom".to_string()
    } else {
        name
    };
    format!("https://sbom-gen.invalid/spdxdocs/{name}-{uuid}")
}

/// One token of a licence expression.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Open,
    Close,
    Op(&'static str),
    Id(String),
}

/// Normalise a simple licence operand: a list id (official case, optional `+`),
/// `LicenseRef-[A-Za-z0-9.-]+` or `DocumentRef-[…]:LicenseRef-[…]`.
fn operand(s: &str) -> Option<String> {
    let valid_ref = |r: &str| {
        !r.is_empty()
            && r.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    if let Some((doc, lic)) = s.split_once(':') {
        let d = doc.strip_prefix("DocumentRef-")?;
        let l = lic.strip_prefix("LicenseRef-")?;
        return (valid_ref(d) && valid_ref(l)).then(|| s.to_string());
    }
    if let Some(r) = s.strip_prefix("LicenseRef-") {
        return valid_ref(r).then(|| s.to_string());
    }
    let (base, plus) = match s.strip_suffix('+') {
        Some(b) => (b, "+"),
        None => (s, ""),
    };
    spdx_license_id(base).map(|id| format!("{id}{plus}"))
}

/// `s` as a valid SPDX 2.3 licence expression (Annex D), normalised: operators upper case,
/// list ids in their official case, single spaces. `None` when it is not one. Operators are
/// accepted in upper or lower case; exception ids are not told apart from licence ids.
pub fn normalize_expression(s: &str) -> Option<String> {
    let spaced = s.replace('(', " ( ").replace(')', " ) ");
    let mut toks = Vec::new();
    for w in spaced.split_whitespace() {
        toks.push(match w {
            "(" => Tok::Open,
            ")" => Tok::Close,
            "AND" | "and" => Tok::Op("AND"),
            "OR" | "or" => Tok::Op("OR"),
            "WITH" | "with" => Tok::Op("WITH"),
            other => Tok::Id(operand(other)?),
        });
    }
    // Grammar check: operands and operators alternate, parentheses balance, WITH follows a
    // simple operand and is followed by one.
    let mut expect_operand = true;
    let mut depth = 0usize;
    let mut prev: Option<&Tok> = None;
    for t in &toks {
        match t {
            Tok::Open => {
                if !expect_operand || prev == Some(&Tok::Op("WITH")) {
                    return None;
                }
                depth += 1;
            }
            Tok::Close => {
                if expect_operand || depth == 0 {
                    return None;
                }
                depth -= 1;
            }
            Tok::Op(op) => {
                if expect_operand || (*op == "WITH" && !matches!(prev, Some(Tok::Id(_)))) {
                    return None;
                }
                expect_operand = true;
            }
            Tok::Id(_) => {
                if !expect_operand {
                    return None;
                }
                expect_operand = false;
            }
        }
        prev = Some(t);
    }
    if expect_operand || depth != 0 {
        return None;
    }
    let mut out = String::new();
    let mut prev_open = true;
    for t in &toks {
        match t {
            Tok::Close => out.push(')'),
            other => {
                if !prev_open {
                    out.push(' ');
                }
                match other {
                    Tok::Open => out.push('('),
                    Tok::Op(op) => out.push_str(op),
                    Tok::Id(id) => out.push_str(id),
                    Tok::Close => {}
                }
            }
        }
        prev_open = matches!(t, Tok::Open);
    }
    Some(out)
}

/// `LicenseRef-` + the name with characters outside `[A-Za-z0-9.-]` replaced (`+` → `plus`,
/// others → `-`); a short hash is appended when another text already took that id.
fn license_ref(name: &str, refs: &mut BTreeMap<String, String>) -> String {
    let body: String = name
        .chars()
        .map(|c| match c {
            '+' => "plus".to_string(),
            c if c.is_ascii_alphanumeric() || c == '.' || c == '-' => c.to_string(),
            _ => "-".to_string(),
        })
        .collect();
    let mut id = format!("LicenseRef-{body}");
    if refs.get(&id).is_some_and(|t| t != name) {
        id = format!("{id}-{}", short_hash(name));
    }
    refs.entry(id.clone()).or_insert_with(|| name.to_string());
    id
}

/// The declared licence of a package: each entry as a valid expression (or a `LicenseRef-`
/// registered in `refs`), several joined with `AND` (compound ones in parentheses); `None`
/// without licences.
pub fn declared_license(
    licenses: &[String],
    refs: &mut BTreeMap<String, String>,
) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for l in licenses.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let e = normalize_expression(l).unwrap_or_else(|| license_ref(l, refs));
        if !parts.contains(&e) {
            parts.push(e);
        }
    }
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(
            parts
                .iter()
                .map(|p| {
                    if p.contains(' ') {
                        format!("({p})")
                    } else {
                        p.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

fn purpose_of(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Application => "APPLICATION",
        ComponentKind::OperatingSystem => "OPERATING-SYSTEM",
        ComponentKind::Framework => "FRAMEWORK",
        ComponentKind::Container => "CONTAINER",
        ComponentKind::File => "FILE",
        ComponentKind::Library | ComponentKind::Other => "LIBRARY",
    }
}

fn source_info(c: &Component) -> Option<String> {
    let parts: Vec<String> = c
        .locations
        .iter()
        .map(|l| {
            let layer = match (l.layer_index, l.layer_diff_id.as_deref()) {
                (Some(i), Some(d)) => format!(" (layer {i}, {d})"),
                (Some(i), None) => format!(" (layer {i})"),
                (None, Some(d)) => format!(" (layer {d})"),
                (None, None) => String::new(),
            };
            format!("{}{layer}", l.path)
        })
        .collect();
    (!parts.is_empty()).then(|| format!("acquired package info from {}", parts.join("; ")))
}

fn package_of(c: &Component, bom_ref: &str, refs: &mut BTreeMap<String, String>) -> SpdxPackage {
    let purl = canonical_purl(c);
    let ty = purl
        .as_deref()
        .and_then(|p| crate::purl::Purl::parse(p).ok())
        .map(|p| p.ty)
        .unwrap_or_else(|| c.kind.as_cyclonedx().to_string());
    let comment: Vec<String> = c
        .properties
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    SpdxPackage {
        spdx_id: format!(
            "SPDXRef-Package-{}-{}-{}",
            id_chars(&ty),
            id_chars(&c.name),
            short_hash(bom_ref)
        ),
        name: c.name.clone(),
        version: c.version.clone().filter(|v| !v.is_empty()),
        purpose: purpose_of(c.kind),
        purl,
        license_declared: declared_license(&c.licenses, refs)
            .unwrap_or_else(|| "NOASSERTION".into()),
        source_info: source_info(c),
        description: None,
        comment: (!comment.is_empty()).then(|| comment.join("\n")),
    }
}

/// Build the SPDX document of an inventory (what [`write_json`] and [`write_tag_value`] write).
/// `opts.timestamp` is the creation time; `opts.spec_version` is not used.
pub fn build_document(inv: &Inventory, opts: &WriteOptions) -> SpdxDocument {
    let mut refs = BTreeMap::new();
    let image = is_image(inv);
    let root_name = if inv.source.name.is_empty() {
        "unnamed".to_string()
    } else {
        inv.source.name.clone()
    };
    let root_id = format!(
        "SPDXRef-DocumentRoot-{}-{}",
        if image { "Image" } else { "Directory" },
        id_chars(&root_name)
    );
    let mut packages = vec![SpdxPackage {
        spdx_id: root_id.clone(),
        name: root_name.clone(),
        version: inv.source.version.clone().filter(|v| !v.is_empty()),
        purpose: if image { "CONTAINER" } else { "FILE" },
        purl: None,
        license_declared: "NOASSERTION".into(),
        source_info: inv
            .source
            .config_digest
            .as_ref()
            .map(|d| format!("image config {d}")),
        description: None,
        comment: None,
    }];
    if let Some(d) = &inv.distro {
        packages.push(SpdxPackage {
            spdx_id: format!(
                "SPDXRef-OperatingSystem-{}-{}",
                id_chars(&d.id),
                short_hash(&crate::cyclonedx::os_bom_ref(d))
            ),
            name: d.id.clone(),
            version: Some(d.version_id.clone()).filter(|v| !v.is_empty()),
            purpose: "OPERATING-SYSTEM",
            purl: None,
            license_declared: "NOASSERTION".into(),
            source_info: None,
            description: d.pretty_name.clone(),
            comment: d
                .codename
                .as_ref()
                .map(|c| format!("sbom-gen:distro:codename={c}")),
        });
    }
    for (bom_ref, c) in ordered_components(inv) {
        packages.push(package_of(c, &bom_ref, &mut refs));
    }
    let mut relationships = vec![("SPDXRef-DOCUMENT".to_string(), "DESCRIBES", root_id.clone())];
    for p in packages.iter().skip(1) {
        relationships.push((root_id.clone(), "CONTAINS", p.spdx_id.clone()));
    }
    SpdxDocument {
        name: root_name,
        namespace: document_namespace(inv),
        created: opts.timestamp.clone(),
        creator: format!("Tool: {}-{}", opts.tool_name, opts.tool_version),
        packages,
        relationships,
        extracted_licenses: refs,
    }
}

/// The document as an SPDX 2.3 JSON value (see [`write_json`]).
pub fn to_json_value(doc: &SpdxDocument) -> Value {
    let packages: Vec<Value> = doc
        .packages
        .iter()
        .map(|p| {
            let mut m = Map::new();
            m.insert("name".into(), json!(p.name));
            m.insert("SPDXID".into(), json!(p.spdx_id));
            if let Some(v) = &p.version {
                m.insert("versionInfo".into(), json!(v));
            }
            m.insert("downloadLocation".into(), json!("NOASSERTION"));
            m.insert("filesAnalyzed".into(), json!(false));
            if let Some(s) = &p.source_info {
                m.insert("sourceInfo".into(), json!(s));
            }
            m.insert("licenseConcluded".into(), json!("NOASSERTION"));
            m.insert("licenseDeclared".into(), json!(p.license_declared));
            m.insert("copyrightText".into(), json!("NOASSERTION"));
            if let Some(d) = &p.description {
                m.insert("description".into(), json!(d));
            }
            if let Some(c) = &p.comment {
                m.insert("comment".into(), json!(c));
            }
            if let Some(purl) = &p.purl {
                m.insert(
                    "externalRefs".into(),
                    json!([{
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": purl,
                    }]),
                );
            }
            // The JSON schema spells the purposes with `_` (`OPERATING_SYSTEM`); tag-value
            // with `-` (SPDX 2.3 §7.24).
            m.insert(
                "primaryPackagePurpose".into(),
                json!(p.purpose.replace('-', "_")),
            );
            Value::Object(m)
        })
        .collect();
    let relationships: Vec<Value> = doc
        .relationships
        .iter()
        .map(|(a, t, b)| {
            json!({ "spdxElementId": a, "relationshipType": t, "relatedSpdxElement": b })
        })
        .collect();
    let mut m = Map::new();
    m.insert("spdxVersion".into(), json!("SPDX-2.3"));
    m.insert("dataLicense".into(), json!("CC0-1.0"));
    m.insert("SPDXID".into(), json!("SPDXRef-DOCUMENT"));
    m.insert("name".into(), json!(doc.name));
    m.insert("documentNamespace".into(), json!(doc.namespace));
    m.insert(
        "creationInfo".into(),
        json!({
            "licenseListVersion": LICENSE_LIST_VERSION,
            "creators": [doc.creator],
            "created": doc.created,
        }),
    );
    m.insert("packages".into(), Value::Array(packages));
    m.insert("relationships".into(), Value::Array(relationships));
    if !doc.extracted_licenses.is_empty() {
        let infos: Vec<Value> = doc
            .extracted_licenses
            .iter()
            .map(|(id, text)| json!({ "licenseId": id, "extractedText": text, "name": text }))
            .collect();
        m.insert("hasExtractedLicensingInfos".into(), Value::Array(infos));
    }
    Value::Object(m)
}

/// Write an inventory as SPDX 2.3 JSON: pretty-printed, UTF-8, with a trailing newline.
/// Deterministic; content as described in the module documentation.
pub fn write_json(inv: &Inventory, opts: &WriteOptions) -> Vec<u8> {
    let mut out =
        serde_json::to_vec_pretty(&to_json_value(&build_document(inv, opts))).unwrap_or_default();
    out.push(b'\n');
    out
}

/// A single-line tag value: line breaks become spaces.
fn line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// A `<text>…</text>` value; a `</text>` inside it is broken up so it cannot end the value.
fn text(s: &str) -> String {
    format!("<text>{}</text>", s.replace("</text>", "</ text>"))
}

/// Write an inventory as SPDX 2.3 tag-value: the same document as [`write_json`], one
/// `Tag: value` per line, multi-line values in `<text>…</text>`, sections separated by blank
/// lines and `##` comments. UTF-8, ending with a newline. Deterministic.
pub fn write_tag_value(inv: &Inventory, opts: &WriteOptions) -> Vec<u8> {
    let doc = build_document(inv, opts);
    let mut o: Vec<String> = vec![
        "SPDXVersion: SPDX-2.3".into(),
        "DataLicense: CC0-1.0".into(),
        "SPDXID: SPDXRef-DOCUMENT".into(),
        format!("DocumentName: {}", line(&doc.name)),
        format!("DocumentNamespace: {}", doc.namespace),
        format!("LicenseListVersion: {LICENSE_LIST_VERSION}"),
        format!("Creator: {}", line(&doc.creator)),
        format!("Created: {}", line(&doc.created)),
    ];
    for p in &doc.packages {
        o.push(String::new());
        o.push(format!("## Package {}", line(&p.name)));
        o.push(format!("PackageName: {}", line(&p.name)));
        o.push(format!("SPDXID: {}", p.spdx_id));
        if let Some(v) = &p.version {
            o.push(format!("PackageVersion: {}", line(v)));
        }
        o.push("PackageDownloadLocation: NOASSERTION".into());
        o.push(format!("PrimaryPackagePurpose: {}", p.purpose));
        o.push("FilesAnalyzed: false".into());
        if let Some(s) = &p.source_info {
            o.push(format!("PackageSourceInfo: {}", text(s)));
        }
        o.push("PackageLicenseConcluded: NOASSERTION".into());
        o.push(format!("PackageLicenseDeclared: {}", p.license_declared));
        o.push("PackageCopyrightText: NOASSERTION".into());
        if let Some(d) = &p.description {
            o.push(format!("PackageDescription: {}", text(d)));
        }
        if let Some(c) = &p.comment {
            o.push(format!("PackageComment: {}", text(c)));
        }
        if let Some(purl) = &p.purl {
            o.push(format!("ExternalRef: PACKAGE-MANAGER purl {purl}"));
        }
    }
    o.push(String::new());
    o.push("## Relationships".into());
    for (a, t, b) in &doc.relationships {
        o.push(format!("Relationship: {a} {t} {b}"));
    }
    for (id, t) in &doc.extracted_licenses {
        o.push(String::new());
        o.push(format!("LicenseID: {id}"));
        o.push(format!("ExtractedText: {}", text(t)));
        o.push(format!("LicenseName: {}", line(t)));
    }
    let mut s = o.join("\n");
    s.push('\n');
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_are_normalised_or_refused() {
        // SPDX 2.3 Annex D: ids match case-insensitively, `+` and WITH are allowed.
        assert_eq!(
            normalize_expression("mit or apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            normalize_expression("(MIT OR GPL-2.0-only WITH Classpath-exception-2.0) AND Zlib")
                .as_deref(),
            Some("(MIT OR GPL-2.0-only WITH Classpath-exception-2.0) AND Zlib")
        );
        assert_eq!(
            normalize_expression("GPL-2.0+").as_deref(),
            Some("GPL-2.0+")
        );
        assert_eq!(
            normalize_expression("LicenseRef-foo.1").as_deref(),
            Some("LicenseRef-foo.1")
        );
        for bad in [
            "",
            "MIT AND",
            "(MIT",
            "MIT)",
            "MIT Apache-2.0",
            "Some Custom License",
            "GPL-2+",
            "(MIT) WITH Classpath-exception-2.0",
            "LicenseRef-a_b",
        ] {
            assert_eq!(normalize_expression(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn unknown_names_become_license_refs() {
        let mut refs = BTreeMap::new();
        let e = declared_license(
            &["curl".into(), "GPL-2+".into(), "MIT OR Apache-2.0".into()],
            &mut refs,
        );
        assert_eq!(
            e.as_deref(),
            Some("curl AND LicenseRef-GPL-2plus AND (MIT OR Apache-2.0)")
        );
        assert_eq!(
            refs.get("LicenseRef-GPL-2plus").map(String::as_str),
            Some("GPL-2+")
        );
        // Two texts that sanitise alike get distinct ids.
        let a = license_ref("a b", &mut refs);
        let b = license_ref("a/b", &mut refs);
        assert_eq!(a, "LicenseRef-a-b");
        assert_ne!(a, b);
        assert!(b.starts_with("LicenseRef-a-b-"));
    }
}
