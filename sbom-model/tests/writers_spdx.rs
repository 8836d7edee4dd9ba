//! SPDX 2.3 writers (JSON and tag-value): the JSON against the official SPDX 2.3 schema,
//! determinism, the document fields the brief and the SPDX 2.3 spec prescribe, and round trips
//! through our SPDX readers (same purls, names, versions, licences, distro; no warnings).

mod writers_common;

use std::collections::{BTreeMap, BTreeSet};

use sbom_model::cyclonedx::serial_number;
use sbom_model::spdx::{read_json, read_tag_value};
use sbom_model::spdx_write::{write_json, write_tag_value};
use sbom_model::{ComponentKind, Sbom};
use serde_json::Value;
use writers_common::*;

fn doc() -> Value {
    serde_json::from_slice(&write_json(&inventory(), &opts())).expect("writer output is JSON")
}

#[test]
fn written_json_validates_against_spdx_2_3_schema() {
    if let Some(Err(errors)) = validate_spdx(&doc()) {
        panic!("SPDX 2.3 schema errors:\n{}", errors.join("\n"));
    }
}

#[test]
fn schema_check_rejects_an_invalid_document() {
    let mut d = doc();
    if let Some(p) = d["packages"][2].as_object_mut() {
        p.remove("downloadLocation");
    }
    d["packages"][1]["primaryPackagePurpose"] = Value::String("OPERATING-SYSTEM".into());
    if let Some(r) = validate_spdx(&d) {
        let errs = r.expect_err("must be invalid");
        assert!(errs.len() >= 2, "{errs:?}");
    }
}

#[test]
fn deterministic_bytes_independent_of_input_order() {
    let j = write_json(&inventory(), &opts());
    let t = write_tag_value(&inventory(), &opts());
    let mut inv = inventory();
    inv.components.reverse();
    inv.source.layers.reverse();
    assert_eq!(write_json(&inv, &opts()), j);
    assert_eq!(write_tag_value(&inv, &opts()), t);
    assert_eq!(j.last(), Some(&b'\n'));
    assert_eq!(t.last(), Some(&b'\n'));
}

#[test]
fn document_fields() {
    let inv = inventory();
    let d = doc();
    assert_eq!(d["spdxVersion"], "SPDX-2.3");
    assert_eq!(d["dataLicense"], "CC0-1.0");
    assert_eq!(d["SPDXID"], "SPDXRef-DOCUMENT");
    assert_eq!(d["name"], "example/app:1.0");
    let uuid = serial_number(&inv)
        .trim_start_matches("urn:uuid:")
        .to_string();
    assert_eq!(
        d["documentNamespace"],
        format!("https://sbom-gen.invalid/spdxdocs/example-app-1.0-{uuid}")
    );
    assert_eq!(d["creationInfo"]["created"], "2024-01-02T03:04:05Z");
    assert_eq!(d["creationInfo"]["creators"][0], "Tool: sbom-gen-0.1.0");

    let packages = d["packages"].as_array().expect("packages");
    // root + operating system + 6 components
    assert_eq!(packages.len(), 8);
    let ids: Vec<&str> = packages
        .iter()
        .map(|p| p["SPDXID"].as_str().expect("SPDXID"))
        .collect();
    let unique: BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "SPDXIDs are unique: {ids:?}");
    for id in &ids {
        let rest = id.strip_prefix("SPDXRef-").expect("SPDXRef- prefix");
        assert!(
            rest.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "{id}"
        );
    }
    assert!(ids[2..].iter().all(|id| id.starts_with("SPDXRef-Package-")));
    assert_eq!(packages[0]["primaryPackagePurpose"], "CONTAINER");
    assert_eq!(packages[1]["primaryPackagePurpose"], "OPERATING_SYSTEM");
    assert_eq!(packages[1]["name"], "debian");
    assert_eq!(packages[1]["versionInfo"], "12");
    for p in &packages[2..] {
        assert_eq!(p["downloadLocation"], "NOASSERTION");
        assert_eq!(p["filesAnalyzed"], false);
        assert_eq!(p["licenseConcluded"], "NOASSERTION");
    }
    let curl = packages.iter().find(|p| p["name"] == "curl").expect("curl");
    assert_eq!(
        curl["externalRefs"][0],
        serde_json::json!({
            "referenceCategory": "PACKAGE-MANAGER",
            "referenceType": "purl",
            "referenceLocator": "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4?arch=amd64&distro=debian-12"
        })
    );
    assert_eq!(curl["primaryPackagePurpose"], "LIBRARY");
    let si = curl["sourceInfo"].as_str().expect("sourceInfo");
    assert!(
        si.contains("var/lib/dpkg/status") && si.contains("layer 1") && si.contains(L1),
        "{si}"
    );

    // DOCUMENT DESCRIBES the root; the root CONTAINS every other package.
    let rels = d["relationships"].as_array().expect("relationships");
    assert_eq!(rels[0]["spdxElementId"], "SPDXRef-DOCUMENT");
    assert_eq!(rels[0]["relationshipType"], "DESCRIBES");
    assert_eq!(rels[0]["relatedSpdxElement"], ids[0]);
    let contained: BTreeSet<&str> = rels[1..]
        .iter()
        .inspect(|r| {
            assert_eq!(r["spdxElementId"], ids[0]);
            assert_eq!(r["relationshipType"], "CONTAINS");
        })
        .map(|r| r["relatedSpdxElement"].as_str().expect("id"))
        .collect();
    assert_eq!(contained, ids[1..].iter().copied().collect());
}

/// Every operand of every declared licence is an SPDX list id (by the CycloneDX project's
/// `spdx.schema.json` enum, an independent copy of the list) or a `LicenseRef-` the document
/// defines with the original text.
#[test]
fn declared_licences_use_list_ids_or_defined_refs() {
    let Some(enum_path) = sbom_model::testing::shared_path("schemas/spdx.schema.json") else {
        return;
    };
    let list: Value =
        serde_json::from_slice(&std::fs::read(enum_path).expect("readable")).expect("JSON");
    let ids: BTreeSet<&str> = list["enum"]
        .as_array()
        .expect("enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let d = doc();
    let defined: BTreeMap<&str, &str> = d["hasExtractedLicensingInfos"]
        .as_array()
        .expect("LicenseRefs defined")
        .iter()
        .map(|e| {
            (
                e["licenseId"].as_str().expect("id"),
                e["extractedText"].as_str().expect("text"),
            )
        })
        .collect();
    assert_eq!(defined.get("LicenseRef-GPL-2plus"), Some(&"GPL-2+"));
    assert_eq!(
        defined.get("LicenseRef-Some-Custom-License"),
        Some(&"Some Custom License")
    );
    for p in d["packages"].as_array().expect("packages") {
        let e = p["licenseDeclared"].as_str().expect("licenseDeclared");
        if e == "NOASSERTION" {
            continue;
        }
        for w in e.replace(['(', ')'], " ").split_whitespace() {
            if matches!(w, "AND" | "OR" | "WITH") {
                continue;
            }
            let w = w.trim_end_matches('+');
            assert!(
                ids.contains(w) || defined.contains_key(w),
                "{w} in {e:?} is neither a list id nor a defined LicenseRef"
            );
        }
    }
}

/// The licences, purls, names and versions read back, as the SPDX 2.3 rules turn the
/// inventory's licences into one declared expression.
fn check_round_trip(sbom: &Sbom) {
    let inv = inventory();
    assert!(sbom.warnings.is_empty(), "{:?}", sbom.warnings);
    assert_eq!(
        sbom.distro.as_ref().map(|d| (&d.id, &d.version_id)),
        Some((&"debian".to_string(), &"12".to_string()))
    );
    let mut purls: Vec<String> = sbom
        .components
        .iter()
        .filter_map(|c| c.purl.clone())
        .collect();
    purls.sort();
    assert_eq!(purls, inventory_purls(&inv));
    // The root package comes back as a container component without a purl.
    assert_eq!(sbom.components[0].kind, ComponentKind::Container);
    assert_eq!(sbom.components[0].name, "example/app:1.0");
    assert_eq!(sbom.components[0].purl, None);
    assert_eq!(sbom.components[1].kind, ComponentKind::OperatingSystem);
    let lic = |purl_start: &str, loc_hint: Option<&str>| -> (Option<String>, Vec<String>) {
        let c = sbom
            .components
            .iter()
            .filter(|c| c.purl.as_deref().is_some_and(|p| p.starts_with(purl_start)))
            .nth(loc_hint.map(|_| 1).unwrap_or(0))
            .expect(purl_start);
        (c.version.clone(), c.licenses.clone())
    };
    assert_eq!(
        lic("pkg:deb/debian/curl@", None),
        (
            Some("7.88.1-10+deb12u4".into()),
            vec!["curl AND BSD-3-Clause AND LicenseRef-Some-Custom-License".to_string()]
        )
    );
    assert_eq!(
        lic("pkg:npm/%40babel/core@", None).1,
        vec!["MIT OR Apache-2.0".to_string()]
    );
    assert_eq!(
        lic("pkg:pypi/requests@", None),
        (Some("2.31.0".into()), vec!["Apache-2.0".to_string()])
    );
    // The two lodash copies, in the writers' order (by first location: a/ before b/).
    assert_eq!(
        lic("pkg:npm/lodash@", None).1,
        vec!["LicenseRef-GPL-2plus".to_string()]
    );
    assert_eq!(
        lic("pkg:npm/lodash@", Some("b/")).1,
        vec!["MIT AND (GPL-2.0-only WITH Classpath-exception-2.0)".to_string()]
    );
    let tool = sbom
        .components
        .iter()
        .find(|c| c.name.starts_with("no-purl"))
        .expect("component without purl");
    assert_eq!(tool.kind, ComponentKind::Application);
    assert_eq!(tool.version, None);
}

#[test]
fn json_round_trip() {
    let sbom = read_json(&write_json(&inventory(), &opts()), "mem.spdx.json").expect("reads");
    assert_eq!(sbom.format, "SPDX 2.3 JSON");
    check_round_trip(&sbom);
}

#[test]
fn tag_value_round_trip_without_warnings() {
    let bytes = write_tag_value(&inventory(), &opts());
    let sbom = read_tag_value(&bytes, "mem.spdx").expect("reads");
    assert_eq!(sbom.format, "SPDX 2.3 tag-value");
    check_round_trip(&sbom);
    // Both forms carry the same packages.
    let from_json = read_json(&write_json(&inventory(), &opts()), "mem.spdx.json").expect("reads");
    assert_eq!(sbom.components, from_json.components);
    let detected = sbom_model::read_sbom_bytes(&bytes, "mem").expect("detected");
    assert_eq!(detected.format, "SPDX 2.3 tag-value");
}

#[test]
fn tag_value_lines_are_tag_colon_value() {
    let text = String::from_utf8(write_tag_value(&inventory(), &opts())).expect("UTF-8");
    assert!(
        text.starts_with("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n")
    );
    assert!(text.contains("\nPrimaryPackagePurpose: OPERATING-SYSTEM\n"));
    assert!(text.contains(
        "\nExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4?arch=amd64&distro=debian-12\n"
    ));
    assert!(text.contains("\nCreated: 2024-01-02T03:04:05Z\n"));
    assert!(text.contains("\nLicenseID: LicenseRef-Some-Custom-License\nExtractedText: <text>Some Custom License</text>\n"));
}
