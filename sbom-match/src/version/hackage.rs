//! Hackage (Haskell) versions, ordered as Cabal's `Distribution.Types.Version` under the
//! Package Versioning Policy (<https://pvp.haskell.org/>): any number of non-negative integer
//! components separated by `.`, compared lexicographically as lists of numbers, so a proper
//! prefix sorts first (`1.0 < 1.0.0`). Also OSV's reading (osv-scalibr
//! `semantic/version-hackage.go`).
//!
//! Errors: the empty string, an empty component, or a component that is not all digits
//! (tags such as `1.0-beta` are not part of PVP versions).

use super::cran::{parse_numeric, NumericVersion};

/// Parse a Hackage version (`.`-separated numbers).
pub(crate) fn parse(s: &str) -> Result<NumericVersion, String> {
    parse_numeric(s, &['.'])
}
