//! One layer blob read as a stream, once: the compression is chosen by magic bytes (gzip
//! `1f 8b` as RFC 1952, possibly several members; zstd `28 b5 2f fd` as RFC 8878; else a plain
//! tar), the media type being only a hint. The blob bytes and the uncompressed bytes are
//! hashed (sha256) on the way, the tar is read to its end and the decompressor drained, so a
//! truncated or corrupt layer is always noticed (OCI image-spec *layer.md*, *config.md*
//! `rootfs.diff_ids`).

use std::cell::RefCell;
use std::io::{self, BufRead, BufReader, Chain, Cursor, Read};
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::source::archive::{one_line, read_up_to};

/// What one read of a layer found: hex digests and byte counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    /// `sha256:` of the blob as stored.
    pub blob: String,
    pub blob_bytes: u64,
    /// `sha256:` of the uncompressed tar (the diff_id).
    pub diff_id: String,
    pub uncompressed_bytes: u64,
}

/// Why a layer could not be read to its end.
#[derive(Debug)]
pub enum StreamError {
    /// Truncated, corrupt compression, a tar that does not parse.
    Corrupt(String),
    /// A budget was exceeded (decompressed bytes or entries per layer).
    Limit(String),
}

/// The compression found by magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// `1f 8b`: gzip (RFC 1952), one or more members.
    Gzip,
    /// `28 b5 2f fd`: a zstd frame (RFC 8878), one or more.
    Zstd,
    /// Anything else: read as a plain tar.
    None,
}

impl Compression {
    /// Detect from the first bytes of a blob.
    pub fn sniff(magic: &[u8]) -> Compression {
        if magic.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if magic.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

#[derive(Default)]
struct Tally {
    hasher: Sha256,
    bytes: u64,
    over: bool,
}

/// A reader that hashes and counts what passes through it and fails beyond `limit` bytes.
pub(crate) struct Tap<R> {
    inner: R,
    tally: Rc<RefCell<Tally>>,
    limit: u64,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut t = self.tally.borrow_mut();
        if let Some(chunk) = buf.get(..n) {
            t.hasher.update(chunk);
        }
        t.bytes = t.bytes.saturating_add(n as u64);
        if t.bytes > self.limit {
            t.over = true;
            return Err(io::Error::other(format!("more than {} bytes", self.limit)));
        }
        Ok(n)
    }
}

type Raw = BufReader<Chain<Cursor<Vec<u8>>, Tap<Box<dyn Read>>>>;

pub(crate) enum Decoder {
    Gzip(flate2::bufread::MultiGzDecoder<Raw>),
    Zstd(zstd::stream::read::Decoder<'static, Raw>),
    Plain(Raw),
}

impl Read for Decoder {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Gzip(d) => d.read(buf),
            Decoder::Zstd(d) => d.read(buf),
            Decoder::Plain(d) => d.read(buf),
        }
    }
}

impl Decoder {
    fn into_raw(self) -> Raw {
        match self {
            Decoder::Gzip(d) => d.into_inner(),
            Decoder::Zstd(d) => d.finish(),
            Decoder::Plain(d) => d,
        }
    }
}

/// Largest PAX (`x`, `g`) or GNU long-name (`L`, `K`) extension header accepted, in bytes. The
/// tar crate reads these whole into memory, so their size is checked before it does.
pub const MAX_EXTENSION_BYTES: u64 = 1024 * 1024;

/// Watches the tar stream's header blocks as they pass (ustar layout: a 512-byte header, the
/// data rounded up to 512; a PAX `size` record overrides the next member's size) and fails
/// before an extension header larger than [`MAX_EXTENSION_BYTES`] reaches the tar crate. It
/// stops watching (and lets the tar crate judge) at the end marker, an unparsable header or a
/// GNU sparse member.
pub(crate) struct HeaderGuard<R> {
    inner: R,
    /// Stream position of the next byte read.
    pos: u64,
    /// Stream position of the next header block.
    next: u64,
    block: Vec<u8>,
    /// PAX data being captured: (end position, bytes so far).
    pax: Option<(u64, Vec<u8>)>,
    /// A PAX `size` for the next member that is not an extension header.
    pax_size: Option<u64>,
    watching: bool,
}

impl<R> HeaderGuard<R> {
    fn new(inner: R) -> Self {
        HeaderGuard {
            inner,
            pos: 0,
            next: 0,
            block: Vec::with_capacity(512),
            pax: None,
            pax_size: None,
            watching: true,
        }
    }

    fn observe(&mut self, data: &[u8]) -> io::Result<()> {
        let mut i = 0usize;
        while i < data.len() && self.watching {
            let p = self.pos + i as u64;
            let rest = data.get(i..).unwrap_or_default();
            if let Some((end, buf)) = &mut self.pax {
                let take = (*end - p).min(rest.len() as u64) as usize;
                buf.extend_from_slice(rest.get(..take).unwrap_or_default());
                i += take;
                if p + take as u64 >= *end {
                    self.pax_size = tar::PaxExtensions::new(buf)
                        .filter_map(Result::ok)
                        .find(|e| e.key() == Ok("size"))
                        .and_then(|e| e.value().ok().and_then(|v| v.parse().ok()));
                    self.pax = None;
                }
                continue;
            }
            if p < self.next {
                i += (self.next - p).min(rest.len() as u64) as usize;
                continue;
            }
            let take = (512 - self.block.len()).min(rest.len());
            self.block
                .extend_from_slice(rest.get(..take).unwrap_or_default());
            i += take;
            if self.block.len() == 512 {
                self.header()?;
                self.block.clear();
            }
        }
        Ok(())
    }

    fn header(&mut self) -> io::Result<()> {
        let Ok(bytes) = <&[u8; 512]>::try_from(self.block.as_slice()) else {
            self.watching = false;
            return Ok(());
        };
        if bytes.iter().all(|b| *b == 0) {
            self.watching = false;
            return Ok(());
        }
        let h = tar::Header::from_byte_slice(bytes);
        // A header whose checksum does not add up means we lost track: stop watching.
        let sum: u32 = bytes
            .iter()
            .enumerate()
            .map(|(k, b)| {
                if (148..156).contains(&k) {
                    u32::from(b' ')
                } else {
                    u32::from(*b)
                }
            })
            .sum();
        if h.cksum().ok() != Some(sum) {
            self.watching = false;
            return Ok(());
        }
        let et = h.entry_type();
        let Ok(size) = h.entry_size() else {
            self.watching = false;
            return Ok(());
        };
        let ext = et.is_pax_local_extensions()
            || et.is_pax_global_extensions()
            || et.is_gnu_longname()
            || et.is_gnu_longlink();
        if ext && size > MAX_EXTENSION_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a tar extension header of {size} bytes (more than {MAX_EXTENSION_BYTES})"),
            ));
        }
        if et.is_gnu_sparse() {
            self.watching = false;
            return Ok(());
        }
        let data_start = self.next + 512;
        let size = if ext {
            if et.is_pax_global_extensions() {
                self.pax_size = None;
            }
            size
        } else {
            self.pax_size.take().unwrap_or(size)
        };
        if et.is_pax_local_extensions() && size > 0 {
            self.pax = Some((data_start + size, Vec::new()));
        }
        let Some(next) = size
            .checked_add(511)
            .map(|s| s & !511)
            .and_then(|s| s.checked_add(data_start))
        else {
            self.watching = false;
            return Ok(());
        };
        self.next = next;
        Ok(())
    }
}

impl<R: Read> Read for HeaderGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.watching {
            self.observe(buf.get(..n).unwrap_or_default())?;
        }
        self.pos += n as u64;
        Ok(n)
    }
}

/// The tar entry type handed to visitors.
pub(crate) type LayerEntry<'a> = tar::Entry<'a, HeaderGuard<Tap<Decoder>>>;

/// Budgets for one layer read.
#[derive(Debug, Clone, Copy)]
pub struct StreamLimits {
    pub max_layer_bytes: u64,
    pub max_entries: u64,
}

fn finish_hex(t: &Rc<RefCell<Tally>>) -> (String, u64) {
    let t = std::mem::take(&mut *t.borrow_mut());
    (
        format!("sha256:{}", hex::encode(t.hasher.finalize())),
        t.bytes,
    )
}

/// Read `raw` (the blob bytes) as a layer: decode, walk every tar entry through `visit`, drain,
/// and return the digests. `visit` may read the entry's data or not.
pub(crate) fn read_layer(
    raw: Box<dyn Read>,
    limits: StreamLimits,
    visit: &mut dyn FnMut(&mut LayerEntry<'_>) -> io::Result<()>,
) -> Result<Digests, StreamError> {
    let blob_tally = Rc::new(RefCell::new(Tally::default()));
    let tar_tally = Rc::new(RefCell::new(Tally::default()));
    let mut tap = Tap {
        inner: raw,
        tally: blob_tally.clone(),
        limit: u64::MAX,
    };
    let mut magic = vec![0u8; 4];
    let n = read_up_to(&mut tap, &mut magic)
        .map_err(|e| StreamError::Corrupt(format!("cannot read the blob: {e}")))?;
    magic.truncate(n);
    let compression = Compression::sniff(&magic);
    let buffered: Raw = BufReader::with_capacity(64 * 1024, Cursor::new(magic).chain(tap));
    let decoder = match compression {
        Compression::Gzip => Decoder::Gzip(flate2::bufread::MultiGzDecoder::new(buffered)),
        Compression::Zstd => Decoder::Zstd(
            zstd::stream::read::Decoder::with_buffer(buffered)
                .map_err(|e| StreamError::Corrupt(format!("zstd: {e}")))?,
        ),
        Compression::None => Decoder::Plain(buffered),
    };
    let what = match compression {
        Compression::Gzip => "gzip stream",
        Compression::Zstd => "zstd stream",
        Compression::None => "tar stream",
    };
    let limit_or = |t: &Rc<RefCell<Tally>>, e: io::Error, place: &str| {
        if t.borrow().over {
            StreamError::Limit(format!("uncompressed layer is {e}"))
        } else if e.kind() == io::ErrorKind::OutOfMemory {
            // A visitor's budget (see `Loader::check_path_budget`).
            StreamError::Limit(e.to_string())
        } else {
            StreamError::Corrupt(one_line(&format!(
                "{what} cannot be read to its end{place}: {e}"
            )))
        }
    };
    let mut archive = tar::Archive::new(HeaderGuard::new(Tap {
        inner: decoder,
        tally: tar_tally.clone(),
        limit: limits.max_layer_bytes,
    }));
    {
        let entries = archive.entries().map_err(|e| limit_or(&tar_tally, e, ""))?;
        let mut count = 0u64;
        let mut last = String::new();
        for entry in entries {
            let mut entry = entry.map_err(|e| {
                let after = if last.is_empty() {
                    String::new()
                } else {
                    format!(" (after member {last:?})")
                };
                limit_or(&tar_tally, e, &after)
            })?;
            count += 1;
            if count > limits.max_entries {
                return Err(StreamError::Limit(format!(
                    "more than {} tar members",
                    limits.max_entries
                )));
            }
            last = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            visit(&mut entry)
                .map_err(|e| limit_or(&tar_tally, e, &format!(" (in member {last:?})")))?;
            // Consume what the visitor left unread, so a truncation inside it is seen here. Not
            // for a GNU sparse member: its reader also yields the holes (zeros the tar crate
            // makes up, up to the claimed real size, which may be petabytes); the tar crate
            // skips its stored bytes itself and fails on a truncation there.
            if !entry.header().entry_type().is_gnu_sparse() {
                io::copy(&mut entry, &mut io::sink())
                    .map_err(|e| limit_or(&tar_tally, e, &format!(" (in member {last:?})")))?;
            }
        }
    }
    let mut tap = archive.into_inner().inner;
    io::copy(&mut tap, &mut io::sink())
        .map_err(|e| limit_or(&tar_tally, e, " (after the tar end)"))?;
    let mut raw = tap.inner.into_raw();
    // Whatever the decoder left unread of the blob still has to be hashed.
    loop {
        let len = match raw.fill_buf() {
            Ok([]) => break,
            Ok(b) => b.len(),
            Err(e) => return Err(StreamError::Corrupt(format!("cannot read the blob: {e}"))),
        };
        raw.consume(len);
    }
    let (blob, blob_bytes) = finish_hex(&blob_tally);
    let (diff_id, uncompressed_bytes) = finish_hex(&tar_tally);
    Ok(Digests {
        blob,
        blob_bytes,
        diff_id,
        uncompressed_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(path: &str, kind: tar::EntryType, size: u64) -> Vec<u8> {
        let mut h = tar::Header::new_ustar();
        h.set_path(path).expect("path");
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(0o644);
        h.set_cksum();
        h.as_bytes().to_vec()
    }

    fn pad(v: &mut Vec<u8>) {
        while v.len() & 511 != 0 {
            v.push(0);
        }
    }

    fn pax_record(key: &str, value: &str) -> Vec<u8> {
        let body = format!(" {key}={value}\n");
        let mut len = body.len() + 1;
        while format!("{len}{body}").len() != len {
            len += 1;
        }
        format!("{len}{body}").into_bytes()
    }

    /// A member whose size is stated only in a PAX record (ustar size field 0), then a PAX
    /// header of `second_pax` bytes, then a small file.
    fn tar_with_pax_size(second_pax: usize) -> Vec<u8> {
        let mut t = Vec::new();
        let rec = pax_record("size", "1000");
        t.extend(block(
            "PaxHeaders/a",
            tar::EntryType::XHeader,
            rec.len() as u64,
        ));
        t.extend(&rec);
        pad(&mut t);
        t.extend(block("a.bin", tar::EntryType::Regular, 0));
        t.extend(vec![b'a'; 1000]);
        pad(&mut t);
        let rec = pax_record("comment", &"c".repeat(second_pax));
        t.extend(block(
            "PaxHeaders/b",
            tar::EntryType::XHeader,
            rec.len() as u64,
        ));
        t.extend(&rec);
        pad(&mut t);
        t.extend(block("b.txt", tar::EntryType::Regular, 2));
        t.extend(b"hi");
        pad(&mut t);
        t.extend(vec![0u8; 1024]);
        t
    }

    fn run(t: Vec<u8>) -> Result<Vec<(String, u64)>, StreamError> {
        let mut seen = Vec::new();
        let limits = StreamLimits {
            max_layer_bytes: u64::MAX,
            max_entries: 100,
        };
        read_layer(Box::new(Cursor::new(t)), limits, &mut |e| {
            seen.push((
                String::from_utf8_lossy(&e.path_bytes()).into_owned(),
                e.size(),
            ));
            Ok(())
        })?;
        Ok(seen)
    }

    #[test]
    fn pax_size_is_followed_and_small_extensions_pass() {
        let seen = run(tar_with_pax_size(100)).expect("reads");
        assert_eq!(
            seen,
            vec![("a.bin".to_string(), 1000), ("b.txt".to_string(), 2)]
        );
    }

    #[test]
    fn oversized_extension_header_is_refused_before_it_is_read() {
        // Only found if the guard followed the PAX size of the member before it.
        match run(tar_with_pax_size(2 * 1024 * 1024)) {
            Err(StreamError::Corrupt(m)) => assert!(m.contains("extension header"), "{m}"),
            other => panic!(
                "expected a corrupt-stream error, got {:?}",
                other.map(|_| ())
            ),
        }
    }

    #[test]
    fn sniff_magic_bytes() {
        assert_eq!(Compression::sniff(&[0x1f, 0x8b, 8, 0]), Compression::Gzip);
        assert_eq!(
            Compression::sniff(&[0x28, 0xb5, 0x2f, 0xfd]),
            Compression::Zstd
        );
        assert_eq!(Compression::sniff(b"usr/"), Compression::None);
        assert_eq!(Compression::sniff(&[]), Compression::None);
    }

    #[test]
    fn empty_blob_is_an_empty_layer() {
        let d = run(Vec::new()).expect("an empty stream is an empty tar");
        assert!(d.is_empty());
    }
}
