//! A tar built member by member (GNU headers; long names become GNU long-name members), for
//! tests that build layers and archives.

/// A tar built member by member.
pub struct TarB(tar::Builder<Vec<u8>>);

impl TarB {
    pub fn new() -> Self {
        TarB(tar::Builder::new(Vec::new()))
    }
    pub fn header(kind: tar::EntryType, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(if kind == tar::EntryType::Directory {
            0o755
        } else {
            0o644
        });
        h.set_mtime(1_700_000_000);
        h
    }
    pub fn file(mut self, path: &str, data: &[u8]) -> Self {
        let mut h = Self::header(tar::EntryType::Regular, data.len() as u64);
        self.0.append_data(&mut h, path, data).expect("file");
        self
    }
    pub fn dir(mut self, path: &str) -> Self {
        let mut h = Self::header(tar::EntryType::Directory, 0);
        self.0.append_data(&mut h, path, &[][..]).expect("dir");
        self
    }
    pub fn link(mut self, kind: tar::EntryType, path: &str, target: &str) -> Self {
        let mut h = Self::header(kind, 0);
        self.0.append_link(&mut h, path, target).expect("link");
        self
    }
    pub fn symlink(self, path: &str, target: &str) -> Self {
        self.link(tar::EntryType::Symlink, path, target)
    }
    pub fn hardlink(self, path: &str, target: &str) -> Self {
        self.link(tar::EntryType::Link, path, target)
    }
    /// Raw header bytes (already complete, checksum set by the caller) and raw data.
    pub fn raw(mut self, header: &tar::Header, data: &[u8]) -> Self {
        self.0.get_mut().extend_from_slice(header.as_bytes());
        self.0.get_mut().extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        self.0.get_mut().extend(std::iter::repeat_n(0u8, pad));
        self
    }
    pub fn done(self) -> Vec<u8> {
        self.0.into_inner().expect("tar")
    }
}
