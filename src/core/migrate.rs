//! Applying codebook migrations to annotation files.
