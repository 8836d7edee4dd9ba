//! Distro detection from `etc/os-release`, else `usr/lib/os-release`, read through links inside
//! the image root (in Debian `etc/os-release` is a link to `../usr/lib/os-release`).
//!
//! Follows os-release(5): one `KEY=value` assignment per line; blank lines and lines starting
//! with `#` are ignored; values may be unquoted, or enclosed in double quotes (where `\"`, `\\`,
//! `\$` and `` \` `` are escapes) or single quotes (no escapes), as in shell. The fields used are
//! `ID`, `VERSION_ID`, `PRETTY_NAME` and `VERSION_CODENAME`.

use std::collections::BTreeMap;

use sbom_model::Distro;

use crate::fs::FileSystem;

/// The os-release locations, in the order os-release(5) says to read them.
pub const OS_RELEASE_PATHS: [&str; 2] = ["etc/os-release", "usr/lib/os-release"];

/// The paths whose contents distro detection needs (image-root-relative).
pub fn wants(path: &str) -> bool {
    OS_RELEASE_PATHS.contains(&path)
}

/// Detect the distro: the first of `etc/os-release`, `usr/lib/os-release` that resolves (inside
/// the image root) to a kept file naming a non-empty `ID`. `None` when neither does.
pub fn detect(fs: &FileSystem) -> Option<Distro> {
    OS_RELEASE_PATHS.iter().find_map(|p| {
        fs.read(p)
            .and_then(|f| parse_os_release(&String::from_utf8_lossy(f.data)))
    })
}

/// Parse the text of an os-release file into a [`Distro`]. `None` when it has no non-empty `ID`.
/// `version_id` is empty when `VERSION_ID` is absent (e.g. Debian testing).
pub fn parse_os_release(text: &str) -> Option<Distro> {
    let fields = parse_fields(text);
    let id = fields.get("ID").filter(|s| !s.is_empty())?.clone();
    Some(Distro {
        id,
        version_id: fields.get("VERSION_ID").cloned().unwrap_or_default(),
        pretty_name: fields.get("PRETTY_NAME").filter(|s| !s.is_empty()).cloned(),
        codename: fields
            .get("VERSION_CODENAME")
            .filter(|s| !s.is_empty())
            .cloned(),
    })
}

/// Every `KEY=value` assignment of an os-release text, values unquoted. A later assignment of the
/// same key wins, as in shell.
pub fn parse_fields(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, raw)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        out.insert(key.to_string(), unquote(raw.trim()));
    }
    out
}

/// Shell-style unquoting of one value: concatenated unquoted, `"..."` and `'...'` parts; an
/// unquoted `#` after whitespace starts a comment; an unterminated quote runs to the line end.
fn unquote(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    let mut prev_space = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some(&e @ ('"' | '\\' | '$' | '`')) => {
                                out.push(e);
                                chars.next();
                            }
                            _ => out.push('\\'),
                        },
                        _ => out.push(d),
                    }
                }
                prev_space = false;
            }
            '\'' => {
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    out.push(d);
                }
                prev_space = false;
            }
            '\\' => {
                if let Some(e) = chars.next() {
                    out.push(e);
                }
                prev_space = false;
            }
            '#' if prev_space => break,
            c if c.is_whitespace() => {
                out.push(c);
                prev_space = true;
            }
            c => {
                out.push(c);
                prev_space = false;
            }
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEBIAN12: &str =
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n\
VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n\
HOME_URL=\"https://www.debian.org/\"\n";

    #[test]
    fn parses_debian_12() {
        let d = parse_os_release(DEBIAN12).expect("distro");
        assert_eq!(d.id, "debian");
        assert_eq!(d.version_id, "12");
        assert_eq!(
            d.pretty_name.as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert_eq!(d.codename.as_deref(), Some("bookworm"));
        assert_eq!(d.qualifier(), "debian-12");
    }

    #[test]
    fn quoting_escapes_and_comments() {
        let f = parse_fields(
            "# comment\nA='single $x \\n'\nB=\"dq \\\"x\\\" \\$y \\\\ \\q\"\nC=plain # trailing\n  D = \"spaced\"\nbad line\n",
        );
        assert_eq!(f.get("A").map(String::as_str), Some("single $x \\n"));
        assert_eq!(f.get("B").map(String::as_str), Some("dq \"x\" $y \\ \\q"));
        assert_eq!(f.get("C").map(String::as_str), Some("plain"));
        assert_eq!(f.get("D").map(String::as_str), Some("spaced"));
        assert!(!f.contains_key("bad line"));
    }

    #[test]
    fn no_id_is_no_distro_and_missing_version_is_empty() {
        assert!(parse_os_release("NAME=x\nVERSION_ID=1\n").is_none());
        let d = parse_os_release("ID=debian\nPRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n")
            .expect("distro");
        assert_eq!(d.version_id, "");
        assert_eq!(d.qualifier(), "debian");
    }

    #[test]
    fn follows_the_debian_link_and_falls_back() {
        let mut fs = FileSystem::default();
        fs.add_file("usr/lib/os-release", 1, DEBIAN12.as_bytes());
        fs.add_symlink("etc/os-release", 1, "../usr/lib/os-release");
        assert_eq!(
            detect(&fs).map(|d| d.qualifier()).as_deref(),
            Some("debian-12")
        );

        // etc/os-release dangling (its target is not in the image): usr/lib/os-release is used.
        let mut fs = FileSystem::default();
        fs.add_file("usr/lib/os-release", 1, b"ID=alpine\nVERSION_ID=3.19.1\n");
        fs.add_symlink("etc/os-release", 1, "/nowhere/os-release");
        assert_eq!(
            detect(&fs).map(|d| d.qualifier()).as_deref(),
            Some("alpine-3.19.1")
        );

        // etc/os-release wins over usr/lib/os-release when both are present (distroless).
        let mut fs = FileSystem::default();
        fs.add_file("usr/lib/os-release", 1, DEBIAN12.as_bytes());
        fs.add_file(
            "etc/os-release",
            1,
            b"PRETTY_NAME=\"Distroless\"\nID=debian\nVERSION_ID=\"12\"\n",
        );
        let d = detect(&fs).expect("distro");
        assert_eq!(d.pretty_name.as_deref(), Some("Distroless"));
        assert_eq!(d.codename, None);

        assert!(detect(&FileSystem::default()).is_none());
    }
}
