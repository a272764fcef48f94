use std::path::PathBuf;

use super::*;
use crate::store::tests::{reply_to, store, INQUIRY};
use crate::{mail, Analysis, Analyst, DeskError};

struct Counted(std::sync::atomic::AtomicUsize, Result<Analysis, String>);

impl Analyst for Counted {
    fn analyse(&self, _: &[u8], billing: &[PathBuf]) -> Result<Analysis, crate::AnalysisError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        assert!(billing.iter().all(|p| p.exists()));
        self.1.clone().map_err(crate::AnalysisError::msg)
    }
}

#[test]
fn checked_intake_analyses_first_and_stores_nothing_on_failure() {
    let (_dir, store, _) = store();
    let csv = mail::Attachment {
        filename: "bill.csv".into(),
        content_type: "text/csv".into(),
        data: b"a,b\n".to_vec(),
    };
    let failing = Counted(
        Default::default(),
        Err("attachment bill.csv: no header".into()),
    );
    let refused = intake_checked(
        &store,
        &failing,
        INQUIRY.as_bytes(),
        std::slice::from_ref(&csv),
        1,
    );
    assert!(matches!(refused, Err(DeskError::Invalid(e)) if e.contains("bill.csv")));
    assert_eq!(store.count("cases").unwrap(), 0);
    assert_eq!(store.count("attachments").unwrap(), 0);

    let analysis = Analysis {
        draft_text: "Hello".into(),
        lang: "en".into(),
        ..Analysis::default()
    };
    let working = Counted(Default::default(), Ok(analysis));
    let intake = intake_checked(&store, &working, INQUIRY.as_bytes(), &[csv], 2).unwrap();
    assert!(intake.new_case);
    assert_eq!(
        store
            .queue()
            .case(intake.case_id)
            .unwrap()
            .unwrap()
            .analysis,
        "ready"
    );
    assert_eq!(
        store
            .messages()
            .draft(intake.case_id)
            .unwrap()
            .unwrap()
            .body,
        "Hello"
    );
    assert_eq!(working.0.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn new_billing_in_a_reply_renews_the_report_but_keeps_an_edited_draft() {
    let (_dir, store, password) = store();
    let lead = store
        .people()
        .login("lead@example.com", &password, 1)
        .unwrap()
        .unwrap();
    let csv = |name: &str| mail::Attachment {
        filename: name.into(),
        content_type: "text/csv".into(),
        data: b"a,b\n".to_vec(),
    };
    let analysis = |text: &str| Analysis {
        draft_text: text.into(),
        report_text: format!("report for {text}"),
        lang: "en".into(),
        ..Analysis::default()
    };
    let first = Counted(Default::default(), Ok(analysis("October")));
    let case = intake_checked(&store, &first, INQUIRY.as_bytes(), &[csv("october.csv")], 2)
        .unwrap()
        .case_id;

    let november = Counted(Default::default(), Ok(analysis("November")));
    let reply = store
        .inbox()
        .receive(
            reply_to("q1@example.com", "r1@example.com").as_bytes(),
            &[csv("november.csv")],
            3,
        )
        .unwrap();
    assert_eq!(reply.case_id, case);
    analyse(&store, &november, reply, 3).unwrap();
    let draft = store.messages().draft(case).unwrap().unwrap();
    assert_eq!(
        (draft.composed.as_str(), draft.body.as_str()),
        ("November", "November")
    );

    store
        .messages()
        .save_draft(case, "My own words", &lead, 4)
        .unwrap();
    let december = Counted(Default::default(), Ok(analysis("December")));
    let reply = store
        .inbox()
        .receive(
            reply_to("r1@example.com", "r2@example.com").as_bytes(),
            &[csv("december.csv")],
            5,
        )
        .unwrap();
    analyse(&store, &december, reply, 5).unwrap();
    let draft = store.messages().draft(case).unwrap().unwrap();
    assert_eq!(draft.composed, "December");
    assert_eq!(draft.body, "My own words", "a person's edit is kept");
    let case = store.queue().case(case).unwrap().unwrap();
    assert_eq!(case.report_text.as_deref(), Some("report for December"));
}
