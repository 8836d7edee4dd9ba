//! Offline JSON-schema validation of written SBOMs against the official CycloneDX schemas
//! (`bom-1.5/1.6/1.7.schema.json` with their `spdx`, `jsf-0.82` and `cryptography-defs`
//! references, from CycloneDX/specification as copied into `shared/schemas/`).
//!
//! Meant for tests (this crate's and sbom-gen's): nothing is fetched from the network; every
//! `http://cyclonedx.org/schema/NAME` reference is served from `NAME` in the schemas folder.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cyclonedx::SpecVersion;

/// Serves `http://cyclonedx.org/schema/<file>` from a local folder.
struct LocalSchemas {
    dir: PathBuf,
}

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<&str>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let s = uri.as_str();
        let name = s
            .strip_prefix("http://cyclonedx.org/schema/")
            .or_else(|| s.strip_prefix("https://cyclonedx.org/schema/"))
            .ok_or_else(|| format!("no offline copy of {s}"))?;
        let name = name.split('#').next().unwrap_or(name);
        if name.contains('/') || name.contains("..") {
            return Err(format!("no offline copy of {s}").into());
        }
        let bytes = std::fs::read(self.dir.join(name))?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// The schema file name for a spec version.
pub fn schema_file(spec: SpecVersion) -> &'static str {
    match spec {
        SpecVersion::V1_5 => "bom-1.5.schema.json",
        SpecVersion::V1_6 => "bom-1.6.schema.json",
        SpecVersion::V1_7 => "bom-1.7.schema.json",
    }
}

/// Validate a CycloneDX JSON document against `schemas_dir/bom-1.x.schema.json`.
///
/// # Errors
/// Every validation error as `"<instance JSON pointer>: <message>"`, or one entry saying why the
/// schema could not be loaded.
pub fn validate_cyclonedx_json(
    doc: &Value,
    spec: SpecVersion,
    schemas_dir: &Path,
) -> Result<(), Vec<String>> {
    let path = schemas_dir.join(schema_file(spec));
    let bytes = std::fs::read(&path).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    let schema: Value =
        serde_json::from_slice(&bytes).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .with_retriever(LocalSchemas {
            dir: schemas_dir.to_path_buf(),
        })
        .build(&schema)
        .map_err(|e| vec![format!("{}: {e}", path.display())])?;
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{}: {}", e.instance_path, e))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// [`validate_cyclonedx_json`] with the shared schemas folder (`shared/schemas`, found as
/// [`crate::testing::shared_dir`] does). When that folder is absent outside CI, prints a
/// `SKIPPED` line and returns `Ok(())`; under `CI=true` it panics instead.
///
/// # Errors
/// As [`validate_cyclonedx_json`].
pub fn validate_cyclonedx(doc: &Value, spec: SpecVersion) -> Result<(), Vec<String>> {
    match crate::testing::shared_path("schemas") {
        Some(dir) => validate_cyclonedx_json(doc, spec, &dir),
        None => Ok(()),
    }
}
