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
    Gzip,
    Zstd,
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

/// The tar entry type handed to visitors.
pub(crate) type LayerEntry<'a> = tar::Entry<'a, Tap<Decoder>>;

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
        } else {
            StreamError::Corrupt(one_line(&format!(
                "{what} cannot be read to its end{place}: {e}"
            )))
        }
    };
    let mut archive = tar::Archive::new(Tap {
        inner: decoder,
        tally: tar_tally.clone(),
        limit: limits.max_layer_bytes,
    });
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
            // Consume what the visitor left unread, so a truncation inside it is seen here.
            io::copy(&mut entry, &mut io::sink())
                .map_err(|e| limit_or(&tar_tally, e, &format!(" (in member {last:?})")))?;
        }
    }
    let mut tap = archive.into_inner();
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
