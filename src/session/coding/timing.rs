//! Focused coding time in a session: every command the coder gives credits the time since
//! the previous one (see [`crate::core::model::coding_time`] for the rule) to the article and
//! to the claim that was selected meanwhile. The time goes into the file with the next save;
//! leaving an article that has a file on disk saves it, so no recorded time is lost. Reading
//! an article without making a file records nothing: a file stands for work begun.

use std::time::Instant;

use crate::session::coding::Session;
use crate::session::coding::command::CodeCommand;

impl Session {
    /// Credits the time since the coder's previous action, before `cmd` is carried out (the
    /// time was spent on what was selected until now). Polling the disk is no action of the
    /// coder's; losing focus stops the clock.
    pub(super) fn credit_time(&mut self, cmd: &CodeCommand, now: Instant) {
        let credit = match cmd {
            CodeCommand::CheckDisk => return,
            CodeCommand::FocusLost => self.focus.pause(now),
            _ => self.focus.act(now),
        };
        self.accrual.credit(credit, self.selected.as_deref());
    }

    /// Moves the whole seconds credited so far into the file about to be saved, dropping the
    /// time of claims no longer in it.
    pub(super) fn bank_time(&mut self) {
        let file = &mut self.doc.file;
        self.accrual.write_into(&mut file.time);
        let ids: Vec<&str> = file.claims.iter().map(|c| c.id.as_str()).collect();
        let mut time = std::mem::take(&mut file.time);
        time.retain_claims(ids);
        file.time = time;
    }

    /// Before leaving the article (another article, another annotator, quitting): time not
    /// yet written makes the file unsaved, if it has one on disk, so the save that follows
    /// writes it. Time on an article with no file is let go, and the next article starts
    /// afresh.
    pub(super) fn keep_time_on_leaving(&mut self) {
        if self.accrual.has_whole_seconds()
            && self.doc.base().is_some()
            && self.doc.read_only.is_none()
            && !self.doc.dirty
        {
            self.doc.mark_changed();
        }
    }

    /// The focused seconds recorded on this article so far, written or not.
    pub fn article_seconds(&self) -> u64 {
        self.doc.file.time.article + self.accrual.article_seconds()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use crate::core::storage::store;
    use crate::session::coding::Session;
    use crate::session::coding::command::CodeCommand as Command;
    use crate::session::fixture::seed_project;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    /// A sentence of the open article a claim can be made on (long enough to be prose).
    fn prose(s: &Session, skip: usize) -> u32 {
        (0..s.article().sentences.len() as u32)
            .filter(|&i| s.article().sentence_text(i).len() > 60)
            .nth(skip)
            .expect("a prose sentence")
    }

    fn on_disk(s: &Session) -> crate::core::model::annotation::AnnotationFile {
        store::load_annotation(&s.document().path, s.codebook()).expect("saved file loads")
    }

    #[test]
    fn focused_time_goes_to_the_article_and_the_claim_worked_on() {
        let dir = seed_project();
        let mut s = Session::open(dir.path(), "alice").unwrap();
        let t0 = Instant::now();
        s.handle_at(Command::SetCursor(prose(&s, 0)), t0);
        // 20 s reading, then the claim is made; 30 s on it; 10 minutes away (2 count).
        s.handle_at(Command::MakeClaim, t0 + secs(20));
        let id = s.selected_claim().unwrap().id.clone();
        s.handle_at(Command::SetSource(Some("paraphrase".into())), t0 + secs(50));
        s.handle_at(Command::ToggleUnsure, t0 + secs(650));
        s.handle_at(Command::Save, t0 + secs(651));
        let file = on_disk(&s);
        assert_eq!(file.time.article, 20 + 30 + 120 + 1);
        assert_eq!(file.time.claim(&id), 30 + 120 + 1);
        assert_eq!(s.article_seconds(), 171);
    }

    #[test]
    fn time_out_of_focus_and_disk_polls_do_not_count() {
        let dir = seed_project();
        let mut s = Session::open(dir.path(), "alice").unwrap();
        let t0 = Instant::now();
        s.handle_at(Command::SetCursor(prose(&s, 0)), t0);
        s.handle_at(Command::MakeClaim, t0 + secs(5));
        s.handle_at(Command::FocusLost, t0 + secs(15));
        // An hour in another program; coming back polls the disk, which is no action.
        s.handle_at(Command::CheckDisk, t0 + secs(3600));
        s.handle_at(Command::ToggleUnsure, t0 + secs(3610));
        s.handle_at(Command::Save, t0 + secs(3612));
        assert_eq!(on_disk(&s).time.article, 5 + 10 + 2);
    }

    #[test]
    fn leaving_an_article_writes_its_time_without_calling_it_an_edit() {
        let dir = seed_project();
        let mut s = Session::open(dir.path(), "alice").unwrap();
        let t0 = Instant::now();
        s.handle_at(Command::SetCursor(prose(&s, 0)), t0);
        s.handle_at(Command::MakeClaim, t0 + secs(4));
        s.handle_at(Command::Save, t0 + secs(5));
        let saved = on_disk(&s);
        let path = s.document().path.clone();
        // Reading on without editing, then the next article.
        s.handle_at(Command::MoveCursor(1), t0 + secs(40));
        s.handle_at(Command::OpenArticle(1), t0 + secs(70));
        let after = store::load_annotation(&path, s.codebook()).unwrap();
        assert_eq!(after.time.article, saved.time.article + 65);
        assert_eq!(after.modified, saved.modified, "time alone is no edit");
        assert_eq!(after.claims, saved.claims);
        // An article only read (no file) gets no file for its time.
        let read_only_path = s.document().path.clone();
        s.handle_at(Command::MoveCursor(1), t0 + secs(100));
        s.handle_at(Command::OpenArticle(2), t0 + secs(130));
        assert!(!read_only_path.exists());
    }

    #[test]
    fn a_deleted_claims_time_line_goes_with_it() {
        let dir = seed_project();
        let mut s = Session::open(dir.path(), "alice").unwrap();
        let t0 = Instant::now();
        s.handle_at(Command::SetCursor(prose(&s, 0)), t0);
        s.handle_at(Command::MakeClaim, t0 + secs(3));
        let id = s.selected_claim().unwrap().id.clone();
        s.handle_at(Command::ToggleUnsure, t0 + secs(9));
        s.handle_at(Command::Save, t0 + secs(10));
        assert_eq!(on_disk(&s).time.claim(&id), 7);
        s.handle_at(Command::DeleteClaim, t0 + secs(12));
        s.handle_at(Command::Save, t0 + secs(13));
        let file = on_disk(&s);
        assert!(!file.time.claims.contains_key(&id));
        assert_eq!(file.time.article, 13);
    }
}
