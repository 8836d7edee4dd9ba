//! The squashed filesystem view of an image: what the final root holds, which layer each entry
//! came from, and the contents of the files the catalogers asked for.
//!
//! Paths are image-root-relative, `/`-separated, with no leading `/`, no `.` or `..` segments and
//! no trailing `/` (see [`normalize`]). Symlinks are resolved inside the image root only:
//! absolute targets are relative to the root, `..` never climbs above it, at most
//! [`MAX_LINK_HOPS`] links are followed; a loop or a dangling link is "no file"
//! (cli-contract.md, "Cataloging rules"). No path here is ever joined to a host path.

use std::collections::BTreeMap;
use std::sync::Arc;

use sbom_model::LayerInfo;

/// How many symlinks one lookup may follow before it is treated as a loop (as Linux's
/// `MAXSYMLINKS`, 40).
pub const MAX_LINK_HOPS: usize = 40;

/// How many path segments one lookup may walk, counting those of the link targets it follows;
/// more is treated as a loop. Real lookups walk a few dozen; without a bound, 40 links with
/// targets like `a/a/…/../../x` make each lookup cost millions of steps.
pub const MAX_RESOLVE_STEPS: usize = 1024;

/// Longest path (and link target) kept in the view, in bytes: Linux's `PATH_MAX` (4096), so
/// no real filesystem holds a longer one. Members with a longer name or link target are
/// skipped by the loader;
/// without this bound, one member named `a/a/a/…` (a PAX path may be 1 MiB) would create
/// every parent folder as its own path, memory quadratic in the name's length.
pub const MAX_PATH_BYTES: usize = 4096;

/// What an entry of the squashed view is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file; `data` is `Some` when a cataloger wanted its contents.
    File {
        size: u64,
        data: Option<Arc<[u8]>>,
    },
    Dir,
    /// A symbolic link, with its target as written in the tar.
    Symlink(String),
    /// Anything else (device, fifo): present, never read.
    Other,
}

/// One entry of the squashed view and the 1-based index of the layer that last wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    pub layer: usize,
}

/// A kept file as a cataloger sees it.
#[derive(Debug, Clone, Copy)]
pub struct FileRef<'a> {
    /// The path asked for (or listed), which may be a link.
    pub path: &'a str,
    /// The path of the regular file after links were resolved.
    pub real_path: &'a str,
    /// 1-based layer of the regular file that holds the contents.
    pub layer: usize,
    pub data: &'a [u8],
}

/// A file's contents as one layer wrote them: (1-based layer, contents).
pub type LayerContents = (usize, Arc<[u8]>);

/// The squashed view: the final state of every path after all layers, whiteouts and opaque
/// directories were applied.
#[derive(Debug, Clone, Default)]
pub struct FileSystem {
    layers: Vec<LayerInfo>,
    entries: BTreeMap<String, Entry>,
    /// Kept contents that a later layer replaced: path → (layer, contents), oldest first.
    /// Lets a cataloger tell which layer first introduced a record (e.g. a dpkg status entry).
    superseded: BTreeMap<String, Vec<LayerContents>>,
    /// Bytes of the paths ever inserted (entries and the parent folders made for them).
    path_bytes: u64,
}

/// Normalise a path from a tar member or a link target into image-root-relative form: strips
/// leading `/` and `./`, drops `.` segments, resolves `..` without ever climbing above the root.
/// Returns the path and whether `..` tried to climb above the root (hostile members are
/// reported by the caller).
pub fn normalize(path: &str) -> (String, bool) {
    let mut out: Vec<&str> = Vec::new();
    let mut escaped = false;
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if out.pop().is_none() {
                    escaped = true;
                }
            }
            s => out.push(s),
        }
    }
    (out.join("/"), escaped)
}

impl FileSystem {
    pub fn new(layers: Vec<LayerInfo>) -> Self {
        FileSystem {
            layers,
            entries: BTreeMap::new(),
            superseded: BTreeMap::new(),
            path_bytes: 0,
        }
    }

    /// The image's layers, base first.
    pub fn layers(&self) -> &[LayerInfo] {
        &self.layers
    }

    /// The layer with this 1-based index.
    pub fn layer(&self, index: usize) -> Option<&LayerInfo> {
        index.checked_sub(1).and_then(|i| self.layers.get(i))
    }

    /// Set (overwrite) the entry at `path` (already normalised). A non-directory replacing a
    /// directory removes everything below it, as overlayfs shows it.
    pub fn put(&mut self, path: String, entry: Entry) {
        if !matches!(entry.kind, EntryKind::Dir) {
            self.remove_below(&path);
        }
        if let Some(Entry {
            kind: EntryKind::File {
                data: Some(old), ..
            },
            layer: old_layer,
        }) = self.entries.get(&path)
        {
            if *old_layer < entry.layer {
                self.superseded
                    .entry(path.clone())
                    .or_default()
                    .push((*old_layer, old.clone()));
            }
        }
        let len = path.len() as u64;
        if self.entries.insert(path, entry).is_none() {
            self.path_bytes = self.path_bytes.saturating_add(len);
        }
    }

    /// Bytes of every path inserted so far, parents included (removed ones still count): what
    /// the view's keys cost in memory, for the loader's budget (`Limits::max_path_bytes`).
    pub fn path_bytes(&self) -> u64 {
        self.path_bytes
    }

    /// Earlier kept contents of the regular file at `path` (no links followed) that later
    /// layers replaced, oldest first, as (1-based layer, contents). Empty when the file was
    /// written once, or its earlier copies were not wanted.
    pub fn superseded(&self, path: &str) -> &[LayerContents] {
        self.superseded.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Apply a whiteout: remove `path` and everything below it.
    pub fn whiteout(&mut self, path: &str) {
        self.remove_entry(path);
        self.remove_below(path);
    }

    /// Apply an opaque-directory marker: remove everything below `dir` that lower layers wrote
    /// (entries written by `layer` itself stay).
    pub fn opaque(&mut self, dir: &str, layer: usize) {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        self.remove_lower_below(&prefix, layer);
    }

    /// Apply a whiteout found in layer `layer` (OCI image-spec *layer.md*, "Whiteouts"): remove
    /// what lower layers put at `path` and below it; entries `layer` itself wrote stay.
    pub fn whiteout_lower(&mut self, path: &str, layer: usize) {
        if path.is_empty() {
            return self.opaque(path, layer);
        }
        if self
            .entries
            .get(path)
            .map(|e| e.layer < layer)
            .unwrap_or(false)
        {
            self.remove_entry(path);
        }
        let prefix = format!("{path}/");
        self.remove_lower_below(&prefix, layer);
    }

    /// Remove every entry below `prefix` (a folder path ending in `/`, or empty for the root)
    /// that a layer lower than `layer` wrote, then restore the parents of what survives.
    fn remove_lower_below(&mut self, prefix: &str, layer: usize) {
        let doomed: Vec<String> = self
            .entries
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .filter(|(_, e)| e.layer < layer)
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.remove_entry(&k);
        }
        self.restore_parents_below(prefix, layer);
    }

    /// After removing lower-layer entries below `prefix`, make sure every surviving entry there
    /// still has its parent folders (a folder a lower layer wrote may have been removed while
    /// this layer's files inside it stay).
    fn restore_parents_below(&mut self, prefix: &str, layer: usize) {
        let survivors: Vec<String> = self
            .entries
            .range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in survivors {
            self.add_parents(&k, layer);
        }
    }

    fn remove_below(&mut self, path: &str) {
        if path.is_empty() {
            self.entries.clear();
            self.superseded.clear();
            return;
        }
        let prefix = format!("{path}/");
        let doomed: Vec<String> = self
            .entries
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.remove_entry(&k);
        }
    }

    /// Remove the entry at `path` and the earlier contents kept for it: a file deleted and
    /// written again later starts a new history.
    fn remove_entry(&mut self, path: &str) {
        self.entries.remove(path);
        self.superseded.remove(path);
    }

    /// The entry at exactly this path (links not followed).
    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// Every entry, sorted by path.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Mutable access for the loader (to attach contents to an existing file entry).
    pub fn entry_mut(&mut self, path: &str) -> Option<&mut Entry> {
        self.entries.get_mut(path)
    }

    /// Resolve `path` through symlinks (in every segment) inside the image root. Returns the
    /// real path of what it names, or `None` for a dangling link, a loop, more than
    /// [`MAX_LINK_HOPS`] links or more than [`MAX_RESOLVE_STEPS`] segments walked.
    pub fn resolve(&self, path: &str) -> Option<String> {
        let (norm, _) = normalize(path);
        let mut pending: Vec<&str> = norm.split('/').filter(|s| !s.is_empty()).rev().collect();
        // The path resolved so far, and its length before each segment was added.
        let mut cur = String::new();
        let mut starts: Vec<usize> = Vec::new();
        let mut hops = 0usize;
        let mut steps = 0usize;
        while let Some(seg) = pending.pop() {
            steps += 1;
            if steps > MAX_RESOLVE_STEPS {
                return None;
            }
            match seg {
                "." => continue,
                ".." => {
                    if let Some(start) = starts.pop() {
                        cur.truncate(start);
                    }
                    continue;
                }
                _ => {}
            }
            starts.push(cur.len());
            if !cur.is_empty() {
                cur.push('/');
            }
            cur.push_str(seg);
            match self.entries.get(&cur).map(|e| &e.kind) {
                None => return None,
                Some(EntryKind::Symlink(target)) => {
                    hops += 1;
                    if hops > MAX_LINK_HOPS {
                        return None;
                    }
                    if let Some(start) = starts.pop() {
                        cur.truncate(start);
                    }
                    if target.starts_with('/') {
                        cur.clear();
                        starts.clear();
                    }
                    pending.extend(target.split('/').filter(|s| !s.is_empty()).rev());
                }
                Some(_) => {}
            }
        }
        Some(cur)
    }

    /// Read a kept regular file, following links inside the root. `None` when the path does not
    /// resolve to a regular file whose contents were kept.
    pub fn read<'a>(&'a self, path: &'a str) -> Option<FileRef<'a>> {
        let real = self.resolve(path)?;
        let (real_path, entry) = self.entries.get_key_value(&real)?;
        match &entry.kind {
            EntryKind::File { data: Some(d), .. } => Some(FileRef {
                path,
                real_path: real_path.as_str(),
                layer: entry.layer,
                data: d,
            }),
            _ => None,
        }
    }

    /// Every path of the squashed view (regular files and links, not directories) for which
    /// `select` is true and that resolves to a kept regular file, sorted by path.
    pub fn files_matching<'a>(&'a self, select: impl Fn(&str) -> bool) -> Vec<FileRef<'a>> {
        self.entries
            .iter()
            .filter(|(k, e)| {
                matches!(e.kind, EntryKind::File { .. } | EntryKind::Symlink(_)) && select(k)
            })
            .filter_map(|(k, _)| self.read(k.as_str()))
            .collect()
    }

    /// Whether `path` exists in the squashed view (links not followed).
    pub fn exists(&self, path: &str) -> bool {
        self.entries.contains_key(path)
    }

    /// Test and loader helper: add a regular file with contents.
    pub fn add_file(&mut self, path: &str, layer: usize, data: &[u8]) {
        let (p, _) = normalize(path);
        self.add_parents(&p, layer);
        self.put(
            p,
            Entry {
                kind: EntryKind::File {
                    size: data.len() as u64,
                    data: Some(Arc::from(data)),
                },
                layer,
            },
        );
    }

    /// Test and loader helper: add a symlink.
    pub fn add_symlink(&mut self, path: &str, layer: usize, target: &str) {
        let (p, _) = normalize(path);
        self.add_parents(&p, layer);
        self.put(
            p,
            Entry {
                kind: EntryKind::Symlink(target.to_string()),
                layer,
            },
        );
    }

    /// Make sure every parent directory of `path` exists (tar streams may omit them).
    pub fn add_parents(&mut self, path: &str, layer: usize) {
        let mut cur = String::new();
        let segs: Vec<&str> = path.split('/').collect();
        for seg in &segs[..segs.len().saturating_sub(1)] {
            if !cur.is_empty() {
                cur.push('/');
            }
            cur.push_str(seg);
            if !self.entries.contains_key(&cur) {
                self.path_bytes = self.path_bytes.saturating_add(cur.len() as u64);
                self.entries.insert(
                    cur.clone(),
                    Entry {
                        kind: EntryKind::Dir,
                        layer,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_clamps_at_root() {
        assert_eq!(normalize("../../etc/evil"), ("etc/evil".to_string(), true));
        assert_eq!(normalize("/abs/path"), ("abs/path".to_string(), false));
        assert_eq!(normalize("./a/../../b"), ("b".to_string(), true));
        assert_eq!(
            normalize("./usr//lib/./x/"),
            ("usr/lib/x".to_string(), false)
        );
    }

    #[test]
    fn relative_and_absolute_links_stay_inside() {
        let mut fs = FileSystem::default();
        fs.add_file("usr/lib/os-release", 1, b"ID=debian\n");
        fs.add_symlink("etc/os-release", 1, "../usr/lib/os-release");
        fs.add_symlink("a/abs", 1, "/usr/lib/os-release");
        fs.add_symlink("a/climb", 1, "../../../../../usr/lib/os-release");
        fs.add_symlink("a/out", 1, "/etc/passwd");
        assert_eq!(
            fs.read("etc/os-release").map(|f| f.real_path),
            Some("usr/lib/os-release")
        );
        assert_eq!(fs.read("a/abs").map(|f| f.data), Some(&b"ID=debian\n"[..]));
        assert_eq!(
            fs.read("a/climb").map(|f| f.real_path),
            Some("usr/lib/os-release")
        );
        assert!(
            fs.read("a/out").is_none(),
            "dangling inside the image: no file"
        );
    }

    #[test]
    fn loops_and_directory_links() {
        let mut fs = FileSystem::default();
        fs.add_symlink("x/M", 1, "M.b");
        fs.add_symlink("x/M.b", 1, "M");
        assert!(fs.resolve("x/M").is_none());
        fs.add_file("real/dir/f", 1, b"hi");
        fs.add_symlink("lnk", 1, "real/dir");
        assert_eq!(fs.read("lnk/f").map(|f| f.real_path), Some("real/dir/f"));
    }

    #[test]
    fn whiteout_and_opaque() {
        let mut fs = FileSystem::default();
        fs.add_file("sp/a/METADATA", 1, b"a");
        fs.add_file("sp/b/METADATA", 1, b"b");
        fs.add_file("sp/c/METADATA", 2, b"c");
        fs.whiteout("sp/a");
        assert!(!fs.exists("sp/a/METADATA"));
        fs.opaque("sp", 2);
        assert!(!fs.exists("sp/b/METADATA"));
        assert!(fs.exists("sp/c/METADATA"));
    }
}
