//! The scan pipeline: source → squashed view → distro → catalogers → inventory.

use std::collections::BTreeMap;

use std::cell::RefCell;

use sbom_model::{Component, Inventory, Unknown};

use crate::catalog::{self, CatalogContext, CatalogOutput};
use crate::fs::{Entry, EntryKind};
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
    // Files a cataloger would read but for their size: reported as unknowns (below) rather
    // than skipped in silence.
    let too_large: RefCell<BTreeMap<String, (u64, &'static str)>> = RefCell::default();
    let wants = |path: &str, size: u64| {
        if distro::wants(path) || catalogers.iter().any(|c| c.wants(path, size)) {
            return true;
        }
        if let Some(c) = catalogers.iter().find(|c| c.wants(path, 0)) {
            too_large
                .borrow_mut()
                .insert(path.to_string(), (size, c.name()));
        }
        false
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

    for (path, (size, cataloger)) in too_large.into_inner() {
        // Only the copy the squashed view still holds counts (a later layer may have replaced
        // or deleted it).
        if let Some(Entry {
            kind: EntryKind::File { size: s, .. },
            layer,
        }) = fs.entry(&path)
        {
            if *s == size {
                out.unknowns.push(Unknown {
                    path,
                    layer_index: Some(*layer),
                    message: format!(
                        "{size} bytes, over the {cataloger} cataloger's size limit: not cataloged"
                    ),
                });
            }
        }
    }

    let owned = catalog::dpkg::owned_files(fs);
    let mut components: Vec<Component> = out.components;
    for c in &mut components {
        for loc in &mut c.locations {
            match loc.layer_index.and_then(|i| fs.layer(i)) {
                // A root filesystem (`dir:`) has no layers: its one pseudo-layer has no diff_id,
                // and the SBOM names no layer rather than a made-up one.
                Some(layer) if layer.diff_id.is_empty() => loc.layer_index = None,
                Some(layer) if loc.layer_diff_id.is_none() => {
                    loc.layer_diff_id = Some(layer.diff_id.clone());
                }
                _ => {}
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
    source.layers.retain(|l| !l.diff_id.is_empty());
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
