//! RubyGems versions, ordered as `Gem::Version#<=>` (rubygems `lib/rubygems/version.rb`):
//!
//! - a `-` means `.pre.` (as `Gem::Version.new` rewrites it);
//! - the version is split into segments at `.` and at every digit/non-digit transition
//!   (`1.0.a10` → `1`, `0`, `a`, `10`); a segment is a number or a string;
//! - canonical segments: the numeric release part (up to the first string segment) and the
//!   prerelease part (from it on) each lose their trailing zeros, so `1.0 == 1`;
//! - segments are compared pairwise, the shorter list padded with `0`: numbers numerically,
//!   strings by bytes, and a string sorts before a number (so any letter segment makes a
//!   prerelease: `1.0.a < 1.0`).
//!
//! Accepted input (lenient like OSV, osv-scalibr `semantic/version-rubygems.go`): ASCII letters,
//! digits, `.` and `-`, starting with a digit, surrounding whitespace ignored. Anything else,
//! and the empty string, is an error.

use std::cmp::Ordering;

use super::util::BigNum;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Number(BigNum),
    Text(String),
}

/// A parsed RubyGems version: its canonical segments.
#[derive(Debug, Clone)]
pub(crate) struct GemVersion {
    segments: Vec<Segment>,
}

/// Parse a RubyGems version (see the module docs).
pub(crate) fn parse(s: &str) -> Result<GemVersion, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty version".into());
    }
    if !t.as_bytes().first().is_some_and(|c| c.is_ascii_digit()) {
        return Err("a RubyGems version starts with a number".into());
    }
    if let Some(c) = t
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '.' || *c == '-'))
    {
        return Err(format!(
            "character {c:?} is not allowed in a RubyGems version"
        ));
    }
    let rewritten = t.replace('-', ".pre.");
    let mut raw: Vec<Segment> = Vec::new();
    for piece in rewritten.split('.') {
        let bytes = piece.as_bytes();
        let mut start = 0usize;
        for k in 1..=bytes.len() {
            let boundary = match (bytes.get(k - 1), bytes.get(k)) {
                (Some(p), Some(c)) => p.is_ascii_digit() != c.is_ascii_digit(),
                _ => true,
            };
            if boundary {
                let seg = piece.get(start..k).unwrap_or_default();
                if !seg.is_empty() {
                    raw.push(if seg.bytes().all(|c| c.is_ascii_digit()) {
                        Segment::Number(BigNum::new(seg))
                    } else {
                        Segment::Text(seg.to_string())
                    });
                }
                start = k;
            }
        }
    }
    // Canonical segments: release numbers, then the prerelease part, each without trailing 0s.
    let split = raw
        .iter()
        .position(|s| matches!(s, Segment::Text(_)))
        .unwrap_or(raw.len());
    let mut prerelease = raw.split_off(split);
    let is_zero = |s: &Segment| matches!(s, Segment::Number(n) if n.is_zero());
    while raw.last().is_some_and(is_zero) {
        raw.pop();
    }
    while prerelease.last().is_some_and(is_zero) {
        prerelease.pop();
    }
    raw.extend(prerelease);
    Ok(GemVersion { segments: raw })
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for GemVersion {}
impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number(BigNum::zero());
        let n = self.segments.len().max(other.segments.len());
        for k in 0..n {
            let a = self.segments.get(k).unwrap_or(&zero);
            let b = other.segments.get(k).unwrap_or(&zero);
            let o = match (a, b) {
                (Segment::Number(x), Segment::Number(y)) => x.cmp(y),
                (Segment::Text(x), Segment::Text(y)) => x.cmp(y),
                (Segment::Text(_), Segment::Number(_)) => Ordering::Less,
                (Segment::Number(_), Segment::Text(_)) => Ordering::Greater,
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}
