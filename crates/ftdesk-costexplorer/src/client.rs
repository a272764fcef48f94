//! `GetCostAndUsage` through the official AWS SDK, written as the JSON the
//! AWS CLI prints.

use aws_sdk_costexplorer::error::DisplayErrorContext;
use aws_sdk_costexplorer::operation::get_cost_and_usage::GetCostAndUsageOutput;
use aws_sdk_costexplorer::types::{
    DateInterval, Granularity, GroupDefinition, GroupDefinitionType, MetricValue, ResultByTime,
};
use ftdesk_aws::AwsOptions;
use ftdesk_core::Month;
use serde_json::{json, Map, Value};

use crate::{Ask, CostExplorerError, COST_PER_REQUEST};

/// Cost Explorer's API lives in us-east-1 whatever the account's regions.
const REGION: &str = "us-east-1";
/// The grouping `ftdesk check` needs: each usage type, by record type.
const GROUPING: [&str; 2] = ["USAGE_TYPE", "RECORD_TYPE"];
const METRICS: [&str; 2] = ["UnblendedCost", "UsageQuantity"];

pub(crate) async fn connect(aws: &AwsOptions) -> aws_sdk_costexplorer::Client {
    aws_sdk_costexplorer::Client::new(&aws.load(Some(REGION)).await)
}

/// One month, every page, as the AWS CLI would print it; each page after
/// the first is confirmed before it is asked for.
pub(crate) async fn ask_month(
    client: &aws_sdk_costexplorer::Client,
    month: Month,
    confirm: &mut dyn FnMut(Ask<'_>) -> bool,
) -> Result<(Value, u32), CostExplorerError> {
    let period = DateInterval::builder()
        .start(month.start().date().to_string())
        .end(month.end().date().to_string())
        .build()
        .map_err(|e| request_error(month, e))?;
    let mut results = Vec::new();
    let mut token: Option<String> = None;
    let mut requests = 0;
    loop {
        if requests > 0 {
            let question = format!(
                "Cost Explorer has another page for {month}: one more request, ${COST_PER_REQUEST}. Continue?"
            );
            let ask = Ask {
                requests: 1,
                question: &question,
            };
            if !confirm(ask) {
                return Err(CostExplorerError::Declined(question));
            }
        }
        let mut request = client
            .get_cost_and_usage()
            .time_period(period.clone())
            .granularity(Granularity::Daily)
            .set_next_page_token(token.clone());
        for metric in METRICS {
            request = request.metrics(metric);
        }
        for key in GROUPING {
            request = request.group_by(
                GroupDefinition::builder()
                    .r#type(GroupDefinitionType::Dimension)
                    .key(key)
                    .build(),
            );
        }
        let page = request.send().await.map_err(|e| request_error(month, e))?;
        requests += 1;
        results.extend(page.results_by_time().iter().map(result_json));
        token = next_token(&page);
        if token.is_none() {
            break;
        }
    }
    let definitions: Vec<Value> = GROUPING
        .iter()
        .map(|key| json!({"Type": "DIMENSION", "Key": key}))
        .collect();
    Ok((
        json!({
            "GroupDefinitions": definitions,
            "ResultsByTime": results,
            "DimensionValueAttributes": [],
        }),
        requests,
    ))
}

fn next_token(page: &GetCostAndUsageOutput) -> Option<String> {
    page.next_page_token()
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

fn request_error<E: std::error::Error + 'static>(month: Month, e: E) -> CostExplorerError {
    CostExplorerError::Request {
        month,
        message: DisplayErrorContext(&e).to_string(),
    }
}

/// A period as the AWS CLI prints it (amounts stay the strings AWS sent).
fn result_json(result: &ResultByTime) -> Value {
    let period = result.time_period();
    let groups: Vec<Value> = result
        .groups()
        .iter()
        .map(|g| {
            json!({
                "Keys": g.keys(),
                "Metrics": metrics_json(g.metrics()),
            })
        })
        .collect();
    json!({
        "TimePeriod": {
            "Start": period.map(DateInterval::start).unwrap_or_default(),
            "End": period.map(DateInterval::end).unwrap_or_default(),
        },
        "Total": metrics_json(result.total()),
        "Groups": groups,
        "Estimated": result.estimated(),
    })
}

fn metrics_json(metrics: Option<&std::collections::HashMap<String, MetricValue>>) -> Value {
    let mut out = Map::new();
    let mut names: Vec<&String> = metrics.into_iter().flat_map(|m| m.keys()).collect();
    names.sort();
    for name in names {
        let value = &metrics.expect("names come from the map")[name];
        out.insert(
            name.clone(),
            json!({
                "Amount": value.amount().unwrap_or_default(),
                "Unit": value.unit().unwrap_or_default(),
            }),
        );
    }
    Value::Object(out)
}
