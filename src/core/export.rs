//! Export of claims to CSV and JSON Lines.
