//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

use juesuan::render::RenderOptions;
use juesuan::render::fonts::FontOptions;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Bundled fonts only, so the PDF is the same on every machine.
pub fn bundled() -> RenderOptions {
    RenderOptions {
        templates: None,
        fonts: FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        },
        attachment: None,
    }
}
