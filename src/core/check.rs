//! `stance check`: validate a project's codebook, articles and annotation files.
