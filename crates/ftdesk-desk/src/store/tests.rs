use super::*;

const INQUIRY: &str = "From: Jane Doe <jane@example.com>\r\nTo: desk@example.com\r\n\
Subject: Charges of $19.63\r\nMessage-ID: <q1@example.com>\r\nDate: Mon, 24 Nov 2025 09:00:00 +0000\r\n\r\n\
Why was I charged $19.63? I only use the free tier.\r\n";

fn store() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().unwrap();
    let (store, password) =
        Store::init(&dir.path().join("desk.sqlite"), "lead@example.com", 1000).unwrap();
    (dir, store, password)
}

fn reply_to(id: &str, new_id: &str) -> String {
    format!(
        "From: jane@example.com\r\nSubject: Re: Charges\r\nMessage-ID: <{new_id}>\r\n\
In-Reply-To: <{id}>\r\nReferences: <q1@example.com> <{id}>\r\n\r\nThanks, one more question.\r\n"
    )
}

#[test]
fn init_creates_the_schema_with_wal_and_foreign_keys_once() {
    let (dir, store, password) = store();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(password.len(), 20);
    let conn = store.conn();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let hash: String = conn
        .query_row("SELECT password_hash FROM users", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains(&password));
    drop(conn);
    drop(store);
    let err = Store::init(&dir.path().join("desk.sqlite"), "x@example.com", 1)
        .err()
        .unwrap();
    assert!(matches!(err, DeskError::AlreadyInitialised(_)), "{err}");
    let reopened = Store::open(&dir.path().join("desk.sqlite")).unwrap();
    assert_eq!(reopened.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(matches!(
        Store::open(&dir.path().join("none.sqlite")),
        Err(DeskError::Missing(_))
    ));
}

#[test]
fn the_audit_log_refuses_updates_and_deletes() {
    let (_dir, store, _) = store();
    store.audit(None, "test", None, "", 5).unwrap();
    let update = store
        .execute_raw("UPDATE audit_log SET action = 'x'")
        .unwrap_err();
    assert!(update.to_string().contains("append-only"), "{update}");
    let delete = store.execute_raw("DELETE FROM audit_log").unwrap_err();
    assert!(delete.to_string().contains("append-only"), "{delete}");
    assert!(store.count("audit_log").unwrap() >= 2);
}

#[test]
fn foreign_keys_are_enforced() {
    let (_dir, store, _) = store();
    let err = store
        .execute_raw(
            "INSERT INTO comments (case_id, author_id, body, created_at) VALUES (999, 999, 'x', 0)",
        )
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[test]
fn intake_makes_a_case_and_threads_replies_into_it() {
    let (_dir, store, _) = store();
    let first = store.intake(INQUIRY.as_bytes(), &[], 2000).unwrap();
    assert!(first.new_case && !first.duplicate);
    let case = store.case(first.case_id).unwrap().unwrap();
    assert_eq!(case.customer.as_deref(), Some("jane@example.com"));
    assert_eq!(case.amount.as_deref(), Some("19.63"));
    assert_eq!(case.status, "new");
    assert_eq!(case.first_response_due, 2000 + FIRST_RESPONSE_SECONDS);
    let again = store.intake(INQUIRY.as_bytes(), &[], 2001).unwrap();
    assert!(again.duplicate);
    assert_eq!(
        store.count("messages").unwrap(),
        1,
        "a repeat is not stored twice"
    );
    let reply = store
        .intake(
            reply_to("q1@example.com", "r1@example.com").as_bytes(),
            &[],
            2002,
        )
        .unwrap();
    assert_eq!(reply.case_id, first.case_id);
    assert!(!reply.new_case);
    // A reply that names only an older message in References still threads.
    let late = "From: jane@example.com\r\nSubject: again\r\nMessage-ID: <r2@example.com>\r\n\
References: <unknown@x> <q1@example.com>\r\n\r\nHello?\r\n";
    assert_eq!(
        store.intake(late.as_bytes(), &[], 2003).unwrap().case_id,
        first.case_id
    );
    assert_eq!(store.count("cases").unwrap(), 1);
    let (in_reply_to, refs) = store.thread_headers(first.case_id).unwrap();
    assert_eq!(in_reply_to.as_deref(), Some("r2@example.com"));
    assert_eq!(refs, ["unknown@x", "q1@example.com", "r2@example.com"]);
}

#[test]
fn a_malformed_message_stores_nothing() {
    let (_dir, store, _) = store();
    assert!(store.intake(b"no headers at all", &[], 1).is_err());
    assert_eq!(store.count("cases").unwrap(), 0);
    assert_eq!(store.count("messages").unwrap(), 0);
}

#[test]
fn attachments_keep_their_checksum() {
    let (_dir, store, _) = store();
    let file = mail::Attachment {
        filename: "bill.csv".into(),
        content_type: "text/csv".into(),
        data: b"a,b\n1,2\n".to_vec(),
    };
    let intake = store
        .intake(INQUIRY.as_bytes(), std::slice::from_ref(&file), 1)
        .unwrap();
    let messages = store.messages(intake.case_id).unwrap();
    let stored = &messages[0].attachments[0];
    assert_eq!(stored.sha256, file.sha256());
    let (_, data) = store
        .attachment(intake.case_id, stored.id)
        .unwrap()
        .unwrap();
    assert_eq!(data, file.data);
    store
        .conn()
        .execute("UPDATE attachments SET data = x'00'", [])
        .unwrap();
    let err = store.attachment(intake.case_id, stored.id).unwrap_err();
    assert!(err.to_string().contains("SHA-256"), "{err}");
    assert!(store
        .attachment(intake.case_id + 1, stored.id)
        .unwrap()
        .is_none());
}

#[test]
fn ten_wrong_passwords_lock_the_account() {
    let (_dir, store, one_time) = store();
    assert!(store
        .login("lead@example.com", &one_time, 10)
        .unwrap()
        .is_ok());
    let password = "the lead's own password";
    store.set_password(1, password, 10).unwrap();
    for attempt in 1..MAX_FAILED_LOGINS {
        assert_eq!(
            store
                .login("lead@example.com", "wrong", 10 + attempt)
                .unwrap()
                .unwrap_err(),
            LoginRefusal::WrongPassword
        );
    }
    let locked = store
        .login("lead@example.com", "wrong", 30)
        .unwrap()
        .unwrap_err();
    assert_eq!(locked, LoginRefusal::LockedUntil(30 + LOCK_SECONDS));
    assert!(
        matches!(
            store.login("lead@example.com", password, 31).unwrap(),
            Err(LoginRefusal::LockedUntil(_))
        ),
        "the right password is refused while locked"
    );
    assert!(store
        .login("lead@example.com", password, 31 + LOCK_SECONDS)
        .unwrap()
        .is_ok());
}

#[test]
fn sessions_expire_and_end() {
    let (_dir, store, _) = store();
    let token = store.create_session(1, 100).unwrap();
    let session = store.session(&token, 101).unwrap().unwrap();
    assert_eq!(session.user.email, "lead@example.com");
    assert_eq!(session.csrf.len(), 64);
    assert!(store
        .session(&token, 100 + SESSION_SECONDS)
        .unwrap()
        .is_none());
    assert!(store.session("forged", 101).unwrap().is_none());
    store.end_session(&token, 1, 102).unwrap();
    assert!(store.session(&token, 103).unwrap().is_none());
}

#[test]
fn search_finds_inquiries_and_the_queue_filters() {
    let (_dir, store, _) = store();
    let case = store.intake(INQUIRY.as_bytes(), &[], 1).unwrap().case_id;
    let mut filter = QueueFilter {
        search: Some("charg".into()),
        ..QueueFilter::default()
    };
    assert_eq!(store.queue(&filter, 2).unwrap().len(), 1);
    filter.search = Some("kubernetes".into());
    assert!(store.queue(&filter, 2).unwrap().is_empty());
    filter.search = Some("\"unbalanced".into());
    assert!(
        store.queue(&filter, 2).unwrap().is_empty(),
        "quotes in a query are harmless"
    );
    let rows = store
        .queue(&QueueFilter::default(), FIRST_RESPONSE_SECONDS + 2)
        .unwrap();
    assert!(rows[0].overdue);
    let user = store.users().unwrap().remove(0);
    store.set_status(case, "solved", &user, 3).unwrap();
    assert!(store.queue(&QueueFilter::default(), 4).unwrap().is_empty());
    let solved = QueueFilter {
        status: Some("solved".into()),
        ..QueueFilter::default()
    };
    assert_eq!(store.queue(&solved, 4).unwrap().len(), 1);
    assert!(store.set_status(case, "bogus", &user, 5).is_err());
}

#[test]
fn a_reply_is_recorded_before_sending_and_an_interrupted_one_is_never_sent() {
    let (_dir, store, _) = store();
    let case = store.intake(INQUIRY.as_bytes(), &[], 1).unwrap().case_id;
    let out = Outgoing {
        case_id: case,
        message_id: "out1@ftdesk.desk".into(),
        in_reply_to: Some("q1@example.com".into()),
        references: vec!["q1@example.com".into()],
        sender: "support@example.com".into(),
        recipients: vec!["jane@example.com".into()],
        subject: "Re: Charges".into(),
        body: "Hello".into(),
        raw: b"raw".to_vec(),
        author_id: 1,
    };
    let key = store.mint_send_key(case, 2).unwrap();
    let row = store.begin_send(&out, &key, 2).unwrap().unwrap();
    assert_eq!(store.settle_interrupted_sends(3).unwrap(), 1);
    let messages = store.messages(case).unwrap();
    assert_eq!(messages[1].state, "failed");
    let second = Outgoing {
        message_id: "out2@ftdesk.desk".into(),
        ..out
    };
    let key = store.mint_send_key(case, 4).unwrap();
    let row2 = store.begin_send(&second, &key, 4).unwrap().unwrap();
    assert_ne!(row, row2);
    store.finish_send(row2, Ok(()), 1, 5).unwrap();
    let case = store.case(case).unwrap().unwrap();
    assert_eq!(case.status, "waiting");
    assert_eq!(case.first_response_at, Some(5));
}

#[test]
fn a_backup_is_a_working_copy() {
    let (dir, store, _) = store();
    store.intake(INQUIRY.as_bytes(), &[], 1).unwrap();
    let copy = dir.path().join("copy.sqlite");
    store.backup(&copy).unwrap();
    let restored = Store::open(&copy).unwrap();
    assert_eq!(restored.count("cases").unwrap(), 1);
    assert!(
        store.backup(&copy).is_err(),
        "an existing file is not overwritten"
    );
}

#[test]
fn a_lead_unlocks_an_account_and_resets_its_password() {
    let (_dir, store, lead_password) = store();
    let password = store
        .add_user("ann@example.com", "associate", "en", 1)
        .unwrap();
    let lead = store
        .login("lead@example.com", &lead_password, 2)
        .unwrap()
        .unwrap();
    let ann = store
        .login("ann@example.com", &password, 2)
        .unwrap()
        .unwrap();
    let password = "ann's own password";
    let token = store.set_password(ann.id, password, 2).unwrap();
    for attempt in 0..MAX_FAILED_LOGINS {
        let _ = store
            .login("ann@example.com", "wrong", 10 + attempt)
            .unwrap();
    }
    assert_eq!(
        store.locked_accounts(30).unwrap(),
        vec![(ann.id, 19 + LOCK_SECONDS)]
    );
    store.unlock(ann.id, Some(&lead), 31).unwrap();
    assert!(store.locked_accounts(31).unwrap().is_empty());
    assert!(store
        .login("ann@example.com", password, 32)
        .unwrap()
        .is_ok());

    let fresh = store.reset_password(ann.id, Some(&lead), 40).unwrap();
    assert!(
        store.session(&token, 41).unwrap().is_none(),
        "old sessions end"
    );
    assert!(store
        .login("ann@example.com", password, 42)
        .unwrap()
        .is_err());
    assert!(store.login("ann@example.com", &fresh, 43).unwrap().is_ok());
    let log = store.audit_log(50).unwrap();
    for action in ["account-unlocked", "password-reset"] {
        let entry = log.iter().find(|e| e.action == action).expect(action);
        assert_eq!(entry.user.as_deref(), Some("lead@example.com"));
        assert_eq!(entry.detail, "ann@example.com");
    }
    assert!(matches!(
        store.unlock(999, Some(&lead), 50),
        Err(DeskError::Invalid(_))
    ));
}

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
    let refused = store.intake_checked(&failing, INQUIRY.as_bytes(), std::slice::from_ref(&csv), 1);
    assert!(matches!(refused, Err(DeskError::Invalid(e)) if e.contains("bill.csv")));
    assert_eq!(store.count("cases").unwrap(), 0);
    assert_eq!(store.count("attachments").unwrap(), 0);

    let analysis = Analysis {
        draft_text: "Hello".into(),
        lang: "en".into(),
        ..Analysis::default()
    };
    let working = Counted(Default::default(), Ok(analysis));
    let intake = store
        .intake_checked(&working, INQUIRY.as_bytes(), &[csv], 2)
        .unwrap();
    assert!(intake.new_case);
    assert_eq!(
        store.case(intake.case_id).unwrap().unwrap().analysis,
        "ready"
    );
    assert_eq!(store.draft(intake.case_id).unwrap().unwrap().body, "Hello");
    assert_eq!(working.0.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn new_billing_in_a_reply_renews_the_report_but_keeps_an_edited_draft() {
    let (_dir, store, password) = store();
    let lead = store
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
    let case = store
        .intake_checked(&first, INQUIRY.as_bytes(), &[csv("october.csv")], 2)
        .unwrap()
        .case_id;

    let november = Counted(Default::default(), Ok(analysis("November")));
    let reply = store
        .intake(
            reply_to("q1@example.com", "r1@example.com").as_bytes(),
            &[csv("november.csv")],
            3,
        )
        .unwrap();
    assert_eq!(reply.case_id, case);
    store.analyse(&november, reply, 3).unwrap();
    let draft = store.draft(case).unwrap().unwrap();
    assert_eq!(
        (draft.composed.as_str(), draft.body.as_str()),
        ("November", "November")
    );

    store.save_draft(case, "My own words", &lead, 4).unwrap();
    let december = Counted(Default::default(), Ok(analysis("December")));
    let reply = store
        .intake(
            reply_to("r1@example.com", "r2@example.com").as_bytes(),
            &[csv("december.csv")],
            5,
        )
        .unwrap();
    store.analyse(&december, reply, 5).unwrap();
    let draft = store.draft(case).unwrap().unwrap();
    assert_eq!(draft.composed, "December");
    assert_eq!(draft.body, "My own words", "a person's edit is kept");
    let case = store.case(case).unwrap().unwrap();
    assert_eq!(case.report_text.as_deref(), Some("report for December"));
}

fn inquiry(n: usize, subject: &str) -> String {
    format!(
        "From: customer{n}@example.net\r\nSubject: {subject}\r\nMessage-ID: <c{n}@example.net>\r\n\r\n\
I was charged $1.{n:02} for my {subject}.\r\n"
    )
}

#[test]
fn the_queue_comes_in_pages_that_keep_their_filters_and_order() {
    let (_dir, store, _) = store();
    let lead = store.users().unwrap().remove(0);
    store
        .add_user("ann@example.com", "associate", "en", 1)
        .unwrap();
    for n in 1..=120 {
        let subject = if n % 3 == 0 {
            "EBS snapshot"
        } else {
            "NAT gateway"
        };
        // Later arrivals are due later; the queue is in due order.
        let case = store.intake(inquiry(n, subject).as_bytes(), &[], 1000 - n as i64);
        let case = case.unwrap().case_id;
        if n % 4 == 0 {
            store
                .assign(case, Some("ann@example.com"), &lead, 2000)
                .unwrap();
        }
    }
    // Answered cases go after the unanswered ones whatever their due time.
    store
        .execute_raw("UPDATE cases SET first_response_at = 2000 WHERE id IN (120, 119)")
        .unwrap();
    let page = |filter: QueueFilter, offset: i64| -> Vec<i64> {
        let filter = QueueFilter {
            limit: 50,
            offset,
            ..filter
        };
        store
            .queue(&filter, 3000)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect()
    };
    let all: Vec<i64> = (1..=118).rev().chain([120, 119]).collect();
    assert_eq!(page(QueueFilter::default(), 0), all[..50]);
    assert_eq!(page(QueueFilter::default(), 50), all[50..100]);
    assert_eq!(page(QueueFilter::default(), 100), all[100..]);
    assert!(page(QueueFilter::default(), 150).is_empty());

    let ann = QueueFilter {
        assignee: Some("ann@example.com".into()),
        ..QueueFilter::default()
    };
    let anns: Vec<i64> = all.iter().copied().filter(|id| id % 4 == 0).collect();
    assert_eq!(anns.len(), 30);
    assert_eq!(page(ann.clone(), 0), anns);
    let open_anns = QueueFilter {
        status: Some("open".into()),
        ..ann
    };
    assert_eq!(page(open_anns, 0), anns, "assigning opens a new case");
    let snapshots = QueueFilter {
        search: Some("snaps".into()),
        ..QueueFilter::default()
    };
    let with_snapshot: Vec<i64> = all.iter().copied().filter(|id| id % 3 == 0).collect();
    assert_eq!(with_snapshot.len(), 40);
    assert_eq!(page(snapshots.clone(), 0), with_snapshot[..40]);
    assert_eq!(page(snapshots, 30), with_snapshot[30..]);
    let nobody = QueueFilter {
        assignee: Some("nobody@example.com".into()),
        ..QueueFilter::default()
    };
    assert!(
        page(nobody, 0).is_empty(),
        "an unknown assignee matches no case"
    );
}

#[test]
fn each_queue_filter_reads_an_index_in_queue_order() {
    let (_dir, store, _) = store();
    let filters = [
        QueueFilter::default(),
        QueueFilter {
            status: Some("all".into()),
            ..QueueFilter::default()
        },
        QueueFilter {
            status: Some("open".into()),
            ..QueueFilter::default()
        },
        QueueFilter {
            assignee: Some("ann@example.com".into()),
            ..QueueFilter::default()
        },
        QueueFilter {
            assignee: Some("none".into()),
            status: Some("new".into()),
            ..QueueFilter::default()
        },
    ];
    let conn = store.conn();
    for filter in filters {
        let (sql, args) = queue_sql(&filter);
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let plan: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let plan = plan.join("; ");
        assert!(plan.contains("USING INDEX cases_"), "{filter:?}: {plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{filter:?} sorts: {plan}");
    }
    // A search may instead sort its matches: the full-text index bounds that work.
    let search = QueueFilter {
        search: Some("snapshot".into()),
        ..QueueFilter::default()
    };
    let (sql, args) = queue_sql(&search);
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let plan: Vec<String> = stmt
        .query_map(rusqlite::params_from_iter(args), |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        plan.iter()
            .any(|step| step.contains("message_search VIRTUAL TABLE INDEX")),
        "{plan:?}"
    );
    assert!(
        !plan.iter().any(|step| step.starts_with("SCAN c")),
        "{plan:?}"
    );
}

#[test]
fn a_version_1_database_is_upgraded_and_its_mail_stays_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO cases (subject, lang, created_at, first_response_due, updated_at)
                 VALUES ('Old case', 'en', 1, 2, 1);
             INSERT INTO messages (case_id, direction, message_id, body, raw, state, created_at)
                 VALUES (1, 'in', 'old@example.net', 'my elastic ip was charged', x'00', 'received', 1);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let search = |text: &str| QueueFilter {
        search: Some(text.into()),
        ..QueueFilter::default()
    };
    assert_eq!(store.queue(&search("elas"), 3).unwrap().len(), 1);
    store.intake(INQUIRY.as_bytes(), &[], 4).unwrap();
    assert_eq!(
        store.queue(&search("free tier"), 5).unwrap().len(),
        1,
        "mail after the upgrade is indexed"
    );
}

#[test]
fn a_one_time_password_is_marked_until_the_user_chooses_one() {
    let (_dir, store, lead_password) = store();
    let lead = store
        .login("lead@example.com", &lead_password, 1)
        .unwrap()
        .unwrap();
    assert!(
        lead.must_change_password,
        "desk init gives a one-time password"
    );
    store
        .set_password(lead.id, "the lead's own password", 2)
        .unwrap();
    let lead = store
        .login("lead@example.com", "the lead's own password", 3)
        .unwrap()
        .unwrap();
    assert!(!lead.must_change_password);

    let password = store
        .add_user("ann@example.com", "associate", "ko", 4)
        .unwrap();
    let ann = store
        .login("ann@example.com", &password, 5)
        .unwrap()
        .unwrap();
    assert!(ann.must_change_password);
    store.set_password(ann.id, "ann's own password", 6).unwrap();
    let fresh = store.reset_password(ann.id, Some(&lead), 7).unwrap();
    let ann = store.login("ann@example.com", &fresh, 8).unwrap().unwrap();
    assert!(ann.must_change_password, "a lead's reset is one-time too");
    let token = store.create_session(ann.id, 9).unwrap();
    assert!(
        store
            .session(&token, 10)
            .unwrap()
            .unwrap()
            .user
            .must_change_password
    );
}

#[test]
fn parallel_wrong_passwords_get_no_more_checks_than_the_limit() {
    let (_dir, store, _) = store();
    let store = std::sync::Arc::new(store);
    let guesses: Vec<_> = (0..3 * MAX_FAILED_LOGINS)
        .map(|guess| {
            let store = store.clone();
            std::thread::spawn(move || {
                store
                    .login("lead@example.com", &format!("guess {guess}"), 100)
                    .unwrap()
            })
        })
        .collect();
    for guess in guesses {
        assert!(guess.join().unwrap().is_err());
    }
    let log = store.audit_log(1000).unwrap();
    let checked = log.iter().filter(|e| e.action == "login-failed").count();
    let refused = log.iter().filter(|e| e.action == "login-refused").count();
    assert_eq!(checked as i64, MAX_FAILED_LOGINS, "passwords checked");
    assert_eq!(refused as i64, 2 * MAX_FAILED_LOGINS, "refused unchecked");
    assert_eq!(store.locked_accounts(101).unwrap().len(), 1);
}

#[test]
fn a_one_time_password_works_once_and_expires() {
    let (_dir, store, one_time) = store();
    let first = store.login("lead@example.com", &one_time, 1001).unwrap();
    assert!(first.is_ok());
    assert_eq!(
        store
            .login("lead@example.com", &one_time, 1002)
            .unwrap()
            .unwrap_err(),
        LoginRefusal::WrongPassword,
        "spent by its first login"
    );
    let unused = store
        .add_user("ann@example.com", "associate", "en", 2000)
        .unwrap();
    assert_eq!(
        store
            .login("ann@example.com", &unused, 2000 + ONE_TIME_PASSWORD_SECONDS)
            .unwrap()
            .unwrap_err(),
        LoginRefusal::WrongPassword,
        "expired"
    );
}

#[test]
fn a_new_password_ends_every_session_and_starts_one() {
    let (_dir, store, _) = store();
    let other = store.create_session(1, 10).unwrap();
    let current = store.create_session(1, 10).unwrap();
    let fresh = store.set_password(1, "a password of my own", 11).unwrap();
    assert!(store.session(&other, 12).unwrap().is_none());
    assert!(store.session(&current, 12).unwrap().is_none());
    assert!(store.session(&fresh, 12).unwrap().is_some());
}

#[test]
fn a_send_key_sends_once_and_a_case_sends_one_reply_at_a_time() {
    let (_dir, store, _) = store();
    let case = store.intake(INQUIRY.as_bytes(), &[], 1).unwrap().case_id;
    let out = |id: &str| Outgoing {
        case_id: case,
        message_id: id.into(),
        in_reply_to: None,
        references: Vec::new(),
        sender: "support@example.com".into(),
        recipients: vec!["jane@example.com".into()],
        subject: "Re: Charges".into(),
        body: "Hello".into(),
        raw: b"raw".to_vec(),
        author_id: 1,
    };
    let key = store.mint_send_key(case, 2).unwrap();
    let row = store.begin_send(&out("a@desk"), &key, 2).unwrap().unwrap();
    assert_eq!(
        store.begin_send(&out("b@desk"), &key, 2).unwrap(),
        Err(SendRefusal::KeyUsed)
    );
    let other_key = store.mint_send_key(case, 3).unwrap();
    assert_eq!(
        store.begin_send(&out("c@desk"), &other_key, 3).unwrap(),
        Err(SendRefusal::InFlight)
    );
    store.finish_send(row, Ok(()), 1, 4).unwrap();
    assert!(store
        .begin_send(&out("d@desk"), &other_key, 5)
        .unwrap()
        .is_ok());
    let old = store.mint_send_key(case, 10).unwrap();
    assert_eq!(
        store
            .begin_send(&out("e@desk"), &old, 10 + SEND_KEY_SECONDS)
            .unwrap(),
        Err(SendRefusal::KeyUsed),
        "an old key is refused"
    );
}
