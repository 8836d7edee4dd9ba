//! SPDX 2.2/2.3 JSON and tag-value reading (and writing).
//!
//! STUB: filled in by the formats work.
