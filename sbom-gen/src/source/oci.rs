//! OCI image layouts, as a folder (`oci-dir:`) or packed in a tar (`oci-archive:`), following
//! the OCI image-spec *image-layout.md*, *image-index.md*, *manifest.md* and *descriptor.md*:
//! `oci-layout`, `index.json` → a manifest (or a nested index, where the platform is chosen) →
//! the config and layer blobs at `blobs/<alg>/<hex>`.
//!
//! Only `sha256:` + 64 lowercase hex digests are accepted, so a digest read from the index can
//! never name a path outside the layout. Manifest and config blobs are checked against their
//! digests here; layer blobs are checked while they stream (see `crate::image`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::archive::ArchiveIndex;
use super::{
    is_sha256_digest, read_bounded, sha256_digest, BlobLocation, Image, LayerBlob, Scheme,
    MAX_JSON_BYTES,
};
use crate::GenError;

/// How deep indexes may nest (index → index → manifest).
const MAX_INDEX_DEPTH: usize = 4;

/// Where the layout's files are.
#[derive(Debug, Clone)]
pub enum Store {
    Archive(ArchiveIndex),
    Dir(PathBuf),
}

/// A platform `os/arch[/variant]` (OCI image-index `platform`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Platform {
    /// Parse `os/arch[/variant]`; anything else is [`GenError::Usage`].
    pub fn parse(s: &str) -> Result<Platform, GenError> {
        let parts: Vec<&str> = s.split('/').collect();
        match parts.as_slice() {
            [os, arch] if !os.is_empty() && !arch.is_empty() => Ok(Platform {
                os: os.to_string(),
                architecture: arch.to_string(),
                variant: None,
            }),
            [os, arch, v] if !os.is_empty() && !arch.is_empty() && !v.is_empty() => Ok(Platform {
                os: os.to_string(),
                architecture: arch.to_string(),
                variant: Some(v.to_string()),
            }),
            _ => Err(GenError::Usage(format!(
                "--platform {s}: expected OS/ARCH[/VARIANT]"
            ))),
        }
    }

    /// The host's platform in OCI/Go names (`linux/amd64`, `linux/arm64`, ...).
    pub fn host() -> Platform {
        let architecture = match std::env::consts::ARCH {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "x86" => "386",
            "arm" => "arm",
            "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
            "powerpc64" => "ppc64",
            "loongarch64" => "loong64",
            other => other,
        };
        Platform {
            os: "linux".into(),
            architecture: architecture.into(),
            variant: None,
        }
    }

    fn matches(&self, p: &Value) -> bool {
        let get = |k: &str| p.get(k).and_then(Value::as_str);
        if get("os") != Some(self.os.as_str())
            || get("architecture") != Some(self.architecture.as_str())
        {
            return false;
        }
        match (&self.variant, get("variant")) {
            (None, _) => true,
            (Some(want), Some(have)) => want == have,
            // arm64 images usually leave out the default variant v8.
            (Some(want), None) => self.architecture == "arm64" && want == "v8",
        }
    }

    fn describe(p: &Value) -> String {
        let get = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("?");
        match p.get("variant").and_then(Value::as_str) {
            Some(v) => format!("{}/{}/{}", get("os"), get("architecture"), v),
            None => format!("{}/{}", get("os"), get("architecture")),
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

impl Store {
    fn input(&self) -> &Path {
        match self {
            Store::Archive(a) => a.path(),
            Store::Dir(p) => p,
        }
    }

    fn invalid(&self, place: &str, message: impl Into<String>) -> GenError {
        GenError::Invalid {
            path: self.input().to_path_buf(),
            place: place.to_string(),
            message: message.into(),
        }
    }

    fn exists(&self, name: &str) -> bool {
        match self {
            Store::Archive(a) => a.contains(name),
            Store::Dir(p) => p.join(name).is_file(),
        }
    }

    /// Read a fixed-name file of the layout (`oci-layout`, `index.json`).
    fn read_fixed(&self, name: &'static str) -> Result<Vec<u8>, GenError> {
        match self {
            Store::Archive(a) => a.read_small(name, MAX_JSON_BYTES),
            Store::Dir(p) => read_host_file(&p.join(name), MAX_JSON_BYTES),
        }
    }

    /// The location of blob `digest` (already checked by [`is_sha256_digest`]).
    fn blob_location(&self, digest: &str, place: &str) -> Result<BlobLocation, GenError> {
        let hex = digest
            .strip_prefix("sha256:")
            .filter(|_| is_sha256_digest(digest))
            .ok_or_else(|| {
                self.invalid(
                    place,
                    format!("digest {digest:?} is not sha256: + 64 hex digits"),
                )
            })?;
        let rel = format!("blobs/sha256/{hex}");
        match self {
            Store::Archive(a) => {
                let (offset, size) = a.locate(&rel)?;
                Ok(BlobLocation::Range {
                    file: a.path().to_path_buf(),
                    offset,
                    size,
                })
            }
            Store::Dir(p) => {
                let full = p.join("blobs").join("sha256").join(hex);
                if !full.is_file() {
                    return Err(self.invalid(place, format!("blob {rel} is missing")));
                }
                Ok(BlobLocation::File(full))
            }
        }
    }

    /// Read a JSON blob and check it against its digest.
    fn read_json_blob(&self, digest: &str, place: &str) -> Result<(Vec<u8>, Value), GenError> {
        let loc = self.blob_location(digest, place)?;
        let bytes = match &loc {
            BlobLocation::File(p) => read_host_file(p, MAX_JSON_BYTES)?,
            BlobLocation::Range { file, offset, size } => {
                if *size > MAX_JSON_BYTES {
                    return Err(GenError::Limit {
                        path: file.clone(),
                        message: format!(
                            "{digest}: {size} bytes, more than the {MAX_JSON_BYTES} allowed"
                        ),
                    });
                }
                let mut r = super::archive::open_range(file, *offset, *size)?;
                read_bounded(&mut r, MAX_JSON_BYTES).map_err(|e| GenError::Io {
                    path: file.clone(),
                    source: e,
                })?
            }
        };
        let got = sha256_digest(&bytes);
        if got != digest {
            return Err(self.invalid(place, format!("blob {digest} hashes to {got}")));
        }
        let v = serde_json::from_slice(&bytes)
            .map_err(|e| self.invalid(place, format!("blob {digest}: not JSON: {e}")))?;
        Ok((bytes, v))
    }
}

/// Read a layout file whole (at most `max` bytes). Anything but a regular file (a FIFO would
/// block the open forever, a device never end) is [`GenError::Invalid`].
fn read_host_file(p: &Path, max: u64) -> Result<Vec<u8>, GenError> {
    let meta = std::fs::metadata(p).map_err(|e| GenError::Io {
        path: p.to_path_buf(),
        source: e,
    })?;
    if !meta.is_file() {
        return Err(GenError::Invalid {
            path: p.to_path_buf(),
            place: "layout".into(),
            message: "not a regular file".into(),
        });
    }
    let mut f = std::fs::File::open(p).map_err(|e| GenError::Io {
        path: p.to_path_buf(),
        source: e,
    })?;
    read_bounded(&mut f, max).map_err(|e| GenError::Io {
        path: p.to_path_buf(),
        source: e,
    })
}

fn is_index(v: &Value, descriptor_media: Option<&str>) -> bool {
    matches!(
        descriptor_media,
        Some(
            "application/vnd.oci.image.index.v1+json"
                | "application/vnd.docker.distribution.manifest.list.v2+json"
        )
    ) || v.get("manifests").map(Value::is_array).unwrap_or(false)
}

/// Pick the descriptor for `platform` among an index's `manifests`. Attestation manifests
/// (`unknown/unknown`, `vnd.docker.reference.type`) are never chosen. Without a match: an
/// explicit platform is an error; the host default falls back to the first candidate.
fn choose<'a>(
    store: &Store,
    manifests: &'a [Value],
    place: &str,
    platform: &Platform,
    explicit: bool,
) -> Result<(usize, &'a Value), GenError> {
    let candidates: Vec<(usize, &Value)> = manifests
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            let attestation = d
                .pointer("/annotations/vnd.docker.reference.type")
                .and_then(Value::as_str)
                .map(|t| t == "attestation-manifest")
                .unwrap_or(false);
            let unknown = d.pointer("/platform/os").and_then(Value::as_str) == Some("unknown");
            !attestation && !unknown
        })
        .collect();
    if let Some(found) = candidates.iter().find(|(_, d)| {
        d.get("platform")
            .map(|p| platform.matches(p))
            .unwrap_or(false)
    }) {
        return Ok(*found);
    }
    let with_platform = candidates
        .iter()
        .filter(|(_, d)| d.get("platform").is_some())
        .count();
    if explicit && with_platform > 0 {
        let avail: Vec<String> = candidates
            .iter()
            .filter_map(|(_, d)| d.get("platform"))
            .map(Platform::describe)
            .collect();
        return Err(GenError::Usage(format!(
            "{}: no image for platform {platform} (available: {})",
            store.input().display(),
            avail.join(", ")
        )));
    }
    candidates
        .first()
        .copied()
        .ok_or_else(|| store.invalid(place, "no image manifest in the index"))
}

/// Open the OCI layout in `store` (see the module header).
pub fn open(
    store: Store,
    scheme: Scheme,
    platform: &Platform,
    explicit: bool,
) -> Result<Image, GenError> {
    if !store.exists("oci-layout") {
        return Err(store.invalid("oci-layout", "missing: not an OCI image layout"));
    }
    let layout = store.read_fixed("oci-layout")?;
    let layout: Value = serde_json::from_slice(&layout)
        .map_err(|e| store.invalid("oci-layout", format!("not JSON: {e}")))?;
    if layout
        .get("imageLayoutVersion")
        .and_then(Value::as_str)
        .is_none()
    {
        return Err(store.invalid("oci-layout /imageLayoutVersion", "missing"));
    }
    let raw = store.read_fixed("index.json")?;
    let mut index: Value = serde_json::from_slice(&raw)
        .map_err(|e| store.invalid("index.json", format!("not JSON: {e}")))?;
    let mut place = "index.json".to_string();
    let mut name: Option<String> = None;
    let mut properties = BTreeMap::new();
    let mut depth = 0;
    let manifest: Value = loop {
        let manifests = index
            .get("manifests")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                store.invalid(&format!("{place} /manifests"), "missing or not an array")
            })?;
        let (i, desc) = choose(&store, manifests, &place, platform, explicit)?;
        let dplace = format!("{place} /manifests/{i}");
        if name.is_none() {
            name = desc
                .pointer("/annotations/org.opencontainers.image.ref.name")
                .and_then(Value::as_str)
                .map(str::to_string);
            if let Some(n) = desc
                .pointer("/annotations/io.containerd.image.name")
                .and_then(Value::as_str)
            {
                properties.insert("image-name".to_string(), n.to_string());
                // The full reference names the image better than a bare tag like `latest`.
                if let Some(tag) = name.replace(n.to_string()) {
                    properties.insert("ref-name".to_string(), tag);
                }
            }
        }
        let digest = desc
            .get("digest")
            .and_then(Value::as_str)
            .ok_or_else(|| store.invalid(&format!("{dplace}/digest"), "missing or not a string"))?
            .to_string();
        let media = desc
            .get("mediaType")
            .and_then(Value::as_str)
            .map(str::to_string);
        let (_, v) = store.read_json_blob(&digest, &format!("{dplace}/digest"))?;
        if is_index(&v, media.as_deref()) {
            depth += 1;
            if depth > MAX_INDEX_DEPTH {
                return Err(store.invalid(&dplace, "indexes nested too deep"));
            }
            index = v;
            place = digest;
            continue;
        }
        place = digest;
        break v;
    };
    let config_digest = manifest
        .pointer("/config/digest")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            store.invalid(
                &format!("{place} /config/digest"),
                "missing or not a string",
            )
        })?
        .to_string();
    let (config, _) = store.read_json_blob(&config_digest, &format!("{place} /config/digest"))?;
    let descs = manifest
        .get("layers")
        .and_then(Value::as_array)
        .ok_or_else(|| store.invalid(&format!("{place} /layers"), "missing or not an array"))?;
    let mut layers = Vec::new();
    for (i, d) in descs.iter().enumerate() {
        let lplace = format!("{place} /layers/{i}/digest");
        let digest = d
            .get("digest")
            .and_then(Value::as_str)
            .ok_or_else(|| store.invalid(&lplace, "missing or not a string"))?;
        let location = store.blob_location(digest, &lplace)?;
        layers.push(LayerBlob {
            expected_digest: Some(digest.to_string()),
            expected_size: d.get("size").and_then(Value::as_u64),
            media_type: d
                .get("mediaType")
                .and_then(Value::as_str)
                .map(str::to_string),
            place: format!("blobs/sha256/{}", digest.trim_start_matches("sha256:")),
            location,
        });
    }
    let input = store.input().to_path_buf();
    Ok(Image {
        name: name.unwrap_or_else(|| input.display().to_string()),
        input,
        scheme,
        config_digest: sha256_digest(&config),
        config,
        layers,
        properties,
    })
}
