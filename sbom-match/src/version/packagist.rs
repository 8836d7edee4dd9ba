//! Packagist (Composer / PHP) versions, ordered as PHP's `version_compare()`
//! (php-src `ext/standard/versioning.c`: `php_canonicalize_version` and
//! `compare_special_version_forms`), with Composer's leading `v`/`V` dropped, as OSV does
//! (osv-scalibr `semantic/version-packagist.go`):
//!
//! - canonicalisation: `-`, `_` and `+` become `.`, and a `.` is inserted at every transition
//!   between a digit and a non-digit (`1.0rc1` → `1.0.rc.1`);
//! - parts are compared pairwise: two numbers numerically (any length); otherwise by special-form
//!   weight, a number counting as `#`: anything else < `dev` < `alpha` = `a` < `beta` = `b` <
//!   `RC` = `rc` < `#` < `pl` = `p` (a part matches a form when it starts with it, so `patch`
//!   is `p`);
//! - when one version has parts left over: a leftover number makes it newer, otherwise its next
//!   part is weighed against `#` (so `1.0 > 1.0-beta` but `1.0 < 1.0-patch1`).
//!
//! Errors: the empty string, or whitespace, control or non-ASCII characters.

use std::cmp::Ordering;

use super::util::cmp_digits;

/// A parsed Packagist version: its canonical parts.
#[derive(Debug, Clone)]
pub(crate) struct PackagistVersion {
    parts: Vec<String>,
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

/// PHP's special-form weight of a non-numeric part (unknown forms weigh least).
fn weight(part: &str) -> i8 {
    const FORMS: [(&str, i8); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", 4),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(f, _)| part.starts_with(f))
        .map_or(-6, |&(_, w)| w)
}

fn cmp_part(a: &str, b: &str) -> Ordering {
    match (is_number(a), is_number(b)) {
        (true, true) => cmp_digits(a, b),
        (true, false) => weight("#").cmp(&weight(b)),
        (false, true) => weight(a).cmp(&weight("#")),
        (false, false) => weight(a).cmp(&weight(b)),
    }
}

/// Parse a Packagist version (see the module docs).
pub(crate) fn parse(s: &str) -> Result<PackagistVersion, String> {
    if s.is_empty() {
        return Err("empty version".into());
    }
    if s.chars().any(|c| !c.is_ascii_graphic()) {
        return Err("whitespace, control or non-ASCII character in version".into());
    }
    let body = s
        .strip_prefix('v')
        .or_else(|| s.strip_prefix('V'))
        .unwrap_or(s);
    let mut canon = String::with_capacity(body.len() * 2);
    let mut prev: Option<char> = None;
    for c in body.chars() {
        let c = if matches!(c, '-' | '_' | '+') { '.' } else { c };
        if let Some(p) = prev {
            let boundary = p != '.' && c != '.' && p.is_ascii_digit() != c.is_ascii_digit();
            if boundary {
                canon.push('.');
            }
        }
        canon.push(c);
        prev = Some(c);
    }
    Ok(PackagistVersion {
        parts: canon.split('.').map(str::to_string).collect(),
    })
}

/// Weigh leftover parts of the longer version against the end of the shorter one.
fn cmp_leftover(rest: &[String]) -> Ordering {
    for (k, part) in rest.iter().enumerate() {
        if k > 0 && is_number(part) {
            return Ordering::Greater;
        }
        let o = cmp_part(part, "#");
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

impl PartialEq for PackagistVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for PackagistVersion {}
impl PartialOrd for PackagistVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for PackagistVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.parts.iter().zip(other.parts.iter()) {
            let o = cmp_part(a, b);
            if o != Ordering::Equal {
                return o;
            }
        }
        let (la, lb) = (self.parts.len(), other.parts.len());
        match la.cmp(&lb) {
            Ordering::Greater => {
                let rest = self.parts.get(lb..).unwrap_or_default();
                if rest.first().is_some_and(|p| is_number(p)) {
                    Ordering::Greater
                } else {
                    cmp_leftover(rest)
                }
            }
            Ordering::Less => {
                let rest = other.parts.get(la..).unwrap_or_default();
                if rest.first().is_some_and(|p| is_number(p)) {
                    Ordering::Less
                } else {
                    cmp_leftover(rest).reverse()
                }
            }
            Ordering::Equal => Ordering::Equal,
        }
    }
}
