//! Colours: codebook label colours turned into egui colours, and the few the window adds.

use egui::Color32;

use crate::core::annotation::Claim;
use crate::core::codebook::parse_hex_color;
use crate::session::Session;

/// A codebook `#rrggbb` colour (grey if malformed; the validator reports those).
pub fn label_color(hex: &str) -> Color32 {
    parse_hex_color(hex).map_or(Color32::GRAY, |[r, g, b]| Color32::from_rgb(r, g, b))
}

/// The colour a claim is drawn in: its stance on the active target, else on the first target
/// it addresses, else grey (a claim not yet coded).
pub fn claim_color(session: &Session, claim: &Claim) -> Color32 {
    let cb = session.codebook();
    let active = cb
        .targets
        .get(session.active_target())
        .map(|t| t.id.as_str());
    let stance = active
        .and_then(|t| claim.stances.get(t))
        .or_else(|| claim.stances.values().next());
    stance
        .and_then(|s| cb.stance(s))
        .map_or(Color32::from_gray(140), |l| label_color(&l.color))
}

/// A light wash of `c` to put behind text.
pub fn tint(c: Color32, dark: bool) -> Color32 {
    let alpha = if dark { 60 } else { 40 };
    Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha)
}

/// Background of find matches.
pub fn find_highlight(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(120, 100, 0)
    } else {
        Color32::from_rgb(255, 235, 120)
    }
}
