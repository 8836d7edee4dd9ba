//! STUB: the python cataloger.

use super::{CatalogContext, CatalogOutput, Cataloger};
use crate::fs::FileSystem;

pub struct PythonCataloger;

impl Cataloger for PythonCataloger {
    fn name(&self) -> &'static str {
        "python"
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
