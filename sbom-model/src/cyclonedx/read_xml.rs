//! CycloneDX XML reader (schema 1.0–1.7, `http://cyclonedx.org/schema/bom/1.x`).
//!
//! Namespaces are resolved, so the CycloneDX namespace may be the default one or bound to any
//! prefix (`<ns0:bom xmlns:ns0=…>` as Python's ElementTree writes it, case C04). Elements of
//! other namespaces (extensions allowed by `xs:any namespace="##other"`) are skipped. The
//! document is first read into a small element tree (depth-limited), then walked like the JSON
//! reader: components flattened depth-first, `metadata/component` not counted, the distro from
//! an operating-system component. Warning places are XPath-like (`/bom/components/component[3]`,
//! 1-based as XPath is).

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::distro_from_component;
use crate::{Component, ComponentKind, Location, ReadError, Sbom, Warning};

/// Deeper documents are rejected rather than risking the stack or memory.
const MAX_DEPTH: usize = 256;

/// The CycloneDX BOM namespace prefix (followed by the spec version).
pub(crate) const NS_PREFIX: &str = "http://cyclonedx.org/schema/bom/";

#[derive(Debug, Default)]
struct Elem {
    /// Local name; foreign-namespace elements are not stored at all.
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Elem>,
}

impl Elem {
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }
    fn child(&self, name: &str) -> Option<&Elem> {
        self.children.iter().find(|c| c.name == name)
    }
    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Elem> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn child_text(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}

fn is_cdx_ns(ns: &ResolveResult) -> bool {
    matches!(ns, ResolveResult::Bound(n) if n.as_ref().starts_with(NS_PREFIX.as_bytes()))
}

fn start_elem(e: &BytesStart, reader: &NsReader<&[u8]>) -> Elem {
    let mut el = Elem {
        name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
        ..Default::default()
    };
    for a in e.attributes().flatten() {
        // Namespace declarations and prefixed (foreign) attributes are not CycloneDX data.
        if a.key.as_ref().starts_with(b"xmlns") || a.key.prefix().is_some() {
            continue;
        }
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        let val = a
            .decode_and_unescape_value(reader.decoder())
            .unwrap_or_else(|_| Cow::Owned(String::from_utf8_lossy(&a.value).into_owned()));
        el.attrs.push((key, val.into_owned()));
    }
    el
}

/// Parse the XML into a tree of CycloneDX-namespace elements. Returns the root and the BOM
/// namespace's spec version (`1.4`).
fn parse_tree(bytes: &[u8], origin: &str) -> Result<(Elem, String), ReadError> {
    let err = |place: Option<String>, message: String| ReadError {
        origin: origin.to_string(),
        place,
        message,
    };
    let mut reader = NsReader::from_reader(bytes);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Elem> = Vec::new();
    // Depth of foreign-namespace elements being skipped (their whole subtree is ignored).
    let mut foreign_depth = 0usize;
    let mut root: Option<Elem> = None;
    let mut version = String::new();
    loop {
        let pos = reader.buffer_position();
        let (ns, ev) = reader.read_resolved_event().map_err(|e| {
            err(
                Some(format!("byte {pos}")),
                format!("not well-formed XML: {e}"),
            )
        })?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e)
                if root.is_none() && stack.is_empty() && foreign_depth == 0 =>
            {
                if !is_cdx_ns(&ns) || e.local_name().as_ref() != b"bom" {
                    return Err(err(
                        Some("/".into()),
                        "root element is not a CycloneDX <bom>".into(),
                    ));
                }
                if let ResolveResult::Bound(n) = &ns {
                    version = String::from_utf8_lossy(n.as_ref())
                        .trim_start_matches(NS_PREFIX)
                        .trim_end_matches('/')
                        .to_string();
                }
                let el = start_elem(&e, &reader);
                if empty {
                    root = Some(el);
                } else {
                    stack.push(el);
                }
            }
            Event::Start(e) => {
                if foreign_depth > 0 || !is_cdx_ns(&ns) {
                    foreign_depth += 1;
                    continue;
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        Some(format!("byte {pos}")),
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    ));
                }
                stack.push(start_elem(&e, &reader));
            }
            Event::Empty(e) => {
                if foreign_depth > 0 || !is_cdx_ns(&ns) {
                    continue;
                }
                let el = start_elem(&e, &reader);
                if let Some(top) = stack.last_mut() {
                    top.children.push(el);
                }
            }
            Event::End(_) => {
                if foreign_depth > 0 {
                    foreign_depth -= 1;
                    continue;
                }
                if let Some(done) = stack.pop() {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => root = Some(done),
                    }
                }
            }
            Event::Text(t) if foreign_depth == 0 => {
                if let Some(top) = stack.last_mut() {
                    let s = t.unescape().map_err(|e| {
                        err(Some(format!("byte {pos}")), format!("bad XML text: {e}"))
                    })?;
                    top.text.push_str(&s);
                }
            }
            Event::CData(t) if foreign_depth == 0 => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(err(None, "XML ends before the document is closed".into()));
    }
    root.map(|r| (r, version))
        .ok_or_else(|| err(None, "no root element".into()))
}

/// Read a CycloneDX XML document. `origin` names the file in errors and warnings.
/// `Sbom::format` is `CycloneDX <version> XML`, the version taken from the namespace.
///
/// # Errors
/// [`ReadError`] when the bytes are not well-formed XML (place `byte N`), the root is not a
/// CycloneDX `<bom>`, or the document nests deeper than 256 elements.
pub fn read_xml(bytes: &[u8], origin: &str) -> Result<Sbom, ReadError> {
    let (root, version) = parse_tree(bytes, origin)?;
    let mut warnings = Vec::new();
    let mut components = Vec::new();
    if let Some(list) = root.child("components") {
        walk(list, "/bom/components", &mut components, &mut warnings);
    }
    let meta_component = root
        .child("metadata")
        .and_then(|m| m.child("component"))
        .map(|c| read_component(c, "/bom/metadata/component", &mut Vec::new()));
    let distro = components
        .iter()
        .chain(meta_component.iter())
        .find(|c| c.kind == ComponentKind::OperatingSystem)
        .map(distro_from_component);
    let format = if version.is_empty() {
        "CycloneDX XML".to_string()
    } else {
        format!("CycloneDX {version} XML")
    };
    Ok(Sbom {
        format,
        components,
        distro,
        warnings,
    })
}

fn walk(list: &Elem, place: &str, out: &mut Vec<Component>, warnings: &mut Vec<Warning>) {
    for (i, el) in list.children("component").enumerate() {
        let here = format!("{place}/component[{}]", i + 1);
        out.push(read_component(el, &here, warnings));
        if let Some(nested) = el.child("components") {
            walk(nested, &format!("{here}/components"), out, warnings);
        }
    }
}

fn read_component(el: &Elem, place: &str, warnings: &mut Vec<Warning>) -> Component {
    let mut c = Component {
        kind: ComponentKind::from_cyclonedx(el.attr("type").unwrap_or("library")),
        bom_ref: el
            .attr("bom-ref")
            .map(str::to_string)
            .filter(|s| !s.is_empty()),
        group: el.child_text("group"),
        name: el.child_text("name").unwrap_or_default(),
        version: el.child_text("version"),
        purl: el.child_text("purl"),
        ..Default::default()
    };
    if let Some(lics) = el.child("licenses") {
        for l in &lics.children {
            match l.name.as_str() {
                "expression" => {
                    let t = l.text.trim();
                    if !t.is_empty() {
                        c.licenses.push(t.to_string());
                    }
                }
                "license" => {
                    if let Some(s) = l.child_text("id").or_else(|| l.child_text("name")) {
                        c.licenses.push(s);
                    }
                }
                _ => {}
            }
        }
    }
    if let Some(props) = el.child("properties") {
        for p in props.children("property") {
            if let Some(name) = p.attr("name") {
                c.properties
                    .push((name.to_string(), p.text.trim().to_string()));
            }
        }
    }
    c.locations = super::locations_from_properties(&c.properties);
    if c.locations.is_empty() {
        if let Some(occ) = el.child("evidence").and_then(|e| e.child("occurrences")) {
            for o in occ.children("occurrence") {
                if let Some(path) = o.child_text("location") {
                    c.locations.push(Location {
                        path,
                        ..Default::default()
                    });
                }
            }
        }
    }
    super::fill_name_from_purl(&mut c, place, warnings);
    c
}

/// Whether bytes look like a CycloneDX XML document (root `bom` in the CycloneDX namespace,
/// any prefix). Reads only up to the root element.
pub(crate) fn looks_like_cyclonedx_xml(bytes: &[u8]) -> bool {
    let mut reader = NsReader::from_reader(bytes);
    loop {
        match reader.read_resolved_event() {
            Ok((ns, Event::Start(e))) | Ok((ns, Event::Empty(e))) => {
                return is_cdx_ns(&ns) && e.local_name().as_ref() == b"bom";
            }
            Ok((_, Event::Eof)) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}
