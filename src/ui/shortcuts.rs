//! The one table of window commands: labels, tooltips and keyboard shortcuts.
//!
//! Menus, buttons' tooltips, the key handler and the help overlay are all generated from
//! [`UiCommand`], so a shortcut shown to the coder is always the one that works. Codebook keys
//! (targets, stances, source types) come from the codebook and are listed after these.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Everything the window can do from the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UiCommand {
    /// Next sentence.
    NextSentence,
    /// Previous sentence.
    PrevSentence,
    /// Make a claim of the current sentence.
    MakeClaim,
    /// Extend the claim to the next sentence.
    ExtendDown,
    /// Extend the claim to the previous sentence.
    ExtendUp,
    /// Next claim in the list.
    NextClaim,
    /// Previous claim in the list.
    PrevClaim,
    /// Choose the speaker.
    Speaker,
    /// Take the first speaker offered for the claim (suggested, set last, the author).
    SuggestedSpeaker,
    /// Edit the note.
    EditNote,
    /// Select a span inside the current sentence.
    SpanMode,
    /// In span mode: the caret a word left.
    SpanWordLeft,
    /// In span mode: the caret a word right.
    SpanWordRight,
    /// In span mode: the selection a word further left.
    SpanExtendLeft,
    /// In span mode: the selection a word further right.
    SpanExtendRight,
    /// Make the next target active.
    CycleTarget,
    /// Flip the unsure flag.
    ToggleUnsure,
    /// Delete the selected claim.
    DeleteClaim,
    /// Mark the article done / in progress.
    ToggleDone,
    /// Undo.
    Undo,
    /// Redo.
    Redo,
    /// Save now.
    Save,
    /// Find in the article.
    Find,
    /// Next find match.
    FindNext,
    /// Previous find match.
    FindPrev,
    /// Next article.
    NextArticle,
    /// Previous article.
    PrevArticle,
    /// Open a project folder.
    OpenProject,
    /// Show the shortcut list.
    Help,
    /// Close dialogs, clear the selection.
    Escape,
    /// Accept the suggestion at the cursor (or go to the next one).
    AcceptSuggestion,
    /// Dismiss the suggestion at the cursor and go to the next one.
    DismissSuggestion,
}

const fn key(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, k)
}
const fn shift(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::SHIFT, k)
}
const fn cmd(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, k)
}
const fn cmd_shift(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), k)
}

impl UiCommand {
    /// Every command, in the order the help overlay lists them.
    pub const ALL: [Self; 32] = [
        Self::NextSentence,
        Self::PrevSentence,
        Self::MakeClaim,
        Self::ExtendDown,
        Self::ExtendUp,
        Self::NextClaim,
        Self::PrevClaim,
        Self::Speaker,
        Self::SuggestedSpeaker,
        Self::EditNote,
        Self::SpanMode,
        Self::SpanExtendRight,
        Self::SpanExtendLeft,
        Self::SpanWordRight,
        Self::SpanWordLeft,
        Self::CycleTarget,
        Self::ToggleUnsure,
        Self::DeleteClaim,
        Self::ToggleDone,
        Self::Undo,
        Self::Redo,
        Self::Save,
        Self::Find,
        Self::FindNext,
        Self::FindPrev,
        Self::NextArticle,
        Self::PrevArticle,
        Self::OpenProject,
        Self::Help,
        Self::Escape,
        Self::AcceptSuggestion,
        Self::DismissSuggestion,
    ];

    /// Menu and button text.
    pub fn label(self) -> &'static str {
        match self {
            Self::NextSentence => "Next sentence",
            Self::PrevSentence => "Previous sentence",
            Self::MakeClaim => "Make claim",
            Self::ExtendDown => "Extend claim down",
            Self::ExtendUp => "Extend claim up",
            Self::NextClaim => "Next claim",
            Self::PrevClaim => "Previous claim",
            Self::Speaker => "Choose speaker…",
            Self::SuggestedSpeaker => "Suggested speaker",
            Self::EditNote => "Edit note",
            Self::SpanMode => "Select span…",
            Self::SpanWordLeft => "Span: caret a word left",
            Self::SpanWordRight => "Span: caret a word right",
            Self::SpanExtendLeft => "Span: select a word left",
            Self::SpanExtendRight => "Span: select a word right",
            Self::CycleTarget => "Next target",
            Self::ToggleUnsure => "Toggle unsure",
            Self::DeleteClaim => "Delete claim",
            Self::ToggleDone => "Mark article done",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::Save => "Save",
            Self::Find => "Find in article…",
            Self::FindNext => "Find next",
            Self::FindPrev => "Find previous",
            Self::NextArticle => "Next article",
            Self::PrevArticle => "Previous article",
            Self::OpenProject => "Open project…",
            Self::Help => "Keyboard shortcuts",
            Self::Escape => "Close / deselect",
            Self::AcceptSuggestion => "Accept suggestion",
            Self::DismissSuggestion => "Dismiss suggestion",
        }
    }

    /// What it does, for tooltips and the help overlay.
    pub fn tooltip(self) -> &'static str {
        match self {
            Self::NextSentence => "Move to the next sentence (boilerplate is skipped)",
            Self::PrevSentence => "Move to the previous sentence",
            Self::MakeClaim => {
                "Make the current sentence a claim, or select the claim already on it"
            }
            Self::ExtendDown => "Grow the selected claim to include the next sentence",
            Self::ExtendUp => "Grow the selected claim to include the previous sentence",
            Self::NextClaim => "Select the next claim in the claim list",
            Self::PrevClaim => "Select the previous claim in the claim list",
            Self::Speaker => {
                "Find the speaker by name or alias, or add a new one; Enter at once takes the first suggested"
            }
            Self::SuggestedSpeaker => {
                "Give the claim the first suggested speaker: the one found in the text, else the one set last, else the author"
            }
            Self::EditNote => "Write a rationale for the selected claim",
            Self::SpanMode => {
                "Select part of the current sentence (Shift+→ a word at a time, or drag); Enter makes it a claim"
            }
            Self::SpanWordLeft | Self::SpanWordRight => {
                "While selecting a span: move the caret a word, to start the selection there"
            }
            Self::SpanExtendLeft | Self::SpanExtendRight => {
                "While selecting a span: grow or shrink the selection a word"
            }
            Self::CycleTarget => "Stance keys apply to the active target; this moves to the next",
            Self::ToggleUnsure => "Flag the selected claim as unsure",
            Self::DeleteClaim => "Delete the selected claim (undo brings it back)",
            Self::ToggleDone => "Mark the article done (every sentence read) or back in progress",
            Self::Undo => "Undo the last edit",
            Self::Redo => "Redo the last undone edit",
            Self::Save => "Save now (edits are also saved automatically)",
            Self::Find => "Find text in the article",
            Self::FindNext => "Go to the next match",
            Self::FindPrev => "Go to the previous match",
            Self::NextArticle => "Open the next article",
            Self::PrevArticle => "Open the previous article",
            Self::OpenProject => "Open another project folder",
            Self::Help => "Show every keyboard shortcut",
            Self::Escape => "Close the open dialog, or clear the claim selection",
            Self::AcceptSuggestion => {
                "Make the suggested claim at the cursor a claim, selected for correction; with none there, go to the next suggestion"
            }
            Self::DismissSuggestion => "Dismiss the suggestion at the cursor and go to the next",
        }
    }

    /// Its shortcuts, the first being the one menus show.
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        match self {
            Self::NextSentence => vec![key(Key::ArrowDown), key(Key::J)],
            Self::PrevSentence => vec![key(Key::ArrowUp), key(Key::K)],
            Self::MakeClaim => vec![key(Key::Enter)],
            Self::ExtendDown => vec![shift(Key::ArrowDown), shift(Key::J)],
            Self::ExtendUp => vec![shift(Key::ArrowUp), shift(Key::K)],
            Self::NextClaim => vec![key(Key::CloseBracket)],
            Self::PrevClaim => vec![key(Key::OpenBracket)],
            Self::Speaker => vec![key(Key::P)],
            Self::SuggestedSpeaker => vec![key(Key::O)],
            Self::EditNote => vec![key(Key::E)],
            Self::SpanMode => vec![key(Key::S)],
            Self::SpanWordLeft => vec![key(Key::ArrowLeft)],
            Self::SpanWordRight => vec![key(Key::ArrowRight)],
            Self::SpanExtendLeft => vec![shift(Key::ArrowLeft)],
            Self::SpanExtendRight => vec![shift(Key::ArrowRight)],
            Self::CycleTarget => vec![key(Key::T)],
            Self::ToggleUnsure => vec![key(Key::Exclamationmark)],
            Self::DeleteClaim => vec![key(Key::Delete), key(Key::X)],
            Self::ToggleDone => vec![cmd(Key::D)],
            Self::Undo => vec![cmd(Key::Z)],
            Self::Redo => vec![cmd_shift(Key::Z), cmd(Key::Y)],
            Self::Save => vec![cmd(Key::S)],
            Self::Find => vec![cmd(Key::F), key(Key::Slash)],
            Self::FindNext => vec![key(Key::F3)],
            Self::FindPrev => vec![shift(Key::F3)],
            Self::NextArticle => vec![cmd(Key::PageDown)],
            Self::PrevArticle => vec![cmd(Key::PageUp)],
            Self::OpenProject => vec![cmd(Key::O)],
            Self::Help => vec![key(Key::F1), key(Key::Questionmark)],
            Self::Escape => vec![key(Key::Escape)],
            Self::AcceptSuggestion => vec![key(Key::Y)],
            Self::DismissSuggestion => vec![key(Key::W)],
        }
    }

    /// The span keys act only while a span is being selected; the arrows are the text
    /// cursor's in every other field.
    fn span_only(self) -> bool {
        matches!(
            self,
            Self::SpanWordLeft | Self::SpanWordRight | Self::SpanExtendLeft | Self::SpanExtendRight
        )
    }

    /// Whether this shortcut may act while a text field has the keyboard: Ctrl+S while
    /// typing a note must still save, but `j` must type a j and Ctrl+Z must undo typing.
    /// In span mode its field has the keyboard (to show the selection), and the span keys
    /// and Enter act there.
    fn works_while_typing(self, s: KeyboardShortcut, span_mode: bool) -> bool {
        if matches!(self, Self::Undo | Self::Redo) {
            return false;
        }
        if span_mode && (self.span_only() || self == Self::MakeClaim) {
            return true;
        }
        s.modifiers.command || matches!(s.logical_key, Key::Escape | Key::F1 | Key::F3)
    }

    /// The first shortcut as text ("Ctrl+S", "]"), for menus and tooltips.
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        let mac = ctx.os().is_mac();
        self.shortcuts()
            .first()
            .map(|s| key_text(s, mac))
            .unwrap_or_default()
    }

    /// Every shortcut as text ("↓ or j"), for the help overlay.
    pub fn all_shortcuts_text(self, ctx: &egui::Context) -> String {
        shortcuts_text(&self.shortcuts(), ctx.os().is_mac())
    }

    /// Where the help overlay lists it.
    pub fn group(self) -> Group {
        match self {
            Self::SuggestedSpeaker
            | Self::Speaker
            | Self::CycleTarget
            | Self::EditNote
            | Self::ToggleUnsure
            | Self::DeleteClaim => Group::Code,
            Self::MakeClaim
            | Self::ExtendDown
            | Self::ExtendUp
            | Self::SpanMode
            | Self::SpanWordLeft
            | Self::SpanWordRight
            | Self::SpanExtendLeft
            | Self::SpanExtendRight
            | Self::AcceptSuggestion
            | Self::DismissSuggestion => Group::Claims,
            Self::NextSentence
            | Self::PrevSentence
            | Self::NextClaim
            | Self::PrevClaim
            | Self::NextArticle
            | Self::PrevArticle => Group::Move,
            Self::Find | Self::FindNext | Self::FindPrev => Group::Find,
            Self::Undo | Self::Redo | Self::Save | Self::ToggleDone | Self::OpenProject => {
                Group::Files
            }
            Self::Help | Self::Escape => Group::Window,
        }
    }

    /// Commands whose shortcut was pressed this frame, consuming the key presses.
    ///
    /// egui matches Shift loosely (a plain `J` pattern also matches Shift+J), so shortcuts
    /// with more modifiers are tried first.
    pub fn consume_pressed(ctx: &egui::Context, typing: bool, span_mode: bool) -> Vec<Self> {
        let mut table: Vec<(Self, KeyboardShortcut)> = Self::ALL
            .iter()
            .flat_map(|&c| c.shortcuts().into_iter().map(move |s| (c, s)))
            .filter(|(c, _)| span_mode || !c.span_only())
            .filter(|(c, s)| !typing || c.works_while_typing(*s, span_mode))
            .collect();
        table.sort_by_key(|(_, s)| std::cmp::Reverse(modifier_count(s.modifiers)));
        ctx.input_mut(|i| {
            table
                .into_iter()
                .filter(|(_, s)| i.consume_shortcut(s))
                .map(|(c, _)| c)
                .collect()
        })
    }
}

/// The coding window's keys by task, in the order the help overlay shows them: what is
/// pressed most (the codebook's keys and the claim's other fields) first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    /// Coding the selected claim: the codebook's keys, speaker, note, unsure, delete.
    Code,
    /// Making claims: of a sentence, a span, extending, suggestions.
    Claims,
    /// Moving through sentences, claims and articles.
    Move,
    /// Finding text.
    Find,
    /// Undo, saving, the article's status, projects.
    Files,
    /// Help and Escape.
    Window,
}

impl Group {
    /// Every group, in the order shown.
    pub const ALL: [Self; 6] = [
        Self::Code,
        Self::Claims,
        Self::Move,
        Self::Find,
        Self::Files,
        Self::Window,
    ];

    /// The group's heading.
    pub fn title(self) -> &'static str {
        match self {
            Self::Code => "Code the selected claim",
            Self::Claims => "Make claims",
            Self::Move => "Move",
            Self::Find => "Find",
            Self::Files => "Undo, save, status",
            Self::Window => "Window",
        }
    }
}

/// How a key is written for people: the key's own glyph (`]`, `?`, `↑`), a letter in lower
/// case when pressed alone (a capital would read as Shift+letter), and words for the rest
/// (`Enter`, `Page Down`). egui's own names (`CloseBracket`, `Questionmark`) never show.
fn key_glyph(key: Key, alone: bool) -> String {
    match key {
        Key::ArrowUp => "↑".to_owned(),
        Key::ArrowDown => "↓".to_owned(),
        Key::ArrowLeft => "←".to_owned(),
        Key::ArrowRight => "→".to_owned(),
        Key::Escape => "Esc".to_owned(),
        Key::PageUp => "Page Up".to_owned(),
        Key::PageDown => "Page Down".to_owned(),
        _ => {
            let glyph = key.symbol_or_name();
            let mut chars = glyph.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphabetic() && alone => {
                    c.to_ascii_lowercase().to_string()
                }
                _ => glyph.to_owned(),
            }
        }
    }
}

/// A shortcut as people write it: `Ctrl+Shift+Z`, `Shift+↓`, `p`, `]` (`Cmd` on a Mac).
pub fn key_text(s: &KeyboardShortcut, mac: bool) -> String {
    let m = s.modifiers;
    let mut parts: Vec<String> = Vec::new();
    if m.command || m.mac_cmd {
        parts.push(if mac { "Cmd" } else { "Ctrl" }.to_owned());
    } else if m.ctrl {
        parts.push("Ctrl".to_owned());
    }
    if m.alt {
        parts.push(if mac { "Option" } else { "Alt" }.to_owned());
    }
    if m.shift {
        parts.push("Shift".to_owned());
    }
    parts.push(key_glyph(s.logical_key, parts.is_empty()));
    parts.join("+")
}

/// Several shortcuts of one command: `↓ or j`.
pub fn shortcuts_text(shortcuts: &[KeyboardShortcut], mac: bool) -> String {
    let v: Vec<String> = shortcuts.iter().map(|s| key_text(s, mac)).collect();
    v.join(" or ")
}

/// The keys of the gold walk (review mode, Gold tab, after "Build gold").
///
/// A table of its own because it is a context of its own: the window reads [`UiCommand`]
/// only while coding (review mode leaves the coding keys off so they cannot edit a hidden
/// article), and reads this table only on the Gold tab, so `1`..`9` can pick coder N here
/// while they set source types while coding. Within the table no two commands share a key
/// (tested below), and the panel lists the keys from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GoldKey {
    /// Pick coder N's value (1-based).
    Pick(u8),
    /// Focus the field to type your own value.
    TypeOwn,
    /// The next dispute.
    Next,
    /// The previous dispute.
    Previous,
    /// The next dispute still open.
    NextOpen,
    /// Take back the decision on this dispute.
    Undecide,
    /// Write gold.ron.
    Save,
}

impl GoldKey {
    /// Every gold command, in the order the panel lists them.
    pub fn all() -> Vec<Self> {
        let mut v: Vec<Self> = (1..=9).map(Self::Pick).collect();
        v.extend([
            Self::TypeOwn,
            Self::Next,
            Self::Previous,
            Self::NextOpen,
            Self::Undecide,
            Self::Save,
        ]);
        v
    }

    /// What it does, for the key list beside the walk.
    pub fn tooltip(self) -> String {
        match self {
            Self::Pick(n) => format!("Take coder {n}'s value"),
            Self::TypeOwn => "Type your own value".to_owned(),
            Self::Next => "Next dispute".to_owned(),
            Self::Previous => "Previous dispute".to_owned(),
            Self::NextOpen => "Next open dispute".to_owned(),
            Self::Undecide => "Take back this decision".to_owned(),
            Self::Save => "Save gold".to_owned(),
        }
    }

    /// Its shortcuts.
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        const DIGITS: [Key; 9] = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        match self {
            Self::Pick(n) => DIGITS
                .get(usize::from(n).wrapping_sub(1))
                .map(|&k| vec![key(k)])
                .unwrap_or_default(),
            Self::TypeOwn => vec![key(Key::T)],
            Self::Next => vec![key(Key::Enter), key(Key::CloseBracket), key(Key::ArrowDown)],
            Self::Previous => vec![key(Key::OpenBracket), key(Key::ArrowUp)],
            Self::NextOpen => vec![key(Key::O)],
            Self::Undecide => vec![key(Key::Backspace)],
            Self::Save => vec![cmd(Key::S)],
        }
    }

    /// Commands whose shortcut was pressed this frame, consuming the presses. While a text
    /// field has the keyboard only Ctrl+S acts: the field takes every other key.
    pub fn consume_pressed(ctx: &egui::Context, typing: bool) -> Vec<Self> {
        let table: Vec<(Self, KeyboardShortcut)> = Self::all()
            .into_iter()
            .flat_map(|c| c.shortcuts().into_iter().map(move |s| (c, s)))
            .filter(|(_, s)| !typing || s.modifiers.command)
            .collect();
        ctx.input_mut(|i| {
            table
                .into_iter()
                .filter(|(_, s)| i.consume_shortcut(s))
                .map(|(c, _)| c)
                .collect()
        })
    }
}

fn modifier_count(m: Modifiers) -> u8 {
    u8::from(m.alt) + u8::from(m.shift) + u8::from(m.command || m.ctrl || m.mac_cmd)
}

/// The egui key for a codebook shortcut character.
pub fn key_for_char(c: char) -> Option<Key> {
    Key::from_name(&c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let mut seen: HashMap<KeyboardShortcut, UiCommand> = HashMap::new();
        for c in UiCommand::ALL {
            for s in c.shortcuts() {
                if let Some(other) = seen.insert(s, c) {
                    panic!("{s:?} is bound to both {other:?} and {c:?}");
                }
            }
        }
    }

    #[test]
    fn all_lists_every_command_once() {
        let mut v = UiCommand::ALL.to_vec();
        v.dedup();
        assert_eq!(v.len(), UiCommand::ALL.len());
    }

    #[test]
    fn plain_keys_are_reserved_from_the_codebook() {
        // Every key the window takes without Ctrl must be in the core's reserved list, so
        // `Codebook::validate` refuses a codebook that would shadow it.
        let reserved: Vec<Key> = crate::core::model::codebook::RESERVED_KEYS
            .iter()
            .filter_map(|&c| key_for_char(c))
            .collect();
        for c in UiCommand::ALL {
            for s in c.shortcuts() {
                let k = s.logical_key;
                let is_char_key = k.name().chars().count() == 1;
                if !s.modifiers.command && is_char_key {
                    assert!(
                        reserved.contains(&k),
                        "{c:?} uses {k:?}, not in RESERVED_KEYS"
                    );
                }
            }
        }
    }

    #[test]
    fn default_codebook_keys_do_not_clash_with_the_window() {
        let cb = crate::core::model::codebook::Codebook::default_codebook();
        let taken: Vec<Key> = UiCommand::ALL
            .iter()
            .flat_map(|c| c.shortcuts())
            .filter(|s| !s.modifiers.command)
            .map(|s| s.logical_key)
            .collect();
        let keys = cb
            .targets
            .iter()
            .map(|t| t.key)
            .chain(cb.stances.iter().map(|l| l.key))
            .chain(cb.source_types.iter().map(|l| l.key));
        for k in keys {
            let key = key_for_char(k).expect("codebook key maps to an egui key");
            assert!(
                !taken.contains(&key),
                "codebook key {k} is taken by the window"
            );
        }
    }
    /// egui's internal names of keys whose glyph people know better.
    const INTERNAL_NAMES: &[&str] = &[
        "CloseBracket",
        "OpenBracket",
        "Questionmark",
        "Exclamationmark",
        "Slash",
        "ArrowUp",
        "ArrowDown",
        "PageUp",
        "PageDown",
        "Escape",
        "Num1",
    ];

    #[test]
    fn issue13_17_keys_read_as_glyphs_and_plain_letters_in_lower_case() {
        let all = UiCommand::ALL
            .iter()
            .flat_map(|c| c.shortcuts())
            .chain(GoldKey::all().into_iter().flat_map(GoldKey::shortcuts));
        for s in all {
            let text = key_text(&s, false);
            for name in INTERNAL_NAMES {
                assert!(!text.contains(name), "{s:?} reads {text:?}");
            }
            if s.modifiers.is_none() {
                assert!(
                    !text.chars().any(char::is_uppercase) || text.len() > 1,
                    "{text}"
                );
            }
        }
        let show = |c: UiCommand| shortcuts_text(&c.shortcuts(), false);
        assert_eq!(show(UiCommand::NextClaim), "]");
        assert_eq!(show(UiCommand::Help), "F1 or ?");
        assert_eq!(show(UiCommand::PrevSentence), "↑ or k");
        assert_eq!(show(UiCommand::ExtendDown), "Shift+↓ or Shift+J");
        assert_eq!(show(UiCommand::Speaker), "p");
        assert_eq!(show(UiCommand::Redo), "Ctrl+Shift+Z or Ctrl+Y");
        assert_eq!(show(UiCommand::NextArticle), "Ctrl+Page Down");
        assert_eq!(show(UiCommand::Escape), "Esc");
        assert_eq!(key_text(&cmd(Key::S), true), "Cmd+S");
    }

    #[test]
    fn issue13_17_every_command_is_in_a_group_and_codebook_work_comes_first() {
        assert_eq!(Group::ALL[0], Group::Code);
        for c in UiCommand::ALL {
            assert!(Group::ALL.contains(&c.group()));
        }
        assert_eq!(UiCommand::SuggestedSpeaker.group(), Group::Code);
    }

    #[test]
    fn no_two_gold_commands_share_a_shortcut() {
        let mut seen: HashMap<KeyboardShortcut, GoldKey> = HashMap::new();
        for c in GoldKey::all() {
            assert!(!c.shortcuts().is_empty(), "{c:?} has no key");
            for s in c.shortcuts() {
                if let Some(other) = seen.insert(s, c) {
                    panic!("{s:?} is bound to both {other:?} and {c:?}");
                }
            }
        }
    }
}
