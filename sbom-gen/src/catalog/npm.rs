//! The npm cataloger: installed packages from `node_modules/<name>/package.json` and
//! `node_modules/@scope/<name>/package.json` (at any depth of nesting), and from lockfiles:
//! `package-lock.json` / `npm-shrinkwrap.json` of a project and npm's hidden lockfile
//! `node_modules/.package-lock.json`.
//!
//! Follows the npm docs: *package-lock.json* (lockfileVersion 1: nested `dependencies`;
//! 2 and 3: `packages` keyed by folder path relative to the project root, `""` the root
//! project, `link: true` a symlink to a local folder such as a workspace member) and
//! *package.json* (`name` and `version` together identify a published package; `license` or
//! the legacy `licenses` array). One component per installed copy, keyed by install folder,
//! name and version: a copy seen by a lockfile and by its installed package.json is one
//! component with both locations. The root project, workspace links, lock entries outside
//! `node_modules` and package.json files without a string name and version are not packages;
//! nor is a lock entry whose folder is absent while the project's `node_modules` exists (not
//! installed: `--omit=dev`, another OS's optional package, or removed by a later layer).
//! Purls: `pkg:npm/<name>@<version>`, a scope `@s` being the namespace (written `%40s`).

use std::collections::{BTreeMap, BTreeSet};

use sbom_model::purl::Purl;
use sbom_model::{Component, ComponentKind, Location, Unknown};
use serde_json::Value;

use super::{CatalogContext, CatalogOutput, Cataloger};
use crate::fs::{FileRef, FileSystem};

/// Largest installed package.json (bytes) asked for (old npm embedded the README in it).
const MAX_PACKAGE_JSON_BYTES: u64 = 16 << 20;
/// Largest lockfile (bytes) asked for; monorepo lockfiles reach tens of MiB.
const MAX_LOCKFILE_BYTES: u64 = 128 << 20;
/// Deepest `dependencies` nesting followed in a lockfile v1 (serde_json already stops at 128).
const MAX_V1_DEPTH: usize = 64;

/// The npm cataloger (see the module header).
pub struct NpmCataloger;

/// An installed copy's identity: (install folder, name, version).
type CopyKey = (String, String, String);

/// Whether `dir` ends in `node_modules/<name>` or `node_modules/@scope/<name>`; returns the
/// package name the folder gives (`name` or `@scope/name`).
fn installed_name(dir: &str) -> Option<&str> {
    let segs: Vec<&str> = dir.split('/').collect();
    let n = segs.len();
    let ok = |s: &str| !s.is_empty() && s != "node_modules" && !s.starts_with('.');
    let last = *segs.last()?;
    if n >= 2 && segs.get(n - 2) == Some(&"node_modules") && ok(last) && !last.starts_with('@') {
        return dir.get(dir.len() - last.len()..);
    }
    if n >= 3 && segs.get(n - 3) == Some(&"node_modules") {
        let scope = *segs.get(n - 2)?;
        if scope.len() > 1 && scope.starts_with('@') && ok(last) && !last.starts_with('@') {
            return dir.get(dir.len() - last.len() - scope.len() - 1..);
        }
    }
    None
}

/// Whether `path` is an installed package's manifest: `…node_modules/<name>/package.json` or
/// `…node_modules/@scope/<name>/package.json`.
pub fn is_installed_package_json(path: &str) -> bool {
    path.strip_suffix("/package.json")
        .is_some_and(|dir| installed_name(dir).is_some())
}

/// The project folder a lockfile describes (`""` for the image root), or `None` when `path` is
/// not a lockfile read here. A lockfile inside an installed package (`node_modules/x/…`) is
/// ignored: npm does not install from it.
pub fn lockfile_root(path: &str) -> Option<&str> {
    let (dir, base) = path.rsplit_once('/').unwrap_or(("", path));
    let in_node_modules = |d: &str| d.split('/').any(|s| s == "node_modules");
    match base {
        "package-lock.json" | "npm-shrinkwrap.json" if !in_node_modules(dir) => Some(dir),
        ".package-lock.json" => {
            let root = if dir == "node_modules" {
                Some("")
            } else {
                dir.strip_suffix("/node_modules")
            }?;
            (!in_node_modules(root)).then_some(root)
        }
        _ => None,
    }
}

fn join(root: &str, rel: &str) -> String {
    if root.is_empty() {
        rel.to_string()
    } else {
        format!("{root}/{rel}")
    }
}

/// Licences declared by a package.json or lock entry: `license` (a string, or the old
/// `{type}` object), else the legacy `licenses` array (strings or `{type}` objects).
pub fn licenses_of(v: &Value) -> Vec<String> {
    let one = |x: &Value| match x {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(o) => o
            .get("type")
            .and_then(Value::as_str)
            .map(|s| s.trim().to_string()),
        _ => None,
    };
    let mut out: Vec<String> = Vec::new();
    if let Some(l) = v.get("license").and_then(one) {
        out.push(l);
    } else if let Some(arr) = v.get("licenses").and_then(Value::as_array) {
        for l in arr.iter().filter_map(one) {
            if !out.contains(&l) {
                out.push(l);
            }
        }
    }
    out.retain(|l| !l.is_empty());
    out
}

fn nonempty_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// An installed copy found in a lockfile or a package.json.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpmEntry {
    /// Image-root-relative install folder, e.g. `app/node_modules/debug/node_modules/ms`.
    pub install_path: String,
    pub name: String,
    pub version: String,
    pub licenses: Vec<String>,
}

/// The installed copies a lockfile lists, with install folders under `root` (the lockfile's
/// project folder). Errors: the text is not a JSON object.
pub fn parse_lockfile(root: &str, data: &[u8]) -> Result<Vec<NpmEntry>, String> {
    let v: Value = serde_json::from_slice(data).map_err(|e| format!("not JSON: {e}"))?;
    if !v.is_object() {
        return Err("not a JSON object".to_string());
    }
    let mut out = Vec::new();
    if let Some(packages) = v.get("packages").and_then(Value::as_object) {
        for (key, e) in packages {
            if key.is_empty() || e.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let Some(folder_name) = installed_name(key) else {
                continue;
            };
            let Some(version) = nonempty_str(e, "version") else {
                continue;
            };
            let name = nonempty_str(e, "name").unwrap_or(folder_name);
            out.push(NpmEntry {
                install_path: join(root, key),
                name: name.to_string(),
                version: version.to_string(),
                licenses: licenses_of(e),
            });
        }
    } else if let Some(deps) = v.get("dependencies").and_then(Value::as_object) {
        v1_walk(root, deps, 0, &mut out);
    }
    Ok(out)
}

/// Lockfile v1: `dependencies` maps a name to `{version, dependencies}`; nested entries are
/// installed in the parent's own `node_modules`. `file:`/`link:` versions are local folders.
fn v1_walk(
    parent: &str,
    deps: &serde_json::Map<String, Value>,
    depth: usize,
    out: &mut Vec<NpmEntry>,
) {
    if depth > MAX_V1_DEPTH {
        return;
    }
    for (name, e) in deps {
        let install_path = join(parent, &format!("node_modules/{name}"));
        if installed_name(&install_path) != Some(name.as_str()) {
            continue;
        }
        if let Some(version) = nonempty_str(e, "version") {
            if !version.starts_with("file:") && !version.starts_with("link:") {
                out.push(NpmEntry {
                    install_path: install_path.clone(),
                    name: name.clone(),
                    version: version.to_string(),
                    licenses: licenses_of(e),
                });
            }
        }
        if let Some(nested) = e.get("dependencies").and_then(Value::as_object) {
            v1_walk(&install_path, nested, depth + 1, out);
        }
    }
}

/// The package an installed package.json describes, if it has a string name and version.
/// Errors: the text is not JSON.
pub fn parse_package_json(install_path: &str, data: &[u8]) -> Result<Option<NpmEntry>, String> {
    let v: Value = serde_json::from_slice(data).map_err(|e| format!("not JSON: {e}"))?;
    let (Some(name), Some(version)) = (nonempty_str(&v, "name"), nonempty_str(&v, "version"))
    else {
        return Ok(None);
    };
    Ok(Some(NpmEntry {
        install_path: install_path.to_string(),
        name: name.to_string(),
        version: version.to_string(),
        licenses: licenses_of(&v),
    }))
}

/// `pkg:npm/<name>@<version>`, with `@scope` as the namespace of a scoped name.
pub fn purl(name: &str, version: &str) -> Purl {
    let p = match name.split_once('/') {
        Some((scope, n)) if scope.starts_with('@') => Purl::new("npm", Some(scope), n),
        _ => Purl::new("npm", None, name),
    };
    p.with_version(version)
}

fn location(f: &FileRef<'_>) -> Location {
    Location {
        path: f.path.to_string(),
        layer_diff_id: None,
        layer_index: Some(f.layer),
    }
}

impl Cataloger for NpmCataloger {
    fn name(&self) -> &'static str {
        "npm"
    }
    fn files_read(&self) -> &'static str {
        "**/node_modules/[@scope/]NAME/package.json, **/package-lock.json, **/npm-shrinkwrap.json, **/node_modules/.package-lock.json"
    }
    fn ecosystems(&self) -> &'static [&'static str] {
        &["npm"]
    }
    fn wants(&self, path: &str, size: u64) -> bool {
        (is_installed_package_json(path) && size <= MAX_PACKAGE_JSON_BYTES)
            || (lockfile_root(path).is_some() && size <= MAX_LOCKFILE_BYTES)
    }
    fn catalog(&self, fs: &FileSystem, _ctx: &CatalogContext, out: &mut CatalogOutput) {
        // (install path, name, version) → (licences, locations)
        let mut found: BTreeMap<CopyKey, (Vec<String>, Vec<Location>)> = BTreeMap::new();
        let mut installed: BTreeSet<String> = BTreeSet::new();
        let unknown = |f: &FileRef<'_>, msg: String, out: &mut CatalogOutput| {
            out.unknowns.push(Unknown {
                path: f.path.to_string(),
                layer_index: Some(f.layer),
                message: format!("npm: {msg}"),
            })
        };
        for f in fs.files_matching(is_installed_package_json) {
            let Some(dir) = f.path.strip_suffix("/package.json") else {
                continue;
            };
            match parse_package_json(dir, f.data) {
                Ok(Some(e)) => {
                    installed.insert(e.install_path.clone());
                    let slot = found
                        .entry((e.install_path, e.name, e.version))
                        .or_default();
                    if slot.0.is_empty() {
                        slot.0 = e.licenses;
                    }
                    slot.1.push(location(&f));
                }
                Ok(None) => {}
                Err(msg) => unknown(&f, msg, out),
            }
        }
        for f in fs.files_matching(|p| lockfile_root(p).is_some()) {
            let Some(root) = lockfile_root(f.path) else {
                continue;
            };
            let entries = match parse_lockfile(root, f.data) {
                Ok(e) => e,
                Err(msg) => {
                    unknown(&f, msg, out);
                    continue;
                }
            };
            // Only installed entries count (cli-contract.md): once the project's node_modules
            // exists, an entry whose folder is absent was not installed (a dev dependency left
            // out by `--omit=dev`, an optional package for another OS) or was removed since.
            let tree_installed = fs.resolve(&join(root, "node_modules")).is_some();
            for e in entries {
                if tree_installed && fs.resolve(&e.install_path).is_none() {
                    continue;
                }
                let key = (e.install_path, e.name, e.version);
                // Where the installed package.json is present it is the truth about that folder:
                // a lock entry disagreeing with it is stale and is not a second package.
                if installed.contains(&key.0) && !found.contains_key(&key) {
                    continue;
                }
                let slot = found.entry(key).or_default();
                if slot.0.is_empty() {
                    slot.0 = e.licenses;
                }
                let loc = location(&f);
                if !slot.1.contains(&loc) {
                    slot.1.push(loc);
                }
            }
        }
        for ((_, name, version), (licenses, locations)) in found {
            out.components.push(Component {
                kind: ComponentKind::Library,
                purl: Some(purl(&name, &version).to_string()),
                name,
                version: Some(version),
                licenses,
                locations,
                ..Component::default()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_layers::{self, name_versions};
    use super::*;

    fn run(fs: &FileSystem) -> CatalogOutput {
        test_layers::run(&NpmCataloger, fs, &CatalogContext::default())
    }

    #[test]
    fn never_panics_on_garbage() {
        for g in test_layers::garbage(3) {
            let text = String::from_utf8_lossy(&g);
            let _ = installed_name(&text);
            let _ = lockfile_root(&text);
            let _ = parse_lockfile("", &g);
            let _ = parse_package_json("x", &g);
        }
        // Deep v1 nesting is bounded (serde_json refuses past 128 levels; the walk stops at 64).
        let mut deep = String::new();
        for _ in 0..60 {
            deep.push_str(r#"{"version":"1.0.0","dependencies":{"a":"#);
        }
        deep.push_str(r#"{"version":"1.0.0"}"#);
        for _ in 0..60 {
            deep.push_str("}}");
        }
        let lock = format!(r#"{{"lockfileVersion":1,"dependencies":{{"a":{deep}}}}}"#);
        let entries = parse_lockfile("", lock.as_bytes()).expect("parses");
        assert!(!entries.is_empty());
        assert!(entries
            .iter()
            .all(|e| installed_name(&e.install_path) == Some("a")));
    }

    #[test]
    fn paths() {
        assert!(is_installed_package_json(
            "app/node_modules/debug/package.json"
        ));
        assert!(is_installed_package_json(
            "node_modules/@babel/core/package.json"
        ));
        assert!(is_installed_package_json(
            "a/node_modules/debug/node_modules/ms/package.json"
        ));
        assert!(!is_installed_package_json(
            "app/node_modules/tslib/modules/package.json"
        ));
        assert!(!is_installed_package_json(
            "app/node_modules/@babel/package.json"
        ));
        assert!(!is_installed_package_json("app/package.json"));
        assert!(!is_installed_package_json(
            "app/node_modules/.bin/package.json"
        ));
        assert_eq!(lockfile_root("app/package-lock.json"), Some("app"));
        assert_eq!(lockfile_root("package-lock.json"), Some(""));
        assert_eq!(
            lockfile_root("app/node_modules/.package-lock.json"),
            Some("app")
        );
        assert_eq!(lockfile_root("node_modules/.package-lock.json"), Some(""));
        assert_eq!(lockfile_root("app/node_modules/x/package-lock.json"), None);
        assert_eq!(
            lockfile_root("app/node_modules/x/node_modules/.package-lock.json"),
            None
        );
    }

    #[test]
    fn purls_and_licenses() {
        assert_eq!(
            purl("@babel/core", "7.23.0").to_string(),
            "pkg:npm/%40babel/core@7.23.0"
        );
        assert_eq!(purl("ms", "2.1.3").to_string(), "pkg:npm/ms@2.1.3");
        let v: Value =
            serde_json::from_str(r#"{"license":{"type":"MIT","url":"x"}}"#).expect("json");
        assert_eq!(licenses_of(&v), vec!["MIT"]);
        let v: Value =
            serde_json::from_str(r#"{"licenses":[{"type":"MIT"},"Apache-2.0",{"type":"MIT"}]}"#)
                .expect("json");
        assert_eq!(licenses_of(&v), vec!["MIT", "Apache-2.0"]);
    }

    #[test]
    fn lockfile_v1_nested() {
        let lock = include_bytes!("testdata/package-lock-v1.json");
        let entries = parse_lockfile("srv", lock).expect("lock");
        let got: Vec<(&str, &str, &str)> = entries
            .iter()
            .map(|e| (e.install_path.as_str(), e.name.as_str(), e.version.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("srv/node_modules/@types/node", "@types/node", "20.1.0"),
                ("srv/node_modules/debug", "debug", "2.6.9"),
                ("srv/node_modules/debug/node_modules/ms", "ms", "2.0.0"),
                ("srv/node_modules/mocha", "mocha", "10.0.0"),
                ("srv/node_modules/ms", "ms", "2.1.3"),
            ]
        );
    }

    #[test]
    fn installed_copy_is_one_component_and_stale_lock_entries_yield() {
        let mut fs = FileSystem::default();
        fs.add_file(
            "app/package-lock.json",
            2,
            br#"{"lockfileVersion":3,"packages":{"":{"name":"root"},
                "node_modules/a":{"version":"1.0.0","license":"MIT"},
                "node_modules/b":{"version":"1.0.0"},
                "node_modules/c":{"version":"3.0.0","dev":true},
                "node_modules/alias":{"name":"real","version":"4.0.0"},
                "node_modules/w":{"resolved":"packages/w","link":true},
                "packages/w":{"name":"w","version":"1.0.0"},
                "node_modules/nover":{"resolved":"x"}}}"#,
        );
        fs.add_file(
            "app/node_modules/a/package.json",
            2,
            br#"{"name":"a","version":"1.0.0"}"#,
        );
        fs.add_file(
            "app/node_modules/b/package.json",
            3,
            br#"{"name":"b","version":"1.0.1","license":"ISC"}"#,
        );
        fs.add_file("app/node_modules/broken/package.json", 2, b"{not json");
        // Installed folders whose package.json was not kept: the lock entries speak for them.
        fs.add_file("app/node_modules/c/index.js", 2, b"");
        fs.add_file("app/node_modules/alias/index.js", 2, b"");
        let out = run(&fs);
        assert_eq!(
            name_versions(&out),
            vec![
                ("a".to_string(), "1.0.0".to_string()),
                ("b".to_string(), "1.0.1".to_string()),
                ("c".to_string(), "3.0.0".to_string()),
                ("real".to_string(), "4.0.0".to_string()),
            ]
        );
        let a = out.components.iter().find(|c| c.name == "a").expect("a");
        let paths: Vec<&str> = a.locations.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(
            paths,
            vec!["app/node_modules/a/package.json", "app/package-lock.json"]
        );
        assert_eq!(a.licenses, vec!["MIT"]);
        let b = out.components.iter().find(|c| c.name == "b").expect("b");
        assert_eq!(
            (b.licenses.clone(), b.locations[0].layer_index),
            (vec!["ISC".to_string()], Some(3))
        );
        assert_eq!(out.unknowns.len(), 1);
        assert_eq!(out.unknowns[0].path, "app/node_modules/broken/package.json");
    }

    /// Case D02: lockfile v3, hidden lockfile and installed package.json files, from the image.
    #[test]
    fn case_d02_npm_lockfile_v3() {
        let Some(dir) = sbom_model::testing::shared_path("cases/D02/image") else {
            return;
        };
        let fs = test_layers::oci_layout(&dir);
        let out = run(&fs);
        let want = [
            ("debug", "2.6.9"),
            ("ms", "2.0.0"),
            ("ms", "2.1.3"),
            ("tslib", "2.9.1"),
        ];
        assert_eq!(
            name_versions(&out),
            want.map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert!(out.unknowns.is_empty(), "{:?}", out.unknowns);
        let nested = out
            .components
            .iter()
            .find(|c| c.version.as_deref() == Some("2.0.0"))
            .expect("ms 2.0.0");
        let mut paths: Vec<&str> = nested.locations.iter().map(|l| l.path.as_str()).collect();
        paths.sort();
        assert_eq!(
            paths,
            vec![
                "app/node_modules/.package-lock.json",
                "app/node_modules/debug/node_modules/ms/package.json",
                "app/package-lock.json"
            ]
        );
        assert_eq!(nested.purl.as_deref(), Some("pkg:npm/ms@2.0.0"));
    }

    /// debian-app: the 52 installed packages of expected.json (the root project is optional and
    /// not reported).
    #[test]
    fn debian_app_npm_matches_expected() {
        let Some(images) = sbom_model::testing::shared_path("testdata/images") else {
            return;
        };
        let expected: serde_json::Value = serde_json::from_slice(
            &std::fs::read(images.join("expected.json")).expect("expected.json"),
        )
        .expect("json");
        let fs = test_layers::docker_archive(&images.join("debian-app.docker.tar"));
        let out = run(&fs);
        assert!(out.unknowns.is_empty(), "{:?}", out.unknowns);
        let mut want: Vec<(String, String, String)> = expected["images"]["debian-app"]["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .filter(|p| p["type"] == "npm" && p["optional"] != true)
            .map(|p| {
                let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
                (s("name"), s("version"), s("path"))
            })
            .collect();
        want.sort();
        assert_eq!(want.len(), 52);
        let mut got: Vec<(String, String, String)> = out
            .components
            .iter()
            .map(|c| {
                let pj = c
                    .locations
                    .iter()
                    .find(|l| l.path.ends_with("/package.json"))
                    .map(|l| l.path.clone());
                (
                    c.name.clone(),
                    c.version.clone().unwrap_or_default(),
                    pj.unwrap_or_default(),
                )
            })
            .collect();
        got.sort();
        assert_eq!(got, want);
        // Each is also confirmed by both lockfiles.
        assert!(
            out.components.iter().all(|c| c.locations.len() == 3),
            "lock and package.json agree"
        );
    }
}
