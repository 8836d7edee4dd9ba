//! Reader-level tests of the handed cases C01, C02, C04, C08 (`shared/cases/*/README.md` and
//! `expected.json` `components`), plus the strict-where-it-matters errors of
//! `docs/cli-contract.md` ("Invalid input means …").

use std::collections::BTreeSet;
use std::path::PathBuf;

use sbom_model::purl::Purl;
use sbom_model::testing::shared_path;
use sbom_model::{read_sbom, read_sbom_bytes, ComponentKind, Sbom};
use serde_json::Value;

fn case(id: &str) -> Option<(Sbom, Value)> {
    let dir: PathBuf = shared_path(&format!("cases/{id}"))?;
    let sbom_file = std::fs::read_dir(&dir)
        .expect("case dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("sbom."))
        })
        .expect("sbom.* in case");
    let sbom = read_sbom(&sbom_file).unwrap_or_else(|e| panic!("{e}"));
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).expect("expected.json"))
            .expect("json");
    Some((sbom, expected))
}

/// Purls compared as parsed components (type, namespace, name, version, qualifiers, subpath),
/// as C02's `purl_compare` note asks.
fn parsed_purls<'a>(it: impl Iterator<Item = &'a str>) -> BTreeSet<Purl> {
    it.map(|p| Purl::parse(p).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

fn expected_purls(expected: &Value) -> BTreeSet<Purl> {
    parsed_purls(
        expected["components"]["purls"]
            .as_array()
            .expect("purls")
            .iter()
            .filter_map(Value::as_str),
    )
}

fn sbom_purls(s: &Sbom) -> BTreeSet<Purl> {
    parsed_purls(s.components.iter().filter_map(|c| c.purl.as_deref()))
}

fn count(expected: &Value) -> usize {
    expected["components"]["count"].as_u64().expect("count") as usize
}

#[test]
fn case_c01_nested_components_and_distro_from_metadata_component() {
    let Some((s, exp)) = case("C01") else { return };
    assert_eq!(s.format, "CycloneDX 1.6 JSON");
    assert_eq!(
        s.components.len(),
        count(&exp),
        "7: nested at depth 3 included, metadata.component not"
    );
    assert_eq!(sbom_purls(&s), expected_purls(&exp));
    let names: Vec<&str> = s.components.iter().map(|c| c.name.as_str()).collect();
    assert!(
        names.contains(&"commons-text") && names.contains(&"lodash"),
        "depth-3 components: {names:?}"
    );
    assert!(
        !names.contains(&"debian"),
        "metadata.component is not a component"
    );
    let d = s.distro.as_ref().expect("distro from metadata.component");
    assert_eq!((d.id.as_str(), d.version_id.as_str()), ("debian", "12"));
    assert_eq!(exp["distro"], "debian-12");
    assert_eq!(d.qualifier(), "debian-12");
    // Dependencies naming nested bom-refs are not problems.
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn case_c02_spdx_purls_under_both_category_spellings() {
    let Some((s, exp)) = case("C02") else { return };
    assert_eq!(s.format, "SPDX 2.3 JSON");
    assert_eq!(
        s.components.len(),
        count(&exp),
        "every package, the image root included"
    );
    assert_eq!(sbom_purls(&s), expected_purls(&exp));
    let zlib = s
        .components
        .iter()
        .find(|c| c.name == "zlib")
        .expect("zlib package");
    assert_eq!(zlib.purl, None, "only a cpe23Type ref: no purl");
    let requests = s
        .components
        .iter()
        .find(|c| c.name == "requests")
        .expect("requests");
    assert_eq!(
        requests
            .purl
            .as_deref()
            .map(|p| Purl::parse(p).map(|p| p.name)),
        Some(Ok("requests".into()))
    );
    assert!(requests
        .bom_ref
        .as_deref()
        .is_some_and(|r| r.starts_with("SPDXRef-")));
    let root = s
        .components
        .iter()
        .find(|c| c.kind == ComponentKind::Container)
        .expect("CONTAINER root");
    assert!(root
        .purl
        .as_deref()
        .is_some_and(|p| p.starts_with("pkg:oci/")));
}

#[test]
fn case_c04_cyclonedx_xml_with_prefixed_namespace() {
    let Some((s, exp)) = case("C04") else { return };
    assert_eq!(s.format, "CycloneDX 1.4 XML");
    assert_eq!(s.components.len(), count(&exp));
    assert_eq!(sbom_purls(&s), expected_purls(&exp));
    let openssl = s
        .components
        .iter()
        .find(|c| c.name == "openssl")
        .expect("openssl");
    assert_eq!(
        openssl.purl.as_deref(),
        Some("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12"),
        "&amp; unescaped"
    );
    assert_eq!(
        openssl.property("syft:package:foundBy"),
        Some("dpkg-db-cataloger")
    );
    assert_eq!(openssl.property("syft:metadata:source"), Some("openssl"));
    let core = s
        .components
        .iter()
        .find(|c| c.name == "log4j-core")
        .expect("nested log4j-core");
    assert_eq!(core.group.as_deref(), Some("org.apache.logging.log4j"));
    assert_eq!(core.bom_ref.as_deref(), Some("log4j-core"));
    assert!(
        s.components.iter().any(|c| c.name == "jackson-databind"),
        "depth 3 inside an assembly"
    );
    assert!(!s
        .components
        .iter()
        .any(|c| c.name == "registry.example.com/shop/order-service"));
}

#[test]
fn case_c08_sloppy_cyclonedx_is_read_with_warnings() {
    let Some((s, exp)) = case("C08") else { return };
    assert_eq!(
        s.components.len(),
        count(&exp),
        "the nameless component is kept"
    );
    assert_eq!(sbom_purls(&s), expected_purls(&exp));
    let first = &s.components[0];
    assert_eq!(first.name, "lodash", "name taken from the purl");
    assert_eq!(first.version.as_deref(), Some("4.17.20"));
    assert!(
        s.warnings.iter().any(|w| w.place == "/components/0"),
        "{:?}",
        s.warnings
    );
    let minimist = s
        .components
        .iter()
        .find(|c| c.name == "minimist")
        .expect("minimist");
    assert_eq!(minimist.purl, None, "\"purl\": \"\" is no purl");
    let libidn2 = s
        .components
        .iter()
        .find(|c| c.name == "libidn2")
        .expect("libidn2");
    assert_eq!(libidn2.purl, None);
    let at = |p: &str| s.warnings.iter().any(|w| w.place == p);
    assert!(
        at("/dependencies/0/dependsOn/1"),
        "lodash listed twice: {:?}",
        s.warnings
    );
    assert!(at("/dependencies/0/dependsOn/3"), "ms listed twice");
    assert!(at("/dependencies/1/dependsOn/1"), "ghost-ref names nothing");
    assert!(at("/dependencies/3/ref"), "{{ref: ms}} listed again");
}

fn read_err(bytes: &[u8]) -> sbom_model::ReadError {
    read_sbom_bytes(bytes, "t.json").expect_err("must be an error")
}

#[test]
fn broken_input_is_an_error_naming_the_place() {
    let e = read_err(b"{\n  \"bomFormat\": \"CycloneDX\",\n  oops\n}");
    assert_eq!(e.origin, "t.json");
    assert_eq!(e.place.as_deref(), Some("line 3:3"));
    assert!(e.to_string().starts_with("t.json at line 3:3: "), "{e}");

    let e = read_err(br#"{"bomFormat": "SomethingElse", "specVersion": "1.6"}"#);
    assert_eq!(e.place.as_deref(), Some("/bomFormat"));

    let e = read_err(
        br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {"name": "x"}}"#,
    );
    assert_eq!(e.place.as_deref(), Some("/components"));

    let e = read_err(br#"{"spdxVersion": "SPDX-2.3", "packages": "none"}"#);
    assert_eq!(e.place.as_deref(), Some("/packages"));

    read_err(br#"{"name": "not an sbom"}"#);
    read_err(b"just some text\n");
    read_err(b"");
    read_err(b"<html><body>no</body></html>");
    let e = read_err(b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components><component type=\"library\">");
    assert!(e.message.contains("XML"), "{e}");
}

#[test]
fn missing_or_empty_components_read_as_none() {
    for doc in [
        &br#"{"bomFormat": "CycloneDX", "specVersion": "1.5"}"#[..],
        br#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": []}"#,
        br#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": null}"#,
    ] {
        let s = read_sbom_bytes(doc, "t").expect("reads");
        assert_eq!(s.format, "CycloneDX 1.5 JSON");
        assert!(s.components.is_empty());
    }
}

#[test]
fn utf8_bom_and_whitespace_before_json_are_skipped() {
    let s = read_sbom_bytes(b"\xEF\xBB\xBF  \n{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"type\":\"library\",\"name\":\"a\"}]}", "t")
        .expect("reads");
    assert_eq!(s.components.len(), 1);
}

#[test]
fn tag_value_unknown_tags_are_warnings_with_line_numbers() {
    let doc = "SPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n\nPackageName: zlib\nSPDXID: SPDXRef-zlib\nPackageVersion: 1.2.13\nFrobnicate: yes\nPackageComment: <text>line one\nFakeTag: inside text is not a tag\n</text>\nExternalRef: PACKAGE_MANAGER purl pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64\nPackageLicenseDeclared: Zlib\n\nFileName: ./a.c\nSPDXID: SPDXRef-file\n";
    let s = read_sbom_bytes(doc.as_bytes(), "t.spdx").expect("reads");
    assert_eq!(s.format, "SPDX 2.2 tag-value");
    assert_eq!(s.components.len(), 1);
    let z = &s.components[0];
    assert_eq!(z.name, "zlib");
    assert_eq!(
        z.bom_ref.as_deref(),
        Some("SPDXRef-zlib"),
        "the file's SPDXID is not the package's"
    );
    assert_eq!(z.version.as_deref(), Some("1.2.13"));
    assert_eq!(
        z.purl.as_deref(),
        Some("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64")
    );
    assert_eq!(z.licenses, vec!["Zlib".to_string()]);
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert_eq!(s.warnings[0].place, "line 8");
    assert!(s.warnings[0].message.contains("Frobnicate"));
}

#[test]
fn hostile_inputs_never_panic() {
    let deep_json = format!(
        "{{\"bomFormat\":\"CycloneDX\",\"components\":{}{}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let _ = read_sbom_bytes(deep_json.as_bytes(), "t");
    let deep_xml = format!(
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">{}{}</bom>",
        "<components><component>".repeat(2000),
        "</component></components>".repeat(2000)
    );
    let _ = read_sbom_bytes(deep_xml.as_bytes(), "t");
    for junk in [
        &b"{"[..],
        b"<",
        b"<bom",
        b"SPDXVersion:",
        b"\xff\xfe",
        b"PackageName: x\nSPDXVersion: SPDX-2.3",
    ] {
        let _ = read_sbom_bytes(junk, "t");
    }
}

#[test]
fn case_c05_purls_read_then_canonicalised() {
    let Some(dir) = shared_path("cases/C05") else {
        return;
    };
    let s = read_sbom(&dir.join("sbom.cdx.json")).unwrap_or_else(|e| panic!("{e}"));
    let canon: BTreeSet<String> = s
        .components
        .iter()
        .filter_map(|c| c.purl.as_deref())
        .map(|p| sbom_model::purl::canonical(p).expect(p))
        .collect();
    // The right answer of C05's README (table "canonical (purl spec)").
    let want: BTreeSet<String> = [
        "pkg:npm/%40angular/core@12.3.1",
        "pkg:npm/%40angular/animations@12.3.1",
        "pkg:deb/debian/bind9@1:9.18.19-1~deb12u1?arch=amd64&distro=debian-12",
        "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4?arch=amd64&distro=debian-12",
        "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
        "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12&upstream=gcc-12",
        "pkg:pypi/flask-sqlalchemy@3.0.0",
        "pkg:maven/org.apache.commons/commons-text@1.9?repository_url=https:%2F%2Frepo1.maven.org%2Fmaven2&type=jar",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(canon, want);
}

#[test]
fn case_c07_trivy_properties_are_kept() {
    let Some((s, exp)) = case("C07") else { return };
    assert_eq!(
        s.components.len(),
        count(&exp),
        "the OS component in components[] counts"
    );
    assert_eq!(sbom_purls(&s), expected_purls(&exp));
    let with_src = s
        .components
        .iter()
        .filter(|c| c.property("aquasecurity:trivy:SrcName").is_some())
        .count();
    assert_eq!(with_src, 7);
    let d = s.distro.as_ref().expect("OS component");
    assert_eq!(d.id, "debian");
    assert!(d.version_id.starts_with("12"));
}
