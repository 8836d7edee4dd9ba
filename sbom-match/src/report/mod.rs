//! Reports of a match: the human table ([`table`]), the JSON report, schema version 1
//! ([`json`]) as `docs/cli-contract.md` ("The JSON report") fixes it and
//! `schemas/report-1.schema.json` documents, SARIF 2.1.0 ([`sarif`]) and CycloneDX 1.6 with
//! vulnerabilities ([`cyclonedx`]).

pub mod cyclonedx;
pub mod json;
pub mod sarif;
pub mod table;

use crate::db::Status;
use crate::matcher::Outcome;
use crate::severity::Level;

/// Everything a report shows.
pub struct Report<'a> {
    pub outcome: &'a Outcome,
    pub database: &'a Status,
    /// The tool's version (`CARGO_PKG_VERSION`).
    pub tool_version: &'a str,
}

/// Counts per level over findings that are not ignored (none are ignored yet: policy and VEX
/// are not implemented), and the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub unknown: usize,
    pub total: usize,
    pub ignored: usize,
}

impl Summary {
    /// Count `outcome`'s findings.
    pub fn of(outcome: &Outcome) -> Summary {
        let mut s = Summary::default();
        for f in &outcome.findings {
            match f.severity.level {
                Level::Critical => s.critical += 1,
                Level::High => s.high += 1,
                Level::Medium => s.medium += 1,
                Level::Low => s.low += 1,
                Level::Unknown => s.unknown += 1,
            }
            s.total += 1;
        }
        s
    }
}

/// Whether a finding of `level` fails `--fail-on threshold`: at or above it, and unknown fails
/// every threshold (contract, `--fail-on`).
pub fn fails(level: Level, threshold: Level) -> bool {
    level == Level::Unknown || level >= threshold
}
