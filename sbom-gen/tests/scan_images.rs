//! Issue 2, done-when 1–3: the real images in `../shared/testdata/images/`, in their three forms
//! (docker archive, OCI archive, OCI layout), against that folder's `expected.json`.

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::Value;

/// The expected (required, allowed) keys of `types` for an image, from expected.json.
fn expected(image: &str, types: &[&str]) -> Option<(BTreeSet<Key>, BTreeSet<Key>)> {
    let exp = json(&shared("testdata/images/expected.json")?);
    let pkgs = exp["images"][image]["packages"]
        .as_array()
        .expect("packages array")
        .clone();
    let mut required = BTreeSet::new();
    let mut allowed = BTreeSet::new();
    for p in pkgs {
        let ty = p["type"].as_str().unwrap_or_default();
        if !types.contains(&ty) {
            continue;
        }
        let k = key(
            ty,
            p["name"].as_str().unwrap_or_default(),
            p["version"].as_str().unwrap_or_default(),
        );
        if !p["optional"].as_bool().unwrap_or(false) {
            required.insert(k.clone());
        }
        allowed.insert(k);
    }
    Some((required, allowed))
}

fn of_types(keys: &BTreeSet<Key>, types: &[&str]) -> BTreeSet<Key> {
    keys.iter()
        .filter(|k| types.contains(&k.0.as_str()))
        .cloned()
        .collect()
}

/// Scan the three forms of `image`; return their documents.
fn three_forms(image: &str) -> Option<Vec<(String, Value)>> {
    let dir = shared("testdata/images")?;
    let tmp = tempfile::tempdir().expect("tempdir");
    let layout = tmp.path().join("layout");
    untar(&dir.join(format!("{image}.oci.tar")), &layout);
    let sources = [
        format!(
            "docker-archive:{}",
            dir.join(format!("{image}.docker.tar")).display()
        ),
        format!(
            "oci-archive:{}",
            dir.join(format!("{image}.oci.tar")).display()
        ),
        format!("oci-dir:{}", layout.display()),
    ];
    Some(
        sources
            .iter()
            .map(|s| (s.clone(), scan_to_json(s, tmp.path(), None).0))
            .collect(),
    )
}

fn check_image(image: &str, types: &[&str]) {
    let Some((required, allowed)) = expected(image, types) else {
        return;
    };
    let Some(docs) = three_forms(image) else {
        return;
    };
    let mut first: Option<BTreeSet<Key>> = None;
    for (source, doc) in &docs {
        let got = of_types(&package_keys(doc), types);
        let missing: Vec<_> = required.difference(&got).collect();
        let extra: Vec<_> = got.difference(&allowed).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{source}: missing {missing:?}\nunexpected {extra:?}"
        );
        assert_eq!(
            os_component(doc),
            Some(("debian".to_string(), "12".to_string())),
            "{source}: distro"
        );
        if let Some(f) = &first {
            assert_eq!(
                f, &got,
                "{source}: the three forms give the same component set"
            );
        } else {
            first = Some(got);
        }
    }
    // Same serial number and the same components (layer names are diff_ids) in all three forms.
    let serials: BTreeSet<_> = docs
        .iter()
        .map(|(_, d)| d["serialNumber"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        serials.len(),
        1,
        "serial numbers differ between forms: {serials:?}"
    );
    let comps: Vec<_> = docs.iter().map(|(_, d)| d["components"].clone()).collect();
    assert!(
        comps.windows(2).all(|w| w[0] == w[1]),
        "components differ between the three forms"
    );
}

#[test]
fn debian_app_three_forms_hold_exactly_the_expected_packages() {
    check_image("debian-app", &["deb", "pypi", "npm"]);
}

#[test]
fn debian_app_has_no_urllib3_deleted_in_layer_3() {
    let Some(dir) = shared("testdata/images") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = format!(
        "docker-archive:{}",
        dir.join("debian-app.docker.tar").display()
    );
    let (doc, _) = scan_to_json(&src, tmp.path(), None);
    let urllib3: Vec<_> = package_keys(&doc)
        .into_iter()
        .filter(|k| k.1 == "urllib3")
        .collect();
    assert!(
        urllib3.is_empty(),
        "urllib3 was whited out in layer 3: {urllib3:?}"
    );
}

#[test]
fn distroless_status_d_three_forms() {
    check_image("debian-slim-distroless-like", &["deb"]);
    let Some(dir) = shared("testdata/images") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let (doc, _) = scan_to_json(
        &dir.join("debian-slim-distroless-like.docker.tar")
            .display()
            .to_string(),
        tmp.path(),
        None,
    );
    for (_, name, _) in package_keys(&doc) {
        assert!(
            !name.ends_with(".md5sums"),
            "{name}: md5sums files are not stanzas"
        );
    }
}

#[test]
fn every_sbom_validates_against_the_cyclonedx_1_6_schema() {
    let Some(schemas) = shared("schemas") else {
        return;
    };
    for image in ["debian-app", "debian-slim-distroless-like"] {
        let Some(docs) = three_forms(image) else {
            return;
        };
        for (source, doc) in docs {
            if let Err(errors) = sbom_model::schema_check::validate_cyclonedx_json(
                &doc,
                sbom_model::cyclonedx::SpecVersion::V1_6,
                &schemas,
            ) {
                panic!(
                    "{source}: SBOM does not validate against bom-1.6:\n{}",
                    errors.join("\n")
                );
            }
        }
    }
}

#[test]
fn same_input_gives_the_same_bytes() {
    let Some(dir) = shared("testdata/images") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = format!("oci-archive:{}", dir.join("debian-app.oci.tar").display());
    let a = tmp.path().join("a.json");
    let b = tmp.path().join("b.json");
    for out in [&a, &b] {
        let o = run_gen(
            &[&src, "-o", &format!("cyclonedx-json={}", out.display())],
            None,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(std::fs::read(&a).ok(), std::fs::read(&b).ok());
}

#[test]
fn layer_and_location_recorded_for_each_package() {
    let Some(dir) = shared("testdata/images") else {
        return;
    };
    let exp = json(&dir.join("expected.json"));
    let layers: Vec<String> = exp["images"]["debian-app"]["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|l| l["diff_id"].as_str().unwrap_or_default().to_string())
        .collect();
    let tmp = tempfile::tempdir().expect("tempdir");
    let (doc, _) = scan_to_json(
        &format!(
            "docker-archive:{}",
            dir.join("debian-app.docker.tar").display()
        ),
        tmp.path(),
        None,
    );
    let django = all_components(&doc)
        .into_iter()
        .find(|c| c["purl"].as_str() == Some("pkg:pypi/django@3.2"))
        .expect("django component");
    let props: Vec<(String, String)> = django["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_string(),
                p["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        props.contains(&("sbom-gen:layer:digest".to_string(), layers[1].clone())),
        "{props:?}"
    );
    assert!(
        props.contains(&(
            "sbom-gen:location".to_string(),
            "usr/local/lib/python3.11/site-packages/Django-3.2.dist-info/METADATA".to_string()
        )),
        "{props:?}"
    );
}

#[test]
fn deb_purls_carry_arch_distro_and_upstream_as_syft_writes_them() {
    let Some(dir) = shared("testdata/images") else {
        return;
    };
    let exp = json(&dir.join("expected.json"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let (doc, _) = scan_to_json(
        &format!(
            "docker-archive:{}",
            dir.join("debian-app.docker.tar").display()
        ),
        tmp.path(),
        None,
    );
    let purls: BTreeSet<String> = all_components(&doc)
        .into_iter()
        .filter_map(|c| c["purl"].as_str())
        .filter(|p| p.starts_with("pkg:deb/"))
        .map(|p| {
            sbom_model::purl::Purl::parse(p)
                .expect("purl parses")
                .to_string()
        })
        .collect();
    let mut checked = 0;
    for p in exp["images"]["debian-app"]["packages"]
        .as_array()
        .expect("packages")
    {
        if p["type"] != "deb" {
            continue;
        }
        let (name, version) = (
            p["name"].as_str().unwrap_or_default(),
            p["version"].as_str().unwrap_or_default(),
        );
        let (src, src_ver) = (
            p["source"].as_str().unwrap_or(name),
            p["source_version"].as_str().unwrap_or(version),
        );
        let mut purl = sbom_model::purl::Purl::new("deb", Some("debian"), name)
            .with_version(version)
            .with_qualifier("arch", p["arch"].as_str().unwrap_or_default())
            .with_qualifier("distro", "debian-12");
        if src_ver != version {
            purl = purl.with_qualifier("upstream", &format!("{src}@{src_ver}"));
        } else if src != name {
            purl = purl.with_qualifier("upstream", src);
        }
        assert!(
            purls.contains(&purl.to_string()),
            "no component with purl {purl}"
        );
        checked += 1;
    }
    assert_eq!(checked, 123);
}

/// expected.json's `layer` of every package (deb: 1 when layer 1's status already lists that
/// version, else the layer whose status adds it; pypi/npm: the layer of the file).
#[test]
fn each_package_names_the_layer_that_introduced_it() {
    let Some(dir) = shared("testdata/images") else {
        return;
    };
    let exp = json(&dir.join("expected.json"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let (doc, _) = scan_to_json(
        &format!("oci-archive:{}", dir.join("debian-app.oci.tar").display()),
        tmp.path(),
        None,
    );
    let mut layer_of = std::collections::BTreeMap::new();
    for c in all_components(&doc) {
        let Some(p) = c["purl"].as_str() else {
            continue;
        };
        let purl = sbom_model::purl::Purl::parse(p).expect("purl");
        let idx = c["properties"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == "sbom-gen:layer:index")
            .and_then(|p| p["value"].as_str())
            .and_then(|v| v.parse::<u64>().ok());
        layer_of.insert(
            key(&purl.ty, &purl.name, purl.version.as_deref().unwrap_or("")),
            idx,
        );
    }
    let mut wrong = Vec::new();
    let mut deb_in_layer1 = 0;
    for p in exp["images"]["debian-app"]["packages"]
        .as_array()
        .expect("packages")
    {
        let ty = p["type"].as_str().unwrap_or_default();
        if !["deb", "pypi", "npm"].contains(&ty) || p["optional"].as_bool().unwrap_or(false) {
            continue;
        }
        let k = key(
            ty,
            p["name"].as_str().unwrap_or_default(),
            p["version"].as_str().unwrap_or_default(),
        );
        let want = p["layer"].as_u64();
        if ty == "deb" && want == Some(1) {
            deb_in_layer1 += 1;
        }
        if layer_of.get(&k).copied().flatten() != want {
            let got = layer_of.get(&k).copied().flatten();
            wrong.push((k, want, got));
        }
    }
    assert_eq!(
        deb_in_layer1, 88,
        "expected.json: 88 debs come from the base layer"
    );
    assert!(
        wrong.is_empty(),
        "(package, expected layer, reported layer): {wrong:#?}"
    );
}
