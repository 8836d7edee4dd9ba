//! Sources: one module per SOURCE scheme (docker-archive, oci-archive, oci-dir, dir), each
//! producing an image whose layers are read as streams.
//!
//! STUB: filled in by the image work.
