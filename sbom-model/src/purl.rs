//! Package URLs (purl spec, <https://github.com/package-url/purl-spec>): parse, build, and the
//! canonical string form (type-specific name normalisation, qualifiers sorted by key,
//! percent-encoding as the spec's test suite expects).
//!
//! STUB: minimal implementation; the formats work replaces it with one that passes
//! `../shared/purl/tests`.

use std::collections::BTreeMap;
use std::fmt;

/// A parsed package URL. Components are stored decoded (no percent-escapes).
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
    pub subpath: Option<String>,
}

/// Why a string is not a valid purl.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid purl {input:?}: {reason}")]
pub struct PurlError {
    pub input: String,
    pub reason: String,
}

impl Purl {
    /// A purl with no version, qualifiers or subpath.
    pub fn new(ty: &str, namespace: Option<&str>, name: &str) -> Self {
        Purl {
            ty: ty.to_ascii_lowercase(),
            namespace: namespace.map(str::to_string),
            name: name.to_string(),
            version: None,
            qualifiers: BTreeMap::new(),
            subpath: None,
        }
    }

    pub fn with_version(mut self, v: &str) -> Self {
        self.version = Some(v.to_string());
        self
    }

    pub fn with_qualifier(mut self, k: &str, v: &str) -> Self {
        if !v.is_empty() {
            self.qualifiers.insert(k.to_ascii_lowercase(), v.to_string());
        }
        self
    }

    /// Parse a purl string.
    pub fn parse(s: &str) -> Result<Self, PurlError> {
        let err = |r: &str| PurlError { input: s.to_string(), reason: r.to_string() };
        let rest = s.trim().strip_prefix("pkg:").ok_or_else(|| err("does not start with pkg:"))?;
        let rest = rest.trim_start_matches('/');
        let (rest, subpath) = match rest.split_once('#') {
            Some((a, b)) => (a, Some(decode(b.trim_matches('/')))),
            None => (rest, None),
        };
        let (rest, quals) = match rest.split_once('?') {
            Some((a, b)) => (a, Some(b)),
            None => (rest, None),
        };
        let (ty, rest) = rest.split_once('/').ok_or_else(|| err("no type"))?;
        let rest = rest.trim_end_matches('/');
        let (path, version) = match rest.rfind('@') {
            Some(i) if i > 0 && !rest[..i].ends_with('/') => (&rest[..i], Some(decode(&rest[i + 1..]))),
            _ => (rest, None),
        };
        let mut segs: Vec<String> = path.split('/').filter(|p| !p.is_empty()).map(decode).collect();
        let name = segs.pop().ok_or_else(|| err("no name"))?;
        let namespace = if segs.is_empty() { None } else { Some(segs.join("/")) };
        let mut qualifiers = BTreeMap::new();
        if let Some(q) = quals {
            for kv in q.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = kv.split_once('=').ok_or_else(|| err("qualifier without ="))?;
                let v = decode(v);
                if !v.is_empty() {
                    qualifiers.insert(k.to_ascii_lowercase(), v);
                }
            }
        }
        Ok(Purl { ty: ty.to_ascii_lowercase(), namespace, name, version, qualifiers, subpath })
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

const ENC: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, ENC).to_string()
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/').filter(|p| !p.is_empty()) {
                write!(f, "{}/", enc(seg))?;
            }
        }
        write!(f, "{}", enc(&self.name))?;
        if let Some(v) = &self.version {
            write!(f, "@{}", enc(v))?;
        }
        let mut first = true;
        for (k, v) in &self.qualifiers {
            write!(f, "{}{}={}", if first { "?" } else { "&" }, k, enc(v))?;
            first = false;
        }
        if let Some(sp) = &self.subpath {
            write!(f, "#{}", sp.split('/').map(enc).collect::<Vec<_>>().join("/"))?;
        }
        Ok(())
    }
}
