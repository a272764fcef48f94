//! The desk's SQLite schema, as migrations run on every start (`PRAGMA user_version`).

/// Each migration takes the database from version `index` to `index + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: people, sessions, cases and their mail, drafts, notes, text modules, the audit log.
    "CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('associate', 'lead')),
        lang TEXT NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'ko')),
        password_hash TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        subject TEXT NOT NULL,
        customer TEXT,
        customer_name TEXT,
        status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'waiting', 'solved')),
        assignee_id INTEGER REFERENCES users(id),
        lang TEXT NOT NULL CHECK (lang IN ('en', 'ko')),
        amount TEXT,
        currency TEXT,
        created_at INTEGER NOT NULL,
        first_response_due INTEGER NOT NULL,
        first_response_at INTEGER,
        updated_at INTEGER NOT NULL,
        analysis TEXT NOT NULL DEFAULT 'pending'
            CHECK (analysis IN ('pending', 'ready', 'failed', 'no-data')),
        analysis_error TEXT,
        report_html TEXT,
        report_text TEXT
    );
    CREATE INDEX cases_status ON cases(status, first_response_due);
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        message_id TEXT NOT NULL UNIQUE,
        in_reply_to TEXT,
        refs TEXT NOT NULL DEFAULT '',
        sender TEXT,
        recipients TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        raw BLOB NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('received', 'sending', 'sent', 'failed')),
        error TEXT,
        author_id INTEGER REFERENCES users(id),
        created_at INTEGER NOT NULL,
        sent_at INTEGER
    );
    CREATE INDEX messages_case ON messages(case_id, id);
    CREATE TABLE attachments (
        id INTEGER PRIMARY KEY,
        message_id INTEGER NOT NULL REFERENCES messages(id),
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        data BLOB NOT NULL
    );
    CREATE INDEX attachments_message ON attachments(message_id);
    CREATE TABLE drafts (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        lang TEXT NOT NULL CHECK (lang IN ('en', 'ko')),
        subject TEXT NOT NULL,
        composed TEXT NOT NULL,
        body TEXT NOT NULL,
        notes TEXT NOT NULL,
        figures TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by INTEGER REFERENCES users(id)
    );
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        author_id INTEGER NOT NULL REFERENCES users(id),
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE text_modules (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        lang TEXT NOT NULL CHECK (lang IN ('en', 'ko')),
        body TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (name, lang)
    );
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        user_id INTEGER REFERENCES users(id),
        action TEXT NOT NULL,
        case_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE VIRTUAL TABLE message_search USING fts5(
        subject, body, case_id UNINDEXED, tokenize = 'unicode61'
    );
    CREATE TRIGGER message_search_add AFTER INSERT ON messages BEGIN
        INSERT INTO message_search (rowid, subject, body, case_id)
        VALUES (new.id, new.subject, new.body, new.case_id);
    END;",
    // 2: the queue reads one page in its order from an index instead of sorting every open
    // case (one index per filter: none, status, assignee); search keeps prefix indexes for
    // two- and three-letter prefixes, so short words do not scan the whole term list.
    "DROP INDEX cases_status;
    CREATE INDEX cases_queue ON cases((first_response_at IS NOT NULL), first_response_due, id);
    CREATE INDEX cases_status_queue
        ON cases(status, (first_response_at IS NOT NULL), first_response_due, id);
    CREATE INDEX cases_assignee_queue
        ON cases(assignee_id, (first_response_at IS NOT NULL), first_response_due, id);
    DROP TRIGGER message_search_add;
    DROP TABLE message_search;
    CREATE VIRTUAL TABLE message_search USING fts5(
        subject, body, case_id UNINDEXED, tokenize = 'unicode61', prefix = '2 3'
    );
    INSERT INTO message_search (rowid, subject, body, case_id)
        SELECT id, subject, body, case_id FROM messages;
    CREATE TRIGGER message_search_add AFTER INSERT ON messages BEGIN
        INSERT INTO message_search (rowid, subject, body, case_id)
        VALUES (new.id, new.subject, new.body, new.case_id);
    END;",
    // 3: a one-time password (from `desk init`, `desk user` or a lead's reset) must be replaced
    // at the first login; accounts that existed before keep working as they are.
    "ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;",
    // 4: a one-time password expires (and is spent by its first login); a reply is sent with a
    // one-time key minted when its case page was shown, so a second click sends nothing.
    "ALTER TABLE users ADD COLUMN password_expires_at INTEGER;
    CREATE TABLE send_keys (
        key_hash TEXT PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        created_at INTEGER NOT NULL,
        used_at INTEGER
    );
    CREATE INDEX send_keys_age ON send_keys(created_at);",
    // 5: each analysis counts its start, so one that crashes the desk is not
    // retried at every restart forever.
    "ALTER TABLE cases ADD COLUMN analysis_attempts INTEGER NOT NULL DEFAULT 0;",
    // 6: a message that names a case's Message-ID but comes from someone who is neither the
    // case's customer nor copied on it opens a case of its own, linked to the one it names.
    "ALTER TABLE cases ADD COLUMN linked_case INTEGER REFERENCES cases(id);",
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;
