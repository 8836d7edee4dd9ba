//! The matcher: components (from any SBOM) × OSV records (from the database) → findings.
//!
//! Follows the OSV schema's "Evaluation" section (<https://ossf.github.io/osv-schema/>): a
//! version is affected by an `affected[]` entry whose package matches when it equals an entry of
//! `versions` (equality of the ecosystem's ordering, so PEP 440 `3.2 == 3.2.0`) or lies in a
//! `SEMVER`/`ECOSYSTEM` range — events sorted by version, `introduced` (`"0"` = before
//! everything) opens, `fixed` closes exclusively, `last_affected` inclusively, `limit` caps.
//! `GIT` ranges are not evaluated as versions. Withdrawn records are skipped. A version that does
//! not parse is never "not affected": the component goes to `unmatched`, an event to a warning.
//!
//! Findings follow `docs/cli-contract.md` ("A finding is…"): one per (vulnerability,
//! component); records linked by `aliases` (or a single `upstream` id) merge (id by prefix
//! rank, the rest in `aliases`); components sharing a canonical purl are one component; `fixed_versions` is, per
//! record, the smallest fixed above the installed version among the ranges that contain it, and
//! across a merged group the largest of those.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use sbom_model::purl::Purl;
use sbom_model::{Component, ComponentKind, Sbom};
use serde_json::Value;

use crate::db::{Db, DbError};
use crate::identity::{identify, normalise_name, purl_distro, DistroRef, Identity};
use crate::severity::{self, Severity};
use crate::version::{Scheme, Version};

/// Matching options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--distro`: overrides every SBOM's distro.
    pub distro_override: Option<DistroRef>,
    /// `--only-fixed`: keep only findings with a fixed version.
    pub only_fixed: bool,
}

/// One SBOM to match: the path as given (shown in reports) and its content.
pub struct Input<'a> {
    pub path: String,
    pub sbom: &'a Sbom,
}

/// A component as reported: all copies sharing one canonical purl merged.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedComponent {
    pub bom_refs: Vec<String>,
    pub name: String,
    pub version: Option<String>,
    /// Canonical purl (`None` for components without one).
    pub purl: Option<String>,
    /// The SBOM's own purl string when it differs from the canonical one.
    pub purl_as_written: Option<String>,
    pub locations: Vec<String>,
    /// The SBOM path as given.
    pub sbom: String,
}

/// One interval (or `versions` entry) of a record that contains the installed version.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MatchedRange {
    pub record: String,
    pub introduced: Option<String>,
    pub fixed: Option<String>,
    pub last_affected: Option<String>,
    pub limit: Option<String>,
    /// Set when the match came from the record's `versions` list: the listed string.
    pub listed: Option<String>,
}

/// What was looked up and found.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    pub ecosystem: String,
    pub package: String,
    pub version: String,
    pub ranges: Vec<MatchedRange>,
}

/// One (vulnerability, component) finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: String,
    pub severity: Severity,
    pub component: ReportedComponent,
    pub matched: Matched,
    pub fixed_versions: Vec<String>,
    pub references: Vec<String>,
}

/// A component that could not be matched, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unmatched {
    pub sbom: String,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub reason: String,
}

/// Per-SBOM facts for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct SbomSummary {
    pub path: String,
    pub format: String,
    pub components: usize,
    pub distro: Option<String>,
}

/// The matcher's output.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub sboms: Vec<SbomSummary>,
    /// Sorted by (component purl, sbom, id).
    pub findings: Vec<Finding>,
    pub unmatched: Vec<Unmatched>,
    /// Record/component pairs that could not be fully evaluated (an event or listed version did
    /// not parse), sorted.
    pub warnings: Vec<String>,
}

/// Rank of a record id's prefix for choosing a merged group's id: GHSA, then ecosystems' own
/// databases, then anything else.
pub fn id_rank(id: &str) -> u8 {
    let prefix = id.split('-').next().unwrap_or(id);
    match prefix {
        "GHSA" => 0,
        "PYSEC" | "RUSTSEC" | "GO" | "DSA" | "DLA" | "DTSA" | "DEBIAN" | "USN" | "UBUNTU"
        | "LSN" | "ALSA" | "ALBA" | "ALEA" | "RHSA" | "RHBA" | "RHEA" | "RLSA" | "RLBA"
        | "RXSA" | "SUSE" | "openSUSE" | "MGASA" | "BIT" | "CGA" | "MINI" | "ALPINE" | "HSEC"
        | "RSEC" | "PSF" | "MAL" | "OESA" | "CURL" | "V8" => 1,
        _ => 2,
    }
}

fn rank_cmp(a: &str, b: &str) -> Ordering {
    id_rank(a).cmp(&id_rank(b)).then_with(|| a.cmp(b))
}

/// A record's evaluation against one component.
struct RecordHit {
    id: String,
    record: Rc<Value>,
    entries: Vec<usize>,
    ranges: Vec<MatchedRange>,
    /// Smallest fixed above the installed version among containing ranges.
    fixed: Option<(Version, String)>,
}

/// Event kinds in tie order at one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Introduced,
    LastAffected,
    Fixed,
    Limit,
}

/// A range containing the version, and its smallest fixed above the version (parsed, as written).
type RangeHit = (MatchedRange, Option<(Version, String)>);

/// Evaluate one SEMVER/ECOSYSTEM range. `Ok(None)`: not in it. Err: an event that doesn't parse.
fn eval_range(
    events: &[Value],
    v: &Version,
    scheme: Scheme,
    record: &str,
) -> Result<Option<RangeHit>, String> {
    // (kind, raw, version; None = the "0" sentinel)
    let mut evs: Vec<(Kind, String, Option<Version>)> = Vec::new();
    for e in events {
        let Some(obj) = e.as_object() else { continue };
        for (k, kind) in [
            ("introduced", Kind::Introduced),
            ("fixed", Kind::Fixed),
            ("last_affected", Kind::LastAffected),
            ("limit", Kind::Limit),
        ] {
            let Some(raw) = obj.get(k).and_then(Value::as_str) else {
                continue;
            };
            if raw == "0" && kind == Kind::Introduced {
                evs.push((kind, raw.to_string(), None));
                continue;
            }
            if raw == "*" && kind == Kind::Limit {
                continue; // "*" = no limit
            }
            let parsed = Version::parse(scheme, raw)
                .map_err(|e| format!("{k} {raw:?} does not parse: {e}"))?;
            evs.push((kind, raw.to_string(), Some(parsed)));
        }
    }
    // A range with closing events but no `introduced` breaks the schema; read it as starting
    // from the beginning rather than as "affects nothing" (a wrong "not affected" is worse).
    if !evs.is_empty() && !evs.iter().any(|e| e.0 == Kind::Introduced) {
        evs.push((Kind::Introduced, "0".to_string(), None));
    }
    evs.sort_by(|a, b| match (&a.2, &b.2) {
        (None, None) => a.0.cmp(&b.0),
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(y).then(a.0.cmp(&b.0)),
    });
    let mut vulnerable = false;
    let mut intro: Option<String> = None;
    for (kind, raw, ver) in &evs {
        match kind {
            Kind::Introduced => {
                if ver.as_ref().is_none_or(|x| v >= x) {
                    vulnerable = true;
                    intro = Some(raw.clone());
                }
            }
            Kind::Fixed => {
                if ver.as_ref().is_some_and(|x| v >= x) {
                    vulnerable = false;
                }
            }
            Kind::LastAffected => {
                if ver.as_ref().is_some_and(|x| v > x) {
                    vulnerable = false;
                }
            }
            Kind::Limit => {}
        }
    }
    let limits: Vec<&Version> = evs
        .iter()
        .filter(|e| e.0 == Kind::Limit)
        .filter_map(|e| e.2.as_ref())
        .collect();
    if !limits.is_empty() && !limits.iter().any(|l| v < *l) {
        vulnerable = false;
    }
    if !vulnerable {
        return Ok(None);
    }
    let mut m = MatchedRange {
        record: record.to_string(),
        introduced: intro,
        ..Default::default()
    };
    let mut fixed = None;
    for (kind, raw, ver) in &evs {
        let Some(x) = ver else { continue };
        match kind {
            Kind::Fixed if x > v && fixed.is_none() => {
                fixed = Some((x.clone(), raw.clone()));
                m.fixed = Some(raw.clone());
            }
            Kind::LastAffected if x >= v && m.last_affected.is_none() && m.fixed.is_none() => {
                m.last_affected = Some(raw.clone());
            }
            Kind::Limit if x > v && m.limit.is_none() => m.limit = Some(raw.clone()),
            _ => {}
        }
    }
    Ok(Some((m, fixed)))
}

/// Evaluate one record against one identity. Returns the hit (if any) and evaluation errors.
fn eval_record(
    id: &str,
    record: &Rc<Value>,
    ident: &Identity,
    v: &Version,
) -> (Option<RecordHit>, Vec<String>) {
    let mut errors = Vec::new();
    let mut hit = RecordHit {
        id: id.to_string(),
        record: Rc::clone(record),
        entries: Vec::new(),
        ranges: Vec::new(),
        fixed: None,
    };
    let Some(affected) = record.get("affected").and_then(Value::as_array) else {
        return (None, errors);
    };
    for (i, entry) in affected.iter().enumerate() {
        let Some(pkg) = entry.get("package") else {
            continue;
        };
        let (Some(eco), Some(name)) = (
            pkg.get("ecosystem").and_then(Value::as_str),
            pkg.get("name").and_then(Value::as_str),
        ) else {
            continue;
        };
        if !ident.rule.accepts(eco) {
            continue;
        }
        let base = eco.split(':').next().unwrap_or(eco);
        if normalise_name(base, name) != ident.name {
            continue;
        }
        let mut entry_hit = false;
        // The OSV schema requires a `versions` list or a SEMVER/ECOSYSTEM range; an entry with
        // neither (only GIT ranges, only `database_specific`) cannot be evaluated here.
        let has_versions = entry
            .get("versions")
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty());
        let has_version_range = entry
            .get("ranges")
            .and_then(Value::as_array)
            .is_some_and(|rs| {
                rs.iter().any(|r| {
                    matches!(
                        r.get("type").and_then(Value::as_str),
                        Some("SEMVER" | "ECOSYSTEM")
                    )
                })
            });
        if !has_versions && !has_version_range {
            errors.push(format!(
                "affected[{i}] names {eco} {name} but has no versions list and no SEMVER/ECOSYSTEM range"
            ));
        }
        if let Some(list) = entry.get("versions").and_then(Value::as_array) {
            for s in list.iter().filter_map(Value::as_str) {
                match Version::parse(ident.scheme, s) {
                    Ok(x) if x == *v => {
                        entry_hit = true;
                        hit.ranges.push(MatchedRange {
                            record: id.to_string(),
                            listed: Some(s.to_string()),
                            ..Default::default()
                        });
                        break;
                    }
                    Ok(_) => {}
                    Err(e) => errors.push(format!("listed version {s:?} does not parse: {e}")),
                }
            }
        }
        if let Some(ranges) = entry.get("ranges").and_then(Value::as_array) {
            for r in ranges {
                let ty = r.get("type").and_then(Value::as_str).unwrap_or("");
                if ty != "SEMVER" && ty != "ECOSYSTEM" {
                    continue; // GIT ranges name commits, not versions.
                }
                let events = r
                    .get("events")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                match eval_range(events, v, ident.scheme, id) {
                    Ok(Some((m, fixed))) => {
                        entry_hit = true;
                        hit.ranges.push(m);
                        if let Some(f) = fixed {
                            if hit.fixed.as_ref().is_none_or(|cur| f.0 < cur.0) {
                                hit.fixed = Some(f);
                            }
                        }
                    }
                    Ok(None) => {}
                    Err(e) => errors.push(e),
                }
            }
        }
        if entry_hit {
            hit.entries.push(i);
        }
    }
    if hit.entries.is_empty() {
        (None, errors)
    } else {
        (Some(hit), errors)
    }
}

fn is_withdrawn(record: &Value) -> bool {
    matches!(record.get("withdrawn"), Some(Value::String(s)) if !s.trim().is_empty())
}

/// Union-find over strings.
struct Dsu {
    idx: HashMap<String, usize>,
    parent: Vec<usize>,
}

impl Dsu {
    fn new() -> Self {
        Dsu {
            idx: HashMap::new(),
            parent: Vec::new(),
        }
    }
    fn id(&mut self, s: &str) -> usize {
        if let Some(&i) = self.idx.get(s) {
            return i;
        }
        let i = self.parent.len();
        self.parent.push(i);
        self.idx.insert(s.to_string(), i);
        i
    }
    fn find(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.parent.get(i) {
            if p == i {
                break;
            }
            let gp = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(i) {
                *slot = gp;
            }
            i = p;
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            if let Some(slot) = self.parent.get_mut(ra) {
                *slot = rb;
            }
        }
    }
}

fn str_list(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The ids a record names as the same vulnerability: its `aliases`, and its `upstream` id when
/// it names exactly one (a distro record such as `DEBIAN-CVE-2024-1` derived from
/// `CVE-2024-1`). A record whose `upstream` names several ids (a DSA or USN bundling several
/// CVEs) is an advisory about several vulnerabilities, not an alias of each: linking it would
/// merge distinct CVEs into one finding. `related` never links (OSV: "closely related but not
/// aliases").
fn linked_ids(record: &Value) -> Vec<String> {
    let mut v = str_list(record, "aliases");
    let upstream = str_list(record, "upstream");
    if upstream.len() == 1 {
        v.extend(upstream);
    }
    v
}

/// Merge the hits of one component into findings (one per alias group).
fn merge(hits: Vec<RecordHit>, component: &ReportedComponent, ident: &Identity) -> Vec<Finding> {
    let mut dsu = Dsu::new();
    for h in &hits {
        let a = dsu.id(&h.id);
        for al in linked_ids(&h.record) {
            let b = dsu.id(&al);
            dsu.union(a, b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<RecordHit>> = BTreeMap::new();
    for h in hits {
        let i = dsu.id(&h.id);
        let root = dsu.find(i);
        groups.entry(root).or_default().push(h);
    }
    let mut out = Vec::new();
    for (_, mut group) in groups {
        group.sort_by(|a, b| rank_cmp(&a.id, &b.id));
        let Some(first) = group.first() else { continue };
        let id = first.id.clone();
        let mut all: BTreeSet<String> = BTreeSet::new();
        for h in &group {
            all.insert(h.id.clone());
            all.extend(linked_ids(&h.record));
        }
        all.remove(&id);
        let summary = group
            .iter()
            .find_map(|h| {
                h.record
                    .get("summary")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            })
            .or_else(|| {
                group.iter().find_map(|h| {
                    h.record
                        .get("details")
                        .and_then(Value::as_str)
                        .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                        .map(|l| l.chars().take(160).collect())
                })
            })
            .unwrap_or_default();
        let mut references = Vec::new();
        let mut seen = BTreeSet::new();
        for h in &group {
            if let Some(refs) = h.record.get("references").and_then(Value::as_array) {
                for r in refs {
                    if let Some(u) = r.get("url").and_then(Value::as_str) {
                        if seen.insert(u.to_string()) {
                            references.push(u.to_string());
                        }
                    }
                }
            }
        }
        let mut sev = Severity::unknown();
        let mut first_sev = true;
        for h in &group {
            let affected = h.record.get("affected").and_then(Value::as_array);
            let entries: Vec<&Value> = h
                .entries
                .iter()
                .filter_map(|&i| affected.and_then(|a| a.get(i)))
                .collect();
            let s = severity::for_match(&h.record, &entries);
            if first_sev || s.level > sev.level {
                sev = s;
                first_sev = false;
            }
        }
        let mut fixed: Option<(Version, String)> = None;
        for h in &group {
            if let Some(f) = &h.fixed {
                if fixed.as_ref().is_none_or(|cur| f.0 > cur.0) {
                    fixed = Some(f.clone());
                }
            }
        }
        let ranges = group
            .iter()
            .flat_map(|h| h.ranges.iter().cloned())
            .collect();
        out.push(Finding {
            id,
            aliases: all.into_iter().collect(),
            summary,
            severity: sev,
            component: component.clone(),
            matched: Matched {
                ecosystem: ident.ecosystem.clone(),
                package: ident.name.clone(),
                version: ident.version.clone(),
                ranges,
            },
            fixed_versions: fixed.map(|f| vec![f.1]).unwrap_or_default(),
            references,
        });
    }
    out
}

/// Copies of one component (same canonical purl) in one SBOM.
struct Group<'a> {
    canonical: String,
    members: Vec<&'a Component>,
}

/// Where a component was found: the reader's locations (`sbom-gen:location`), else the peer
/// properties Syft (`syft:location:N:path`) and Trivy (`aquasecurity:trivy:FilePath`) write.
fn component_locations(c: &Component) -> Vec<String> {
    if !c.locations.is_empty() {
        return c.locations.iter().map(|l| l.path.clone()).collect();
    }
    c.properties
        .iter()
        .filter(|(k, _)| {
            (k.starts_with("syft:location:") && k.ends_with(":path"))
                || k == "aquasecurity:trivy:FilePath"
        })
        .map(|(_, v)| v.trim_start_matches('/').to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn reported(sbom: &str, canonical: Option<&str>, members: &[&Component]) -> ReportedComponent {
    let first = members.first();
    let written = first.and_then(|c| c.purl.clone());
    let mut bom_refs: Vec<String> = members.iter().filter_map(|c| c.bom_ref.clone()).collect();
    bom_refs.dedup();
    let locations: BTreeSet<String> = members
        .iter()
        .flat_map(|c| component_locations(c))
        .collect();
    let name = members
        .iter()
        .map(|c| c.name.trim())
        .find(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| {
            canonical
                .and_then(|p| Purl::parse(p).ok())
                .map(|p| p.name)
                .unwrap_or_default()
        });
    let version = members.iter().find_map(|c| c.version.clone()).or_else(|| {
        canonical
            .and_then(|p| Purl::parse(p).ok())
            .and_then(|p| p.version)
    });
    ReportedComponent {
        bom_refs,
        name,
        version,
        purl: canonical.map(str::to_string),
        purl_as_written: written.filter(|w| Some(w.as_str()) != canonical),
        locations: locations.into_iter().collect(),
        sbom: sbom.to_string(),
    }
}

/// Match every input SBOM against the database.
/// How many parsed OSV records the matcher keeps cached between components.
const RECORD_CACHE_LIMIT: usize = 512;

pub fn run(db: &Db, inputs: &[Input<'_>], opts: &Options) -> Result<Outcome, DbError> {
    let mut out = Outcome::default();
    let mut record_cache: HashMap<String, Rc<Value>> = HashMap::new();
    let mut query_cache: HashMap<(String, String), Vec<String>> = HashMap::new();
    // Components looked up per ecosystem key, to say when the database cannot answer for one.
    let mut checked_per_ecosystem: BTreeMap<String, usize> = BTreeMap::new();
    for input in inputs {
        let sbom_distro = input.sbom.distro.as_ref().and_then(DistroRef::from_model);
        let shown_distro = opts
            .distro_override
            .clone()
            .or_else(|| sbom_distro.clone())
            .or_else(|| {
                input.sbom.components.iter().find_map(|c| {
                    c.purl
                        .as_deref()
                        .and_then(|p| Purl::parse(p).ok())
                        .and_then(|p| purl_distro(&p))
                })
            });
        out.sboms.push(SbomSummary {
            path: input.path.clone(),
            format: input.sbom.format.clone(),
            components: input.sbom.components.len(),
            distro: shown_distro.map(|d| d.display()),
        });
        // Group copies by canonical purl, in first-seen order.
        let mut groups: Vec<Group<'_>> = Vec::new();
        let mut by_purl: HashMap<String, usize> = HashMap::new();
        for c in &input.sbom.components {
            // The operating system is the distro, not a package; file entries without a purl
            // (Syft lists every file it read) are not packages either, nor is a container
            // without a purl (the image an SPDX document DESCRIBES).
            let no_purl = c.purl.as_deref().is_none_or(|p| p.trim().is_empty());
            if c.kind == ComponentKind::OperatingSystem
                || (matches!(c.kind, ComponentKind::File | ComponentKind::Container) && no_purl)
            {
                continue;
            }
            let written = c.purl.as_deref().map(str::trim).filter(|p| !p.is_empty());
            let Some(written) = written else {
                out.unmatched.push(Unmatched {
                    sbom: input.path.clone(),
                    name: c.name.clone(),
                    version: c.version.clone(),
                    purl: None,
                    reason: "no purl".into(),
                });
                continue;
            };
            let canonical = match Purl::parse(written) {
                Ok(p) => p.to_string(),
                Err(e) => {
                    out.unmatched.push(Unmatched {
                        sbom: input.path.clone(),
                        name: c.name.clone(),
                        version: c.version.clone(),
                        purl: Some(written.to_string()),
                        reason: format!("unreadable purl: {e}"),
                    });
                    continue;
                }
            };
            match by_purl.get(&canonical) {
                Some(&i) => {
                    if let Some(g) = groups.get_mut(i) {
                        g.members.push(c);
                    }
                }
                None => {
                    by_purl.insert(canonical.clone(), groups.len());
                    groups.push(Group {
                        canonical,
                        members: vec![c],
                    });
                }
            }
        }
        for g in &groups {
            let comp = reported(&input.path, Some(&g.canonical), &g.members);
            let unmatched = |reason: String| Unmatched {
                sbom: input.path.clone(),
                name: comp.name.clone(),
                version: comp.version.clone(),
                purl: Some(g.canonical.clone()),
                reason,
            };
            let Some(first) = g.members.first() else {
                continue;
            };
            let ident = match identify(first, opts.distro_override.as_ref(), sbom_distro.as_ref()) {
                Ok(i) => i,
                Err(reason) => {
                    out.unmatched.push(unmatched(reason));
                    continue;
                }
            };
            let v = match Version::parse(ident.scheme, &ident.version) {
                Ok(v) => v,
                Err(e) => {
                    out.unmatched.push(unmatched(format!(
                        "unparseable version {:?}: {e}",
                        ident.version
                    )));
                    continue;
                }
            };
            let key = (ident.rule.lookup_key().to_string(), ident.name.clone());
            *checked_per_ecosystem.entry(key.0.clone()).or_insert(0) += 1;
            // Bound memory: parsed records are cached across components (several versions of
            // one package), but never more than RECORD_CACHE_LIMIT at once; findings keep their
            // own references to the records they came from.
            if record_cache.len() > RECORD_CACHE_LIMIT && !query_cache.contains_key(&key) {
                record_cache.clear();
                query_cache.clear();
            }
            let ids = match query_cache.get(&key) {
                Some(ids) => ids.clone(),
                None => {
                    let recs = db.records_for(&key.0, &key.1)?;
                    let mut ids = Vec::new();
                    for r in recs {
                        match serde_json::from_str::<Value>(&r.json) {
                            Ok(val) => {
                                record_cache.insert(r.id.clone(), Rc::new(val));
                                ids.push(r.id);
                            }
                            Err(e) => out.warnings.push(format!(
                                "{}: record {} in the database does not parse: {e}",
                                db.path(),
                                r.id
                            )),
                        }
                    }
                    query_cache.insert(key.clone(), ids.clone());
                    ids
                }
            };
            let mut hits = Vec::new();
            for id in &ids {
                let Some(rec) = record_cache.get(id) else {
                    continue;
                };
                if is_withdrawn(rec) {
                    continue;
                }
                let (hit, errors) = eval_record(id, rec, &ident, &v);
                match hit {
                    Some(h) => hits.push(h),
                    None => {
                        for e in errors {
                            out.warnings.push(format!(
                                "{}: {}: {id} could not be fully evaluated: {e}",
                                input.path, g.canonical
                            ));
                        }
                    }
                }
            }
            out.findings.extend(merge(hits, &comp, &ident));
        }
    }
    if opts.only_fixed {
        out.findings.retain(|f| !f.fixed_versions.is_empty());
    }
    out.findings.sort_by(|a, b| {
        a.component
            .purl
            .cmp(&b.component.purl)
            .then_with(|| a.component.sbom.cmp(&b.component.sbom))
            .then_with(|| rank_cmp(&a.id, &b.id))
    });
    out.unmatched.sort();
    // A database without a single record for an ecosystem makes every component of it look
    // clean: say so rather than let "no findings" stand for "not checked".
    for (ecosystem, n) in checked_per_ecosystem {
        if !db.has_ecosystem(&ecosystem)? {
            out.warnings.push(format!(
                "{}: no advisories for {ecosystem} in the database: {n} component(s) of it were not checked against any record (import that ecosystem's OSV records)",
                db.path()
            ));
        }
    }
    out.warnings.sort();
    out.warnings.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_prefers_ghsa_then_ecosystem_own() {
        let mut ids = vec![
            "CVE-2023-1",
            "PYSEC-2023-137",
            "GHSA-pr76-5cm5-w9cj",
            "x_TEST-1",
        ];
        ids.sort_by(|a, b| rank_cmp(a, b));
        assert_eq!(
            ids,
            [
                "GHSA-pr76-5cm5-w9cj",
                "PYSEC-2023-137",
                "CVE-2023-1",
                "x_TEST-1"
            ]
        );
    }

    fn eval(events: serde_json::Value, v: &str) -> Option<MatchedRange> {
        let ev = events.as_array().cloned().unwrap_or_default();
        let v = Version::parse(Scheme::Semver, v).unwrap_or_else(|e| panic!("{e}"));
        eval_range(&ev, &v, Scheme::Semver, "R")
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|(m, _)| m)
    }

    #[test]
    fn osv_range_events() {
        use serde_json::json;
        // introduced "0" sorts before every version; fixed is exclusive.
        let r = json!([{"introduced": "0"}, {"fixed": "1.2.0"}]);
        assert!(eval(r.clone(), "0.0.0").is_some());
        assert!(eval(r.clone(), "1.2.0-rc.1").is_some());
        assert!(eval(r.clone(), "1.2.0").is_none());
        // last_affected is inclusive.
        let r = json!([{"introduced": "1.0.0"}, {"last_affected": "1.4.0"}]);
        assert!(eval(r.clone(), "0.9.0").is_none());
        assert_eq!(
            eval(r.clone(), "1.4.0").and_then(|m| m.last_affected),
            Some("1.4.0".into())
        );
        assert!(eval(r.clone(), "1.4.1").is_none());
        // Several branches, events out of order: the containing pair is reported.
        let r = json!([{"fixed": "2.5.0"}, {"introduced": "2.0.0"}, {"introduced": "0"}, {"fixed": "1.0.0"}]);
        let m = eval(r.clone(), "2.1.0").unwrap_or_default();
        assert_eq!(
            (m.introduced.as_deref(), m.fixed.as_deref()),
            (Some("2.0.0"), Some("2.5.0"))
        );
        assert!(eval(r.clone(), "1.5.0").is_none());
        // limit caps the range.
        let r = json!([{"introduced": "0"}, {"limit": "3.0.0"}]);
        assert!(eval(r.clone(), "2.9.9").is_some());
        assert!(eval(r.clone(), "3.0.0").is_none());
        // No introduced at all: read as from the beginning.
        assert!(eval(json!([{"fixed": "1.0.0"}]), "0.5.0").is_some());
        // An event that does not parse is an error, not "not affected".
        let v = Version::parse(Scheme::Semver, "1.0.0").unwrap_or_else(|e| panic!("{e}"));
        assert!(eval_range(
            &[json!({"introduced": "not a version"})],
            &v,
            Scheme::Semver,
            "R"
        )
        .is_err());
    }

    proptest::proptest! {
        /// One introduced/fixed pair under dpkg: affected exactly when introduced <= v < fixed,
        /// whatever order the events are listed in.
        #[test]
        fn single_pair_matches_the_interval(
            a in "[0-9]{1,2}(\\.[0-9]{1,2}){0,2}(~[a-z0-9]{1,3})?(-[0-9]{1,2})?",
            b in "[0-9]{1,2}(\\.[0-9]{1,2}){0,2}(~[a-z0-9]{1,3})?(-[0-9]{1,2})?",
            v in "[0-9]{1,2}(\\.[0-9]{1,2}){0,2}(~[a-z0-9]{1,3})?(-[0-9]{1,2})?",
            reversed in proptest::bool::ANY,
        ) {
            let p = |s: &str| Version::parse(Scheme::Dpkg, s);
            let (Ok(pa), Ok(pb), Ok(pv)) = (p(&a), p(&b), p(&v)) else { return Ok(()) };
            let mut events = vec![serde_json::json!({"introduced": a}), serde_json::json!({"fixed": b})];
            if reversed {
                events.reverse();
            }
            let got = eval_range(&events, &pv, Scheme::Dpkg, "R").ok().flatten().is_some();
            // Events are evaluated in version order (OSV "Evaluation"), so a `fixed` below its
            // `introduced` closes nothing: the range then runs from `introduced` upwards.
            // `introduced: "0"` means "from the start" (OSV), below even `0~a` under dpkg.
            let want = if a == "0" {
                pv < pb
            } else if pa <= pb {
                pa <= pv && pv < pb
            } else {
                pv >= pa
            };
            proptest::prop_assert_eq!(got, want);
        }

        /// Arbitrary event strings never panic; they are either evaluated or an error.
        #[test]
        fn arbitrary_events_never_panic(evs in proptest::collection::vec(("[a-z_]{1,14}", "\\PC{0,12}"), 0..6), v in "\\PC{0,12}") {
            for scheme in [Scheme::Semver, Scheme::Pep440, Scheme::Dpkg, Scheme::Go, Scheme::Maven] {
                let Ok(pv) = Version::parse(scheme, &v) else { continue };
                let events: Vec<Value> = evs.iter().map(|(k, x)| serde_json::json!({ k.as_str(): x })).collect();
                let _ = eval_range(&events, &pv, scheme, "R");
            }
        }
    }

    #[test]
    fn dsu_links_transitively() {
        let mut d = Dsu::new();
        let (a, b, c) = (d.id("A"), d.id("CVE-1"), d.id("B"));
        d.union(a, b);
        d.union(c, b);
        assert_eq!(d.find(a), d.find(c));
    }
}
