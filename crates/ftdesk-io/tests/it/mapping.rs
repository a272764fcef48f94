//! How columns become `LineItem` fields, including the fallbacks for
//! optional columns and empty values.

use std::fs;

fn read_one(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one.csv");
    fs::write(&path, text).unwrap();
    let mut seen = Vec::new();
    ftdesk_io::read_path(&path, &mut |item| {
        seen.push(format!(
            "payer={} usage={} period={} start={} end={} type={:?} region={} amount={} \
             rate={:?} cost={} public={:?} resource={:?} unit={:?}",
            item.payer_account,
            item.usage_account,
            item.billing_period,
            item.start,
            item.end,
            item.line_item_type,
            item.region,
            item.usage_amount,
            item.rate,
            item.cost,
            item.public_rate,
            item.resource_id,
            item.unit,
        ));
        Ok(())
    })
    .unwrap();
    seen.join("\n")
}

#[test]
fn optional_columns_fall_back() {
    // No payer, period, end date, product/region, rate or resource columns.
    let text = "lineItem/UsageAccountId,lineItem/LineItemType,lineItem/UsageStartDate,\
                lineItem/UsageType,lineItem/UnblendedCost,lineItem/UsageAmount,\
                lineItem/CurrencyCode,product/regionCode,unknown/Extra\n\
                111122223333,Credit,2024-02-29 23:00:00,,-1.5,,USD,eu-west-1,x\n";
    assert_eq!(
        read_one(text),
        "payer=111122223333 usage=111122223333 period=2024-02 start=2024-02-29T23:00:00Z \
         end=2024-02-29T23:00:00Z type=Credit region=eu-west-1 amount=0 rate=None cost=-1.5 \
         public=None resource=\"\" unit=\"\""
    );
}

#[test]
fn empty_values_fall_back_row_by_row() {
    let text = "bill/PayerAccountId,lineItem/UsageAccountId,bill/BillingPeriodStartDate,\
                lineItem/LineItemType,lineItem/UsageStartDate,lineItem/UsageEndDate,\
                lineItem/UsageType,lineItem/UnblendedCost,lineItem/UsageAmount,\
                lineItem/CurrencyCode,product/region,product/regionCode,lineItem/UnblendedRate\n\
                999,,,Usage,2023-12-01T00:00:00Z,,Requests,0,1,USD,,us-east-2,\n\
                999,555,2023-11-01T00:00:00Z,SppDiscount,2023-12-01T00:00:00Z,\
                2023-12-01T01:00:00Z,Requests,+3.0E-6,2,USD,global,us-east-2,0.0\n";
    assert_eq!(
        read_one(text),
        "payer=999 usage=999 period=2023-12 start=2023-12-01T00:00:00Z \
         end=2023-12-01T00:00:00Z type=Usage region=us-east-2 amount=1 rate=None cost=0 \
         public=None resource=\"\" unit=\"\"\n\
         payer=999 usage=555 period=2023-11 start=2023-12-01T00:00:00Z \
         end=2023-12-01T01:00:00Z type=Discount region=global amount=2 rate=Some(0.0) \
         cost=0.0000030 public=None resource=\"\" unit=\"\""
    );
}

#[test]
fn snake_case_names_map_to_the_same_fields() {
    let text = "line_item_usage_account_id,line_item_line_item_type,line_item_usage_start_date,\
                line_item_usage_type,line_item_unblended_cost,line_item_usage_amount,\
                line_item_currency_code,line_item_resource_id,pricing_unit,\
                pricing_public_on_demand_rate\n\
                42,Tax,2023-11-01 00:00:00.000,,0.01,1,USD,i-123,Hrs,2.1E-4\n";
    let out = read_one(text);
    assert!(out.contains("type=Tax"), "{out}");
    assert!(out.contains("resource=\"i-123\" unit=\"Hrs\""), "{out}");
    assert!(out.contains("public=Some(0.00021)"), "{out}");
}
