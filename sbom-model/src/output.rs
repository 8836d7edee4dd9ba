//! `-o FORMAT[=FILE]` handling shared by both binaries (cli-contract.md): parse the option,
//! allow at most one format on stdout, and write files atomically (a temporary name beside the
//! target, renamed when complete), so a failed run leaves no file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

/// One `-o` option: a format name (with any `@version`) and where it goes (`None` = stdout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTarget {
    pub format: String,
    pub file: Option<PathBuf>,
}

/// Parse `FORMAT[=FILE]`.
pub fn parse_output(s: &str) -> OutputTarget {
    match s.split_once('=') {
        Some((f, file)) if !file.is_empty() => OutputTarget {
            format: f.to_string(),
            file: Some(PathBuf::from(file)),
        },
        Some((f, _)) => OutputTarget {
            format: f.to_string(),
            file: None,
        },
        None => OutputTarget {
            format: s.to_string(),
            file: None,
        },
    }
}

/// Check that at most one target writes to stdout. Returns the message of the usage error.
pub fn check_targets(targets: &[OutputTarget]) -> Result<(), String> {
    let stdout = targets.iter().filter(|t| t.file.is_none()).count();
    if stdout > 1 {
        return Err(
            "at most one -o format may go to stdout; give the others a file (-o FORMAT=FILE)"
                .to_string(),
        );
    }
    Ok(())
}

/// Write `bytes` to `path` through a temporary file in the same folder, renamed into place when
/// complete. On error the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Write every rendered output: files atomically, the stdout one (if any) last. Rendering is
/// done by the caller before this is called, so an error while rendering leaves no file.
/// Every file is first written whole under a temporary name beside its target; only when all
/// are written are they renamed into place, so one that cannot be written (a missing folder, a
/// full disk) leaves none of them behind. Several targets may name the same file: the last
/// wins. Returns the path that failed and the error.
pub fn write_outputs(
    rendered: &[(OutputTarget, Vec<u8>)],
) -> Result<(), (PathBuf, std::io::Error)> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (i, (t, bytes)) in rendered.iter().enumerate() {
        if let Some(p) = &t.file {
            match stage(p, bytes, i) {
                Ok(tmp) => staged.push((tmp, p.clone())),
                Err(e) => {
                    for (tmp, _) in &staged {
                        let _ = std::fs::remove_file(tmp);
                    }
                    return Err((p.clone(), e));
                }
            }
        }
    }
    let mut renames = staged.into_iter();
    while let Some((tmp, p)) = renames.next() {
        if let Err(e) = std::fs::rename(&tmp, &p) {
            let _ = std::fs::remove_file(&tmp);
            for (tmp, _) in renames {
                let _ = std::fs::remove_file(tmp);
            }
            return Err((p, e));
        }
    }
    for (t, bytes) in rendered {
        if t.file.is_none() {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .map_err(|e| (PathBuf::from("<stdout>"), e))?;
        }
    }
    Ok(())
}

/// Write `bytes` whole to a temporary file beside `path` (named with `n`, so two targets never
/// share one); returns its path. On error nothing is left.
fn stage(path: &Path, bytes: &[u8], n: usize) -> std::io::Result<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".to_string());
    let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_format_and_file() {
        assert_eq!(
            parse_output("cyclonedx-json"),
            OutputTarget {
                format: "cyclonedx-json".into(),
                file: None
            }
        );
        assert_eq!(
            parse_output("cyclonedx-json@1.5=out/a.json"),
            OutputTarget {
                format: "cyclonedx-json@1.5".into(),
                file: Some("out/a.json".into())
            }
        );
        assert!(check_targets(&[parse_output("table"), parse_output("json")]).is_err());
        assert!(check_targets(&[parse_output("table"), parse_output("json=x.json")]).is_ok());
    }

    #[test]
    fn atomic_write_leaves_nothing_on_failure() {
        let dir = std::env::temp_dir().join(format!("sbom-model-out-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let target = dir.join("missing-subdir").join("x.json");
        assert!(write_atomic(&target, b"{}").is_err());
        assert!(!target.exists());
        let ok = dir.join("y.json");
        write_atomic(&ok, b"{}\n").expect("write to a temp dir");
        assert_eq!(std::fs::read(&ok).expect("written"), b"{}\n");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            1,
            "only the renamed file remains: {leftovers:?}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
