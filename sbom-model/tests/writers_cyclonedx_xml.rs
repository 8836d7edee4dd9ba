//! CycloneDX XML writer: validity against the official `bom-1.6.xsd` (xmllint), determinism,
//! and a round trip through our XML reader that gives what the JSON round trip gives.

mod writers_common;

use sbom_model::cyclonedx::{read_json, read_xml, serial_number, write_json, write_xml};
use sbom_model::read_sbom_bytes;
use writers_common::*;

#[test]
fn written_xml_validates_against_bom_1_6_xsd() {
    let xml = write_xml(&inventory(), &opts());
    if let Some(Err(msg)) = xmllint_validate(&xml) {
        panic!(
            "bom-1.6.xsd rejects our XML:\n{msg}\n{}",
            String::from_utf8_lossy(&xml)
        );
    }
}

#[test]
fn xsd_check_rejects_an_invalid_document() {
    // Guards the test above: a validator that accepts anything would make it pass. Element
    // order matters in the XSD (purl after licenses), and `type` has an enumeration.
    let xml = String::from_utf8(write_xml(&inventory(), &opts())).expect("UTF-8");
    let bad = xml.replacen("type=\"library\"", "type=\"not-a-type\"", 1);
    assert_ne!(bad, xml);
    if let Some(r) = xmllint_validate(bad.as_bytes()) {
        assert!(r.is_err(), "an unknown component type must be rejected");
    }
    let bad = xml.replacen("<name>requests</name>", "", 1);
    assert_ne!(bad, xml);
    if let Some(r) = xmllint_validate(bad.as_bytes()) {
        assert!(r.is_err(), "a component without a name must be rejected");
    }
}

#[test]
fn deterministic_bytes_independent_of_input_order() {
    let a = write_xml(&inventory(), &opts());
    assert_eq!(write_xml(&inventory(), &opts()), a);
    let mut inv = inventory();
    inv.components.reverse();
    inv.unknowns.reverse();
    inv.source.layers.reverse();
    assert_eq!(write_xml(&inv, &opts()), a);
    assert!(a.starts_with(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bom "));
    assert_eq!(a.last(), Some(&b'\n'));
}

#[test]
fn root_carries_namespace_serial_and_version() {
    let inv = inventory();
    let xml = String::from_utf8(write_xml(&inv, &opts())).expect("UTF-8");
    let root = xml.lines().nth(1).expect("root line");
    assert!(
        root.contains("xmlns=\"http://cyclonedx.org/schema/bom/1.6\""),
        "{root}"
    );
    assert!(
        root.contains(&format!("serialNumber=\"{}\"", serial_number(&inv))),
        "{root}"
    );
    assert!(root.contains("version=\"1\""), "{root}");
    assert!(xml.contains("<timestamp>2024-01-02T03:04:05Z</timestamp>"));
}

#[test]
fn round_trip_gives_what_the_json_round_trip_gives() {
    let inv = inventory();
    let from_xml = read_xml(&write_xml(&inv, &opts()), "mem.xml").expect("our XML reads back");
    let from_json = read_json(&write_json(&inv, &opts()), "mem.json").expect("JSON reads back");
    assert_eq!(from_xml.format, "CycloneDX 1.6 XML");
    assert!(from_xml.warnings.is_empty(), "{:?}", from_xml.warnings);
    // Same components in the same order: kinds, bom-refs, groups, names, versions, purls,
    // licences, properties and locations (the control character is the one difference: XML
    // cannot carry it, so it becomes U+FFFD).
    assert_eq!(from_xml.components.len(), from_json.components.len());
    for (x, j) in from_xml.components.iter().zip(&from_json.components) {
        let mut j = j.clone();
        j.name = j.name.replace('\u{1}', "\u{FFFD}");
        j.bom_ref = j.bom_ref.map(|r| r.replace('\u{1}', "\u{FFFD}"));
        assert_eq!(x, &j);
    }
    assert_eq!(from_xml.distro, from_json.distro);
    // And against the inventory itself: the distro, and every purl in canonical form.
    assert_eq!(from_xml.distro, inv.distro);
    let mut purls: Vec<String> = from_xml
        .components
        .iter()
        .filter_map(|c| c.purl.clone())
        .collect();
    purls.sort();
    assert_eq!(purls, inventory_purls(&inv));
    let curl = from_xml
        .components
        .iter()
        .find(|c| c.name == "curl")
        .expect("curl");
    // SPDX ids in their official case, other names kept (CycloneDX license id / name).
    assert_eq!(
        curl.licenses,
        vec!["curl", "BSD-3-Clause", "Some Custom License"]
    );
    assert_eq!(curl.version.as_deref(), Some("7.88.1-10+deb12u4"));
    assert_eq!(curl.locations[0].layer_index, Some(1));
}

#[test]
fn format_detection_reads_it_as_cyclonedx_xml() {
    let sbom = read_sbom_bytes(&write_xml(&inventory(), &opts()), "mem").expect("reads");
    assert_eq!(sbom.format, "CycloneDX 1.6 XML");
}
