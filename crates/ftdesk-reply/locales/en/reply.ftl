# Free Tier Desk reply messages, English.
# Figures arrive formatted ($net, $cost, $when); $count is a raw number for plural forms.
# Override any message by id from a folder: ftdesk reply --templates DIR (DIR/en/*.ftl).

subject-reply = Re: { $subject }
subject-new = Your AWS bill for { $month }: { $net } explained

greeting-name = Hello { $name },
greeting-anonymous = Hello,

acknowledge-charged = Thank you for writing to us about the charges on your { $month } bill. A bill on an account you expected to be free is worrying, so I went through your billing data line by line. Below is where each part of the amount comes from, how to stop it, and how to ask for a billing adjustment.
acknowledge-free = Thank you for writing to us about your { $month } bill. I went through your billing data line by line, and I can put your mind at rest on the main point first.

period-complete = { $month }
period-open = { $month } so far (data up to { $as_of })

finding-net = Your bill for { $period } comes to { $net }. Of the { $gross } in usage charges, { $causes }.
finding-net-single = Your bill for { $period } comes to { $net }. All { $gross } in usage charges { $cause }.
cause-all-over-free-limit = is usage above a monthly free allowance
cause-all-free-tier-expired = is usage billed because the 12-month free offers have ended
cause-all-not-eligible = is for a resource type or option the free tier does not cover
cause-all-never-free = is for services that have no free tier at all
cause-all-marketplace = is for AWS Marketplace products
cause-all-support = is for a support plan
cause-all-other = is for other usage
finding-none = Your bill for { $period } has no charges: the free tier covered all of your usage{ $value ->
        [none] .
       *[other] {""}, worth { $value } at public prices.
    }
finding-credits = Your usage in { $period } came to { $gross } at on-demand rates, and credits covered { $credits } of it, so { $net } is due.
finding-tax = Tax adds { $tax }.
finding-credited = Credits of { $credits } were applied.
finding-refunded = Refunds of { $refunds } were applied.
basis-pasted = This answer rests on the { $count ->
        [one] line
       *[other] { $count } lines
    } of the Bills page you quoted in your message, each a total for the month. A full billing export (a Cost and Usage Report or Data Export, or Cost Explorer's daily figures) would add the resource ids behind each charge, the hours when usage ran, and any other services or regions on the bill; if you send one, I will check each charge against it.

cause-share-over-free-limit = { $cost } is usage above a monthly free allowance
cause-share-free-tier-expired = { $cost } is usage billed because the 12-month free offers have ended
cause-share-not-eligible = { $cost } is for a resource type or option the free tier does not cover
cause-share-never-free = { $cost } is for services that have no free tier at all
cause-share-marketplace = { $cost } is for AWS Marketplace products
cause-share-support = { $cost } is for a support plan
cause-share-other = { $cost } is for other usage
list-two = { $first } and { $second }
list-more = { $head }, and { $last }

quote-matches = This matches the { $quoted } you mention.
quote-is-gross = The { $quoted } you mention is the charges before tax and credits; after them, { $net } is due.
quote-is-gross-with-tax = The { $quoted } you mention is the total with tax; the usage charges themselves are { $gross }.
quote-other-currency = You mention { $quoted }. Your bill is kept in { $bill_currency }, so the amount on your card statement depends on your bank's exchange rate on the payment date; in the bill's currency it is { $net }.
quote-open-month = You mention { $quoted }, and the data I can see for { $month } shows { $net } up to { $as_of }. The month is still open, so usage after that date will add to it; if your figure comes from the Bills page or a forecast, that explains the difference.
quote-differs = You mention { $quoted }, but the { $month } data shows { $net } ({ $gross } in charges, { $tax } tax, { $credits } credits). The difference can come from another month's bill, tax, or credits applied after the invoice. If you send me the invoice number, I will check which bill your figure is on.

heading-causes = Where the charges come from
cause-what = { $usage_type } ({ $resource }, { $region })
cause-what-no-resource = { $usage_type } ({ $region })
small-charges = { $count ->
        [one] One more charge
       *[other] { $count } more charges
    } under half a cent come to { $cost } together.

# One item per offer (or per usage type where no offer applies), its resources under it.
group-lead = { $n }. { $title }: { $cost }
group-lead-allowance = { $n }. { $title }: { $used } used, { $over } over the free allowance of { $limit }: { $cost }
group-title-offer = { $offer }
group-title-rule = { $rule }, usage type { $usage_type }
group-over-limit = One allowance of { $limit } a month covers every eligible resource in every region; this month { $count ->
        [0] the account's usage
        [one] 1 resource
       *[other] { $count } resources
    } drew on it.
group-over-limit-organization = One allowance of { $limit } a month covers every eligible resource in every region and every account of the Organization; this month { $count ->
        [0] the accounts' usage
        [one] 1 resource
       *[other] { $count } resources
    } drew on it.
cause-crossed = The allowance ran out on { $when }; everything after that was billed.
group-expired = { $offer } was a 12-month offer and it has ended ({ $evidence }), so all of this usage is billed at the on-demand rate.
group-not-on-plan = { $offer } is an offer for accounts created before 2025-07-15; on this account's { $plan } the usage is paid for, from credits while they last.
group-rule = { $reason }
group-rule-instead = { $reason } The free tier covers { $instead } instead.
group-marketplace = Sold by { $seller } through AWS Marketplace; the free tier never covers Marketplace products.
group-other = All of it { $cause }.
group-rounding = Each amount below is rounded to the cent; before rounding they total { $exact }, which rounds to { $rounded }.
group-resource = { $cost }: { $what }
group-resource-line = { $line }, billed from { $first } to { $last }.

heading-actions = What to do now
actions-intro = To stop these charges, please stop or delete these resources:
actions-intro-credits = Nothing is charged to you, but these resources use up your credits. To keep the credits, please stop or delete them:
action-item = - { $what }
action-console = Console: { $path }
action-cli = AWS CLI: { $command }
action-needs-id = The billing data has no resource id for this line, so please look it up in the console first.
action-find = The billing data has no resource id for this line; this command lists the ones it could be: { $command }
actions-none = The charges above do not come from a resource you can stop: they follow your other usage.
actions-after = Charges stop from the hour each resource is stopped or deleted; what is already on the { $month } bill stays on it. A stopped instance still pays for its EBS storage, and snapshots and Elastic IP addresses stay billed until you delete or release them, so please check each region you have used, not only the one shown here.
actions-free = There is nothing to stop: keep using the account as you do now, and keep an eye on the free-tier usage page as the month goes on.
actions-usage-only = I cannot yet say what to stop, since the data shows usage and not charges. Meanwhile, the Free Tier page (Billing and Cost Management console > Free Tier) shows which offers are near or over their monthly limits.

heading-prevention = How to keep this from happening again
prevent-budget = Create a zero-spend budget: Billing and Cost Management console > Budgets > Create budget > Use a template (simplified) > Zero spend budget. AWS emails you as soon as any spending appears.
prevent-alerts = Turn on free-tier usage alerts: Billing and Cost Management console > Billing preferences > Alert preferences > Receive AWS Free Tier alerts. AWS emails you when an offer nears its monthly limit.
prevent-monthly = Once a month, open Billing and Cost Management > Free Tier to see each offer's usage and forecast, and the Bills page to check that every service with a charge is one you expect.
prevent-shared-pool = Remember that { $count ->
        [one] a free allowance covers
       *[other] each of these free allowances covers
    } every eligible resource in every region together, not each resource: { $allowances }. Run one eligible resource at a time, or stop the others when you are not using them.
prevent-shared-allowance = { $offer } gives { $limit } a month in total
prevent-expired = The 12-month free offers have ended on this account, so everything you keep running is billed from now on. Delete what you no longer need.
prevent-not-eligible = Before you launch anything, check that the console marks the type or option as "Free tier eligible".
prevent-never-free = Some resources have no free tier at all (NAT gateways, idle public IPv4 addresses, and others that wizards and tutorials create). Delete them as soon as you finish an exercise.

heading-adjustment = About a billing adjustment
adjustment = If these charges came from a mistake, you can ask for a one-time billing adjustment. Please stop or delete the resources above in every region first, then reply to this case (or open one in the Support Center under "Account and billing") saying what happened and what you have changed, for example the budget you set up. The billing team reviews each request on its own merits, so I cannot promise the outcome, but I will pass your request on with the details above.

closing = If anything here does not match what you see in the console, reply to this message and I will look again.
closing-thanks = Thank you for using AWS.
signature = Best regards,
    AWS Support

# Associate's notes (--with-notes)
notes-heading = Associate's notes (not for the customer)
notes-inquiry = Inquiry: name { $name }; amount { $amount }; month { $month }; language { $lang } (Hangul share { $share }).
notes-unknown-value = not found
notes-month-unplaced = The customer wrote a month that could not be placed in a year (the message has no Date); the report's month was used.
notes-evidence-heading = Evidence behind each figure
notes-totals = Totals: charges { $gross }, tax { $tax }, credits { $credits }, refunds { $refunds }, net { $net }; { $rows } billing rows; data up to { $as_of }.
notes-totals-explorer = Totals: charges { $gross }, tax { $tax }, credits { $credits }, refunds { $refunds }, net { $net }; { $groups } Cost Explorer groups over { $periods } periods; data up to { $as_of }.
notes-charge = Charge { $n }: { $usage_type } · resource { $resource } · { $region } · { $quantity } · rate { $rate } · cost { $cost } · cause { $cause } · { $rows }, { $first } to { $last }.
notes-rows = { $rows } rows
notes-periods = { $rows } Cost Explorer periods
notes-offer = Offer { $offer }: used { $used } of { $limit } ({ $percent }), forecast { $forecast }, status { $status }.
notes-unknowns-heading = What the data could not decide
notes-nothing = Nothing.
notes-proposal-heading = Improvement proposal
notes-impact = Impact: { $net } for { $month }, from { $causes }.
notes-impact-unknown = Impact: not known for { $month }: the data holds usage, not charges.
notes-customer = For the customer:
notes-product = For the product:
proposal-customer-shared = Run one eligible instance at a time, or schedule the second to stop; the { $limit } allowance is shared across every resource and region.
proposal-product-shared = Warn at 80% of { $offer } ({ $limit }) with the month-end forecast, and show the shared allowance and its current users when a second eligible resource starts ({ $resources } resources shared it this month).
proposal-customer-expired = Review running resources before the 12-month anniversary and delete what is not needed.
proposal-product-expired = Send a reminder a month before the 12 months end that lists the resources still running and what each will cost per month.
proposal-customer-not-eligible = Launch only types and options marked "Free tier eligible"; resize { $usage_type } to an eligible one.
proposal-product-not-eligible = In the launch flow, show the hourly price next to any type that is not covered by the free tier of the account ({ $usage_type } this time).
proposal-customer-never-free = Delete never-free resources after each exercise ({ $usage_type } this time).
proposal-product-never-free = Show the hourly price and "not covered by the free tier" when a free-tier account creates a resource with no free tier ({ $usage_type } this time).
proposal-product-nat-wizard = Default the VPC wizard to "NAT gateways: None" on free-tier accounts, and say what a NAT gateway costs per hour when one is chosen.
proposal-customer-budget = Create a zero-spend budget and keep free-tier alerts on.
proposal-product-budget = Create a zero-spend budget by default on new free-tier accounts.

# A report from the Free Tier API alone: usage, no charges.
subject-usage-only = Your AWS Free Tier usage for { $month }
acknowledge-usage-only = Thank you for writing to us about your { $month } bill. I went through the free-tier usage you sent, offer by offer.
finding-usage-only = The data you sent is the Free Tier API's: it shows each offer's usage against its limit, not what was charged, so I cannot yet tell you what your bill for { $period } comes to or why. Cost Explorer (Billing and Cost Management console > Cost Explorer, or `aws ce get-cost-and-usage`) or the Bills page shows the charges; if you send either, I will explain each charge with its figures.
notes-usage-only = Totals: not in the data. Only Free Tier API output was given (usage up to { $as_of }); it holds no charges, so no amount in this case is verified. Ask the customer for Cost Explorer output or a billing export.
