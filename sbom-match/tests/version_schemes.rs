//! Hand-picked ordering and error cases per scheme, with the expected answers taken from each
//! scheme's spec or tool (cited per test).

use std::cmp::Ordering::{self, Equal, Greater, Less};

use sbom_match::version::{compare, Scheme, Version};

fn check(scheme: Scheme, cases: &[(&str, Ordering, &str)]) {
    let mut failures = Vec::new();
    for &(a, want, b) in cases {
        match compare(scheme, a, b) {
            Ok(got) if got == want => {}
            other => failures.push(format!("{a} vs {b}: want {want:?}, got {other:?}")),
        }
        match compare(scheme, b, a) {
            Ok(got) if got == want.reverse() => {}
            other => failures.push(format!(
                "{b} vs {a}: want {:?}, got {other:?}",
                want.reverse()
            )),
        }
    }
    assert!(failures.is_empty(), "{scheme:?}:\n{}", failures.join("\n"));
}

fn rejects(scheme: Scheme, inputs: &[&str]) {
    for s in inputs {
        assert!(
            Version::parse(scheme, s).is_err(),
            "{scheme:?} accepted {s:?}"
        );
    }
}

#[test]
fn version_keeps_input_and_scheme() {
    let v = Version::parse(Scheme::Dpkg, "1:2.3-4").expect("valid dpkg version");
    assert_eq!(v.as_str(), "1:2.3-4");
    assert_eq!(v.scheme(), Scheme::Dpkg);
}

#[test]
fn ecosystem_names() {
    assert_eq!(Scheme::for_ecosystem("Debian:12"), Some(Scheme::Dpkg));
    assert_eq!(Scheme::for_ecosystem("Alpine:v3.19"), Some(Scheme::Apk));
    assert_eq!(Scheme::for_ecosystem("npm"), Some(Scheme::Semver));
    assert_eq!(Scheme::for_ecosystem("Pub"), Some(Scheme::Pub));
    assert_eq!(Scheme::for_ecosystem("PyPI"), Some(Scheme::Pep440));
    assert_eq!(
        Scheme::for_ecosystem("Red Hat:enterprise_linux:9::baseos"),
        Some(Scheme::Rpm)
    );
    assert_eq!(
        Scheme::for_ecosystem("Ubuntu:22.04:LTS"),
        Some(Scheme::Dpkg)
    );
    assert_eq!(Scheme::for_ecosystem("Azure Linux:3"), Some(Scheme::Rpm));
    assert_eq!(Scheme::for_ecosystem("Go"), Some(Scheme::Go));
    assert_eq!(Scheme::for_ecosystem("Maven"), Some(Scheme::Maven));
    assert_eq!(Scheme::for_ecosystem("NoSuchEcosystem"), None);
    assert_eq!(Scheme::for_ecosystem("GIT"), None);
}

/// Debian Policy §5.6.12: `~` sorts before everything, even the end; letters before
/// non-letters; an absent epoch is 0; an absent revision equals `0`.
#[test]
fn dpkg_policy_examples() {
    check(
        Scheme::Dpkg,
        &[
            ("1.0~rc1", Less, "1.0"),
            ("1.0~~", Less, "1.0~"),
            ("1.0~", Less, "1.0"),
            ("1.0", Less, "1.0a"),
            ("1.0a", Less, "1.0+"),
            ("1.0", Equal, "0:1.0"),
            ("1.0", Equal, "1.0-0"),
            ("1:0.1", Greater, "99.9"),
            ("1.0-1", Less, "1.0-1+deb12u1"),
            ("1.10", Greater, "1.9"),
        ],
    );
    rejects(Scheme::Dpkg, &["", "a:1.0", ":1.0", "1.0 beta", "1.0_1"]);
}

/// PEP 440 "Summary of permitted suffixes and relative ordering" and normalisation rules.
#[test]
fn pep440_examples() {
    check(
        Scheme::Pep440,
        &[
            ("3.2", Equal, "3.2.0"),
            ("1.0.dev0", Less, "1.0a1"),
            ("1.0a1", Less, "1.0b1"),
            ("1.0b1", Less, "1.0rc1"),
            ("1.0rc1", Less, "1.0"),
            ("1.0", Less, "1.0.post1"),
            ("1.0", Less, "1.0+local"),
            ("1.0C1", Equal, "1.0rc1"),
            ("1!0.1", Greater, "99"),
            ("v1.0", Equal, "1.0"),
        ],
    );
    rejects(Scheme::Pep440, &["", " ", "1.0 beta"]);
}

/// SemVer 2.0.0 §11 precedence examples, plus build metadata ignored (§10).
#[test]
fn semver_spec_examples() {
    check(
        Scheme::Semver,
        &[
            ("1.0.0-alpha", Less, "1.0.0-alpha.1"),
            ("1.0.0-alpha.1", Less, "1.0.0-alpha.beta"),
            ("1.0.0-beta.2", Less, "1.0.0-beta.11"),
            ("1.0.0-rc.1", Less, "1.0.0"),
            ("1.0.0+build.1", Equal, "1.0.0+build.2"),
            ("v1.2.3", Equal, "=1.2.3"),
            ("2.0.0", Greater, "1.99.99"),
        ],
    );
    rejects(
        Scheme::Semver,
        &[
            "",
            "abc",
            "v",
            "=",
            "x1.0.0",
            "1.0.0 beta",
            "\u{0}",
            "1.x",
            "1.2.*",
            "1.0.0-",
            "1.0.0-a..b",
            "1.0.0+",
            "1.0.0-a_b",
            "^1.2.3",
            ">=1.0.0",
        ],
    );
}

/// Go: module versions, pseudo-versions, `+incompatible`, toolchain versions converted as the
/// Go vulnerability database does (`1.21rc2` → `1.21.0-rc.2`).
#[test]
fn go_versions() {
    check(
        Scheme::Go,
        &[
            ("v0.0.0-20210615035016-665e8c7367d1", Less, "v0.0.1"),
            (
                "v0.0.0-20210615035016-665e8c7367d1",
                Greater,
                "v0.0.0-20200101000000-aaaaaaaaaaaa",
            ),
            ("v1.2.4-0.20191109021931-daa7c04131f5", Less, "v1.2.4"),
            ("v1.2.4-0.20191109021931-daa7c04131f5", Greater, "v1.2.3"),
            ("v2.0.0+incompatible", Equal, "v2.0.0"),
            ("go1.19.8", Equal, "1.19.8"),
            ("v1.19.8", Equal, "1.19.8"),
            ("1.21", Equal, "1.21.0"),
            ("1.21rc2", Equal, "1.21.0-rc.2"),
            ("go1.21rc2", Less, "go1.21.0"),
            ("go1.21rc10", Greater, "go1.21rc2"),
            ("go1.20beta1", Less, "go1.20rc1"),
            ("go1.20", Greater, "go1.20rc1"),
        ],
    );
    rejects(Scheme::Go, &["", "go", "vgarbage", "latest"]);
}

/// Pub orders build metadata (pub_semver `Version.compareTo`).
#[test]
fn pub_orders_build() {
    check(
        Scheme::Pub,
        &[
            ("1.0.0", Less, "1.0.0+1"),
            ("1.0.0+1", Less, "1.0.0+a"),
            ("1.0.0-a", Less, "1.0.0"),
        ],
    );
}

/// apk-tools version rules (apk-package(5) "pkgver"; apk-tools tests/version.data).
#[test]
fn apk_examples() {
    check(
        Scheme::Apk,
        &[
            ("1.2_rc1", Less, "1.2"),
            ("1.2_alpha", Less, "1.2_beta"),
            ("1.2_beta", Less, "1.2_pre"),
            ("1.2_pre", Less, "1.2_rc"),
            ("1.2", Less, "1.2_cvs"),
            ("1.2_cvs", Less, "1.2_svn"),
            ("1.2_svn", Less, "1.2_git"),
            ("1.2_git", Less, "1.2_hg"),
            ("1.2_hg", Less, "1.2_p1"),
            ("1.2-r1", Less, "1.2-r10"),
            ("1.2", Equal, "1.2-r0"),
            ("1.2a", Greater, "1.2"),
            ("1.2a", Less, "1.2.1"),
            ("1.05", Less, "1.1"),
            ("1.10", Greater, "1.9"),
            ("2.0~abc123-r0", Equal, "2.0-r0"),
        ],
    );
    rejects(Scheme::Apk, &["", "1.0 r1", "1.\u{e9}"]);
}

/// rpmvercmp (rpm 4.18 rpmio/rpmvercmp.c; rpm docs "dependencies": tilde and caret).
#[test]
fn rpm_examples() {
    check(
        Scheme::Rpm,
        &[
            ("1.0~rc1", Less, "1.0"),
            ("1.0", Less, "1.0^git1"),
            ("1.0^git1", Less, "1.0.1"),
            ("1.0a", Greater, "1.0"),
            ("1.0.1", Greater, "1.0a"),
            ("2.0", Less, "10.0"),
            ("1:1.0", Greater, "2.0"),
            ("0:1.0-1", Equal, "1.0-1"),
            ("1.0-1.el8", Less, "1.0-2.el8"),
            ("1.0-1.el8_1", Greater, "1.0-1.el8"),
            ("1.0-001", Equal, "1.0-1"),
        ],
    );
    rejects(Scheme::Rpm, &["", "1.0 1", "1.0\n"]);
}

/// Maven POM reference, "Version Order Specification" examples (those Maven's
/// ComparableVersion agrees with).
#[test]
fn maven_spec_examples() {
    check(
        Scheme::Maven,
        &[
            ("1", Less, "1.1"),
            ("1-snapshot", Less, "1"),
            ("1", Less, "1-sp"),
            ("1-foo2", Less, "1-foo10"),
            ("1-1", Less, "1.1"),
            ("1.ga", Equal, "1"),
            ("1-ga", Equal, "1"),
            ("1-0", Equal, "1"),
            ("1.0", Equal, "1"),
            ("1-sp", Greater, "1-ga"),
            ("1-sp.1", Greater, "1-ga.1"),
            ("1-sp-1", Less, "1-ga-1"),
            ("1-ga-1", Equal, "1-1"),
            ("1-a1", Equal, "1-alpha-1"),
            ("1.0-alpha1", Less, "1.0-beta1"),
            ("1.0-beta1", Less, "1.0-milestone1"),
            ("1.0-milestone1", Less, "1.0-rc1"),
            ("1.0-rc1", Equal, "1.0-cr1"),
            ("1.0-rc1", Less, "1.0-SNAPSHOT"),
            ("1.0-SNAPSHOT", Less, "1.0"),
            ("1.0", Less, "1.0-sp1"),
            ("1.0.RELEASE", Equal, "1.0"),
            ("2.0.1-xyz", Less, "2.0.1-123"),
        ],
    );
    rejects(Scheme::Maven, &["", "1.0 beta", "1.0\u{e9}"]);
}

/// `Gem::Version` documentation: a letter makes a prerelease, trailing zeros don't count.
#[test]
fn rubygems_examples() {
    check(
        Scheme::RubyGems,
        &[
            ("1.0.a", Less, "1.0.b"),
            ("1.0.b", Less, "1.0"),
            ("1.0", Equal, "1"),
            ("1.0.0", Equal, "1"),
            ("1.8.2.a", Less, "1.8.2"),
            ("2.0.0.rc1", Less, "2.0.0"),
            ("2.0.0.rc1", Greater, "2.0.0.beta2"),
            ("1.0-beta", Less, "1.0"),
            ("1.0-beta", Equal, "1.0.pre.beta"),
            ("1.10", Greater, "1.9"),
            ("1.0.a10", Greater, "1.0.a9"),
        ],
    );
    rejects(Scheme::RubyGems, &["", "abc", "1 0", "1.0_1", "v1.0"]);
}

/// NuGet package-versioning docs: four parts, case-insensitive prerelease, leading zeros and
/// metadata ignored.
#[test]
fn nuget_examples() {
    check(
        Scheme::NuGet,
        &[
            ("1.0.0-alpha", Less, "1.0.0-beta"),
            ("1.0.0-BETA", Equal, "1.0.0-beta"),
            ("1.0.0-beta", Less, "1.0.0"),
            ("1.0.0.1", Greater, "1.0.0"),
            ("1.0", Equal, "1.0.0.0"),
            ("1.01", Equal, "1.1"),
            ("1.0.0+build", Equal, "1.0.0"),
            ("1.0.0-rc.2", Less, "1.0.0-rc.10"),
        ],
    );
    rejects(Scheme::NuGet, &["", "a", "1.0.0.0.0", "1.0 beta"]);
}

/// PHP `version_compare` documentation: dev < alpha < beta < RC < (release) < pl.
#[test]
fn packagist_examples() {
    check(
        Scheme::Packagist,
        &[
            ("1.0.0-dev", Less, "1.0.0-alpha"),
            ("1.0.0-alpha", Less, "1.0.0-beta"),
            ("1.0.0-beta", Less, "1.0.0-RC1"),
            ("1.0.0-RC1", Less, "1.0.0"),
            ("1.0.0", Less, "1.0.0-pl1"),
            ("1.0.0-patch1", Equal, "1.0.0-pl1"),
            ("5.2", Less, "5.2.0"),
            ("1.0rc1", Equal, "1.0-RC1"),
            ("v1.0.0", Equal, "1.0.0"),
            ("1.10", Greater, "1.9"),
        ],
    );
    rejects(Scheme::Packagist, &["", "1.0 beta"]);
}

/// R `compareVersion` / `package_version`: `.` and `-` are the same, numbers compare
/// numerically, more parts are newer.
#[test]
fn cran_examples() {
    check(
        Scheme::Cran,
        &[
            ("1.0-1", Equal, "1.0.1"),
            ("0.9", Less, "0.75"),
            ("1.0", Less, "1.0.0"),
            ("1.0-10", Greater, "1.0-9"),
        ],
    );
    rejects(Scheme::Cran, &["", "1.0a", "1..0", "1.0-", "v1.0"]);
}

/// PVP: numeric components, lexicographic.
#[test]
fn hackage_examples() {
    check(
        Scheme::Hackage,
        &[
            ("1.0", Less, "1.0.0"),
            ("1.2", Less, "1.10"),
            ("2", Greater, "1.99.99"),
        ],
    );
    rejects(Scheme::Hackage, &["", "1.0-beta", "1..0", "v1"]);
}

/// The error carries the scheme, the input and a reason.
#[test]
fn error_names_scheme_and_input() {
    match Version::parse(Scheme::Semver, "not-a-version") {
        Err(e) => {
            assert_eq!(e.scheme, Scheme::Semver);
            assert_eq!(e.input, "not-a-version");
            assert!(!e.reason.is_empty());
        }
        Ok(v) => panic!("accepted {:?}", v.as_str()),
    }
}

/// OSV ranges start with `introduced: "0"` (OSV schema, `events`): it must parse under every
/// scheme and sort before ordinary versions. (It is still the version 0: under SemVer
/// `0 == 0.0.0 > 0.0.0-pre`, so the matcher treats `introduced: "0"` as "from the start".)
#[test]
fn introduced_zero_parses_everywhere() {
    let samples: [(Scheme, &str); 13] = [
        (Scheme::Semver, "0.0.1"),
        (Scheme::Pub, "0.0.1-dev"),
        (Scheme::Go, "v0.0.1-20210615035016-665e8c7367d1"),
        (Scheme::Pep440, "0.0.1.dev0"),
        (Scheme::Dpkg, "0.1-1"),
        (Scheme::Apk, "0.1_alpha"),
        (Scheme::Rpm, "0.1-1.el9"),
        (Scheme::Maven, "0.1"),
        (Scheme::RubyGems, "0.1"),
        (Scheme::NuGet, "0.0.0.1"),
        (Scheme::Packagist, "0.1"),
        (Scheme::Cran, "0.1-1"),
        (Scheme::Hackage, "0.0.1"),
    ];
    for (scheme, v) in samples {
        assert_eq!(compare(scheme, "0", v), Ok(Less), "{scheme:?}: 0 vs {v}");
    }
}

/// SemVer §11: `0.0.0-x < 0.0.0`, so the literal version `0` is not below every version.
#[test]
fn zero_is_not_a_floor_under_semver() {
    assert_eq!(
        compare(Scheme::Go, "0", "v0.0.0-20210615035016-665e8c7367d1"),
        Ok(Greater)
    );
    assert_eq!(compare(Scheme::Semver, "0", "0.0.0-alpha"), Ok(Greater));
}
