//! The OSV version-ordering suites (`shared/version-suites/*.txt`, from osv-scalibr
//! `semantic/testdata`): every comparison line must hold in both directions.
//!
//! Line format (see the suite README): `LEFT OP RIGHT` with OP in `<`, `=`, `>`; empty lines and
//! lines starting with `# ` or `// ` are skipped. `compare(L, R)` must give OP and
//! `compare(R, L)` its reverse. Each test reports every failing line at once.

use std::cmp::Ordering;

use sbom_match::version::{compare, Scheme};

fn op_of(op: &str) -> Option<Ordering> {
    match op {
        "<" => Some(Ordering::Less),
        "=" => Some(Ordering::Equal),
        ">" => Some(Ordering::Greater),
        _ => None,
    }
}

fn sym(o: Ordering) -> &'static str {
    match o {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    }
}

fn run_suite(file: &str, scheme: Scheme) {
    let Some(path) = sbom_model::testing::shared_path(&format!("version-suites/{file}")) else {
        return;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    };
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with("# ") || line.starts_with("// ") {
            continue;
        }
        let parts: Vec<&str> = line.split(' ').collect();
        let (left, op, right) = match parts.as_slice() {
            [l, o, r] => match op_of(o) {
                Some(op) => (*l, op, *r),
                None => {
                    failures.push(format!("line {}: bad operator: {line}", n + 1));
                    continue;
                }
            },
            _ => {
                failures.push(format!("line {}: not `LEFT OP RIGHT`: {line}", n + 1));
                continue;
            }
        };
        checked += 1;
        for (a, b, want) in [(left, right, op), (right, left, op.reverse())] {
            match compare(scheme, a, b) {
                Ok(got) if got == want => {}
                Ok(got) => failures.push(format!(
                    "line {}: {a} {} {b} expected, got {}",
                    n + 1,
                    sym(want),
                    sym(got)
                )),
                Err(e) => failures.push(format!("line {}: {e}", n + 1)),
            }
        }
    }
    assert!(checked > 0, "{file}: no comparison lines read");
    assert!(
        failures.is_empty(),
        "{file} under {scheme:?}: {} of {} checks failed:\n{}",
        failures.len(),
        checked * 2,
        failures.join("\n")
    );
}

macro_rules! suite {
    ($name:ident, $file:literal, $scheme:expr) => {
        #[test]
        fn $name() {
            run_suite($file, $scheme);
        }
    };
}

suite!(suite_debian_versions, "debian-versions.txt", Scheme::Dpkg);
suite!(
    suite_debian_versions_generated,
    "debian-versions-generated.txt",
    Scheme::Dpkg
);
suite!(suite_pub_versions, "pub-versions.txt", Scheme::Pub);
suite!(suite_pypi_versions, "pypi-versions.txt", Scheme::Pep440);
suite!(
    suite_pypi_versions_generated,
    "pypi-versions-generated.txt",
    Scheme::Pep440
);
suite!(suite_semver_versions, "semver-versions.txt", Scheme::Semver);
suite!(suite_semver_versions_go, "semver-versions.txt", Scheme::Go);
suite!(suite_alpine_versions, "alpine-versions.txt", Scheme::Apk);
suite!(
    suite_alpine_versions_generated,
    "alpine-versions-generated.txt",
    Scheme::Apk
);
suite!(suite_redhat_versions, "redhat-versions.txt", Scheme::Rpm);
suite!(suite_cran_versions, "cran-versions.txt", Scheme::Cran);
suite!(
    suite_cran_versions_generated,
    "cran-versions-generated.txt",
    Scheme::Cran
);
suite!(
    suite_hackage_versions,
    "hackage-versions.txt",
    Scheme::Hackage
);
suite!(suite_maven_versions, "maven-versions.txt", Scheme::Maven);
suite!(
    suite_maven_versions_generated,
    "maven-versions-generated.txt",
    Scheme::Maven
);
suite!(suite_nuget_versions, "nuget-versions.txt", Scheme::NuGet);
suite!(
    suite_packagist_versions,
    "packagist-versions.txt",
    Scheme::Packagist
);
suite!(
    suite_packagist_versions_generated,
    "packagist-versions-generated.txt",
    Scheme::Packagist
);
suite!(
    suite_rubygems_versions,
    "rubygems-versions.txt",
    Scheme::RubyGems
);
suite!(
    suite_rubygems_versions_generated,
    "rubygems-versions-generated.txt",
    Scheme::RubyGems
);
