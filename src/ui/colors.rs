//! Colours: codebook label colours turned into egui colours, and the few the window adds.

use egui::Color32;

use crate::core::model::annotation::Claim;
use crate::core::model::codebook::parse_hex_color;
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

/// The contrast WCAG AA asks of body text.
pub const MIN_CONTRAST: f32 = 4.5;

/// WCAG relative luminance of an opaque colour (its alpha is ignored).
pub fn luminance(c: Color32) -> f32 {
    let channel = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
}

/// WCAG contrast ratio of two opaque colours, from 1 (none) to 21 (black on white).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Black or white, whichever reads better on `bg`. One of them always reaches 4.5:1 (the
/// worst case, a background of luminance ~0.18, still gives ~4.6:1).
pub fn text_on(bg: Color32) -> Color32 {
    if contrast(Color32::BLACK, bg) >= contrast(Color32::WHITE, bg) {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// A selected choice (stance, source type): filled with the codebook colour, its text black
/// or white for contrast. Drawing the codebook colour as text on the theme's selection
/// colour, as before, left dark labels unreadable in the dark theme.
pub fn selected_choice(hex: &str) -> (Color32, Color32) {
    let bg = label_color(hex);
    (bg, text_on(bg))
}

/// `over` with alpha `alpha` (0–255) laid on the opaque `under`.
#[allow(clippy::cast_sign_loss)] // clamped to 0..=255 first
fn blend(over: Color32, alpha: u8, under: Color32) -> Color32 {
    let a = f32::from(alpha) / 255.0;
    let mix = |o: u8, u: u8| {
        (f32::from(o) * a + f32::from(u) * (1.0 - a))
            .round()
            .clamp(0.0, 255.0) as u8
    };
    Color32::from_rgb(
        mix(over.r(), under.r()),
        mix(over.g(), under.g()),
        mix(over.b(), under.b()),
    )
}

/// A light wash of `c` to put behind text of colour `text` on the opaque background `bg`:
/// as strong as the theme likes (alpha 40 light, 60 dark) but never so strong that the text
/// falls under [`MIN_CONTRAST`], whatever colour the codebook gives.
pub fn tint(c: Color32, text: Color32, bg: Color32, dark: bool) -> Color32 {
    let mut alpha: u8 = if dark { 60 } else { 40 };
    // A little above the bar: the colour is stored premultiplied, which rounds.
    while alpha > 0 && contrast(text, blend(c, alpha, bg)) < MIN_CONTRAST + 0.15 {
        alpha -= 4.min(alpha);
    }
    Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha)
}

/// What `tint` looks like once painted on `bg` (for checking contrast).
#[cfg(test)]
fn tinted(c: Color32, text: Color32, bg: Color32, dark: bool) -> Color32 {
    let [red, green, blue, alpha] = tint(c, text, bg, dark).to_srgba_unmultiplied();
    blend(Color32::from_rgb(red, green, blue), alpha, bg)
}

/// Background of find matches, and the colour of the matched text on it.
pub fn find_highlight(visuals: &egui::Visuals) -> (Color32, Color32) {
    let bg = if visuals.dark_mode {
        Color32::from_rgb(120, 100, 0)
    } else {
        Color32::from_rgb(255, 235, 120)
    };
    (bg, text_on(bg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::codebook::Codebook;

    fn themes() -> [(&'static str, egui::Visuals); 2] {
        [
            ("light", egui::Visuals::light()),
            ("dark", egui::Visuals::dark()),
        ]
    }

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.001);
        // #767676 on white is the classic just-passing AA grey (4.54:1).
        let grey = Color32::from_rgb(0x76, 0x76, 0x76);
        assert!((contrast(grey, Color32::WHITE) - 4.54).abs() < 0.01);
    }

    /// Every codebook colour on every background it is drawn on, in both themes: a
    /// selected stance or source button (its text on the colour), and a claim's wash behind
    /// the article text.
    #[test]
    fn issue13_11_default_codebook_colours_read_at_aa_in_both_themes() {
        let cb = Codebook::default_codebook();
        let labels = cb.stances.iter().chain(&cb.source_types);
        for l in labels {
            let (bg, fg) = selected_choice(&l.color);
            let c = contrast(fg, bg);
            assert!(
                c >= MIN_CONTRAST,
                "selected {} ({}): {c:.2}:1",
                l.name,
                l.color
            );
            for (theme, v) in themes() {
                let text = v.text_color();
                let washed = tinted(bg, text, v.panel_fill, v.dark_mode);
                let c = contrast(text, washed);
                assert!(
                    c >= MIN_CONTRAST,
                    "{theme}: text on the wash of {} ({}): {c:.2}:1",
                    l.name,
                    l.color
                );
            }
        }
        // Uncoded claims are washed grey.
        for (theme, v) in themes() {
            let text = v.text_color();
            let washed = tinted(Color32::from_gray(140), text, v.panel_fill, v.dark_mode);
            assert!(contrast(text, washed) >= MIN_CONTRAST, "{theme}: grey wash");
            let (bg, fg) = find_highlight(&v);
            assert!(contrast(fg, bg) >= MIN_CONTRAST, "{theme}: find match");
        }
    }

    /// Whatever colour a codebook picks, the window picks text and wash that read.
    #[test]
    fn issue13_11_any_colour_reads_at_aa() {
        for r in (0..=255_u8).step_by(15) {
            for g in (0..=255_u8).step_by(15) {
                for b in (0..=255_u8).step_by(15) {
                    let c = Color32::from_rgb(r, g, b);
                    assert!(contrast(text_on(c), c) >= MIN_CONTRAST, "{c:?}");
                    for (theme, v) in themes() {
                        let text = v.text_color();
                        let washed = tinted(c, text, v.panel_fill, v.dark_mode);
                        assert!(contrast(text, washed) >= MIN_CONTRAST, "{theme}: {c:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn issue13_11_the_old_selected_button_was_unreadable_in_the_dark_theme() {
        // What the inspector drew before: the codebook colour as text on the selection fill.
        let v = egui::Visuals::dark();
        let author = label_color("#37474f");
        assert!(contrast(author, v.selection.bg_fill) < 2.0);
    }
}
