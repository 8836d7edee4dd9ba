//! Sources: one module per SOURCE scheme (docker-archive, oci-archive, oci-dir, dir), each
//! producing an [`Image`] (config bytes + ordered layer blobs) whose layers are read as streams,
//! or (for `dir:`) a walk of a host folder.
//!
//! The SOURCE argument follows `cli-contract.md` ("sbom-gen", SOURCE schemes): an explicit
//! `scheme:PATH`, or a bare path examined by content (tar with `manifest.json` → docker archive;
//! tar with `oci-layout` → OCI archive; folder with `oci-layout` → OCI layout; other folder →
//! root filesystem). A missing path-looking argument is [`GenError::NotFound`]; registry and
//! daemon references are [`GenError::Usage`] (not supported yet).

pub mod archive;
pub mod dir;
pub mod docker;
pub mod oci;

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::GenError;

/// Largest JSON document (manifest.json, index.json, manifests, configs) read, in bytes.
pub const MAX_JSON_BYTES: u64 = 16 * 1024 * 1024;

/// How a SOURCE is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `docker-archive:`: the tar `docker save` writes ([`docker`]).
    DockerArchive,
    /// `oci-archive:`: an OCI image layout packed in a tar ([`oci`]).
    OciArchive,
    /// `oci-dir:`: an OCI image layout folder ([`oci`]).
    OciDir,
    /// `dir:`: a root filesystem folder ([`dir`]).
    Dir,
}

impl Scheme {
    /// The scheme as written on the command line and in SBOM metadata (`docker-archive`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::DockerArchive => "docker-archive",
            Scheme::OciArchive => "oci-archive",
            Scheme::OciDir => "oci-dir",
            Scheme::Dir => "dir",
        }
    }
}

/// Whether a non-existent argument looks like a path (cli-contract.md): starts with `/`, `./`,
/// `../` or `~`, or ends in `.tar`, `.tar.gz`, `.tgz`, `.json`, `.xml` or `.spdx`.
pub fn looks_like_path(arg: &str) -> bool {
    ["/", "./", "../", "~"].iter().any(|p| arg.starts_with(p))
        || [".tar", ".tar.gz", ".tgz", ".json", ".xml", ".spdx"]
            .iter()
            .any(|s| arg.ends_with(s))
}

/// Parse a SOURCE argument into its scheme and host path, examining a bare path's content.
///
/// Errors: [`GenError::NotFound`] for a missing path, [`GenError::Usage`] for registry/daemon
/// references, [`GenError::Invalid`] for a file that is neither kind of archive.
pub fn detect(spec: &str, max_members: u64) -> Result<(Scheme, PathBuf), GenError> {
    const EXPLICIT: [(&str, Scheme); 4] = [
        ("docker-archive:", Scheme::DockerArchive),
        ("oci-archive:", Scheme::OciArchive),
        ("oci-dir:", Scheme::OciDir),
        ("dir:", Scheme::Dir),
    ];
    for (prefix, scheme) in EXPLICIT {
        if let Some(rest) = spec.strip_prefix(prefix) {
            let path = PathBuf::from(rest);
            if std::fs::symlink_metadata(&path).is_err() {
                return Err(GenError::NotFound { path });
            }
            return Ok((scheme, path));
        }
    }
    for prefix in ["registry:", "docker:", "podman:", "containerd:"] {
        if spec.starts_with(prefix) {
            return Err(GenError::Usage(format!(
                "{spec}: the {prefix} source is not supported yet"
            )));
        }
    }
    let path = PathBuf::from(spec);
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(_) if looks_like_path(spec) || std::fs::symlink_metadata(&path).is_ok() => {
            return Err(GenError::NotFound { path });
        }
        Err(_) => {
            return Err(GenError::Usage(format!(
                "{spec}: registry references are not supported yet (use docker-archive:, oci-archive:, oci-dir: or dir:)"
            )))
        }
    };
    if meta.is_dir() {
        if path.join("oci-layout").is_file() {
            return Ok((Scheme::OciDir, path));
        }
        return Ok((Scheme::Dir, path));
    }
    let index = archive::ArchiveIndex::open(&path, max_members)?;
    if index.contains("manifest.json") {
        Ok((Scheme::DockerArchive, path))
    } else if index.contains("oci-layout") {
        Ok((Scheme::OciArchive, path))
    } else {
        Err(GenError::Invalid {
            path,
            place: "archive".into(),
            message:
                "neither a docker archive (no manifest.json) nor an OCI archive (no oci-layout)"
                    .into(),
        })
    }
}

/// Where a layer blob's bytes are on the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobLocation {
    /// A byte range of an archive file.
    Range {
        file: PathBuf,
        offset: u64,
        size: u64,
    },
    /// A whole file (an OCI layout's `blobs/sha256/<hex>`, checked to lie inside the layout).
    File(PathBuf),
}

/// One layer of an image, base first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerBlob {
    /// The blob digest (`sha256:<64 hex>`) the bytes must hash to, when the source states one
    /// (OCI descriptors; docker archives that store `blobs/sha256/<hex>`).
    pub expected_digest: Option<String>,
    /// The descriptor's size in bytes, when stated.
    pub expected_size: Option<u64>,
    /// The media type, a hint only (compression is chosen by magic bytes).
    pub media_type: Option<String>,
    /// Where the member or file is, for messages (`blobs/sha256/…`, `<id>/layer.tar`).
    pub place: String,
    pub location: BlobLocation,
}

impl LayerBlob {
    /// Open the blob's raw (possibly compressed) bytes.
    pub fn open(&self) -> Result<Box<dyn Read>, GenError> {
        match &self.location {
            BlobLocation::Range { file, offset, size } => {
                Ok(Box::new(archive::open_range(file, *offset, *size)?))
            }
            BlobLocation::File(p) => {
                let f = std::fs::File::open(p).map_err(|e| GenError::Io {
                    path: p.clone(),
                    source: e,
                })?;
                Ok(Box::new(f))
            }
        }
    }
}

/// An image read from an archive or layout: everything but the layer contents.
#[derive(Debug, Clone)]
pub struct Image {
    /// The input path (archive or layout folder).
    pub input: PathBuf,
    pub scheme: Scheme,
    /// First RepoTag (docker), `org.opencontainers.image.ref.name` (OCI), else the input path.
    pub name: String,
    /// The config blob's bytes (JSON).
    pub config: Vec<u8>,
    /// `sha256:` + hex of the config bytes.
    pub config_digest: String,
    pub layers: Vec<LayerBlob>,
    /// Extra facts for SBOM metadata (repo tags, image name annotations).
    pub properties: BTreeMap<String, String>,
}

/// Open an archive or layout source (not `dir:`, see [`dir`]). `platform` selects an image of a
/// multi-platform index (`os/arch[/variant]`); `explicit` says the user asked for it.
pub fn open_image(
    scheme: Scheme,
    path: &Path,
    platform: &oci::Platform,
    explicit: bool,
    max_members: u64,
) -> Result<Image, GenError> {
    match scheme {
        Scheme::DockerArchive => docker::open(path, max_members),
        Scheme::OciArchive => {
            let index = archive::ArchiveIndex::open(path, max_members)?;
            oci::open(
                oci::Store::Archive(index),
                Scheme::OciArchive,
                platform,
                explicit,
            )
        }
        Scheme::OciDir => oci::open(
            oci::Store::Dir(path.to_path_buf()),
            Scheme::OciDir,
            platform,
            explicit,
        ),
        Scheme::Dir => Err(GenError::Usage(format!(
            "{}: a dir: source has no image config",
            path.display()
        ))),
    }
}

/// `sha256:` + lowercase hex of `bytes`.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// Whether `d` is `sha256:` followed by exactly 64 lowercase hex digits.
pub fn is_sha256_digest(d: &str) -> bool {
    d.strip_prefix("sha256:")
        .map(|h| {
            h.len() == 64
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
        .unwrap_or(false)
}

/// Read a whole stream, failing with `InvalidData` beyond `max` bytes.
pub fn read_bounded(r: &mut dyn Read, max: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("more than {max} bytes"),
        ));
    }
    Ok(buf)
}
