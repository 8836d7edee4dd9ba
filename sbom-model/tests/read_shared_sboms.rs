//! Every SBOM in `shared/sboms/` reads without error, with the component counts of
//! `shared/sboms/counts.json` (produced by the independent script `count_components.py`; the
//! numbers below are copied from it), and JSON/XML twins give the same purls.

use std::collections::BTreeMap;

use sbom_model::read_sbom;
use sbom_model::testing::shared_path;

/// (file under shared/sboms, components, components with a purl, format we must report),
/// counts from counts.json.
const COUNTS: &[(&str, usize, usize, &str)] = &[
    (
        "cyclonedx-examples/CBOM__Example-With-Dependencies__bom.json",
        3,
        0,
        "CycloneDX 1.6 JSON",
    ),
    (
        "cyclonedx-examples/OBOM__Example-1-Decoupled__obom.json",
        1,
        0,
        "CycloneDX 1.4 JSON",
    ),
    (
        "cyclonedx-examples/VEX__bom.json",
        3,
        3,
        "CycloneDX 1.3 JSON",
    ),
    (
        "cyclonedx-examples/VEX__vex.json",
        0,
        0,
        "CycloneDX 1.4 JSON",
    ),
    (
        "cyclonedx-examples/cern-lhc-vdm-editor-e564943__bom.json",
        43,
        43,
        "CycloneDX 1.2 JSON",
    ),
    (
        "cyclonedx-examples/cern-lhc-vdm-editor-e564943__bom.xml",
        43,
        43,
        "CycloneDX 1.2 XML",
    ),
    (
        "cyclonedx-examples/dropwizard-1.3.15__bom.json",
        167,
        167,
        "CycloneDX 1.2 JSON",
    ),
    (
        "cyclonedx-examples/dropwizard-1.3.15__bom.xml",
        167,
        167,
        "CycloneDX 1.2 XML",
    ),
    (
        "cyclonedx-examples/juice-shop__v11.1.2__bom.json",
        840,
        840,
        "CycloneDX 1.2 JSON",
    ),
    (
        "cyclonedx-examples/juice-shop__v11.1.2__bom.xml",
        840,
        840,
        "CycloneDX 1.2 XML",
    ),
    (
        "cyclonedx-examples/juice-shop__via_npm__bare__bom.1.4.json",
        1115,
        1115,
        "CycloneDX 1.4 JSON",
    ),
    (
        "cyclonedx-examples/juice-shop__via_npm__bare__bom.1.4.xml",
        1115,
        1115,
        "CycloneDX 1.4 XML",
    ),
    (
        "cyclonedx-examples/keycloak-10.0.2__bom.json",
        903,
        903,
        "CycloneDX 1.2 JSON",
    ),
    (
        "cyclonedx-examples/laravel-7.12.0__bom.1.3.json",
        62,
        62,
        "CycloneDX 1.3 JSON",
    ),
    (
        "cyclonedx-examples/laravel-7.12.0__bom.1.3.xml",
        62,
        62,
        "CycloneDX 1.3 XML",
    ),
    (
        "cyclonedx-examples/proton-bridge__proton-bridge-v1.8.0.bom.json",
        201,
        201,
        "CycloneDX 1.2 JSON",
    ),
    (
        "cyclonedx-examples/spec-tests__1.5__valid-bom-1.5.json",
        2,
        1,
        "CycloneDX 1.5 JSON",
    ),
    (
        "cyclonedx-examples/spec-tests__1.6__valid-bom-1.6.json",
        3,
        3,
        "CycloneDX 1.6 JSON",
    ),
    (
        "cyclonedx-examples/spec-tests__1.6__valid-bom-1.6.xml",
        3,
        3,
        "CycloneDX 1.6 XML",
    ),
    (
        "cyclonedx-examples/spec-tests__1.6__valid-component-types-1.6.json",
        9,
        0,
        "CycloneDX 1.6 JSON",
    ),
    (
        "spdx-examples/example11__spdx2.3__sbom.spdx.json",
        4,
        4,
        "SPDX 2.3 JSON",
    ),
    (
        "spdx-examples/example4__spdx2.2__example4-bin.spdx",
        3,
        0,
        "SPDX 2.2 tag-value",
    ),
    (
        "spdx-examples/example6__spdx2.2__example6-lib.spdx",
        5,
        0,
        "SPDX 2.2 tag-value",
    ),
    (
        "spdx-examples/example8__spdx2.3__examplemaven-0.0.1.spdx.json",
        6,
        0,
        "SPDX 2.3 JSON",
    ),
    (
        "spdx-examples/example9__spdx2.2__appbomination.spdx.json",
        7,
        4,
        "SPDX 2.2 JSON",
    ),
    (
        "spdx-examples/presentations__SBOMS-SPDX-Now-and-Future__ACME-v2.3.spdx.json",
        4,
        2,
        "SPDX 2.3 JSON",
    ),
    (
        "spdx-examples/spdx-spec__SPDXJSONExample-v2.3.spdx.json",
        4,
        1,
        "SPDX 2.3 JSON",
    ),
    (
        "spdx-examples/spdx-spec__SPDXTagExample-v2.3.spdx",
        4,
        1,
        "SPDX 2.3 tag-value",
    ),
];

#[test]
fn every_example_reads_with_the_independent_counts() {
    let Some(dir) = shared_path("sboms") else {
        return;
    };
    let mut failures = Vec::new();
    for (file, count, with_purl, format) in COUNTS {
        match read_sbom(&dir.join(file)) {
            Err(e) => failures.push(format!("{file}: {e}")),
            Ok(s) => {
                let purls = s.components.iter().filter(|c| c.purl.is_some()).count();
                if s.components.len() != *count || purls != *with_purl || s.format != *format {
                    failures.push(format!(
                        "{file}: {} components ({purls} with purl), format {:?}; want {count} ({with_purl}), {format:?}",
                        s.components.len(),
                        s.format
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Peer SBOMs (syft 1.18.1, trivy 0.59.1 / 0.74.0) and their component counts, counted
/// outside this project with Python by counts.json's rules (CycloneDX: the components tree at
/// any depth, no metadata.component; SPDX: every package).
const PEERS: &[(&str, usize)] = &[
    ("syft-debian-app.cdx.json", 206),
    ("syft-debian-app.docker-archive.cdx.json", 206),
    ("syft-debian-app.spdx.json", 206),
    ("syft-debian-slim-distroless-like.cdx.json", 7),
    (
        "syft-debian-slim-distroless-like.docker-archive.cdx.json",
        7,
    ),
    ("syft-debian-slim-distroless-like.spdx.json", 7),
    ("trivy-0.59.1-debian-app.docker-archive.cdx.json", 204),
    ("trivy-0.59.1-debian-app.docker-archive.spdx.json", 205),
    ("trivy-0.59.1-debian-app.oci-layout.cdx.json", 204),
    (
        "trivy-0.59.1-debian-slim-distroless-like.docker-archive.cdx.json",
        8,
    ),
    (
        "trivy-0.59.1-debian-slim-distroless-like.docker-archive.spdx.json",
        9,
    ),
    (
        "trivy-0.59.1-debian-slim-distroless-like.oci-layout.cdx.json",
        8,
    ),
    ("trivy-debian-app.cdx.json", 129),
    ("trivy-debian-slim-distroless-like.cdx.json", 8),
];

#[test]
fn every_peer_sbom_reads() {
    let Some(dir) = shared_path("sboms/peers") else {
        return;
    };
    for (name, count) in PEERS {
        let s = read_sbom(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.components.len(), *count, "{name}");
        assert!(
            s.components.iter().all(|c| !c.name.is_empty()),
            "{name}: a component without a name"
        );
        // Every peer file describes a Debian 12 image; syft's CycloneDX, and every trivy file,
        // carry an operating-system component (syft's SPDX has none).
        if *name != "syft-debian-app.spdx.json"
            && !name.starts_with("syft-debian-slim-distroless-like.spdx")
        {
            let d = s
                .distro
                .as_ref()
                .unwrap_or_else(|| panic!("{name}: no distro"));
            assert_eq!(d.id, "debian", "{name}");
            assert!(
                d.version_id == "12" || d.version_id.starts_with("12."),
                "{name}: {}",
                d.version_id
            );
        }
    }
}

fn purl_multiset(path: &std::path::Path) -> BTreeMap<String, usize> {
    let s = read_sbom(path).unwrap_or_else(|e| panic!("{e}"));
    let mut m = BTreeMap::new();
    for c in s.components {
        *m.entry(c.purl.unwrap_or_default()).or_insert(0) += 1;
    }
    m
}

#[test]
fn json_and_xml_twins_give_the_same_purls() {
    let Some(dir) = shared_path("sboms/cyclonedx-examples") else {
        return;
    };
    let twins = [
        "cern-lhc-vdm-editor-e564943__bom",
        "dropwizard-1.3.15__bom",
        "juice-shop__v11.1.2__bom",
        "juice-shop__via_npm__bare__bom.1.4",
        "laravel-7.12.0__bom.1.3",
        "spec-tests__1.6__valid-bom-1.6",
    ];
    for t in twins {
        let j = purl_multiset(&dir.join(format!("{t}.json")));
        let x = purl_multiset(&dir.join(format!("{t}.xml")));
        assert!(!j.is_empty());
        assert_eq!(j, x, "{t}");
    }
}

#[test]
fn syft_spdx_and_cyclonedx_twins_agree_on_purls() {
    // syft-debian-app.cdx.json and syft-debian-app.spdx.json are one syft run in two formats.
    let Some(dir) = shared_path("sboms/peers") else {
        return;
    };
    let cdx: std::collections::BTreeSet<_> = purl_multiset(&dir.join("syft-debian-app.cdx.json"))
        .into_keys()
        .collect();
    let spdx: std::collections::BTreeSet<_> = purl_multiset(&dir.join("syft-debian-app.spdx.json"))
        .into_keys()
        .collect();
    let missing: Vec<_> = cdx
        .iter()
        .filter(|p| !p.is_empty() && !spdx.contains(*p))
        .collect();
    assert!(
        missing.len() <= 1,
        "purls in the CycloneDX but not the SPDX twin: {missing:?}"
    );
}
