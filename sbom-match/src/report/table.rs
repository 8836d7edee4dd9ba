//! The human table (`-o table`, the default): one line per finding — severity, id, package,
//! installed, fixed, summary — sorted by severity (highest first), then package and id, and a
//! count line. Colour only when asked for (a terminal, and `NO_COLOR` unset, per no-color.org).

use super::{Report, Summary};
use crate::matcher::Finding;
use crate::severity::Level;

fn colour(level: Level) -> &'static str {
    match level {
        Level::Critical => "\x1b[1;31m",
        Level::High => "\x1b[31m",
        Level::Medium => "\x1b[33m",
        Level::Low => "\x1b[32m",
        Level::Unknown => "\x1b[2m",
    }
}

fn truncate(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut t: String = one_line.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Render the table. `color`: whether to use ANSI colours (the caller checks the terminal and
/// `NO_COLOR`).
pub fn render(r: &Report<'_>, color: bool) -> String {
    let mut rows: Vec<&Finding> = r.outcome.findings.iter().collect();
    rows.sort_by(|a, b| {
        b.severity
            .level
            .cmp(&a.severity.level)
            .then_with(|| a.component.name.cmp(&b.component.name))
            .then_with(|| a.component.version.cmp(&b.component.version))
            .then_with(|| a.id.cmp(&b.id))
    });
    let header = ["SEVERITY", "ID", "PACKAGE", "INSTALLED", "FIXED", "SUMMARY"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|f| {
            [
                f.severity.level.as_str().to_string(),
                f.id.clone(),
                f.component.name.clone(),
                f.component.version.clone().unwrap_or_default(),
                f.fixed_versions.join(", "),
                truncate(&f.summary, 80),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, row: &[String], level: Option<Level>| {
        let mut parts = Vec::new();
        for (i, (c, w)) in row.iter().zip(widths.iter()).enumerate() {
            let last = i + 1 == row.len();
            let cell = if last { c.clone() } else { format!("{c:<w$}") };
            match (i, level) {
                (0, Some(l)) if color => parts.push(format!("{}{cell}\x1b[0m", colour(l))),
                _ => parts.push(cell),
            }
        }
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    if rows.is_empty() {
        out.push_str("No vulnerabilities found.\n");
    } else {
        line(&mut out, &header.map(str::to_string), None);
        for (f, row) in rows.iter().zip(cells.iter()) {
            line(&mut out, row, Some(f.severity.level));
        }
    }
    let s = Summary::of(r.outcome);
    out.push_str(&format!(
        "\n{} findings: {} critical, {} high, {} medium, {} low, {} unknown; {} components unmatched\n",
        s.total,
        s.critical,
        s.high,
        s.medium,
        s.low,
        s.unknown,
        r.outcome.unmatched.len()
    ));
    out
}
