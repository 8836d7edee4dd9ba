//! Small helpers shared by the version schemes: comparing arbitrarily long decimal digit
//! strings without converting them to fixed-width integers (so no overflow on 30-digit
//! components).

use std::cmp::Ordering;

/// Compare two strings of ASCII decimal digits by numeric value, any length.
///
/// Leading zeros are ignored; an empty string counts as zero. Non-digit bytes are not expected
/// (callers only pass digit runs) and are compared bytewise if present.
pub(crate) fn cmp_digits(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// A decimal digit string kept in canonical form (no leading zeros), ordered by value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct BigNum(String);

impl BigNum {
    /// Build from a run of ASCII digits (leading zeros are dropped; empty means zero).
    pub(crate) fn new(digits: &str) -> BigNum {
        BigNum(digits.trim_start_matches('0').to_string())
    }

    /// Zero.
    pub(crate) fn zero() -> BigNum {
        BigNum(String::new())
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}

impl PartialOrd for BigNum {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BigNum {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(&self.0, &other.0)
    }
}
