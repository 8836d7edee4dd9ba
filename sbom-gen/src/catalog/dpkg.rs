//! STUB: the dpkg cataloger.

use super::{CatalogContext, CatalogOutput, Cataloger};
use crate::fs::FileSystem;

pub struct DpkgCataloger;

impl Cataloger for DpkgCataloger {
    fn name(&self) -> &'static str {
        "dpkg"
    }
    fn files_read(&self) -> &'static str {
        ""
    }
    fn ecosystems(&self) -> &'static [&'static str] {
        &[]
    }
    fn wants(&self, _path: &str, _size: u64) -> bool {
        false
    }
    fn catalog(&self, _fs: &FileSystem, _ctx: &CatalogContext, _out: &mut CatalogOutput) {}
}

/// STUB: paths listed in dpkg `info/*.list` files → owning package.
pub fn owned_files(_fs: &FileSystem) -> std::collections::HashMap<String, String> {
    Default::default()
}
