//! The desk's [`Analyst`]: `check` and `draft_reply` on a case's message and
//! billing files from outside, within reading limits, a deadline, and a
//! number of analyses at a time.

use std::path::PathBuf;
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::Duration;

use ftdesk_core::Catalog;
use ftdesk_desk::mail::Attachment;
use ftdesk_desk::{Analysis, AnalysisError, Analyst, DeskError, Intake, Store};
use ftdesk_io::ReadLimits;
use ftdesk_render::{Format, Lang};
use ftdesk_reply::Inquiry;

use crate::check::Scope;
use crate::reply::{draft_reply, ReplyRequest};
use crate::{AppError, Clock, Settings};

/// `desk serve`'s defaults, also for `desk import`.
pub const DEFAULT_LIMITS: ReadLimits = ReadLimits {
    max_inflated_bytes: Some(512 * 1024 * 1024),
    max_rows: Some(10_000_000),
};

pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

pub struct DeskAnalyst {
    limits: ReadLimits,
    deadline: Duration,
    slots: Arc<Slots>,
    settings: Settings,
    clock: Arc<dyn Clock>,
}

impl DeskAnalyst {
    pub fn new(
        limits: ReadLimits,
        deadline: Duration,
        at_a_time: usize,
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Self {
        DeskAnalyst {
            limits,
            deadline,
            slots: Arc::new(Slots::new(at_a_time.max(1))),
            settings,
            clock,
        }
    }
}

impl Analyst for DeskAnalyst {
    /// Runs on its own thread, which keeps its slot until it ends: an
    /// analysis past the deadline fails its case at once, and still counts
    /// against the analyses at a time while it finishes.
    fn analyse(&self, inquiry: &[u8], billing: &[PathBuf]) -> Result<Analysis, AnalysisError> {
        let slot = Slots::take(&self.slots);
        let (done, outcome) = mpsc::channel();
        let (inquiry, billing, limits) = (inquiry.to_vec(), billing.to_vec(), self.limits);
        let (settings, now) = (self.settings.clone(), self.clock.now());
        std::thread::spawn(move || {
            let _slot = slot;
            let result = analyse(&inquiry, billing, limits, &settings, now)
                .map_err(|e| AnalysisError::Failed(Box::new(e)));
            let _ = done.send(result);
        });
        match outcome.recv_timeout(self.deadline) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(AnalysisError::TimedOut {
                seconds: self.deadline.as_secs(),
            }),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(AnalysisError::Stopped),
        }
    }

    fn quotes_bill(&self, inquiry: &[u8]) -> bool {
        Inquiry::parse(inquiry).is_ok_and(|inquiry| {
            !ftdesk_io::pasted::parse(&inquiry.body, &Catalog::embedded()).is_empty()
        })
    }
}

/// `desk import`: a message's bytes and the billing files given beside it,
/// analysed first with `desk serve`'s defaults (so bad billing data stores
/// nothing), then kept as a case: the same path as the upload form.
pub fn import_case(
    store: &Store,
    raw: &[u8],
    files: &[Attachment],
    settings: Settings,
    clock: Arc<dyn Clock>,
) -> Result<Intake, DeskError> {
    let analyst = DeskAnalyst::new(DEFAULT_LIMITS, DEFAULT_DEADLINE, 1, settings, clock.clone());
    ftdesk_desk::service::intake_checked(store, &analyst, raw, files, clock.now().unix())
}

/// A counting semaphore for blocking threads.
struct Slots {
    busy: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

/// A taken slot, given back when dropped.
struct Slot(Arc<Slots>);

impl Slots {
    fn new(max: usize) -> Self {
        Slots {
            busy: Mutex::new(0),
            freed: Condvar::new(),
            max,
        }
    }

    /// Waits for a free slot.
    fn take(slots: &Arc<Slots>) -> Slot {
        let mut busy = slots.busy.lock().unwrap_or_else(|e| e.into_inner());
        while *busy >= slots.max {
            busy = slots.freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy += 1;
        Slot(Arc::clone(slots))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|e| e.into_inner());
        *busy -= 1;
        self.0.freed.notify_one();
    }
}

fn analyse(
    raw: &[u8],
    billing: Vec<PathBuf>,
    limits: ReadLimits,
    settings: &Settings,
    now: ftdesk_core::Timestamp,
) -> Result<Analysis, AppError> {
    let inquiry = Inquiry::parse(raw).map_err(AppError::Message)?;
    let request = ReplyRequest {
        inquiry,
        inquiry_path: PathBuf::new(),
        paths: billing,
        scope: Scope {
            // Free Tier API output alone has no billing month: it is this one.
            now: Some(now),
            ..Scope::default()
        },
        lang: None,
        templates: settings.reply_templates(),
        settle_month: false,
        limits,
        aws: Default::default(),
    };
    let drafted = draft_reply(&Catalog::embedded(), request, settings)?;
    let (report, reply) = (drafted.report, drafted.reply);
    let lang = reply.lang;
    Ok(Analysis {
        report_html: ftdesk_render::render(&report, Format::Html, lang, false)?,
        report_text: ftdesk_render::render(&report, Format::Text, lang, false)?,
        draft_subject: reply.subject,
        draft_text: reply.text,
        notes: reply.notes,
        lang: match lang {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
        .to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn no_more_analyses_run_at_once_than_there_are_slots() {
        let slots = Arc::new(Slots::new(2));
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let workers: Vec<_> = (0..6)
            .map(|_| {
                let (slots, running, most) = (slots.clone(), running.clone(), most.clone());
                std::thread::spawn(move || {
                    let _slot = Slots::take(&slots);
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(30));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(*slots.busy.lock().unwrap(), 0, "every slot was given back");
    }
}
