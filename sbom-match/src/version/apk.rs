//! Alpine package versions (Alpine, Wolfi, Chainguard), ordered as OSV's Alpine comparator
//! (osv-scalibr `semantic/version-alpine.go`) does, which follows apk-tools' version format
//! (apk-tools `doc/apk-package.5.scd`, "pkgver"): `number{.number}...{letter}{_suffix{number}}...{~hash}{-rN}`.
//!
//! Comparison, field by field:
//! - numeric components, missing ones count as 0; the first compares numerically, later ones
//!   compare as strings when either starts with `0` (apk's "fraction" rule: `1.05 < 1.1`),
//!   numerically otherwise;
//! - an optional single lowercase letter (none < `a` < ... < `z`);
//! - suffixes `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`, each with
//!   an optional number, compared pairwise (a missing suffix sits between `_rc` and `_cvs`, as in
//!   apk-tools; OSV weighs it like `_cvs`, the suites pass either way);
//! - `~hash` is ignored;
//! - the `-rN` revision (absent = `-r0`);
//! - text left over after `-rN` makes a version older than the same one without it.
//!
//! A version whose text after the suffixes is neither empty nor `-r...` is "invalid" but still
//! accepted (`apk version -t` accepts such strings too): it compares field by field against a
//! valid version, and by plain string order against another invalid one. The empty string and
//! strings with whitespace, control or non-ASCII characters are errors.

use std::cmp::Ordering;

use super::util::BigNum;

#[derive(Debug, Clone)]
struct Component {
    original: String,
    value: BigNum,
    index: usize,
}

/// Suffix names in their regex alternation order, with their sort weight.
const SUFFIXES: [(&str, u8); 9] = [
    ("alpha", 0),
    ("beta", 1),
    ("pre", 2),
    ("rc", 3),
    ("cvs", 5),
    ("svn", 6),
    ("git", 7),
    ("hg", 8),
    ("p", 9),
];
/// Weight of a missing suffix: after `_rc`, before `_cvs` (apk-tools order).
const MISSING_SUFFIX_WEIGHT: u8 = 4;

/// A parsed apk version.
#[derive(Debug, Clone)]
pub(crate) struct ApkVersion {
    original: String,
    invalid: bool,
    components: Vec<Component>,
    letter: Option<u8>,
    suffixes: Vec<(u8, BigNum)>,
    build: BigNum,
    remainder: String,
}

fn digits_len(s: &str) -> usize {
    s.bytes().take_while(|c| c.is_ascii_digit()).count()
}

/// Try to match `_name\d*` at the start of `s`; returns (weight, number, matched length).
fn suffix_at(s: &str) -> Option<(u8, BigNum, usize)> {
    let rest = s.strip_prefix('_')?;
    SUFFIXES.iter().find_map(|&(name, weight)| {
        let after = rest.strip_prefix(name)?;
        let n = digits_len(after);
        let digits = after.get(..n).unwrap_or_default();
        Some((weight, BigNum::new(digits), 1 + name.len() + n))
    })
}

/// Parse an apk version (see the module docs).
pub(crate) fn parse(s: &str) -> Result<ApkVersion, String> {
    if s.is_empty() {
        return Err("empty version".into());
    }
    if s.chars().any(|c| !c.is_ascii_graphic()) {
        return Err("whitespace, control or non-ASCII character in version".into());
    }
    let mut rest = s;
    // Numeric components: (digits '.'?)*; a '.' not followed by digits ends them (and is eaten).
    let mut components = Vec::new();
    loop {
        let n = digits_len(rest);
        if n == 0 {
            break;
        }
        let (d, after) = rest.split_at(n);
        components.push(Component {
            original: d.to_string(),
            value: BigNum::new(d),
            index: components.len(),
        });
        match after.strip_prefix('.') {
            Some(a) => {
                rest = a;
                if digits_len(a) == 0 {
                    break;
                }
            }
            None => {
                rest = after;
                break;
            }
        }
    }
    // Optional single lowercase letter.
    let letter = rest.bytes().next().filter(|c| c.is_ascii_lowercase());
    if letter.is_some() {
        rest = rest.get(1..).unwrap_or_default();
    }
    // Suffixes: every `_name\d*` found in the rest counts (as OSV's unanchored search does), but
    // only the ones forming a prefix of the rest are consumed.
    let mut suffixes = Vec::new();
    let mut consumed = 0usize;
    let mut contiguous = true;
    let mut pos = 0usize;
    while let Some(tail) = rest.get(pos..) {
        if tail.is_empty() {
            break;
        }
        match suffix_at(tail) {
            Some((w, n, len)) => {
                suffixes.push((w, n));
                if contiguous && pos == consumed {
                    consumed += len;
                } else {
                    contiguous = false;
                }
                pos += len;
            }
            None => {
                if pos == consumed {
                    contiguous = false;
                }
                pos += 1;
            }
        }
    }
    rest = rest.get(consumed..).unwrap_or_default();
    // Optional ~hash (lowercase hex), ignored.
    if let Some(h) = rest.strip_prefix('~') {
        let n = h
            .bytes()
            .take_while(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
            .count();
        if n > 0 {
            rest = h.get(n..).unwrap_or_default();
        }
    }
    // Optional -rN; anything else left makes the version invalid.
    let mut build = BigNum::zero();
    let mut invalid = false;
    if !rest.is_empty() {
        match rest.strip_prefix("-r") {
            Some(r) => {
                let n = digits_len(r);
                build = BigNum::new(r.get(..n).unwrap_or_default());
                rest = r.get(n..).unwrap_or_default();
            }
            None => invalid = true,
        }
    }
    Ok(ApkVersion {
        original: s.to_string(),
        invalid,
        components,
        letter,
        suffixes,
        build,
        remainder: rest.to_string(),
    })
}

fn cmp_component(a: Option<&Component>, b: Option<&Component>) -> Ordering {
    let zero = BigNum::zero();
    match (a, b) {
        (Some(x), Some(y))
            if x.index != 0
                && y.index != 0
                && (x.original.starts_with('0') || y.original.starts_with('0')) =>
        {
            x.original.cmp(&y.original)
        }
        _ => {
            let x = a.map_or(&zero, |c| &c.value);
            let y = b.map_or(&zero, |c| &c.value);
            x.cmp(y)
        }
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for ApkVersion {}
impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.invalid && other.invalid {
            return self.original.cmp(&other.original);
        }
        let n = self.components.len().max(other.components.len());
        for k in 0..n {
            let o = cmp_component(self.components.get(k), other.components.get(k));
            if o != Ordering::Equal {
                return o;
            }
        }
        let o = self.letter.cmp(&other.letter);
        if o != Ordering::Equal {
            return o;
        }
        let missing = (MISSING_SUFFIX_WEIGHT, BigNum::zero());
        let n = self.suffixes.len().max(other.suffixes.len());
        for k in 0..n {
            let a = self.suffixes.get(k).unwrap_or(&missing);
            let b = other.suffixes.get(k).unwrap_or(&missing);
            let o = a.cmp(b);
            if o != Ordering::Equal {
                return o;
            }
        }
        self.build.cmp(&other.build).then_with(|| {
            match (self.remainder.is_empty(), other.remainder.is_empty()) {
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                _ => Ordering::Equal,
            }
        })
    }
}
