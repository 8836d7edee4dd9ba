//! Docker archives: the tar `docker save` / `podman save` / skopeo write. `manifest.json` (a JSON
//! array; the first image is read; it may be the archive's last member) names the `Config`
//! member, the `RepoTags` and the ordered `Layers` members (Docker's image spec v1.2 "combined
//! image JSON + filesystem changeset format"). A layer member may be a symlink or hard link to
//! another member. Docker ≥ 25 stores members as `blobs/sha256/<hex>`: then the hex is the blob
//! digest the bytes must hash to.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::archive::ArchiveIndex;
use super::{
    is_sha256_digest, sha256_digest, BlobLocation, Image, LayerBlob, Scheme, MAX_JSON_BYTES,
};
use crate::GenError;

fn invalid(path: &Path, place: &str, message: impl Into<String>) -> GenError {
    GenError::Invalid {
        path: path.to_path_buf(),
        place: place.to_string(),
        message: message.into(),
    }
}

/// Open the docker archive at `path` (see the module header).
pub fn open(path: &Path, max_members: u64) -> Result<Image, GenError> {
    let index = ArchiveIndex::open(path, max_members)?;
    let raw = index.read_small("manifest.json", MAX_JSON_BYTES)?;
    let manifest: Value = serde_json::from_slice(&raw)
        .map_err(|e| invalid(path, "manifest.json", format!("not JSON: {e}")))?;
    let first = manifest
        .as_array()
        .and_then(|a| a.first())
        .ok_or_else(|| invalid(path, "manifest.json", "expected a non-empty array"))?;
    let config_name = first
        .get("Config")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(path, "manifest.json /0/Config", "missing or not a string"))?;
    let config = index.read_small(config_name, MAX_JSON_BYTES)?;
    let config_digest = sha256_digest(&config);
    let tags: Vec<String> = first
        .get("RepoTags")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let layer_names = first
        .get("Layers")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid(path, "manifest.json /0/Layers", "missing or not an array"))?;
    let mut layers = Vec::new();
    for (i, l) in layer_names.iter().enumerate() {
        let name = l.as_str().ok_or_else(|| {
            invalid(
                path,
                &format!("manifest.json /0/Layers/{i}"),
                "not a string",
            )
        })?;
        let (offset, size) = index.locate(name)?;
        let expected_digest = name
            .strip_prefix("blobs/sha256/")
            .map(|h| format!("sha256:{h}"))
            .filter(|d| is_sha256_digest(d));
        layers.push(LayerBlob {
            expected_digest,
            expected_size: None,
            media_type: None,
            place: name.to_string(),
            location: BlobLocation::Range {
                file: path.to_path_buf(),
                offset,
                size,
            },
        });
    }
    let mut properties = BTreeMap::new();
    if !tags.is_empty() {
        properties.insert("repo-tags".to_string(), tags.join(","));
    }
    let name = tags
        .first()
        .cloned()
        .unwrap_or_else(|| path.display().to_string());
    Ok(Image {
        input: path.to_path_buf(),
        scheme: Scheme::DockerArchive,
        name,
        config,
        config_digest,
        layers,
        properties,
    })
}
