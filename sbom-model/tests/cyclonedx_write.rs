//! CycloneDX JSON writer: schema validity (1.5, 1.6, 1.7 official schemas, offline),
//! determinism, and the fields `docs/cli-contract.md` prescribes.

use sbom_model::cyclonedx::{read_json, write_json, SpecVersion, WriteOptions};
use sbom_model::schema_check::validate_cyclonedx;
use sbom_model::{
    Component, ComponentKind, Distro, Inventory, LayerInfo, Location, SourceInfo, Unknown,
};
use serde_json::Value;

const L1: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const L2: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
const CONFIG: &str = "sha256:c0ffee0000000000000000000000000000000000000000000000000000000000";

fn loc(path: &str, layer: usize) -> Location {
    Location {
        path: path.into(),
        layer_diff_id: Some(if layer == 1 { L1 } else { L2 }.into()),
        layer_index: Some(layer),
    }
}

fn inventory() -> Inventory {
    let comps = vec![
        Component {
            name: "requests".into(),
            version: Some("2.31.0".into()),
            purl: Some("pkg:pypi/requests@2.31.0".into()),
            licenses: vec!["Apache-2.0".into()],
            locations: vec![loc(
                "usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA",
                2,
            )],
            properties: vec![("sbom-gen:owned-by".into(), "python3-requests".into())],
            ..Default::default()
        },
        Component {
            name: "curl".into(),
            version: Some("7.88.1-10+deb12u4".into()),
            purl: Some("pkg:deb/debian/curl@7.88.1-10+deb12u4?distro=debian-12&arch=amd64".into()),
            licenses: vec![
                "curl".into(),
                "BSD-3-clause".into(),
                "Some Custom License".into(),
            ],
            locations: vec![loc("var/lib/dpkg/status", 1)],
            ..Default::default()
        },
        Component {
            group: Some("@babel".into()),
            name: "core".into(),
            version: Some("7.22.0".into()),
            purl: Some("pkg:npm/%40babel/core@7.22.0".into()),
            licenses: vec!["MIT OR Apache-2.0".into()],
            locations: vec![loc("app/node_modules/@babel/core/package.json", 2)],
            ..Default::default()
        },
        // Same purl twice (two copies in the image): two components, distinct bom-refs.
        Component {
            name: "lodash".into(),
            version: Some("4.17.20".into()),
            purl: Some("pkg:npm/lodash@4.17.20".into()),
            licenses: vec![
                "MIT".into(),
                "GPL-2.0-only WITH Classpath-exception-2.0".into(),
            ],
            locations: vec![loc("b/node_modules/lodash/package.json", 2)],
            ..Default::default()
        },
        Component {
            name: "lodash".into(),
            version: Some("4.17.20".into()),
            purl: Some("pkg:npm/lodash@4.17.20".into()),
            locations: vec![loc("a/node_modules/lodash/package.json", 2)],
            ..Default::default()
        },
        Component {
            kind: ComponentKind::Application,
            name: "no-purl-tool".into(),
            version: None,
            purl: None,
            ..Default::default()
        },
    ];
    Inventory {
        source: SourceInfo {
            name: "example/app:1.0".into(),
            version: Some("1.0".into()),
            config_digest: Some(CONFIG.into()),
            created: Some("2024-01-02T03:04:05Z".into()),
            scheme: "docker-archive".into(),
            layers: vec![
                LayerInfo {
                    index: 2,
                    diff_id: L2.into(),
                    created_by: Some("COPY app /app".into()),
                },
                LayerInfo {
                    index: 1,
                    diff_id: L1.into(),
                    created_by: None,
                },
            ],
            properties: [("architecture".to_string(), "amd64".to_string())]
                .into_iter()
                .collect(),
        },
        distro: Some(Distro {
            id: "debian".into(),
            version_id: "12".into(),
            pretty_name: Some("Debian GNU/Linux 12 (bookworm)".into()),
            codename: Some("bookworm".into()),
        }),
        components: comps,
        unknowns: vec![Unknown {
            path: "usr/lib/python3/dist-packages/broken.dist-info/METADATA".into(),
            layer_index: Some(2),
            message: "not core metadata".into(),
        }],
    }
}

fn opts(spec: SpecVersion) -> WriteOptions {
    WriteOptions {
        spec_version: spec,
        timestamp: "2024-01-02T03:04:05Z".into(),
        tool_name: "sbom-gen".into(),
        tool_version: "0.1.0".into(),
    }
}

#[test]
fn written_json_validates_against_official_schemas() {
    for spec in [SpecVersion::V1_5, SpecVersion::V1_6, SpecVersion::V1_7] {
        let bytes = write_json(&inventory(), &opts(spec));
        let doc: Value = serde_json::from_slice(&bytes).expect("writer output is JSON");
        assert_eq!(doc["specVersion"], spec.as_str());
        if let Err(errors) = validate_cyclonedx(&doc, spec) {
            panic!(
                "CycloneDX {} schema errors:\n{}",
                spec.as_str(),
                errors.join("\n")
            );
        }
    }
}

#[test]
fn schema_check_rejects_an_invalid_document() {
    // Guards the test above: a validator that accepts anything would make it pass.
    let mut doc: Value =
        serde_json::from_slice(&write_json(&inventory(), &opts(SpecVersion::V1_6))).expect("json");
    doc["components"][1]["type"] = Value::String("not-a-type".into());
    doc["serialNumber"] = Value::String("12345".into());
    if sbom_model::testing::shared_dir().is_some() {
        let errs = validate_cyclonedx(&doc, SpecVersion::V1_6).expect_err("must be invalid");
        assert!(errs.len() >= 2, "{errs:?}");
    }
}

#[test]
fn deterministic_bytes_independent_of_input_order() {
    let a = write_json(&inventory(), &opts(SpecVersion::V1_6));
    let b = write_json(&inventory(), &opts(SpecVersion::V1_6));
    assert_eq!(a, b);
    let mut inv = inventory();
    inv.components.reverse();
    inv.unknowns.reverse();
    assert_eq!(write_json(&inv, &opts(SpecVersion::V1_6)), a);
    assert_eq!(a.last(), Some(&b'\n'));
    assert!(a.starts_with(b"{\n  \""), "pretty-printed");
}

#[test]
fn document_fields() {
    let doc: Value =
        serde_json::from_slice(&write_json(&inventory(), &opts(SpecVersion::V1_6))).expect("json");
    assert_eq!(doc["bomFormat"], "CycloneDX");
    assert_eq!(doc["version"], 1);
    // RFC 4122 UUID, version 5, seeded by the config digest: changing the digest changes it,
    // the scheme does not.
    let serial = doc["serialNumber"].as_str().expect("serial");
    let uuid = serial.strip_prefix("urn:uuid:").expect("urn:uuid:");
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "5", "UUID version 5");
    // Python: uuid5(uuid5(NAMESPACE_URL, "urn:sbom-gen:serial-number"), CONFIG)
    assert_eq!(uuid, "777b2aba-6098-5dea-9a92-8c548cbec80a");
    let mut other = inventory();
    other.source.scheme = "oci-dir".into();
    other.source.name = "another name".into();
    let other_doc: Value =
        serde_json::from_slice(&write_json(&other, &opts(SpecVersion::V1_6))).expect("json");
    assert_eq!(
        other_doc["serialNumber"], doc["serialNumber"],
        "same config digest, same serial"
    );
    other.source.config_digest = Some(L1.into());
    let other_doc: Value =
        serde_json::from_slice(&write_json(&other, &opts(SpecVersion::V1_6))).expect("json");
    assert_ne!(other_doc["serialNumber"], doc["serialNumber"]);

    let meta = &doc["metadata"];
    assert_eq!(meta["timestamp"], "2024-01-02T03:04:05Z");
    assert_eq!(meta["tools"]["components"][0]["name"], "sbom-gen");
    assert_eq!(meta["tools"]["components"][0]["version"], "0.1.0");
    assert_eq!(meta["component"]["type"], "container");
    assert_eq!(meta["component"]["name"], "example/app:1.0");
    let props: Vec<(String, String)> = meta["properties"]
        .as_array()
        .expect("metadata properties")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().into(),
                p["value"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    let layer_digests: Vec<&str> = props
        .iter()
        .filter(|(k, _)| k == "sbom-gen:layer:digest")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(layer_digests, vec![L1, L2], "layers in order, base first");
    assert!(props.contains(&("sbom-gen:layer:created-by".into(), "COPY app /app".into())));
    assert!(props.contains(&(
        "sbom-gen:unknown".into(),
        "usr/lib/python3/dist-packages/broken.dist-info/METADATA: not core metadata".into()
    )));

    let comps = doc["components"].as_array().expect("components");
    assert_eq!(comps.len(), 7, "OS + 6 packages");
    let os = &comps[0];
    assert_eq!(os["type"], "operating-system");
    assert_eq!(os["bom-ref"], "os:debian@12");
    assert_eq!(os["name"], "debian");
    assert_eq!(os["version"], "12");
    // Packages sorted by canonical purl; purls written canonically.
    let purls: Vec<&str> = comps[1..]
        .iter()
        .map(|c| c["purl"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        purls,
        vec![
            "",
            "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4?arch=amd64&distro=debian-12",
            "pkg:npm/%40babel/core@7.22.0",
            "pkg:npm/lodash@4.17.20",
            "pkg:npm/lodash@4.17.20",
            "pkg:pypi/requests@2.31.0",
        ]
    );
    let refs: Vec<&str> = comps
        .iter()
        .map(|c| c["bom-ref"].as_str().unwrap_or(""))
        .collect();
    let unique: std::collections::BTreeSet<_> = refs.iter().collect();
    assert_eq!(unique.len(), refs.len(), "bom-refs unique: {refs:?}");
    // The duplicate purl: the copy found at a/… sorts first.
    assert_eq!(
        comps[4]["properties"][0]["value"],
        "a/node_modules/lodash/package.json"
    );
    assert_eq!(comps[4]["bom-ref"], "pkg:npm/lodash@4.17.20");
    assert_eq!(comps[5]["bom-ref"], "pkg:npm/lodash@4.17.20#2");
    // Licenses: SPDX ids in their official case, names otherwise, expressions alone.
    let curl = &comps[2];
    assert_eq!(curl["licenses"][0]["license"]["id"], "curl");
    assert_eq!(curl["licenses"][1]["license"]["id"], "BSD-3-Clause");
    assert_eq!(
        curl["licenses"][2]["license"]["name"],
        "Some Custom License"
    );
    assert_eq!(comps[3]["licenses"][0]["expression"], "MIT OR Apache-2.0");
    assert_eq!(comps[3]["group"], "@babel");
    assert_eq!(comps[5]["licenses"].as_array().map(Vec::len), Some(1));
    // Location properties and evidence.
    let curl_props = curl["properties"].as_array().expect("props");
    assert_eq!(curl_props[0]["name"], "sbom-gen:location");
    assert_eq!(curl_props[0]["value"], "var/lib/dpkg/status");
    assert_eq!(curl_props[1]["name"], "sbom-gen:layer:digest");
    assert_eq!(curl_props[1]["value"], L1);
    assert_eq!(curl_props[2]["name"], "sbom-gen:layer:index");
    assert_eq!(curl_props[2]["value"], "1");
    assert_eq!(
        curl["evidence"]["occurrences"][0]["location"],
        "var/lib/dpkg/status"
    );
    let requests = &comps[6];
    let rp = requests["properties"].as_array().expect("props");
    assert_eq!(
        rp.last().map(|p| &p["name"]),
        Some(&Value::String("sbom-gen:owned-by".into()))
    );
}

#[test]
fn reader_reads_what_the_writer_writes() {
    let inv = inventory();
    let bytes = write_json(&inv, &opts(SpecVersion::V1_6));
    let sbom = read_json(&bytes, "mem").expect("reads");
    assert_eq!(sbom.format, "CycloneDX 1.6 JSON");
    assert!(sbom.warnings.is_empty(), "{:?}", sbom.warnings);
    assert_eq!(sbom.distro.as_ref(), inv.distro.as_ref());
    assert_eq!(sbom.components.len(), 7);
    let curl = sbom
        .components
        .iter()
        .find(|c| c.name == "curl")
        .expect("curl");
    assert_eq!(curl.version.as_deref(), Some("7.88.1-10+deb12u4"));
    assert_eq!(curl.locations, vec![loc("var/lib/dpkg/status", 1)]);
    let requests = sbom
        .components
        .iter()
        .find(|c| c.name == "requests")
        .expect("requests");
    assert_eq!(
        requests.property("sbom-gen:owned-by"),
        Some("python3-requests")
    );
    assert_eq!(requests.licenses, vec!["Apache-2.0".to_string()]);
}
