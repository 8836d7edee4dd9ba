//! Test support: build a [`FileSystem`] straight from the handed images (OCI layouts of the
//! cases, docker archives of `shared/testdata/images`), so cataloger tests run on the real
//! handed bytes. Whiteouts (`.wh.NAME`) and opaque markers (`.wh..wh..opq`) are applied as the
//! OCI image-spec (layer.md) says; every regular file's contents are kept.

use std::io::Read;
use std::path::Path;

use crate::fs::{normalize, Entry, EntryKind, FileSystem};

/// Apply one uncompressed layer tar (1-based `layer`) onto `fs`.
pub fn apply_layer(fs: &mut FileSystem, tar_bytes: &[u8], layer: usize) {
    let mut ar = tar::Archive::new(tar_bytes);
    let mut opaque_dirs = Vec::new();
    for entry in ar.entries().expect("tar entries") {
        let mut e = entry.expect("tar entry");
        let raw = e
            .path()
            .expect("member path")
            .to_string_lossy()
            .into_owned();
        let (path, _) = normalize(&raw);
        let (dir, base) = match path.rsplit_once('/') {
            Some((d, b)) => (d.to_string(), b.to_string()),
            None => (String::new(), path.clone()),
        };
        if base == ".wh..wh..opq" {
            opaque_dirs.push(dir);
            continue;
        }
        if let Some(hidden) = base.strip_prefix(".wh.") {
            let target = if dir.is_empty() {
                hidden.to_string()
            } else {
                format!("{dir}/{hidden}")
            };
            fs.whiteout(&target);
            continue;
        }
        let kind = e.header().entry_type();
        if kind.is_dir() {
            fs.add_parents(&path, layer);
            fs.put(
                path,
                Entry {
                    kind: EntryKind::Dir,
                    layer,
                },
            );
        } else if kind.is_symlink() {
            let target = e
                .link_name()
                .expect("link name")
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            fs.add_symlink(&path, layer, &target);
        } else if kind.is_hard_link() {
            let target = e
                .link_name()
                .expect("link name")
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (t, _) = normalize(&target);
            if let Some(f) = fs.read(&t) {
                let data = f.data.to_vec();
                fs.add_file(&path, layer, &data);
            }
        } else if kind.is_file() {
            let mut data = Vec::new();
            e.read_to_end(&mut data).expect("member data");
            fs.add_file(&path, layer, &data);
        }
    }
    // The opaque marker applies to lower layers whatever its place in the tar.
    for d in opaque_dirs {
        fs.opaque(&d, layer);
    }
}

fn gunzip_if_needed(blob: Vec<u8>) -> Vec<u8> {
    if blob.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&blob[..])
            .read_to_end(&mut out)
            .expect("gunzip layer");
        out
    } else {
        blob
    }
}

/// Read an OCI image layout folder (the cases' `image/`): index.json → first manifest → layers.
pub fn oci_layout(dir: &Path) -> FileSystem {
    let blob = |digest: &str| -> Vec<u8> {
        let hex = digest.strip_prefix("sha256:").expect("sha256 digest");
        std::fs::read(dir.join("blobs/sha256").join(hex)).expect("blob")
    };
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).expect("index.json"))
            .expect("index json");
    let mdigest = index["manifests"][0]["digest"]
        .as_str()
        .expect("manifest digest");
    let manifest: serde_json::Value =
        serde_json::from_slice(&blob(mdigest)).expect("manifest json");
    let mut fs = FileSystem::default();
    for (i, l) in manifest["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .enumerate()
    {
        let raw = gunzip_if_needed(blob(l["digest"].as_str().expect("layer digest")));
        apply_layer(&mut fs, &raw, i + 1);
    }
    fs
}

/// Read a docker archive (`docker save` layout): manifest.json's `Layers`, in order.
pub fn docker_archive(path: &Path) -> FileSystem {
    let bytes = std::fs::read(path).expect("docker archive");
    let mut members = std::collections::HashMap::new();
    let mut ar = tar::Archive::new(&bytes[..]);
    for entry in ar.entries().expect("entries") {
        let mut e = entry.expect("entry");
        let name = e.path().expect("path").to_string_lossy().into_owned();
        if e.header().entry_type().is_file() {
            let mut data = Vec::new();
            e.read_to_end(&mut data).expect("member");
            members.insert(name, data);
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(members.get("manifest.json").expect("manifest.json"))
            .expect("manifest json");
    let mut fs = FileSystem::default();
    for (i, l) in manifest[0]["Layers"]
        .as_array()
        .expect("Layers")
        .iter()
        .enumerate()
    {
        let name = l.as_str().expect("layer name");
        apply_layer(&mut fs, members.get(name).expect("layer member"), i + 1);
    }
    fs
}

/// Deterministic pseudo-random inputs (an LCG; no extra dev-dependency): the parsers must
/// return, never panic, on any bytes.
pub fn garbage(seed: u64) -> Vec<Vec<u8>> {
    let mut x = seed;
    let alphabet =
        b"Package:Version:Status: install ok installed\n \t\r()@{}[]\"node_modules/:,\xff\xc3.-_+~";
    (0..300)
        .map(|i| {
            (0..(i % 97))
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let r = (x >> 33) as usize;
                    // One byte in five is any byte; the rest come from the alphabet.
                    match r % 5 {
                        0 => (r >> 8) as u8,
                        _ => alphabet.get(r % alphabet.len()).copied().unwrap_or(b'x'),
                    }
                })
                .collect()
        })
        .collect()
}
