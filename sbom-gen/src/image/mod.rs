//! Layer decoding (gzip, zstd, plain tar by magic bytes), whiteouts, opaque directories, and the
//! squashed [`crate::fs::FileSystem`].
//!
//! STUB: filled in by the image work.
