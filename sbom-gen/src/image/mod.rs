//! Layer decoding (gzip, zstd, plain tar by magic bytes), whiteouts, opaque directories, and the
//! squashed [`crate::fs::FileSystem`].
//!
//! [`load`] opens a SOURCE (see [`crate::source`]), reads each layer once as a stream, base
//! first, checking the blob digest and the config's `rootfs.diff_ids`, and applies the tar
//! members to the squashed view as OCI image-spec *layer.md* describes: later layers overwrite,
//! `.wh.NAME` removes NAME from lower layers, `.wh..wh..opq` hides what lower layers put in its
//! folder (whatever its position in the tar), hard links copy their target's kind and contents.
//! Member names are normalised inside the root (a warning names hostile ones); nothing is ever
//! written to the host. Only the files `wants` asks for keep their contents. After the last
//! layer, wanted links whose target's contents were not kept are fetched by a second, targeted
//! read of the layers that hold those targets.

mod config;
mod stream;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use sbom_model::{LayerInfo, SourceInfo};

use crate::fs::{normalize, Entry, EntryKind, FileSystem, MAX_PATH_BYTES};
use crate::source::{self, oci::Platform, Image, LayerBlob, Scheme};
use crate::GenError;
use stream::{read_layer, Digests, LayerEntry, StreamError, StreamLimits};

pub use stream::Compression;

/// Budgets that keep a hostile image from eating the machine (architecture.md, "Budgets").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes kept per wanted file; a larger file is not kept (warning). Default 64 MiB.
    pub max_file_bytes: u64,
    /// Decompressed bytes per layer; more is [`GenError::Limit`]. Default 16 GiB.
    pub max_layer_bytes: u64,
    /// Tar members per layer (and members of an outer archive, files of a `dir:`); more is
    /// [`GenError::Limit`]. Default 5 000 000.
    pub max_entries_per_layer: u64,
    /// Bytes of all the paths the squashed view holds (each entry and each parent folder is
    /// its full path), for image sources; more is [`GenError::Limit`]. Default 1 GiB (a large real image needs a
    /// few tens of MiB); it stops names like `a/a/a/…`, each adding thousands of parent
    /// paths, from filling memory.
    pub max_path_bytes: u64,
    /// Bytes of wanted files' contents kept in memory, all layers together (each file is also
    /// bounded by `max_file_bytes`); more is [`GenError::Limit`], for image sources. Default
    /// 1 GiB (real images keep a few tens of MiB of metadata); without it a 6 MB image of
    /// compressible 16 MiB `METADATA` files made the scan hold 1.3 GB, and a layer may
    /// decompress to `max_layer_bytes`.
    pub max_kept_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_layer_bytes: 16 * 1024 * 1024 * 1024,
            max_entries_per_layer: 5_000_000,
            max_path_bytes: 1024 * 1024 * 1024,
            max_kept_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// How to load a SOURCE.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// `os/arch[/variant]` of the image to take from a multi-platform index. `None`: the host's,
    /// falling back to the first image of the index.
    pub platform: Option<String>,
    pub limits: Limits,
}

/// A loaded image: the squashed view, what the SBOM says about the source, and warnings.
#[derive(Debug, Clone)]
pub struct LoadedImage {
    pub fs: FileSystem,
    pub source: SourceInfo,
    /// One line each (hostile tar member names, files too large to keep, unreadable files).
    pub warnings: Vec<String>,
}

/// Load the image `spec` names and build its squashed view.
///
/// `spec` is the SOURCE argument as the user typed it: `docker-archive:PATH`, `oci-archive:PATH`,
/// `oci-dir:PATH`, `dir:PATH`, or a bare path detected by content (cli-contract.md, "sbom-gen").
/// `wants(path, size)` says whether a regular file's contents must be kept (`path`
/// image-root-relative and normalised, `size` in bytes); for a link, it is asked with the link's
/// path and its target's size.
///
/// Errors: [`GenError::NotFound`] (missing path), [`GenError::Usage`] (registry/daemon
/// references, a bad `--platform`), [`GenError::Invalid`] (broken archive, layout, JSON; the
/// place is a member, digest or JSON pointer), [`GenError::Layer`] (a layer that cannot be read
/// to its end or does not match its digests, naming the blob digest and 1-based index),
/// [`GenError::Limit`], [`GenError::Io`].
pub fn load(
    spec: &str,
    wants: &dyn Fn(&str, u64) -> bool,
    opts: &LoadOptions,
) -> Result<LoadedImage, GenError> {
    let (scheme, path) = source::detect(spec, opts.limits.max_entries_per_layer)?;
    match scheme {
        Scheme::Dir => load_dir(&path, wants, &opts.limits),
        _ => load_image(scheme, &path, wants, opts),
    }
}

fn load_dir(
    root: &Path,
    wants: &dyn Fn(&str, u64) -> bool,
    limits: &Limits,
) -> Result<LoadedImage, GenError> {
    let layers = vec![LayerInfo {
        index: 1,
        diff_id: String::new(),
        created_by: None,
    }];
    let mut loader = Loader::new(FileSystem::new(layers.clone()), wants, limits);
    source::dir::walk(
        root,
        wants,
        limits.max_file_bytes,
        limits.max_entries_per_layer,
        &mut loader.fs,
        &mut loader.warnings,
    )?;
    let requests = loader.fixup_requests();
    for paths in requests.into_values() {
        for (real, dests) in paths {
            if let Some(data) = source::dir::read_inside(root, &real, limits.max_file_bytes) {
                loader.attach(&dests, Arc::from(data));
            } else {
                loader
                    .warnings
                    .push(format!("{}: cannot read {real}", root.display()));
            }
        }
    }
    let source = SourceInfo {
        name: root.display().to_string(),
        version: None,
        config_digest: None,
        created: None,
        scheme: Scheme::Dir.as_str().to_string(),
        layers,
        properties: BTreeMap::new(),
    };
    Ok(LoadedImage {
        fs: loader.fs,
        source,
        warnings: loader.warnings,
    })
}

fn load_image(
    scheme: Scheme,
    path: &Path,
    wants: &dyn Fn(&str, u64) -> bool,
    opts: &LoadOptions,
) -> Result<LoadedImage, GenError> {
    let (platform, explicit) = match &opts.platform {
        Some(p) => (Platform::parse(p)?, true),
        None => (Platform::host(), false),
    };
    let image = source::open_image(
        scheme,
        path,
        &platform,
        explicit,
        opts.limits.max_entries_per_layer,
    )?;
    let cfg = config::parse(&image.config, path, &image.config_digest)?;
    if cfg.diff_ids.len() != image.layers.len() {
        return Err(GenError::Invalid {
            path: path.to_path_buf(),
            place: format!("{} /rootfs/diff_ids", image.config_digest),
            message: format!(
                "{} diff_ids for {} layers in the manifest",
                cfg.diff_ids.len(),
                image.layers.len()
            ),
        });
    }
    let layers: Vec<LayerInfo> = cfg
        .diff_ids
        .iter()
        .enumerate()
        .map(|(i, d)| LayerInfo {
            index: i + 1,
            diff_id: d.clone(),
            created_by: cfg.layer_history.get(i).cloned().flatten(),
        })
        .collect();
    let mut loader = Loader::new(FileSystem::new(layers.clone()), wants, &opts.limits);
    if explicit
        && (cfg.os.as_deref() != Some(platform.os.as_str())
            || cfg.architecture.as_deref() != Some(platform.architecture.as_str()))
    {
        loader.warnings.push(format!(
            "{}: the image is {}/{}, not the requested {platform}",
            path.display(),
            cfg.os.as_deref().unwrap_or("?"),
            cfg.architecture.as_deref().unwrap_or("?")
        ));
    }
    for (i, (blob, diff_id)) in image.layers.iter().zip(&cfg.diff_ids).enumerate() {
        let index = i + 1;
        let mut visit = |e: &mut LayerEntry<'_>| {
            loader.apply(index, e)?;
            loader.check_path_budget()
        };
        read_checked(&image, blob, index, diff_id, &opts.limits, &mut visit)?;
    }
    let requests = loader.fixup_requests();
    for (layer, members) in requests {
        let (Some(blob), Some(diff_id)) = (
            layer.checked_sub(1).and_then(|i| image.layers.get(i)),
            cfg.diff_ids.get(layer.saturating_sub(1)),
        ) else {
            continue;
        };
        let mut found: HashMap<String, Arc<[u8]>> = HashMap::new();
        let max = opts.limits.max_file_bytes;
        let mut kept = loader.kept_bytes;
        let mut visit = |e: &mut LayerEntry<'_>| -> io::Result<()> {
            let et = e.header().entry_type();
            if !(et.is_file() || et.is_contiguous() || et.is_gnu_sparse()) {
                return Ok(());
            }
            let (p, _) = normalize(&String::from_utf8_lossy(&e.path_bytes()));
            if members.contains_key(&p) && e.size() <= max {
                kept = kept_budget(kept, e.size(), opts.limits.max_kept_bytes)?;
                let data = read_data(e, max)?;
                found.insert(p, Arc::from(data));
            }
            Ok(())
        };
        read_checked(&image, blob, layer, diff_id, &opts.limits, &mut visit)?;
        loader.kept_bytes = kept;
        for (member, dests) in &members {
            if let Some(data) = found.get(member) {
                loader.attach(dests, data.clone());
            }
        }
    }
    let mut properties = image.properties.clone();
    for (k, v) in [
        ("architecture", &cfg.architecture),
        ("os", &cfg.os),
        ("variant", &cfg.variant),
    ] {
        if let Some(v) = v {
            properties.insert(k.to_string(), v.clone());
        }
    }
    let source = SourceInfo {
        name: image.name.clone(),
        version: None,
        config_digest: Some(image.config_digest.clone()),
        created: cfg.created.clone(),
        scheme: scheme.as_str().to_string(),
        layers,
        properties,
    };
    Ok(LoadedImage {
        fs: loader.fs,
        source,
        warnings: loader.warnings,
    })
}

/// Read one layer through `visit` and check its digests; errors name the blob digest (or, when
/// the source states none, the diff_id) and the 1-based index.
fn read_checked(
    image: &Image,
    blob: &LayerBlob,
    index: usize,
    diff_id: &str,
    limits: &Limits,
    visit: &mut dyn FnMut(&mut LayerEntry<'_>) -> io::Result<()>,
) -> Result<Digests, GenError> {
    let digest = blob
        .expected_digest
        .clone()
        .unwrap_or_else(|| diff_id.to_string());
    let layer_err = |message: String| GenError::Layer {
        path: image.input.clone(),
        index,
        digest: digest.clone(),
        message: format!("{}: {message}", blob.place),
    };
    let raw = blob.open()?;
    let slimits = StreamLimits {
        max_layer_bytes: limits.max_layer_bytes,
        max_entries: limits.max_entries_per_layer,
    };
    let d = match read_layer(raw, slimits, visit) {
        Ok(d) => d,
        Err(StreamError::Corrupt(m)) => return Err(layer_err(m)),
        Err(StreamError::Limit(m)) => {
            return Err(GenError::Limit {
                path: image.input.clone(),
                message: format!("layer {index} ({digest}): {m}"),
            })
        }
    };
    if let Some(want) = &blob.expected_digest {
        if *want != d.blob {
            return Err(layer_err(format!(
                "blob digest mismatch: the bytes hash to {}",
                d.blob
            )));
        }
    }
    if let Some(size) = blob.expected_size {
        if size != d.blob_bytes {
            return Err(layer_err(format!(
                "size mismatch: the descriptor says {size} bytes, the blob has {}",
                d.blob_bytes
            )));
        }
    }
    if d.diff_id != diff_id {
        return Err(layer_err(format!(
            "diff_id mismatch: the config says {diff_id}, the uncompressed layer hashes to {}",
            d.diff_id
        )));
    }
    Ok(d)
}

/// `kept + size`, or an `OutOfMemory` error (read as a budget error) beyond `max_kept`.
fn kept_budget(kept: u64, size: u64, max_kept: u64) -> io::Result<u64> {
    match kept.checked_add(size) {
        Some(k) if k <= max_kept => Ok(k),
        _ => Err(io::Error::new(
            io::ErrorKind::OutOfMemory,
            format!("the wanted files' contents take more than {max_kept} bytes"),
        )),
    }
}

/// Read an entry's data (the caller checked its size against `max`), bounded by `max`.
fn read_data(e: &mut dyn Read, max: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    e.take(max).read_to_end(&mut buf)?;
    Ok(buf)
}

/// (layer, member path) where a regular file's bytes are in the layer streams.
type Origin = (usize, String);

/// Builds the squashed view from tar members, layer after layer.
struct Loader<'w> {
    fs: FileSystem,
    warnings: Vec<String>,
    wants: &'w dyn Fn(&str, u64) -> bool,
    limits: Limits,
    /// Files made by a hard link: where their bytes really are.
    hardlink_origin: HashMap<String, Origin>,
    /// Wanted hard links whose target's contents were not kept: (link path, origin).
    pending: Vec<(String, Origin)>,
    /// Bytes of file contents kept so far (see `Limits::max_kept_bytes`).
    kept_bytes: u64,
    /// Whiteouts and opaque markers already applied in layer `.0` (applying one twice is a
    /// no-op; skipping it keeps a hostile layer from costing quadratic time).
    applied: (usize, HashSet<String>),
}

impl<'w> Loader<'w> {
    fn new(fs: FileSystem, wants: &'w dyn Fn(&str, u64) -> bool, limits: &Limits) -> Self {
        Loader {
            fs,
            warnings: Vec::new(),
            wants,
            limits: *limits,
            hardlink_origin: HashMap::new(),
            pending: Vec::new(),
            kept_bytes: 0,
            applied: (0, HashSet::new()),
        }
    }

    /// Fail (an `OutOfMemory` error, read as a budget error) once the view's paths exceed
    /// `max_path_bytes`.
    fn check_path_budget(&self) -> io::Result<()> {
        if self.fs.path_bytes() > self.limits.max_path_bytes {
            return Err(io::Error::new(
                io::ErrorKind::OutOfMemory,
                format!(
                    "the image's paths take more than {} bytes",
                    self.limits.max_path_bytes
                ),
            ));
        }
        Ok(())
    }

    /// Whether the marker `key` is seen for the first time in `layer`.
    fn first_time(&mut self, layer: usize, key: String) -> bool {
        if self.applied.0 != layer {
            self.applied = (layer, HashSet::new());
        }
        self.applied.1.insert(key)
    }

    /// Normalise a member or link name, warning when it is absolute or has `..`.
    fn clean(&mut self, layer: usize, raw: &str, what: &str) -> String {
        let (path, escaped) = normalize(raw);
        if escaped || raw.starts_with('/') || raw.split('/').any(|s| s == "..") {
            self.warnings.push(format!(
                "layer {layer}: {what} {raw:?} is absolute or contains '..'; read as {:?} inside the image root",
                path
            ));
        }
        path
    }

    /// Apply one tar member of layer `layer`.
    fn apply(&mut self, layer: usize, e: &mut LayerEntry<'_>) -> io::Result<()> {
        let raw = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let path = self.clean(layer, &raw, "tar member");
        if path.is_empty() {
            return Ok(());
        }
        if path.len() > MAX_PATH_BYTES {
            self.warnings.push(format!(
                "layer {layer}: a tar member name of {} bytes (more than {MAX_PATH_BYTES}); skipped",
                path.len()
            ));
            return Ok(());
        }
        let (parent, base) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
        if base == ".wh..wh..opq" {
            if self.first_time(layer, format!("o:{parent}")) {
                self.fs.opaque(parent, layer);
            }
            return Ok(());
        }
        if let Some(name) = base.strip_prefix(".wh.") {
            // `.wh..wh.*` other than the opaque marker are AUFS internals: ignored.
            if !name.starts_with(".wh.") && !name.is_empty() {
                let target = if parent.is_empty() {
                    name.to_string()
                } else {
                    format!("{parent}/{name}")
                };
                if self.first_time(layer, format!("w:{target}")) {
                    self.fs.whiteout_lower(&target, layer);
                }
            }
            return Ok(());
        }
        self.warn_below_link(layer, &path, &raw);
        let et = e.header().entry_type();
        let kind = if et.is_file() || et.is_contiguous() || et.is_gnu_sparse() {
            let size = e.size();
            let data = if (self.wants)(&path, size) {
                if size > self.limits.max_file_bytes {
                    self.warnings.push(format!(
                        "layer {layer}: {path}: {size} bytes, more than the {} kept per file; not read",
                        self.limits.max_file_bytes
                    ));
                    None
                } else {
                    self.kept_bytes =
                        kept_budget(self.kept_bytes, size, self.limits.max_kept_bytes)?;
                    Some(Arc::from(read_data(e, self.limits.max_file_bytes)?))
                }
            } else {
                None
            };
            EntryKind::File { size, data }
        } else if et.is_dir() {
            EntryKind::Dir
        } else if et.is_symlink() {
            let target = e
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            if target.len() > MAX_PATH_BYTES {
                self.warnings.push(format!(
                    "layer {layer}: {path}: a link target of {} bytes (more than {MAX_PATH_BYTES}); skipped",
                    target.len()
                ));
                return Ok(());
            }
            EntryKind::Symlink(target)
        } else if et.is_hard_link() {
            let link = e
                .link_name_bytes()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let target = self.clean(layer, &link, "hard link target");
            return self.hard_link(layer, path, target, &raw);
        } else if et.is_character_special() || et.is_block_special() || et.is_fifo() {
            EntryKind::Other
        } else {
            // PAX global headers and unknown types carry no file.
            return Ok(());
        };
        self.hardlink_origin.remove(&path);
        self.fs.add_parents(&path, layer);
        self.fs.put(path, Entry { kind, layer });
        Ok(())
    }

    fn hard_link(
        &mut self,
        layer: usize,
        path: String,
        target: String,
        raw: &str,
    ) -> io::Result<()> {
        let Some(t) = self.fs.entry(&target).cloned() else {
            self.warnings.push(format!("layer {layer}: hard link {raw:?} points at {target:?}, which is not in the image; skipped"));
            return Ok(());
        };
        let kind = match t.kind {
            EntryKind::File { size, data } => {
                let origin = self
                    .hardlink_origin
                    .get(&target)
                    .cloned()
                    .unwrap_or((t.layer, target.clone()));
                if data.is_none() && size <= self.limits.max_file_bytes && (self.wants)(&path, size)
                {
                    self.pending.push((path.clone(), origin.clone()));
                }
                self.hardlink_origin.insert(path.clone(), origin);
                EntryKind::File { size, data }
            }
            EntryKind::Dir => {
                self.warnings.push(format!(
                    "layer {layer}: hard link {raw:?} points at a folder; skipped"
                ));
                return Ok(());
            }
            other => {
                self.hardlink_origin.remove(&path);
                other
            }
        };
        self.fs.add_parents(&path, layer);
        self.fs.put(path, Entry { kind, layer });
        Ok(())
    }

    /// A member below a symlink would be written through it by a naive extractor: it is kept
    /// under its own name (unreachable through the link), with a warning.
    fn warn_below_link(&mut self, layer: usize, path: &str, raw: &str) {
        let mut cur = path;
        while let Some((parent, _)) = cur.rsplit_once('/') {
            if let Some(Entry {
                kind: EntryKind::Symlink(t),
                ..
            }) = self.fs.entry(parent)
            {
                self.warnings.push(format!(
                    "layer {layer}: tar member {raw:?} lies below the symlink {parent} -> {t}; not written through it"
                ));
                return;
            }
            cur = parent;
        }
    }

    /// Wanted paths whose regular file's contents were not kept: layer → member → the squashed
    /// paths to attach the contents to.
    fn fixup_requests(&mut self) -> BTreeMap<usize, BTreeMap<String, Vec<String>>> {
        let mut req: BTreeMap<usize, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for (dest, origin) in std::mem::take(&mut self.pending) {
            let still = matches!(
                self.fs.entry(&dest),
                Some(Entry {
                    kind: EntryKind::File { data: None, .. },
                    ..
                })
            ) && self.hardlink_origin.get(&dest) == Some(&origin);
            if still {
                req.entry(origin.0)
                    .or_default()
                    .entry(origin.1)
                    .or_default()
                    .push(dest);
            }
        }
        let mut too_big = Vec::new();
        for (p, e) in self.fs.entries() {
            if !matches!(e.kind, EntryKind::Symlink(_)) {
                continue;
            }
            let Some(real) = self.fs.resolve(p) else {
                continue;
            };
            let Some(Entry {
                kind: EntryKind::File { size, data: None },
                layer,
            }) = self.fs.entry(&real)
            else {
                continue;
            };
            if !(self.wants)(p, *size) {
                continue;
            }
            if *size > self.limits.max_file_bytes {
                too_big.push(format!(
                    "{p} -> {real}: {size} bytes, more than the {} kept per file; not read",
                    self.limits.max_file_bytes
                ));
                continue;
            }
            let origin = self
                .hardlink_origin
                .get(&real)
                .cloned()
                .unwrap_or((*layer, real.clone()));
            let dests = req
                .entry(origin.0)
                .or_default()
                .entry(origin.1)
                .or_default();
            if !dests.contains(&real) {
                dests.push(real);
            }
        }
        self.warnings.extend(too_big);
        req
    }

    /// Attach fetched contents to files that have none yet.
    fn attach(&mut self, dests: &[String], data: Arc<[u8]>) {
        for d in dests {
            if let Some(Entry {
                kind: EntryKind::File {
                    data: slot @ None, ..
                },
                ..
            }) = self.fs.entry_mut(d)
            {
                *slot = Some(data.clone());
            }
        }
    }
}
