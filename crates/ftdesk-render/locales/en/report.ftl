# Free Tier Desk report messages, English.
# Numbers, money and dates arrive already formatted ($n, $cost); $count is the raw number for plurals.

report-title = Free-tier report for account { $account }, { $month }
report-accounts = Accounts in this report: { $accounts }
month-complete = complete month
month-open = month to date, data up to { $as_of }
rows-read = { $rows } billing rows read
rows-read-explorer = { $groups ->
        [one] one Cost Explorer group
       *[other] { $groups } Cost Explorer groups
    } read, over { $periods ->
        [one] one period
       *[other] { $periods } periods
    }

plan-legacy = Legacy free tier: 12-month, always-free and trial offers
plan-free-plan = Free plan: credit-based, the account is never charged; it closes when the credits or the 6 months run out
plan-paid-plan = Paid plan: credit-based; credits first, then on-demand rates
evidence-given = as given
evidence-created = account created { $date }
evidence-credits = credit rows named “{ $description }”
evidence-assumed = assumed: no creation date given and nothing in the data marks a plan
evidence-assumed-explorer = assumed: no creation date given and nothing in Cost Explorer's figures marks a plan

twelve-active-date = 12-month offers: active until the end of { $ends } (account created { $created })
twelve-expired-date = 12-month offers: ended with { $ended } (account created { $created })
twelve-active-bill = 12-month offers: active; the bill shows free-tier rows for { $offer }
twelve-expired-bill = 12-month offers: ended as far as the bill shows; { $offer } was charged with no free-tier rows
twelve-active-worked-out = 12-month offers: active; in Cost Explorer's figures part of the usage of { $offer } was free (it cost less than its rate)
twelve-expired-worked-out = 12-month offers: ended as far as the data shows; in Cost Explorer's figures { $offer } was charged at its full rate, with no free part
twelve-unknown = 12-month offers: nothing this month shows whether they still apply
twelve-na = 12-month offers: not part of this plan

heading-summary = Summary
heading-offers = Free-tier offers
heading-charges = Charges
heading-credits = Credits and refunds
heading-unknowns = What the data cannot tell
heading-notes = Where the bill, the Free Tier API and our catalogue differ
heading-unmatched = Free on the bill, not in our catalogue
heading-daily = Daily cost by cause

summary-net = Net due: { $net }
summary-parts = { $gross } charges + { $tax } tax − { $credits } credits − { $refunds } refunds
summary-free-value = The free tier covered { $value } of usage at public prices.
summary-no-charges = Nothing was charged this month.
summary-net-unknown = Net due: not in this data
summary-usage-only = This data is the Free Tier API's: it reports usage, not charges. Cost Explorer (`aws ce get-cost-and-usage`) or a billing export (Data Export or Cost and Usage Report) shows what was charged.
charges-not-in-data = No charges can be shown: the Free Tier API reports usage only. Add Cost Explorer output or a billing export to see what was charged and why.
summary-causes = By cause: { $causes }

col-offer = Offer
col-used = Used / limit
col-forecast = Month-end forecast
col-status = Status
col-cost = Cost
col-cause = Cause
col-usage-type = Usage type
col-resource = Resource
col-quantity = Quantity
col-explanation = Explanation
col-action = What stops it
col-credit = Credit
col-amount = Amount
col-day = Day

status-ok = ok
status-near = near the limit
status-exceeded = over the limit
crossed-at = limit crossed { $when }
will-cross-at = will cross the limit around { $when }
offer-kind-12-month = 12 months free
offer-kind-always-free = always free
offer-kind-trial = trial
offer-region = in { $region }
offer-shared = shared by { $count } resources: { $list }
offer-bill-only = includes usage the bill counted as free beyond our catalogue

cause-over-free-limit = over the free limit
cause-free-tier-expired = free tier expired
cause-not-eligible = not eligible
cause-never-free = never free
cause-tax = tax
cause-marketplace = marketplace
cause-support = support
cause-other = other

line-cost = { $quantity } × { $rate } = { $cost }
line-cost-mixed = { $quantity } at varying rates = { $cost }

explain-over-free-limit = { $offer } gives { $limit } a month, one allowance for every eligible resource in every region{ $accounts ->
        [1] {""}
       *[other] {" "}and every account of the Organization
    }. This month { $resources ->
        [0] the account
        [1] 1 resource
       *[other] { $resources } resources
    } used { $used } in total, { $over } more than the allowance. This line: { $line }.
explain-bill-granted = The bill made part of { $usage_type } free this month, so it draws on this allowance although our catalogue would not have granted it; we follow the bill.
explain-free-tier-expired = { $offer } was a 12-month offer and it has ended ({ $evidence }), so all of this usage is billed at the on-demand rate. This line: { $line }.
explain-not-on-plan = { $offer } is an offer for accounts created before 2025-07-15; on this account's { $plan } the usage is paid for, from credits while they last. This line: { $line }.
explain-rule = { $reason } This line: { $line }.
explain-rule-instead = { $reason } The free tier covers { $instead } instead. This line: { $line }.
explain-tax = { $tax_type } on this month's charges: { $cost }. It follows the charges: stop them and the tax stops too.
explain-tax-untyped = Tax on this month's charges: { $cost }. It follows the charges: stop them and the tax stops too.
explain-marketplace = Sold by { $seller } through AWS Marketplace; the free tier never covers Marketplace products. This line: { $line }.
explain-commitment = A { $kind } line of a Reserved Instance or Savings Plan, not free-tier usage: { $cost }.
explain-unrecognised = We do not recognise this usage type, so we report it as it is: { $line }.
charge-no-usage-type = (no usage type in the data, such as tax or a fee; from Cost Explorer, group by RECORD_TYPE as well to tell)

expired-evidence-date = account created { $created }, 12 months ended with { $ended }
expired-evidence-bill = inferred: no free-tier rows this month for any 12-month offer
expired-evidence-worked-out = inferred: in Cost Explorer's figures no 12-month offer had a free part this month

action-console = Console: { $path }
action-cli = CLI: { $command }
action-needs-id = (this report has no resource ids: find the id in the console)
action-find = This data has no resource ids; to list the candidates: { $command }

unknown-twelve-inferred = No account creation date was given, so whether the 12-month offers still apply was read from the bill: { $finding }. Give --account-created YYYY-MM-DD to decide it from the date.
unknown-twelve-inferred-worked-out = No account creation date was given, so whether the 12-month offers still apply was read from Cost Explorer's figures: { $finding }. Give --account-created YYYY-MM-DD to decide it from the date.
unknown-twelve-ends = The 12 months end during { $month } (account created { $created }); AWS's exact cut-off inside the month is not in the data. We treat the whole month as covered, as AWS has done in one observed case.
unknown-plan-assumed = No account creation date was given and no row marks the credit-based free plan, so the legacy free tier is assumed. Give --account-created YYYY-MM-DD (or --plan) to decide it.
unknown-plan-assumed-explorer = No account creation date was given and nothing in Cost Explorer's figures marks the credit-based free plan, so the legacy free tier is assumed. Give --account-created YYYY-MM-DD (or --plan) to decide it.
unknown-credit-balance = The remaining credit balance and the plan's end date are not in billing files; `aws freetier get-account-plan-state` shows them.
unknown-no-resource-ids = The report was exported without resource ids, so charges cannot name the instance, volume or address: turn on “Include resource IDs” in the report's settings, or find them in the console.
unknown-month-open = The month is still open: figures are month to date, up to { $as_of }; forecasts assume the last day's rate continues.
unknown-region = Usage { $usage_type } has no region we know.
unknown-aggregated = This data is Cost Explorer's ({ $granularity }): each usage type's cost and quantity per period, with no resource ids and no free-tier rows. The free part of each period was worked out from the usage type's rate, so a limit crossed is known to the period, not the hour. To find a charge's resources, list them in its region: for instances `aws ec2 describe-instances --region <region>`, for NAT gateways `aws ec2 describe-nat-gateways --region <region>`, for addresses `aws ec2 describe-addresses --region <region>`, for volumes `aws ec2 describe-volumes --region <region>`; or export a Cost and Usage Report with resource ids.
unknown-product-assumed = { $usage_type } is billed by several services ({ $product }, { $others }) and this data does not say which: { $product } was assumed. Group Cost Explorer by SERVICE as well to decide it: `--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=SERVICE`.
unknown-operation-assumed = { $usage_type } is billed under several operations ({ $operation }, { $others }), each with its own price (for EC2 these are operating systems, and Windows has free hours of its own), and this data does not say which: { $operation } was assumed, with its price and its free-tier offer. If other operations ran, the split between free and billed usage is not exact. Group Cost Explorer by OPERATION as well to decide it: `--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=OPERATION`.
unknown-rate-from-data = { $usage_type } has no price in our catalogue, so its free part was worked out at the highest rate the data shows ({ $rate } a unit); that is exact only if some period was billed in full.
unknown-rate-above-catalogue = { $usage_type } cost up to { $rate } a unit in some periods of the data, more than our catalogue's on-demand price ({ $catalogue }), so that price cannot be what was billed (the price differs for this account or region, or other operations, such as another operating system, share the usage type). The free part was worked out at { $rate }, exact only if some period was billed in full. Group Cost Explorer by OPERATION as well, or use a Cost and Usage Report, to decide it.
unknown-rate-below-catalogue = { $usage_type } was billed at { $rate } a unit by the data itself (its periods billed in full, or its cost over the usage beyond the free allowance), less than our catalogue's on-demand price ({ $catalogue }); the bill is the truth, so the free part was worked out at { $rate } everywhere (at { $catalogue } more of the usage would have looked free). The price may differ for this account or region, or have changed since our catalogue's date.
unknown-operation-from-price = { $usage_type }: this data is not grouped by OPERATION, so its operating system is not given; its rate in the data is our catalogue's price “{ $price }”, so { $operation } was taken from that price. Group Cost Explorer by OPERATION as well to confirm it: `--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=OPERATION`.
unknown-operation-assumed-for-price = { $usage_type }: assumed { $operation }, at our catalogue's price “{ $price }”: the data is not grouped by OPERATION, so the operating system is unknown, and no period of the data shows that rate billed in full. Group Cost Explorer by OPERATION as well to decide it: `--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=OPERATION`.
unknown-shared-pool-undecided = Undecided: { $usage_types } shared one free allowance ({ $offer }) at different rates, and this data gives only each month's totals, so how the allowance was shared between them cannot be decided from it. Each one's free part was worked out at its own rate, and together they may not come to the allowance; the charges still add up to the data's total. The same query with `--granularity DAILY` (days billed in full give each one's rate), or a Cost and Usage Report, would decide it.
unknown-mixed-rates = Undecided: in { $periods ->
        [one] one period
       *[other] { $periods } periods
    } { $usage_type }'s cost per unit fits no single rate (one rate and one allowance leave at most one period a month part free, the one the allowance ran out in): part was free and part billed at two rates or more, such as two operating systems under one usage type. How those periods split between free and billed usage is not decided; they were worked out at { $rate }, and the charges still add up to the data's total. Group Cost Explorer by OPERATION as well (`--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=OPERATION`), or use a Cost and Usage Report, to decide it.
unknown-estimated = Cost Explorer marks { $periods ->
        [one] one period
       *[other] { $periods } periods
    } of this data as estimated ("Estimated": true): AWS has not finalised { $periods ->
        [one] it
       *[other] them
    }, so the figures can still change. Ask again once the month's bill is issued.
unknown-pasted = These figures rest on the { $lines ->
        [one] line
       *[other] { $lines } lines
    } of the Bills page quoted in the message, each a month's total: no resource ids, no hours (so not when an allowance ran out), and no service or region that was not quoted. A Cost and Usage Report or Data Export (or `aws ce get-cost-and-usage`, see `ftdesk sources`) would add them.
unknown-pasted-usage-type = Quoted line { $line } ({ $description }): its usage type could not be derived from the description and the region heading, so it is counted as other charges.

note-bill-granted = The bill counted { $quantity } of { $usage_type } as free tier{ $offer ->
        [none] , and no offer in our catalogue covers it
       *[other] {""}; our catalogue would not have ({ $offer })
    }. We follow the bill.
note-charged-under-limit = The bill charged { $offer } usage while the month's total ({ $used }) was within the { $limit } allowance. We follow the bill: the usage may belong to another pool (an Organization, another plan) or a rule we do not know.
note-organization = { $count } accounts share one free tier: { $accounts }.

credit-free-plan = free-plan credit
more-charges = { $count } more charges under half a cent: { $cost } together
no-offers = No free-tier usage was found this month.
daily-none = No charges by day.
minor-offers = { $count } more offers used less than 1% of their limit: { $names }

evidence-api = Free Tier API: plan { $plan_type }, { $status }
plan-state-credits = Free Tier API: { $credits } of credits left
plan-state-expires = the plan ends { $date }
api-source = Free Tier API figures from { $source }
offer-api = Free Tier API: { $actual } used, { $forecast } forecast, limit { $limit } ({ $type })
offer-api-only = reported by the Free Tier API only; the billing files have no usage for it
note-api-differs = For { $offer } the Free Tier API shows { $api } and the billing files { $bill }. The API trails actual usage by up to a day and names no resources; the files name every resource. The gap is usage one source has counted and the other not yet.
note-api-limit = The Free Tier API states a limit of { $api } for { $offer }, our catalogue { $catalog }; the report uses the API's, which AWS applies to this account.
note-api-unknown = The Free Tier API reports { $usage_type } ({ $description }), which our catalogue does not know; it is listed as the API gives it.

# Where each figure came from (the HTML report labels every figure).
source-cur = Cost and Usage Report
source-data-export = Data Export (CUR 2.0 / FOCUS)
source-cost-explorer = Cost Explorer
source-free-tier-api = Free Tier API
source-pasted-lines = Bills-page lines the customer quoted
figure-source = source: { $source }
report-sources = Figures from: { $sources }

charges-largest = The { $shown } largest of { $count } charges ({ $cost } of { $total }):
charges-all-hint = This lists the largest charges only: add --all to list every charge (the JSON report, --format json, always lists them all).
heading-by-account = By account
heading-by-usage-type = By usage type
heading-by-cause = By cause
rollup-count = { $count ->
    [one] 1 charge
   *[other] { $n } charges
}
rollup-more = { $count } more: { $cost } together
