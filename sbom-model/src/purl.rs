//! Package URLs (purl spec, ECMA-427, <https://github.com/package-url/purl-spec>): parse, build,
//! and the canonical string form.
//!
//! Follows the spec's `how-to-parse.md` / `how-to-build.md` and its test suite
//! (`tests/spec/specification-test.json`, `tests/types/*-test.json` at commit 16f3d0e):
//! - the type is lowercased and must match `[A-Za-z.+-][A-Za-z0-9.+-]*`;
//! - the version is split off at the last `@` that has no `/` after it (so
//!   `pkg:npm/@babel/core` has namespace `@babel` and no version);
//! - namespace segments, name, version, qualifier values and subpath segments are
//!   percent-decoded per RFC 3986 §2.1 (`+` is a literal plus, never a space);
//! - the canonical form keeps `A–Z a–z 0–9 . - _ ~ :` and percent-encodes everything else (so
//!   `@` → `%40`, `+` → `%2B`, `/` inside a qualifier value → `%2F`);
//! - qualifier keys are lowercase, sorted, and empty values dropped; subpath segments `.`, `..`
//!   and empty ones are removed;
//! - type-specific normalisation from `types/<type>-definition.json`: namespace / name / version
//!   lowercased where the definition says `case_sensitive: false`, and PyPI names get `_` → `-`.
//!   Go module paths are left as written (the golang definition marks them case sensitive).
//!
//! Two parse modes: [`Purl::parse_strict`] rejects what the spec's `parse` tests reject
//! (uppercase qualifier keys, a missing required namespace or a forbidden one), while
//! [`Purl::parse`] (used for SBOMs written by real tools) normalises those instead.

use std::collections::BTreeMap;
use std::fmt;

/// A parsed package URL. Components are stored decoded (no percent-escapes) and normalised for
/// their type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Purl {
    /// Lowercase type, e.g. `deb`, `pypi`, `npm`.
    pub ty: String,
    /// Namespace segments joined by `/`, decoded (e.g. `@babel`, `debian`, `org.apache.logging.log4j`).
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    /// Qualifier keys are lowercase; empty values are dropped.
    pub qualifiers: BTreeMap<String, String>,
    /// Subpath segments joined by `/`, decoded, without `.`/`..`/empty segments.
    pub subpath: Option<String>,
}

/// Why a string is not a valid purl.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid purl {input:?}: {reason}")]
pub struct PurlError {
    pub input: String,
    pub reason: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Req {
    Required,
    Prohibited,
    Optional,
}

/// Per-type rules from `purl-spec/types/<type>-definition.json`: (type, namespace requirement,
/// namespace lowercased, name lowercased, version lowercased).
const TYPE_RULES: &[(&str, Req, bool, bool, bool)] = &[
    ("alpm", Req::Required, true, true, false),
    ("apk", Req::Required, true, true, false),
    ("bazel", Req::Prohibited, false, false, false),
    ("bitbucket", Req::Required, true, true, false),
    ("bitnami", Req::Prohibited, false, true, false),
    ("brew", Req::Optional, true, true, false),
    ("cargo", Req::Prohibited, false, false, false),
    ("chrome-extension", Req::Prohibited, false, true, false),
    ("cocoapods", Req::Prohibited, false, false, false),
    ("composer", Req::Required, true, true, false),
    ("conan", Req::Optional, false, false, false),
    ("conda", Req::Prohibited, false, false, false),
    ("cpan", Req::Optional, false, false, false),
    ("cran", Req::Prohibited, false, false, false),
    ("deb", Req::Required, true, true, false),
    ("docker", Req::Optional, false, false, false),
    ("gem", Req::Prohibited, false, false, false),
    ("generic", Req::Optional, false, false, false),
    ("git", Req::Required, false, false, false),
    ("github", Req::Required, true, true, false),
    ("golang", Req::Required, false, false, false),
    ("hackage", Req::Prohibited, false, false, false),
    ("hex", Req::Optional, true, true, false),
    ("huggingface", Req::Required, false, false, true),
    ("julia", Req::Prohibited, false, false, false),
    ("luarocks", Req::Optional, true, true, false),
    ("maven", Req::Required, false, false, false),
    ("mlflow", Req::Prohibited, false, false, false),
    ("npm", Req::Optional, false, false, false),
    ("nuget", Req::Prohibited, false, false, false),
    ("oci", Req::Prohibited, false, true, true),
    ("opam", Req::Prohibited, false, false, false),
    ("otp", Req::Prohibited, false, true, false),
    ("pub", Req::Prohibited, false, true, false),
    ("pypi", Req::Prohibited, false, true, true),
    ("qpkg", Req::Required, true, false, false),
    ("rpm", Req::Required, true, false, false),
    ("swid", Req::Optional, false, false, false),
    ("swift", Req::Required, false, false, false),
    ("vcpkg", Req::Prohibited, false, false, false),
    ("vscode-extension", Req::Required, true, true, true),
    ("yocto", Req::Optional, true, false, false),
];

fn rule(ty: &str) -> Option<(Req, bool, bool, bool)> {
    TYPE_RULES
        .iter()
        .find(|r| r.0 == ty)
        .map(|r| (r.1, r.2, r.3, r.4))
}

/// Type-specific normalisation of a name.
fn normalize_name(ty: &str, name: &str) -> String {
    let lower = rule(ty).map(|r| r.2).unwrap_or(false);
    let mut n = if lower {
        name.to_lowercase()
    } else {
        name.to_string()
    };
    if ty == "pypi" {
        n = n.replace('_', "-");
    }
    n
}

fn normalize_namespace(ty: &str, ns: &str) -> String {
    if rule(ty).map(|r| r.1).unwrap_or(false) {
        ns.to_lowercase()
    } else {
        ns.to_string()
    }
}

fn normalize_version(ty: &str, v: &str) -> String {
    if rule(ty).map(|r| r.3).unwrap_or(false) {
        v.to_lowercase()
    } else {
        v.to_string()
    }
}

fn valid_type(ty: &str) -> bool {
    let mut chars = ty.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '.' || c == '+' || c == '-' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '+' || c == '-')
}

fn valid_qualifier_key(k: &str) -> bool {
    let mut chars = k.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '.' || c == '-' || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
}

/// Clean a subpath: split on `/`, drop empty, `.` and `..` segments.
fn clean_subpath<'a>(segs: impl Iterator<Item = &'a str>) -> Option<String> {
    let kept: Vec<&str> = segs
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .collect();
    if kept.is_empty() {
        None
    } else {
        Some(kept.join("/"))
    }
}

impl Purl {
    /// A purl with no version, qualifiers or subpath. The type is lowercased and the namespace
    /// and name normalised for the type (e.g. PyPI `Flask_SQLAlchemy` → `flask-sqlalchemy`).
    pub fn new(ty: &str, namespace: Option<&str>, name: &str) -> Self {
        let ty = ty.to_ascii_lowercase();
        let namespace = namespace
            .map(|ns| {
                ns.split('/')
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .filter(|ns| !ns.is_empty())
            .map(|ns| normalize_namespace(&ty, &ns));
        let name = normalize_name(&ty, name);
        Purl {
            ty,
            namespace,
            name,
            version: None,
            qualifiers: BTreeMap::new(),
            subpath: None,
        }
    }

    /// Set the version (normalised for the type; empty means none).
    pub fn with_version(mut self, v: &str) -> Self {
        self.version = if v.is_empty() {
            None
        } else {
            Some(normalize_version(&self.ty, v))
        };
        self
    }

    /// Add a qualifier (key lowercased; an empty value is dropped).
    pub fn with_qualifier(mut self, k: &str, v: &str) -> Self {
        if !v.is_empty() {
            self.qualifiers
                .insert(k.to_ascii_lowercase(), v.to_string());
        }
        self
    }

    /// Set the subpath (cleaned of empty, `.` and `..` segments).
    pub fn with_subpath(mut self, sp: &str) -> Self {
        self.subpath = clean_subpath(sp.split('/'));
        self
    }

    /// Build a purl from decoded parts, validating them as the spec's `build` tests do: the type
    /// must be valid, the name non-empty, qualifier keys `[a-z.-_][a-z0-9.-_]*` (case-insensitive),
    /// the namespace present / absent as the type definition requires.
    ///
    /// # Errors
    /// [`PurlError`] with `input` = the parts as debug text.
    pub fn build(
        ty: &str,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
        qualifiers: &[(&str, &str)],
        subpath: Option<&str>,
    ) -> Result<Self, PurlError> {
        let err = |r: &str| PurlError {
            input: format!("{ty}/{namespace:?}/{name}@{version:?}?{qualifiers:?}#{subpath:?}"),
            reason: r.to_string(),
        };
        if !valid_type(ty) {
            return Err(err("invalid type"));
        }
        let mut p = Purl::new(ty, namespace, name);
        if p.name.is_empty() {
            return Err(err("no name"));
        }
        check_namespace(&p).map_err(|r| err(&r))?;
        if let Some(v) = version {
            p = p.with_version(v);
        }
        for (k, v) in qualifiers {
            if !valid_qualifier_key(k) {
                return Err(err(&format!("invalid qualifier key {k:?}")));
            }
            p = p.with_qualifier(k, v);
        }
        if let Some(sp) = subpath {
            p = p.with_subpath(sp);
        }
        Ok(p)
    }

    /// Parse a purl as real tools write it: like [`Purl::parse_strict`] but uppercase qualifier
    /// keys are lowercased, and a missing (or unexpected) namespace is accepted (syft writes
    /// `pkg:golang/stdlib@…`). Everything is normalised for the type.
    ///
    /// # Errors
    /// [`PurlError`] when there is no `pkg:` scheme, no valid type, no name, or a qualifier
    /// without `=` or with an invalid key.
    pub fn parse(s: &str) -> Result<Self, PurlError> {
        parse_impl(s, false)
    }

    /// Parse a purl the way the spec's conformance (`required`) parse tests demand: in addition
    /// to [`Purl::parse`]'s checks, qualifier keys must already be lowercase and unique, and the
    /// namespace must be present (or absent) as `types/<type>-definition.json` requires.
    ///
    /// # Errors
    /// [`PurlError`] naming the first violated rule.
    pub fn parse_strict(s: &str) -> Result<Self, PurlError> {
        parse_impl(s, true)
    }

    /// The canonical string (same as `Display`).
    pub fn canonical(&self) -> String {
        self.to_string()
    }
}

fn check_namespace(p: &Purl) -> Result<(), String> {
    match rule(&p.ty).map(|r| r.0) {
        Some(Req::Required) if p.namespace.is_none() => {
            Err(format!("type {} requires a namespace", p.ty))
        }
        Some(Req::Prohibited) if p.namespace.is_some() => {
            Err(format!("type {} has no namespace", p.ty))
        }
        _ => Ok(()),
    }
}

fn parse_impl(s: &str, strict: bool) -> Result<Purl, PurlError> {
    let err = |r: &str| PurlError {
        input: s.to_string(),
        reason: r.to_string(),
    };
    let input = s.trim();
    // Scheme.
    let (scheme, rest) = input
        .split_once(':')
        .ok_or_else(|| err("does not start with pkg:"))?;
    if !scheme.eq_ignore_ascii_case("pkg") {
        return Err(err("does not start with pkg:"));
    }
    let rest = rest.trim_start_matches('/');
    // Subpath: right of the first '#'.
    let (rest, subpath_raw) = match rest.split_once('#') {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    // Qualifiers: right of the first '?'.
    let (rest, quals_raw) = match rest.split_once('?') {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    // Type.
    let (ty, rest) = rest
        .split_once('/')
        .ok_or_else(|| err("no type (or no name after the type)"))?;
    if !valid_type(ty) {
        return Err(err("invalid type"));
    }
    let ty = ty.to_ascii_lowercase();
    let rest = rest.trim_matches('/');
    // Version: after the last '@' that has no '/' after it.
    let (path, version) = match rest.rfind('@') {
        Some(i) if !rest[i..].contains('/') => (&rest[..i], Some(decode(&rest[i + 1..]))),
        _ => (rest, None),
    };
    let path = path.trim_end_matches('/');
    let mut segs: Vec<String> = path
        .split('/')
        .filter(|p| !p.is_empty())
        .map(decode)
        .collect();
    let name = segs.pop().ok_or_else(|| err("no name"))?;
    if name.is_empty() {
        return Err(err("no name"));
    }
    let namespace = if segs.is_empty() {
        None
    } else {
        Some(normalize_namespace(&ty, &segs.join("/")))
    };
    let mut qualifiers = BTreeMap::new();
    if let Some(q) = quals_raw {
        for kv in q.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| err("qualifier without ="))?;
            if !valid_qualifier_key(k) {
                return Err(err(&format!("invalid qualifier key {k:?}")));
            }
            if strict && k.chars().any(|c| c.is_ascii_uppercase()) {
                return Err(err(&format!("qualifier key {k:?} is not lowercase")));
            }
            let k = k.to_ascii_lowercase();
            let v = decode(v);
            if qualifiers.contains_key(&k) {
                if strict {
                    return Err(err(&format!("duplicate qualifier key {k:?}")));
                }
                continue;
            }
            if !v.is_empty() {
                qualifiers.insert(k, v);
            }
        }
    }
    let subpath = subpath_raw.and_then(|sp| {
        let decoded: Vec<String> = sp.split('/').map(decode).collect();
        clean_subpath(decoded.iter().map(String::as_str))
    });
    let p = Purl {
        name: normalize_name(&ty, &name),
        version: version
            .filter(|v| !v.is_empty())
            .map(|v| normalize_version(&ty, &v)),
        ty,
        namespace,
        qualifiers,
        subpath,
    };
    if strict {
        check_namespace(&p).map_err(|r| err(&r))?;
    }
    Ok(p)
}

/// The canonical form of a purl string as real tools write it (see [`Purl::parse`]).
///
/// # Errors
/// [`PurlError`] when `s` is not a purl.
pub fn canonical(s: &str) -> Result<String, PurlError> {
    Purl::parse(s).map(|p| p.to_string())
}

/// Percent-decode (RFC 3986 §2.1: `+` stays a plus). Invalid UTF-8 is replaced, never a panic.
fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Everything but `A–Z a–z 0–9 . - _ ~ :` is encoded.
const ENC: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, ENC).to_string()
}

impl fmt::Display for Purl {
    /// The canonical string: `pkg:type/ns1/ns2/name@version?k1=v1&k2=v2#sub/path`, each part
    /// normalised for the type and percent-encoded as the spec's test suite expects.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ty = self.ty.to_ascii_lowercase();
        write!(f, "pkg:{ty}/")?;
        if let Some(ns) = &self.namespace {
            for seg in normalize_namespace(&ty, ns)
                .split('/')
                .filter(|p| !p.is_empty())
            {
                write!(f, "{}/", enc(seg))?;
            }
        }
        write!(f, "{}", enc(&normalize_name(&ty, &self.name)))?;
        if let Some(v) = self.version.as_deref().filter(|v| !v.is_empty()) {
            write!(f, "@{}", enc(&normalize_version(&ty, v)))?;
        }
        let mut first = true;
        for (k, v) in &self.qualifiers {
            if v.is_empty() {
                continue;
            }
            write!(
                f,
                "{}{}={}",
                if first { "?" } else { "&" },
                k.to_ascii_lowercase(),
                enc(v)
            )?;
            first = false;
        }
        if let Some(sp) = self
            .subpath
            .as_deref()
            .and_then(|sp| clean_subpath(sp.split('/')))
        {
            write!(
                f,
                "#{}",
                sp.split('/').map(enc).collect::<Vec<_>>().join("/")
            )?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Purl {
    type Err = PurlError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Purl::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_split_at_last_at_without_slash() {
        let p = Purl::parse("pkg:npm/@angular/animations@12.3.1").expect("parses");
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(p.name, "animations");
        assert_eq!(p.version.as_deref(), Some("12.3.1"));
        let p = Purl::parse("pkg:npm/@babel/core").expect("parses");
        assert_eq!(p.version, None);
        assert_eq!(p.namespace.as_deref(), Some("@babel"));
    }

    #[test]
    fn plus_is_literal() {
        let p = Purl::parse("pkg:deb/debian/curl@7.88.1-10+deb12u4").expect("parses");
        assert_eq!(p.version.as_deref(), Some("7.88.1-10+deb12u4"));
        assert_eq!(p.to_string(), "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u4");
    }

    #[test]
    fn new_normalises_pypi() {
        let p = Purl::new("PyPI", None, "Flask_SQLAlchemy").with_version("3.0.0");
        assert_eq!(p.to_string(), "pkg:pypi/flask-sqlalchemy@3.0.0");
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "pkg:",
            "pkg:/",
            "pkg:a/",
            "pkg:a/@",
            "pkg:a/b@",
            "pkg:a/b?=",
            "pkg:a/b?k",
            "pkg:a/%ff%",
        ] {
            let _ = Purl::parse(s);
            let _ = Purl::parse_strict(s);
        }
    }
}
