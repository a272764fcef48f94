//! The queue: one page of cases, filtered.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::{
    amount_text, blocking, internal, lang_of, status_label, status_labels, utc, AppState, Page,
};
use crate::{QueueFilter, QUEUE_PAGE};

// --- the queue -------------------------------------------------------------

#[derive(Deserialize, Serialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    q: String,
    /// 1 for the first page; anything unreadable is the first page.
    #[serde(default)]
    page: Option<String>,
}

impl QueueQuery {
    fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| (1..=1_000_000).contains(p))
            .unwrap_or(1)
    }

    /// The link to another page of the same filters.
    fn link(&self, page: i64) -> String {
        let mut pairs = vec![
            ("status", self.status.as_str()),
            ("assignee", self.assignee.as_str()),
            ("q", self.q.as_str()),
        ];
        pairs.retain(|(_, value)| !value.is_empty());
        let page = page.to_string();
        pairs.push(("page", &page));
        let query: Vec<String> = pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", query_escape(value)))
            .collect();
        format!("/?{}", query.join("&"))
    }
}

/// Percent-encodes a query-string value (everything but RFC 3986's unreserved characters).
pub(super) fn query_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<QueueQuery>,
) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        let lang = lang_of(&session.user.lang);
        let page = query.page();
        let filter = QueueFilter {
            status: Some(query.status.clone()).filter(|s| !s.is_empty()),
            assignee: Some(query.assignee.clone()).filter(|s| !s.is_empty()),
            search: Some(query.q.clone()).filter(|s| !s.trim().is_empty()),
            me_id: session.user.id,
            // One row more than a page tells whether there is a next one.
            limit: QUEUE_PAGE + 1,
            offset: (page - 1) * QUEUE_PAGE,
        };
        let now = state.now();
        let mut rows = state.store.queue().page(&filter, now).map_err(internal)?;
        let more = rows.len() as i64 > QUEUE_PAGE;
        rows.truncate(QUEUE_PAGE as usize);
        let first = filter.offset + 1;
        let last = filter.offset + rows.len() as i64;
        let rows: Vec<Value> = rows
            .iter()
            .map(|r| {
                let extra = context! {
                    status_label => status_label(&state, lang, r.status),
                    amount_text => amount_text(r.amount.as_deref(), r.currency.as_deref()),
                    due_text => utc(r.first_response_due),
                };
                context! { ..extra, ..Value::from_serialize(r) }
            })
            .collect();
        let users = state.store.people().users().map_err(internal)?;
        let title = state.words.get(lang, "queue-title");
        let pages = context! {
            first, last,
            previous => (page > 1).then(|| query.link(page - 1)),
            next => more.then(|| query.link(page + 1)),
        };
        let ctx = context! {
            rows, users => Value::from_serialize(&users), filter => Value::from_serialize(&query),
            pages, statuses => status_labels(&state, lang), ..state.base(&session, title)
        };
        Ok(state.render(StatusCode::OK, "queue.html", lang, ctx))
    })
    .await
}

#[cfg(test)]
mod tests;
