//! RPM versions (`[epoch:]version[-release]`: Red Hat, AlmaLinux, Rocky, SUSE, openSUSE,
//! Mariner/Azure Linux, Amazon Linux, openEuler), ordered by rpm's `rpmvercmp`
//! (rpm/rpmio/rpmvercmp.c, rpm 4.18; algorithm described in rpm's `docs/manual/dependencies.md`)
//! applied to epoch, then version, then release:
//! - separators (anything but ASCII letters, digits, `~`, `^`) are skipped;
//! - `~` sorts before everything, even the end of the string (`1.0~rc1 < 1.0`);
//! - `^` sorts after the end of the string but before anything else (`1.0 < 1.0^git1 < 1.0.1`);
//! - then the leading run of digits (or of letters) is taken from both sides: a numeric run beats
//!   an alphabetic one; numeric runs compare by value (any length), alphabetic ones by ASCII;
//! - when one side runs out, the side with characters left is newer.
//!
//! Splitting follows OSV's Red Hat comparator (osv-scalibr `semantic/version-redhat.go`), whose
//! test vectors this must pass: the epoch is the text before the first `:` only when it is all
//! digits (absent = 0), otherwise the colon belongs to the version; the release is everything
//! after the first `-`; an absent release sorts before any present one (`1 < 1-` < `1-0`), and
//! an empty component sorts before a non-empty one. Errors: an empty string, or control or
//! whitespace characters.

use std::cmp::Ordering;

/// A parsed RPM EVR.
#[derive(Debug, Clone)]
pub(crate) struct RpmVersion {
    epoch: String,
    version: String,
    /// Empty when there is no `-`; otherwise `-` and the text after it (as OSV keeps it).
    release: String,
}

/// Parse `[epoch:]version[-release]`.
pub(crate) fn parse(s: &str) -> Result<RpmVersion, String> {
    if s.is_empty() {
        return Err("empty version".into());
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("whitespace or control character in version".into());
    }
    let (epoch, rest) = match s.split_once(':') {
        Some((e, rest)) if e.bytes().all(|c| c.is_ascii_digit()) => (e, rest),
        _ => ("", s),
    };
    let epoch = if epoch.is_empty() { "0" } else { epoch };
    let (version, release) = match rest.split_once('-') {
        Some((v, r)) => (v, format!("-{r}")),
        None => (rest, String::new()),
    };
    Ok(RpmVersion {
        epoch: epoch.to_string(),
        version: version.to_string(),
        release,
    })
}

fn is_separator(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || c == b'~' || c == b'^')
}

/// `rpmvercmp` on two strings; an empty string sorts before any non-empty one.
pub(crate) fn rpmvercmp(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        (false, false) => {}
    }
    let a = a.as_bytes();
    let b = b.as_bytes();
    let (mut i, mut j) = (0usize, 0usize);
    loop {
        while a.get(i).is_some_and(|&c| is_separator(c)) {
            i += 1;
        }
        while b.get(j).is_some_and(|&c| is_separator(c)) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        // Tilde: before everything, even the end.
        match (ca == Some(b'~'), cb == Some(b'~')) {
            (true, true) => {
                i += 1;
                j += 1;
                continue;
            }
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        // Caret: after the end, before anything else.
        match (ca == Some(b'^'), cb == Some(b'^')) {
            (true, true) => {
                i += 1;
                j += 1;
                continue;
            }
            (true, false) => {
                return if cb.is_none() {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (false, true) => {
                return if ca.is_none() {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (false, false) => {}
        }
        let (Some(first), Some(_)) = (ca, cb) else {
            break;
        };
        let numeric = first.is_ascii_digit();
        let class = |c: &u8| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        let la = a
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| class(c))
            .count();
        let lb = b
            .get(j..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| class(c))
            .count();
        let sa = a.get(i..i + la).unwrap_or_default();
        let sb = b.get(j..j + lb).unwrap_or_default();
        i += la;
        j += lb;
        if sb.is_empty() {
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let ord = if numeric {
            let ta = trim_zeros(sa);
            let tb = trim_zeros(sb);
            ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb))
        } else {
            sa.cmp(sb)
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    let ra = a.len().saturating_sub(i);
    let rb = b.len().saturating_sub(j);
    ra.cmp(&rb)
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b'0').count();
    s.get(n..).unwrap_or_default()
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for RpmVersion {}
impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        rpmvercmp(&self.epoch, &other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| rpmvercmp(&self.release, &other.release))
    }
}
