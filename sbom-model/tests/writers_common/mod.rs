//! Shared by the `writers_*` tests: a test inventory with the awkward cases (scoped npm
//! package, the same purl twice, a component without a purl, licence names that are not SPDX
//! ids, an expression, a control character), and the external validators (xmllint with the
//! CycloneDX XSD, the SPDX 2.3 JSON schema).
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use sbom_model::cyclonedx::{SpecVersion, WriteOptions};
use sbom_model::{
    Component, ComponentKind, Distro, Inventory, LayerInfo, Location, SourceInfo, Unknown,
};
use serde_json::Value;

pub const L1: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
pub const L2: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
pub const CONFIG: &str = "sha256:c0ffee0000000000000000000000000000000000000000000000000000000000";

fn loc(path: &str, layer: usize) -> Location {
    Location {
        path: path.into(),
        layer_diff_id: Some(if layer == 1 { L1 } else { L2 }.into()),
        layer_index: Some(layer),
    }
}

pub fn inventory() -> Inventory {
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
            // Not canonical on purpose (qualifiers unsorted, `+` unencoded).
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
            licenses: vec!["GPL-2+".into()],
            locations: vec![loc("a/node_modules/lodash/package.json", 2)],
            ..Default::default()
        },
        Component {
            kind: ComponentKind::Application,
            name: "no-purl\u{1}tool".into(),
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
                    created_by: Some("COPY app /app && echo '<x>'".into()),
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

pub fn opts() -> WriteOptions {
    WriteOptions {
        spec_version: SpecVersion::V1_6,
        timestamp: "2024-01-02T03:04:05Z".into(),
        tool_name: "sbom-gen".into(),
        tool_version: "0.1.0".into(),
    }
}

/// The canonical purls of the inventory (the purl spec's canonical form, by our parser).
pub fn inventory_purls(inv: &Inventory) -> Vec<String> {
    let mut v: Vec<String> = inv
        .components
        .iter()
        .filter_map(|c| c.purl.as_deref())
        .map(|p| sbom_model::purl::canonical(p).expect("test purls are valid"))
        .collect();
    v.sort();
    v
}

fn skip(what: &str) {
    if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
        panic!("{what}; CI=true forbids skipping");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}");
}

/// Validate CycloneDX XML with `xmllint --nonet --schema bom-1.6.xsd` (the shared schemas, the
/// SPDX import resolved through their `xmlcatalog.xml`). `None` (after a visible SKIPPED line)
/// when xmllint or the shared folder is absent outside CI; `Err(xmllint's messages)` when
/// invalid.
pub fn xmllint_validate(xml: &[u8]) -> Option<Result<(), String>> {
    let schemas: PathBuf = sbom_model::testing::shared_path("schemas")?;
    if Command::new("xmllint").arg("--version").output().is_err() {
        skip("xmllint not installed (apt-get install libxml2-utils); XSD validation not run");
        return None;
    }
    let mut child = Command::new("xmllint")
        .env("XML_CATALOG_FILES", schemas.join("xmlcatalog.xml"))
        .arg("--nonet")
        .arg("--noout")
        .arg("--schema")
        .arg(schemas.join("bom-1.6.xsd"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xmllint starts");
    let mut stdin = child.stdin.take().expect("stdin piped");
    let data = xml.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().expect("xmllint runs");
    let _ = feeder.join();
    let msg = String::from_utf8_lossy(&out.stderr).into_owned();
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(msg)
    })
}

/// Validate an SPDX JSON document against `shared/schemas/spdx-2.3.schema.json` (draft-07,
/// formats asserted). `None` when the shared folder is absent outside CI.
pub fn validate_spdx(doc: &Value) -> Option<Result<(), Vec<String>>> {
    let path = sbom_model::testing::shared_path("schemas/spdx-2.3.schema.json")?;
    let schema: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("schema readable")).expect("JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("SPDX schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect();
    Some(if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}
