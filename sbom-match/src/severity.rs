//! Severity of an OSV record for one affected package, per `docs/cli-contract.md` ("Severity").
//!
//! Source order: the affected package's own `severity`, then the record's; within one, CVSS v4,
//! then v3.x, then v2, each scored from its vector (v3/v4 with the `cvss` crate, which follows
//! the FIRST v3.1 and v4.0 specifications; v2 with the base equation of the FIRST CVSS v2 guide,
//! section 3.2.1, which that crate does not implement); else `database_specific.severity` words
//! (`CRITICAL`, `HIGH`, `MODERATE`/`MEDIUM`, `LOW`); else unknown. Bands: critical ≥ 9.0,
//! high ≥ 7.0, medium ≥ 4.0, low > 0; a score of 0.0 is unknown. The bands apply to every
//! CVSS version.

use std::str::FromStr;

use serde_json::Value;

/// A severity level, ordered from `Unknown` (lowest for merging) to `Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    /// The lowercase name used in reports and `--fail-on`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unknown => "unknown",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// The band of a base score (0.0–10.0); 0.0 and anything not positive is unknown.
    pub fn from_score(s: f64) -> Level {
        if s >= 9.0 {
            Level::Critical
        } else if s >= 7.0 {
            Level::High
        } else if s >= 4.0 {
            Level::Medium
        } else if s > 0.0 {
            Level::Low
        } else {
            Level::Unknown
        }
    }

    /// A `database_specific.severity` word (GitHub: LOW, MODERATE, HIGH, CRITICAL).
    pub fn from_word(w: &str) -> Option<Level> {
        match w.trim().to_ascii_uppercase().as_str() {
            "CRITICAL" => Some(Level::Critical),
            "HIGH" | "IMPORTANT" => Some(Level::High),
            "MODERATE" | "MEDIUM" => Some(Level::Medium),
            "LOW" => Some(Level::Low),
            _ => None,
        }
    }
}

/// The severity reported for a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Severity {
    pub level: Level,
    /// The computed base score, rounded to one decimal; `None` for words and unknown.
    pub score: Option<f64>,
    /// The vector the score came from.
    pub vector: Option<String>,
    /// `CVSS_V4`, `CVSS_V3`, `CVSS_V2`, `database_specific`, or `None` when unknown.
    pub source: Option<String>,
}

impl Severity {
    /// No usable severity.
    pub fn unknown() -> Severity {
        Severity {
            level: Level::Unknown,
            score: None,
            vector: None,
            source: None,
        }
    }
}

/// Base score of a CVSS v2 vector (`AV:N/AC:L/Au:N/C:C/I:C/A:C`, optionally in parentheses or
/// with a `CVSS:2.0/` prefix; temporal/environmental metrics are ignored). `None` when a base
/// metric is missing or invalid.
pub fn cvss2_score(vector: &str) -> Option<f64> {
    let v = vector.trim().trim_start_matches('(').trim_end_matches(')');
    let v = v.strip_prefix("CVSS:2.0/").unwrap_or(v);
    let (mut av, mut ac, mut au): (Option<f64>, Option<f64>, Option<f64>) = (None, None, None);
    let (mut c, mut i, mut a): (Option<f64>, Option<f64>, Option<f64>) = (None, None, None);
    for part in v.split('/') {
        let (k, val) = part.split_once(':')?;
        let cia = |x: &str| match x {
            "N" => Some(0.0),
            "P" => Some(0.275),
            "C" => Some(0.660),
            _ => None,
        };
        match k {
            "AV" => {
                av = Some(match val {
                    "L" => 0.395,
                    "A" => 0.646,
                    "N" => 1.0,
                    _ => return None,
                })
            }
            "AC" => {
                ac = Some(match val {
                    "H" => 0.35,
                    "M" => 0.61,
                    "L" => 0.71,
                    _ => return None,
                })
            }
            "Au" => {
                au = Some(match val {
                    "M" => 0.45,
                    "S" => 0.56,
                    "N" => 0.704,
                    _ => return None,
                })
            }
            "C" => c = Some(cia(val)?),
            "I" => i = Some(cia(val)?),
            "A" => a = Some(cia(val)?),
            _ => {}
        }
    }
    let (av, ac, au, c, i, a) = (av?, ac?, au?, c?, i?, a?);
    let impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
    let exploitability = 20.0 * av * ac * au;
    let f = if impact == 0.0 { 0.0 } else { 1.176 };
    let base: f64 = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
    Some(round1(base.max(0.0)))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A CVSS v3.x vector reduced to its prefix and base metrics: the specification (v3.1 §6)
/// lets temporal (`E`, `RL`, `RC`) and environmental (`CR`, `MAV`, ...) metrics follow, and the
/// base score ignores them, but the `cvss` crate's `Base` parser rejects them.
fn v3_base_metrics(vector: &str) -> String {
    const BASE: [&str; 8] = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];
    vector
        .trim()
        .split('/')
        .filter(|part| {
            part.starts_with("CVSS:")
                || part.split_once(':').is_some_and(|(k, _)| BASE.contains(&k))
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Score one `severity[]` entry: (type, vector) → base score.
fn score_entry(ty: &str, vector: &str) -> Option<f64> {
    match ty {
        "CVSS_V4" => cvss::v4::Vector::from_str(vector.trim())
            .ok()
            .map(|v| round1(v.score().value())),
        "CVSS_V3" => cvss::v3::Base::from_str(&v3_base_metrics(vector))
            .ok()
            .map(|b| round1(b.score().value())),
        "CVSS_V2" => cvss2_score(vector),
        _ => None,
    }
}

/// The best CVSS severity of a `severity` array: v4, then v3, then v2 (by type, not position);
/// within a type the first usable vector. `None` when no vector scores above 0.
pub fn from_cvss_array(arr: Option<&Value>) -> Option<Severity> {
    let arr = arr?.as_array()?;
    for ty in ["CVSS_V4", "CVSS_V3", "CVSS_V2"] {
        for e in arr {
            if e.get("type").and_then(Value::as_str) != Some(ty) {
                continue;
            }
            let Some(vector) = e.get("score").and_then(Value::as_str) else {
                continue;
            };
            if let Some(score) = score_entry(ty, vector) {
                let level = Level::from_score(score);
                if level != Level::Unknown {
                    return Some(Severity {
                        level,
                        score: Some(score),
                        vector: Some(vector.to_string()),
                        source: Some(ty.to_string()),
                    });
                }
            }
        }
    }
    None
}

/// The word severity in a `database_specific` object.
pub fn from_words(obj: Option<&Value>) -> Option<Severity> {
    let w = obj?.get("database_specific")?.get("severity")?.as_str()?;
    Level::from_word(w).map(|level| Severity {
        level,
        score: None,
        vector: None,
        source: Some("database_specific".to_string()),
    })
}

/// Severity of `record` for the affected entries that matched (`entries`), in contract order.
pub fn for_match(record: &Value, entries: &[&Value]) -> Severity {
    let best = |it: &mut dyn Iterator<Item = Severity>| {
        it.max_by(|a, b| a.level.cmp(&b.level).then(cmp_score(a, b)))
    };
    if let Some(s) = best(
        &mut entries
            .iter()
            .filter_map(|e| from_cvss_array(e.get("severity"))),
    ) {
        return s;
    }
    if let Some(s) = from_cvss_array(record.get("severity")) {
        return s;
    }
    if let Some(s) = best(&mut entries.iter().filter_map(|e| from_words(Some(e)))) {
        return s;
    }
    from_words(Some(record)).unwrap_or_else(Severity::unknown)
}

fn cmp_score(a: &Severity, b: &Severity) -> std::cmp::Ordering {
    a.score
        .unwrap_or(0.0)
        .partial_cmp(&b.score.unwrap_or(0.0))
        .unwrap_or(std::cmp::Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_scores_from_the_guide() {
        // CVSS v2 guide examples: CVE-2002-0392 base 7.8, CVE-2003-0818 base 10.0, CVE-2003-0062 6.2.
        assert_eq!(cvss2_score("AV:N/AC:L/Au:N/C:N/I:N/A:C"), Some(7.8));
        assert_eq!(cvss2_score("AV:N/AC:L/Au:N/C:C/I:C/A:C"), Some(10.0));
        assert_eq!(cvss2_score("AV:L/AC:H/Au:N/C:C/I:C/A:C"), Some(6.2));
        assert_eq!(cvss2_score("AV:N/AC:L"), None);
        assert_eq!(Level::from_score(10.0), Level::Critical);
    }

    #[test]
    fn v3_temporal_and_environmental_metrics_keep_the_base_score() {
        // CVSS v3.1 specification §6: a vector may carry temporal and environmental metrics
        // after the base ones; the base score comes from the base metrics alone. AV:N/AC:L/
        // PR:N/UI:N/S:U/C:H/I:H/A:H is 9.8 (the specification's calculator; CVE-2021-44228's
        // NVD vector scores 10.0 only because it has S:C).
        let base = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        assert_eq!(score_entry("CVSS_V3", base), Some(9.8));
        for full in [
            format!("{base}/E:P/RL:O/RC:C"),
            format!("{base}/E:U/RL:O/RC:U/CR:L/IR:L/AR:L/MAV:P"),
            format!("{}/E:P", base.replacen("3.1", "3.0", 1)),
        ] {
            assert_eq!(score_entry("CVSS_V3", &full), Some(9.8), "{full}");
        }
    }

    #[test]
    fn order_is_by_type_not_position() {
        // B04's x_TEST-B04-2: v2 7.5 first, v3 3.7 second → low 3.7.
        let arr = serde_json::json!([
            {"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
            {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L"}
        ]);
        let s = from_cvss_array(Some(&arr)).unwrap_or_else(Severity::unknown);
        assert_eq!((s.level, s.score), (Level::Low, Some(3.7)));
    }
}
