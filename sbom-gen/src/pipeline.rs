//! The scan pipeline: source → squashed view → distro → catalogers → inventory.

use std::collections::BTreeMap;

use sbom_model::{Component, Inventory};

use crate::catalog::{self, CatalogContext, CatalogOutput};
use crate::image::{self, LoadOptions};
use crate::{distro, GenError};

/// What a scan needs besides the SOURCE argument.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    pub load: LoadOptions,
    /// `--source-name`: overrides the name the SBOM gives what it describes.
    pub source_name: Option<String>,
    /// `--source-version`.
    pub source_version: Option<String>,
}

/// The result of a scan: the inventory and the warnings to print (one line each).
#[derive(Debug, Clone, Default)]
pub struct ScanResult {
    pub inventory: Inventory,
    pub warnings: Vec<String>,
}

/// Scan `spec` (a SOURCE argument, see cli-contract.md) into an inventory.
///
/// Errors: a source that cannot be read at all ([`GenError`], exit 2). Files that cannot be
/// parsed are unknowns in the inventory, not errors.
pub fn scan(spec: &str, opts: &ScanOptions) -> Result<ScanResult, GenError> {
    let catalogers = catalog::registry();
    let wants = |path: &str, size: u64| {
        distro::wants(path) || catalogers.iter().any(|c| c.wants(path, size))
    };
    let loaded = image::load(spec, &wants, &opts.load)?;
    let fs = &loaded.fs;
    let distro = distro::detect(fs);
    let ctx = CatalogContext {
        distro: distro.clone(),
    };
    let mut out = CatalogOutput::default();
    for c in &catalogers {
        c.catalog(fs, &ctx, &mut out);
    }

    let owned = catalog::dpkg::owned_files(fs);
    let mut components: Vec<Component> = out.components;
    for c in &mut components {
        for loc in &mut c.locations {
            if loc.layer_diff_id.is_none() {
                if let Some(layer) = loc.layer_index.and_then(|i| fs.layer(i)) {
                    if !layer.diff_id.is_empty() {
                        loc.layer_diff_id = Some(layer.diff_id.clone());
                    }
                }
            }
        }
        let is_os_package = c.purl.as_deref().is_some_and(|p| p.starts_with("pkg:deb/"));
        if !is_os_package {
            let owners: BTreeMap<&str, ()> = c
                .locations
                .iter()
                .filter_map(|l| owned.get(&l.path))
                .map(|o| (o.as_str(), ()))
                .collect();
            for owner in owners.keys() {
                c.properties
                    .push(("sbom-gen:owned-by".to_string(), owner.to_string()));
            }
        }
    }

    let mut source = loaded.source;
    if let Some(n) = &opts.source_name {
        source.name = n.clone();
    }
    if let Some(v) = &opts.source_version {
        source.version = Some(v.clone());
    }
    let mut unknowns = out.unknowns;
    unknowns.sort();
    Ok(ScanResult {
        inventory: Inventory {
            source,
            distro,
            components,
            unknowns,
        },
        warnings: loaded.warnings,
    })
}
