//! Handed cases (`../shared/cases/<ID>/`), each run through the real binary with a fresh
//! database, compared with the case's `expected.json` (see `common/mod.rs`).

mod common;

use common::{check, run_case};

/// Run a case and check every part of it, or only the purl types listed.
fn case(id: &str, types: Option<&[&str]>) {
    let Some((expected, run, _tmp)) = run_case(id, &[]) else {
        return;
    };
    check(&expected, &run, types);
}

#[test]
fn case_a01_dpkg_ordering() {
    case("A01", None);
}

#[test]
fn case_a06_pep440_equality() {
    case("A06", None);
}

#[test]
fn case_b02_withdrawn_last_affected() {
    case("B02", None);
}

#[test]
fn case_b03_one_finding_smallest_fixed() {
    case("B03", None);
}

#[test]
fn case_b05_debian_source_package() {
    case("B05", None);
}

#[test]
fn case_a04_go_versions() {
    case("A04", None);
}

#[test]
fn case_a05_rpm_epoch() {
    case("A05", None);
}

#[test]
fn case_b01_alias_merge() {
    case("B01", None);
}

#[test]
fn case_b04_severity() {
    case("B04", None);
}

#[test]
fn case_c01_nested_components_distro_from_metadata() {
    case("C01", None);
}

#[test]
fn case_c05_purl_encodings() {
    case("C05", None);
}

#[test]
fn case_a03_maven_qualifiers() {
    case("A03", None);
}

#[test]
fn case_c02_spdx_package_manager_refs() {
    case("C02", None);
}

#[test]
fn case_c04_cyclonedx_xml_prefixed_namespace() {
    case("C04", None);
}

#[test]
fn case_c07_trivy_source_properties() {
    case("C07", None);
}

#[test]
fn case_c08_sloppy_sbom() {
    case("C08", None);
}

/// The checker itself must catch a wrong answer: B05 scanned as Debian 11 finds the Debian:11
/// record and loses the Debian:12 ones, so the comparison must fail.
#[test]
fn case_check_rejects_a_wrong_answer() {
    let Some((expected, run, _tmp)) = run_case("B05", &["--distro", "debian-11"]) else {
        return;
    };
    let r = std::panic::catch_unwind(|| check(&expected, &run, None));
    assert!(r.is_err(), "check accepted a wrong report");
}
