//! The image config (OCI image-spec *config.md*; Docker's image JSON is the same shape):
//! `rootfs.diff_ids` (one per layer, base first), `history` (paired with layers in order,
//! skipping entries with `empty_layer: true`), `created`, `architecture`, `os`, `variant`.

use std::path::Path;

use serde_json::Value;

use crate::source::is_sha256_digest;
use crate::GenError;

/// What the loader needs from a config.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// `sha256:…` per layer, base first.
    pub diff_ids: Vec<String>,
    /// `created_by` of the non-empty history entries, in order (`None` when an entry has none).
    pub layer_history: Vec<Option<String>>,
    pub created: Option<String>,
    pub architecture: Option<String>,
    pub os: Option<String>,
    pub variant: Option<String>,
}

/// Parse config JSON; `path` and `place` (the config's member or digest) name it in errors,
/// which give the JSON pointer of the broken field.
pub fn parse(bytes: &[u8], path: &Path, place: &str) -> Result<Config, GenError> {
    let invalid = |ptr: &str, message: String| GenError::Invalid {
        path: path.to_path_buf(),
        place: format!("{place} {ptr}"),
        message,
    };
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| invalid("", format!("config is not JSON: {e}")))?;
    let ids = v
        .pointer("/rootfs/diff_ids")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("/rootfs/diff_ids", "missing or not an array".into()))?;
    let mut diff_ids = Vec::new();
    for (i, d) in ids.iter().enumerate() {
        let d = d.as_str().filter(|d| is_sha256_digest(d)).ok_or_else(|| {
            invalid(
                &format!("/rootfs/diff_ids/{i}"),
                "not a sha256: digest".into(),
            )
        })?;
        diff_ids.push(d.to_string());
    }
    let layer_history = v
        .get("history")
        .and_then(Value::as_array)
        .map(|h| {
            h.iter()
                .filter(|e| {
                    !e.get("empty_layer")
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                })
                .map(|e| {
                    e.get("created_by")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    Ok(Config {
        diff_ids,
        layer_history,
        created: s("created"),
        architecture: s("architecture"),
        os: s("os"),
        variant: s("variant"),
    })
}
