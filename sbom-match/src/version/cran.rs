//! CRAN (R package) versions, ordered as R's `package_version` / `compareVersion`
//! (R documentation `numeric_version`: "a sequence of at least two non-negative integers
//! separated by single `.` or `-` characters"; OSV: osv-scalibr `semantic/version-cran.go`):
//! `.` and `-` are equivalent, the integers compare numerically (any length, `0.01 == 0.1`),
//! and when one version is a prefix of the other (after zero padding) the one with more parts is
//! newer (`0.1.0 < 0.1.0.0`).
//!
//! Errors: the empty string, an empty part, or a part that is not all digits. (A single
//! number is accepted, as OSV does, although R requires two.)

use std::cmp::Ordering;

use super::util::BigNum;

/// A parsed CRAN version: its numeric parts.
#[derive(Debug, Clone)]
pub(crate) struct NumericVersion {
    parts: Vec<BigNum>,
}

/// Split `s` at any of `seps` into non-empty decimal parts.
pub(crate) fn parse_numeric(s: &str, seps: &[char]) -> Result<NumericVersion, String> {
    if s.is_empty() {
        return Err("empty version".into());
    }
    let mut parts = Vec::new();
    for p in s.split(seps) {
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
            return Err(format!("part {p:?} is not a number"));
        }
        parts.push(BigNum::new(p));
    }
    Ok(NumericVersion { parts })
}

/// Parse a CRAN version (`.` or `-` separated numbers).
pub(crate) fn parse(s: &str) -> Result<NumericVersion, String> {
    parse_numeric(s, &['.', '-'])
}

impl PartialEq for NumericVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for NumericVersion {}
impl PartialOrd for NumericVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for NumericVersion {
    /// Lexicographic on the list of numbers (a proper prefix sorts first).
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}
