//! Property tests: for each scheme, versions generated from that scheme's grammar are totally
//! ordered (reflexive, antisymmetric, transitive, `==` agreeing with `cmp`), and parsing any
//! string never panics.

use std::cmp::Ordering;

use proptest::prelude::*;
use sbom_match::version::{Scheme, Version};

const ALL: [Scheme; 13] = [
    Scheme::Semver,
    Scheme::Go,
    Scheme::Pep440,
    Scheme::Dpkg,
    Scheme::Apk,
    Scheme::Rpm,
    Scheme::Maven,
    Scheme::RubyGems,
    Scheme::NuGet,
    Scheme::Packagist,
    Scheme::Cran,
    Scheme::Hackage,
    Scheme::Pub,
];

/// A regex describing (a useful part of) each scheme's grammar. Small digit ranges make equal
/// and nearly-equal versions common, which is where ordering bugs hide.
fn grammar(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Semver | Scheme::Pub => {
            "[v=]?[0-2](\\.[0-2]){0,3}(-[0-2a-cA]{1,2}(\\.[0-2a-c]{1,2}){0,2})?(\\+[0-2a-c]{1,2}(\\.[0-2a-c]){0,1})?"
        }
        Scheme::Go => {
            "(v[0-2]\\.[0-2]\\.[0-2](-0\\.2021061[0-2]-[0-9a-f]{2}|-[0-2ab]{1,2}(\\.[0-2]){0,1})?(\\+incompatible)?|go1(\\.[0-2]{1,2}){0,2}((rc|beta)[0-9]{1,2})?)"
        }
        Scheme::Pep440 => {
            "(([0-1]!)?[0-2](\\.[0-2]){0,2}((a|b|rc|c)[0-2])?(\\.post[0-2])?(\\.dev[0-2])?(\\+[a-b0-2]{1,2}(\\.[a-b0-2]){0,1})?|[0-2]\\.[0-2]-[a-c]{1,3}|[0-2]\\.[0-2]\\.[a-c]{2,4}x)"
        }
        Scheme::Dpkg => "([0-1]:)?[0-2][0-2a-b.+~]{0,4}(-[0-2a-b.+~]{1,3})?",
        Scheme::Apk => {
            "[1-2](\\.(0|[1-2][0-2]?)){0,2}[a-b]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-2]?){0,2}(~[0-9a-f]{1,2})?(-r[0-2])?"
        }
        Scheme::Rpm => "([0-1]:)?[0-2a-b.~^_]{1,5}(-[0-2a-b.~^]{1,4})?",
        Scheme::Maven => {
            // Qualifiers only after `-` or a digit: where a `.qualifier` meets a `-` token,
            // ComparableVersion itself is not transitive (see maven.rs).
            "[0-2]{1,2}(\\.[0-2]{1,2}|-?(alpha|beta|milestone|rc|cr|snapshot|ga|final|release|sp|a|b|m|foo|[a-c]{1,2})[0-2]?|-[0-2]{1,2}){0,4}"
        }
        Scheme::RubyGems => "[0-2]{1,2}(\\.([0-2]{1,2}|[a-c]{1,2}[0-2]?)){0,4}(-[a-c0-2]{1,2})?",
        Scheme::NuGet => {
            "[0-2]{1,2}(\\.[0-2]{1,2}){0,3}(-[0-2a-bA-B]{1,2}(\\.[0-2a-b]{1,2}){0,2})?(\\+[0-2a-b]{1,2})?"
        }
        Scheme::Packagist => {
            "v?[0-2](\\.[0-2]){0,3}([-_.+]?(dev|alpha|a|beta|b|RC|rc|patch|pl|p|foo)[0-2]?){0,2}"
        }
        Scheme::Cran => "[0-2]{1,2}([.-][0-2]{1,2}){0,4}",
        Scheme::Hackage => "[0-2]{1,2}(\\.[0-2]{1,2}){0,4}",
    }
}

fn versions(scheme: Scheme) -> impl Strategy<Value = Vec<String>> {
    let re = grammar(scheme);
    proptest::collection::vec(
        proptest::string::string_regex(re).unwrap_or_else(|e| panic!("{re}: {e}")),
        6,
    )
}

/// Check the total-order laws on a list of versions; returns a description of the first
/// violation.
fn order_laws(scheme: Scheme, raw: &[String]) -> Result<(), String> {
    let mut vs = Vec::new();
    for s in raw {
        match Version::parse(scheme, s) {
            Ok(v) => vs.push(v),
            Err(e) => return Err(format!("grammar-generated {s:?} rejected: {e}")),
        }
    }
    for a in &vs {
        if a.cmp(a) != Ordering::Equal {
            return Err(format!("{} != itself", a.as_str()));
        }
        for b in &vs {
            let ab = a.cmp(b);
            if ab != b.cmp(a).reverse() {
                return Err(format!(
                    "not antisymmetric: {} vs {}",
                    a.as_str(),
                    b.as_str()
                ));
            }
            if (a == b) != (ab == Ordering::Equal) {
                return Err(format!(
                    "== disagrees with cmp: {} vs {}",
                    a.as_str(),
                    b.as_str()
                ));
            }
            for c in &vs {
                let bc = b.cmp(c);
                let ac = a.cmp(c);
                if ab != Ordering::Greater && bc != Ordering::Greater {
                    let want_eq = ab == Ordering::Equal && bc == Ordering::Equal;
                    let ok = if want_eq {
                        ac == Ordering::Equal
                    } else {
                        ac == Ordering::Less
                    };
                    if !ok {
                        return Err(format!(
                            "not transitive: {} {ab:?} {}, {} {bc:?} {}, but {} {ac:?} {}",
                            a.as_str(),
                            b.as_str(),
                            b.as_str(),
                            c.as_str(),
                            a.as_str(),
                            c.as_str()
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

macro_rules! order_prop {
    ($name:ident, $scheme:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]
            #[test]
            fn $name(raw in versions($scheme)) {
                if let Err(e) = order_laws($scheme, &raw) {
                    prop_assert!(false, "{:?}: {}", $scheme, e);
                }
            }
        }
    };
}

order_prop!(total_order_semver, Scheme::Semver);
order_prop!(total_order_pub, Scheme::Pub);
order_prop!(total_order_go, Scheme::Go);
order_prop!(total_order_pep440, Scheme::Pep440);
order_prop!(total_order_dpkg, Scheme::Dpkg);
order_prop!(total_order_apk, Scheme::Apk);
order_prop!(total_order_rpm, Scheme::Rpm);
order_prop!(total_order_maven, Scheme::Maven);
order_prop!(total_order_rubygems, Scheme::RubyGems);
order_prop!(total_order_nuget, Scheme::NuGet);
order_prop!(total_order_packagist, Scheme::Packagist);
order_prop!(total_order_cran, Scheme::Cran);
order_prop!(total_order_hackage, Scheme::Hackage);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Any string: parsing under any scheme returns (Ok or Err) without panicking, and
    /// whatever parses compares antisymmetrically.
    #[test]
    fn parse_never_panics_on_any_string(a in any::<String>(), b in any::<String>()) {
        for scheme in ALL {
            let (va, vb) = (Version::parse(scheme, &a), Version::parse(scheme, &b));
            if let (Ok(x), Ok(y)) = (va, vb) {
                prop_assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
            }
        }
    }

    /// Version-like junk (the characters versions are made of, in any order).
    #[test]
    fn parse_never_panics_on_version_like_junk(
        a in "[0-9a-zA-Z.+~^_:!=v-]{0,16}",
        b in "[0-9a-zA-Z.+~^_:!=v-]{0,16}",
    ) {
        for scheme in ALL {
            let (va, vb) = (Version::parse(scheme, &a), Version::parse(scheme, &b));
            if let (Ok(x), Ok(y)) = (va, vb) {
                prop_assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
                prop_assert_eq!(x.cmp(&x), Ordering::Equal);
            }
        }
    }
}

#[test]
fn empty_string_is_an_error_everywhere() {
    for scheme in ALL {
        assert!(
            Version::parse(scheme, "").is_err(),
            "{scheme:?} accepted the empty string"
        );
    }
}
