//! Every sample scenario through `check` and `draft_reply`, in process,
//! held to the scenario's known truth.

use ftdesk_app::{check, draft_reply, CheckRequest, ReplyRequest, Scope, Settings};
use ftdesk_core::{Catalog, Report};
use ftdesk_reply::Inquiry;
use ftdesk_sample::{Generated, Scenario};
use rust_decimal::{Decimal, RoundingStrategy};

fn cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn settings() -> Settings {
    Settings::from_pairs(&[("FTDESK_THREADS", "1")])
}

/// The scenario's bill written as a CUR file, and its generated truth.
fn written(scenario: &Scenario, dir: &std::path::Path) -> (std::path::PathBuf, Generated) {
    let catalog = Catalog::embedded();
    let bill = ftdesk_sample::write_scenario(scenario, &catalog, dir, false).unwrap();
    (bill, scenario.generate(&catalog))
}

fn scope(generated: &Generated) -> Scope {
    Scope {
        month: Some(generated.month),
        account_created: generated.truth.account_created,
        ..Scope::default()
    }
}

fn assert_truth(name: &str, report: &Report, generated: &Generated) {
    let (truth, totals) = (&generated.truth, &report.totals);
    assert_eq!(report.month, generated.month, "{name}: month");
    assert_eq!(report.plan, truth.plan, "{name}: plan");
    assert_eq!(cents(totals.net), truth.net, "{name}: net");
    assert_eq!(cents(totals.gross), truth.gross, "{name}: gross");
    assert_eq!(cents(totals.credits), truth.credits, "{name}: credits");
    assert_eq!(cents(totals.tax), truth.tax, "{name}: tax");
    let mut want = truth.by_cause.clone();
    want.sort();
    let got: Vec<_> = report
        .cost_by_cause()
        .into_iter()
        .map(|(cause, cost)| (cause, cents(cost)))
        .filter(|(_, cost)| !cost.is_zero())
        .collect();
    assert_eq!(got, want, "{name}: cost by cause");
    let mut offers: Vec<&str> = report.offers.iter().map(|o| o.id.as_str()).collect();
    let mut want_offers: Vec<&str> = truth.offers.iter().map(|o| o.id).collect();
    offers.sort_unstable();
    want_offers.sort_unstable();
    assert_eq!(offers, want_offers, "{name}: offers");
}

#[test]
fn check_gives_every_scenario_its_true_figures() {
    let catalog = Catalog::embedded();
    for scenario in ftdesk_sample::scenarios() {
        let dir = tempfile::tempdir().unwrap();
        let (bill, generated) = written(scenario, dir.path());
        let request = CheckRequest {
            paths: vec![bill],
            scope: scope(&generated),
            ..CheckRequest::default()
        };
        let checked = check(&catalog, &request, &settings())
            .unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
        assert_truth(scenario.name, &checked.report, &generated);
    }
}

#[test]
fn the_reply_to_every_scenario_states_its_total() {
    let catalog = Catalog::embedded();
    for scenario in ftdesk_sample::scenarios() {
        let dir = tempfile::tempdir().unwrap();
        let (bill, generated) = written(scenario, dir.path());
        let inquiry = Inquiry::parse(
            b"Subject: my bill\n\nHello, why was I charged this month? I thought it was free.\n",
        )
        .unwrap();
        let request = ReplyRequest {
            inquiry,
            inquiry_path: "inquiry.txt".into(),
            paths: vec![bill],
            scope: scope(&generated),
            lang: None,
            templates: None,
            settle_month: false,
            limits: Default::default(),
            aws: Default::default(),
        };
        let drafted = draft_reply(&catalog, request, &settings())
            .unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
        assert_truth(scenario.name, &drafted.report, &generated);
        let total = format!("{:.2}", generated.truth.net);
        // A bill of zero may be stated as having no charges.
        let zero = generated.truth.net.is_zero() && drafted.reply.text.contains("has no charges");
        assert!(
            zero || drafted.reply.text.contains(&total),
            "{}: the reply does not state the total {total}:\n{}",
            scenario.name,
            drafted.reply.text
        );
    }
}

#[test]
fn a_month_the_data_does_not_cover_is_refused_with_the_month_named() {
    let catalog = Catalog::embedded();
    let scenario = ftdesk_sample::find("two-instances").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (bill, generated) = written(scenario, dir.path());
    let request = ReplyRequest {
        inquiry: Inquiry::parse(b"Why was I charged?").unwrap(),
        inquiry_path: "-".into(),
        paths: vec![bill],
        scope: Scope {
            month: Some(generated.month.plus_months(3)),
            ..Scope::default()
        },
        lang: None,
        templates: None,
        settle_month: false,
        limits: Default::default(),
        aws: Default::default(),
    };
    let error = draft_reply(&catalog, request, &settings()).unwrap_err();
    let text = error.to_string();
    assert!(
        text.starts_with("cannot answer this case: --month asks about "),
        "{text}"
    );
    assert!(text.contains(&generated.month.to_string()), "{text}");
}
