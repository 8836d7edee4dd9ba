//! Issue 2, done-when 6: bad input exits 2 with one line naming the file, no panic, and leaves
//! no output file.

mod common;

use common::*;

fn assert_clean_failure(o: &std::process::Output, must_name: &str, out: &std::path::Path) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(2),
        "exit 2 expected; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains(must_name),
        "stderr should name {must_name:?}:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "no panic:\n{stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one line on stderr:\n{stderr}"
    );
    assert!(!out.exists(), "no output file after a failure");
    if let Some(dir) = out.parent() {
        let left: Vec<_> = std::fs::read_dir(dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(
            left.iter()
                .all(|n| !n.to_string_lossy().contains("out.cdx.json")),
            "no temporary left: {left:?}"
        );
    }
}

#[test]
fn missing_file_exits_2_naming_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out.cdx.json");
    let missing = tmp.path().join("nope.tar");
    let o = run_gen(
        &[
            &missing.display().to_string(),
            "-o",
            &format!("cyclonedx-json={}", out.display()),
        ],
        None,
    );
    assert_clean_failure(&o, "nope.tar", &out);
    let o = run_gen(
        &[
            &format!("docker-archive:{}", missing.display()),
            "-o",
            &format!("cyclonedx-json={}", out.display()),
        ],
        None,
    );
    assert_clean_failure(&o, "nope.tar", &out);
}

#[test]
fn truncated_docker_archive_exits_2() {
    let Some(img) = shared("testdata/images/debian-app.docker.tar") else {
        return;
    };
    let bytes = std::fs::read(&img).expect("image");
    let tmp = tempfile::tempdir().expect("tempdir");
    let cut = tmp.path().join("cut.docker.tar");
    // Cut in the middle of the second layer's member.
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).expect("write");
    let out = tmp.path().join("out.cdx.json");
    let o = run_gen(
        &[
            &format!("docker-archive:{}", cut.display()),
            "-o",
            &format!("cyclonedx-json={}", out.display()),
        ],
        None,
    );
    assert_clean_failure(&o, "cut.docker.tar", &out);
}

#[test]
fn corrupt_oci_blob_exits_2_naming_the_layer() {
    let Some(img) = shared("testdata/images/debian-app.oci.tar") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let layout = tmp.path().join("layout");
    untar(&img, &layout);
    // Flip bytes in the middle of layer 1's gzip blob (its digest is in expected.json).
    let digest = "1e9b6c11cf1457907fe2223258b6fb158f9f3b0edd8b3dd53fa0b101203f8c48";
    let blob = layout.join("blobs/sha256").join(digest);
    let mut b = std::fs::read(&blob).expect("blob");
    let mid = b.len() / 2;
    for x in &mut b[mid..mid + 64] {
        *x ^= 0xa5;
    }
    std::fs::write(&blob, &b).expect("write");
    let out = tmp.path().join("out.cdx.json");
    let o = run_gen(
        &[
            &format!("oci-dir:{}", layout.display()),
            "-o",
            &format!("cyclonedx-json={}", out.display()),
        ],
        None,
    );
    assert_clean_failure(&o, &digest[..12], &out);
}

#[test]
fn not_an_image_exits_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let junk = tmp.path().join("junk.tar");
    std::fs::write(&junk, b"this is not a tar archive at all, just text\n").expect("write");
    let out = tmp.path().join("out.cdx.json");
    let o = run_gen(
        &[
            &junk.display().to_string(),
            "-o",
            &format!("cyclonedx-json={}", out.display()),
        ],
        None,
    );
    assert_clean_failure(&o, "junk.tar", &out);
}
