//! Placeholder replaced by the segmentation benchmark.
fn main() {}
