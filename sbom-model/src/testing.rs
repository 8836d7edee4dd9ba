//! Test support: where the shared test data (`../shared/` beside the project) lives.
//!
//! Tests find it through `SBOM_SHARED_DIR` (default: `../shared` from the workspace root). When
//! it is absent, a test skips with a visible message, except under `CI=true`, where that is a
//! failure.

use std::io::Write;
use std::path::PathBuf;

/// The shared data folder, or `None` (after printing why) when it is absent outside CI.
///
/// # Panics
/// Under `CI=true` when the folder is absent: CI must never pass by skipping.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("SBOM_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("..")
            .join("shared"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
        panic!(
            "shared test data not found at {} (set SBOM_SHARED_DIR); CI=true forbids skipping",
            dir.display()
        );
    }
    // Written to the stderr handle, not with `eprintln!`, which the test harness captures:
    // a skip must be visible in a passing run.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: shared test data not found at {} (set SBOM_SHARED_DIR)",
        dir.display()
    );
    None
}

/// `shared_dir()/rel`, or `None` as [`shared_dir`].
pub fn shared_path(rel: &str) -> Option<PathBuf> {
    shared_dir().map(|d| d.join(rel))
}
