//! Test support for the catalogers: the squashed view of a handed image (OCI layouts of the
//! cases, docker archives of `shared/testdata/images`) through the real loader with every file
//! kept, the shared test runners, and deterministic garbage for never-panic tests.

use std::path::Path;

use crate::catalog::{CatalogContext, CatalogOutput, Cataloger};
use crate::fs::FileSystem;
use crate::image::{load, LoadOptions};

fn load_all(spec: String) -> FileSystem {
    match load(&spec, &|_, _| true, &LoadOptions::default()) {
        Ok(img) => img.fs,
        Err(e) => panic!("{spec}: {e}"),
    }
}

/// The squashed view of an OCI image layout folder (the cases' `image/`).
pub fn oci_layout(dir: &Path) -> FileSystem {
    load_all(format!("oci-dir:{}", dir.display()))
}

/// The squashed view of a docker archive (`docker save` layout).
pub fn docker_archive(path: &Path) -> FileSystem {
    load_all(format!("docker-archive:{}", path.display()))
}

/// Run one cataloger on `fs` with `ctx`.
pub fn run(cataloger: &dyn Cataloger, fs: &FileSystem, ctx: &CatalogContext) -> CatalogOutput {
    let mut out = CatalogOutput::default();
    cataloger.catalog(fs, ctx, &mut out);
    out
}

/// The (name, version) pairs found, sorted.
pub fn name_versions(out: &CatalogOutput) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = out
        .components
        .iter()
        .map(|c| (c.name.clone(), c.version.clone().unwrap_or_default()))
        .collect();
    v.sort();
    v
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
