//! SemVer versions (npm, crates.io, Hex; Pub with its own build rule), ordered by SemVer 2.0.0
//! §11 "precedence" (<https://semver.org/spec/v2.0.0.html#spec-item-11>):
//! numeric components compared numerically; a version with a prerelease sorts before the same
//! version without; prerelease identifiers (split on `.`) compare numerically when all digits,
//! ASCII-lexically otherwise, numeric before alphanumeric, a shorter list of equal identifiers
//! first; build metadata (`+...`) is ignored for precedence (so `1.2.3+a == 1.2.3+b`).
//!
//! Leniency, as OSV's own comparator (osv-scalibr `semantic`, "semver-like") reads versions
//! found in advisories: a leading `v` or `=` is dropped; numeric components may have any number
//! of digits (compared as digit strings) and there may be fewer or more than three (missing ones
//! count as 0, so `1.2 == 1.2.0`); a prerelease may follow the numbers without a `-`
//! (`1.36.0rc1` has prerelease `rc1`). Errors: a string that does not start with a digit (after
//! the prefix); a `.` not followed by a digit in the numeric part (`1.x`); an empty prerelease
//! or build identifier, or one with characters outside `[0-9A-Za-z-]` (SemVer §9, §10);
//! whitespace, control or non-ASCII characters.
//!
//! Pub (Dart, `pub_semver`) differs in one point: build metadata IS ordered, after the
//! prerelease: no build sorts before any build, and build identifiers compare like prerelease
//! identifiers (`1.0.0 < 1.0.0+build`, `1.2.3+1 < 1.2.3+a`).

use std::cmp::Ordering;

use super::util::BigNum;

/// One prerelease or build identifier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ident {
    /// All digits: compared numerically, sorts before alphanumeric identifiers.
    Numeric(BigNum),
    /// Anything else: compared by ASCII bytes.
    Alpha(String),
}

/// A parsed SemVer-like version.
#[derive(Debug, Clone)]
pub(crate) struct SemverVersion {
    components: Vec<BigNum>,
    pre: Vec<Ident>,
    build: Vec<Ident>,
}

fn idents(s: &str) -> Vec<Ident> {
    s.split('.')
        .map(|p| {
            if !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) {
                Ident::Numeric(BigNum::new(p))
            } else {
                Ident::Alpha(p.to_string())
            }
        })
        .collect()
}

/// Parse a SemVer-like version (see the module docs for the accepted forms).
pub(crate) fn parse(s: &str) -> Result<SemverVersion, String> {
    if s.is_empty() {
        return Err("empty version".into());
    }
    if s.chars().any(|c| !c.is_ascii_graphic()) {
        return Err("whitespace, control or non-ASCII character in version".into());
    }
    let body = s.strip_prefix('=').unwrap_or(s);
    let body = body.strip_prefix('v').unwrap_or(body);
    if !body.as_bytes().first().is_some_and(|c| c.is_ascii_digit()) {
        return Err("a SemVer version starts with a number".into());
    }
    // Numeric components: digit runs separated by '.', up to the first other character.
    let mut components = Vec::new();
    let mut rest = body;
    loop {
        let n = rest.bytes().take_while(|c| c.is_ascii_digit()).count();
        let (digits, after) = rest.split_at(n);
        if !digits.is_empty() {
            components.push(BigNum::new(digits));
        }
        match after.strip_prefix('.') {
            Some(a) if a.as_bytes().first().is_some_and(|c| c.is_ascii_digit()) => rest = a,
            Some(_) => {
                return Err(
                    "a `.` must be followed by a number (`1.x` is a range, not a version)".into(),
                );
            }
            None => {
                rest = after;
                break;
            }
        }
    }
    let (pre, build) = match rest.split_once('+') {
        Some((p, b)) => (p, Some(b)),
        None => (rest, None),
    };
    let (pre, dashed) = match pre.strip_prefix('-') {
        Some(p) => (p, true),
        None => (pre, false),
    };
    if dashed && pre.is_empty() {
        return Err("empty prerelease after `-` (SemVer §9)".into());
    }
    for (what, part) in [("prerelease", Some(pre)), ("build metadata", build)] {
        let Some(part) = part else { continue };
        if part.is_empty() && what == "prerelease" {
            continue;
        }
        if part.split('.').any(|id| id.is_empty()) {
            return Err(format!("empty identifier in {what} (SemVer §9, §10)"));
        }
        if let Some(c) = part
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
        {
            return Err(format!(
                "character {c:?} is not allowed in {what} (SemVer §9, §10)"
            ));
        }
    }
    Ok(SemverVersion {
        components,
        pre: if pre.is_empty() {
            Vec::new()
        } else {
            idents(pre)
        },
        build: build.map(idents).unwrap_or_default(),
    })
}

fn cmp_components(a: &[BigNum], b: &[BigNum]) -> Ordering {
    let zero = BigNum::zero();
    let n = a.len().max(b.len());
    for k in 0..n {
        let x = a.get(k).unwrap_or(&zero);
        let y = b.get(k).unwrap_or(&zero);
        match x.cmp(y) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    Ordering::Equal
}

impl SemverVersion {
    /// How many numeric components were written.
    pub(crate) fn component_count(&self) -> usize {
        self.components.len()
    }

    /// SemVer precedence: build metadata ignored.
    pub(crate) fn cmp_precedence(&self, other: &Self) -> Ordering {
        cmp_components(&self.components, &other.components).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            }
        })
    }

    /// Pub's order: precedence, then build metadata (none first, then identifier order).
    pub(crate) fn cmp_pub(&self, other: &Self) -> Ordering {
        self.cmp_precedence(other).then_with(|| {
            match (self.build.is_empty(), other.build.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => self.build.cmp(&other.build),
            }
        })
    }
}

/// SemVer order (build metadata ignored).
#[derive(Debug, Clone)]
pub(crate) struct Semver(pub(crate) SemverVersion);

impl PartialEq for Semver {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Semver {}
impl PartialOrd for Semver {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Semver {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp_precedence(&other.0)
    }
}

/// Pub order (build metadata ordered).
#[derive(Debug, Clone)]
pub(crate) struct Pub(pub(crate) SemverVersion);

impl PartialEq for Pub {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Pub {}
impl PartialOrd for Pub {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pub {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp_pub(&other.0)
    }
}
