//! Debian package versions (`[epoch:]upstream[-revision]`), ordered as dpkg does.
//!
//! Rules: Debian Policy §5.6.12 "Version" and dpkg's `verrevcmp` (lib/dpkg/version.c):
//! - the epoch is an unsigned decimal number before the first `:` (absent = 0);
//! - the revision is everything after the last `-` (absent = empty, which compares equal to `0`);
//! - upstream and revision are compared alternately by non-digit runs and digit runs; in a
//!   non-digit run `~` sorts before everything (even the end of the string), then the end of the
//!   string, then letters (ASCII order), then all other characters (ASCII order); digit runs are
//!   compared numerically (any length).
//!
//! Parsing is as lenient as `dpkg --compare-versions` (which only warns about an upstream part
//! that does not start with a digit), but a version must be non-empty, have a numeric epoch, and
//! contain only characters allowed by Policy (alphanumerics and `. + - ~ :`).

use std::cmp::Ordering;

use super::util::BigNum;

/// A parsed dpkg version: epoch, upstream version, revision.
#[derive(Debug, Clone)]
pub(crate) struct DpkgVersion {
    epoch: BigNum,
    upstream: String,
    revision: String,
}

/// Parse `[epoch:]upstream[-revision]`. Errors: empty, empty upstream, non-numeric epoch,
/// characters outside Policy's set.
pub(crate) fn parse(s: &str) -> Result<DpkgVersion, String> {
    if s.is_empty() {
        return Err("empty version".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '~' | ':')))
    {
        return Err(format!(
            "character {c:?} is not allowed in a Debian version"
        ));
    }
    let (epoch, rest) = match s.split_once(':') {
        Some((e, rest)) => {
            if e.is_empty() || !e.bytes().all(|c| c.is_ascii_digit()) {
                return Err(format!("epoch {e:?} is not a number"));
            }
            (BigNum::new(e), rest)
        }
        None => (BigNum::zero(), s),
    };
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => (u, r),
        None => (rest, ""),
    };
    if upstream.is_empty() {
        return Err("empty upstream version".into());
    }
    Ok(DpkgVersion {
        epoch,
        upstream: upstream.to_string(),
        revision: revision.to_string(),
    })
}

/// dpkg's character weight inside a non-digit run: `~` < end < letters < everything else.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg `verrevcmp`: compare two upstream (or revision) strings.
pub(crate) fn verrevcmp(a: &str, b: &str) -> Ordering {
    let a = a.as_bytes();
    let b = b.as_bytes();
    let (mut i, mut j) = (0usize, 0usize);
    let digit_at = |s: &[u8], k: usize| s.get(k).is_some_and(|c| c.is_ascii_digit());
    while i < a.len() || j < b.len() {
        // Non-digit run.
        while (i < a.len() && !digit_at(a, i)) || (j < b.len() && !digit_at(b, j)) {
            let ac = order(a.get(i).copied());
            let bc = order(b.get(j).copied());
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        // Digit run: skip leading zeros, then the longer run wins, else the first difference.
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while digit_at(a, i) && digit_at(b, j) {
            if first_diff == Ordering::Equal {
                first_diff = a.get(i).cmp(&b.get(j));
            }
            i += 1;
            j += 1;
        }
        if digit_at(a, i) {
            return Ordering::Greater;
        }
        if digit_at(b, j) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

impl PartialEq for DpkgVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for DpkgVersion {}
impl PartialOrd for DpkgVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}
