//! Catalogers: one module per package format behind one trait; [`registry`] lists them.
//!
//! A cataloger answers two questions (as osv-scalibr's extractors do): "do I want this file?"
//! ([`Cataloger::wants`], cheap, by path and size, asked while layers stream by) and "what
//! packages do these files hold?" ([`Cataloger::catalog`], run on the squashed view after the
//! last layer). Catalogers build their own purls where they parse (as Syft does).

use sbom_model::{Component, Distro, Unknown};

use crate::fs::FileSystem;

pub mod dpkg;
pub mod npm;
pub mod python;

#[cfg(test)]
#[path = "testdata/layers.rs"]
pub(crate) mod test_layers;

/// What a cataloger knows besides the files.
#[derive(Debug, Clone, Default)]
pub struct CatalogContext {
    /// The distro detected from os-release, if any (for `distro=` qualifiers).
    pub distro: Option<Distro>,
}

/// What a cataloger found.
#[derive(Debug, Clone, Default)]
pub struct CatalogOutput {
    pub components: Vec<Component>,
    pub unknowns: Vec<Unknown>,
}

/// One package format.
pub trait Cataloger: Send + Sync {
    /// Short name, e.g. `dpkg`.
    fn name(&self) -> &'static str;
    /// Which files it reads, for `sbom-gen catalogers`.
    fn files_read(&self) -> &'static str;
    /// The purl types / ecosystems it reports, for `sbom-gen catalogers`.
    fn ecosystems(&self) -> &'static [&'static str];
    /// Whether the contents of the file at `path` (image-root-relative, normalised) of `size`
    /// bytes are needed.
    fn wants(&self, path: &str, size: u64) -> bool;
    /// Catalog the squashed view. Components carry `locations` with `layer_index` set;
    /// the pipeline fills in diff_ids.
    fn catalog(&self, fs: &FileSystem, ctx: &CatalogContext, out: &mut CatalogOutput);
}

/// Every cataloger, in the order they run.
pub fn registry() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(dpkg::DpkgCataloger),
        Box::new(python::PythonCataloger),
        Box::new(npm::NpmCataloger),
    ]
}
