//! Python package versions (PyPI), ordered by PEP 440 "Version specifiers"
//! (<https://peps.python.org/pep-0440/>), with the same normalisation as Python's `packaging`
//! (`3.2 == 3.2.0`, `1.0-1` is a post release, `c`/`pre`/`preview` mean `rc`, `r`/`rev` mean
//! `post`, case-insensitive, optional `v` prefix).
//!
//! PEP 440 parsing and ordering come from the `pep440_rs` crate: epoch, then release (zero
//! padded), then `devN` < `aN` < `bN` < `rcN` < final < `postN`, then local segments (a version
//! with a local label sorts after the same version without one; numeric local segments sort after
//! alphanumeric ones).
//!
//! Legacy versions: strings that are not PEP 440 but that OSV data still carries (such as
//! `0.1-bulbasaur`) are read as `packaging` < 22 `LegacyVersion` did: they sort below every
//! PEP 440 version and compare among themselves by setuptools' old `parse_version` key
//! (lowercased; split into digit runs, letter runs, `.` and `-`; `pre`/`preview`/`rc` → `c`,
//! `dev` → `@`, `-` → `final-`; digit runs zero-padded to 8). This is the ordering osv-scalibr's
//! PyPI comparator (and hence the OSV version suites) uses. An empty string or one with
//! whitespace or control characters is an error.

use std::str::FromStr;

/// A PyPI version: PEP 440, or a legacy (pre-PEP 440) string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PyVersion {
    /// Non-PEP 440: sorts below every PEP 440 version (declared first for the derived order).
    Legacy(Vec<String>),
    /// A PEP 440 version.
    Pep440(pep440_rs::Version),
}

/// Parse a PyPI version. Errors: empty, or containing whitespace/control characters.
pub(crate) fn parse(s: &str) -> Result<PyVersion, String> {
    if s.is_empty() {
        return Err("empty version".into());
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("whitespace or control character in version".into());
    }
    match pep440_rs::Version::from_str(s) {
        Ok(v) => Ok(PyVersion::Pep440(v)),
        Err(_) => Ok(PyVersion::Legacy(legacy_key(s))),
    }
}

/// One piece of setuptools' legacy split, after replacement and padding.
fn legacy_part(part: &str) -> Option<String> {
    let part = match part {
        "pre" | "preview" | "rc" => "c",
        "-" => "final-",
        "dev" => "@",
        p => p,
    };
    if part.is_empty() || part == "." {
        return None;
    }
    if part.as_bytes().first().is_some_and(|c| c.is_ascii_digit()) {
        Some(format!("{part:0>8}"))
    } else {
        Some(format!("*{part}"))
    }
}

/// setuptools' `_legacy_cmpkey` parts (the epoch, always -1, is implied by the enum order).
fn legacy_key(s: &str) -> Vec<String> {
    let lower = s.to_lowercase();
    // Split like re.split(r"(\d+|[a-z]+|\.|-)"): matched tokens and the text between them.
    let mut pieces: Vec<String> = Vec::new();
    let mut between = String::new();
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let tail = chars.get(i..).unwrap_or_default();
        let token_len = if c.is_ascii_digit() {
            tail.iter().take_while(|c| c.is_ascii_digit()).count()
        } else if c.is_ascii_lowercase() {
            tail.iter().take_while(|c| c.is_ascii_lowercase()).count()
        } else if c == '.' || c == '-' {
            1
        } else {
            0
        };
        if token_len == 0 {
            between.push(c);
            i += 1;
        } else {
            pieces.push(std::mem::take(&mut between));
            pieces.push(tail.iter().take(token_len).collect());
            i += token_len;
        }
    }
    pieces.push(between);
    pieces.push("final".to_string()); // becomes "*final"

    let mut parts: Vec<String> = Vec::new();
    for piece in pieces {
        let Some(part) = legacy_part(&piece) else {
            continue;
        };
        if part.starts_with('*') {
            if part.as_str() < "*final" {
                while parts.last().is_some_and(|p| p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn legacy_sorts_below_pep440() {
        let legacy = parse("0.1-bulbasaur").unwrap_or(PyVersion::Legacy(vec![]));
        let modern = parse("0.0.1.dev0").unwrap_or(PyVersion::Legacy(vec![]));
        assert!(matches!(legacy, PyVersion::Legacy(_)));
        assert!(matches!(modern, PyVersion::Pep440(_)));
        assert_eq!(legacy.cmp(&modern), Ordering::Less);
    }
}
