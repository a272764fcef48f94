//! The catalogue as SQL: the offers as a VALUES table, the usage-type
//! region split and the offer matching as CASE expressions in catalogue order
//! (the first match wins, as in `Catalog::matching_offer`).

use ftdesk_core::catalog::{LimitBasis, Matcher, Pool};
use ftdesk_core::{Catalog, Plan};

use crate::dialect::Dialect;
use crate::source::quoted_list;

pub(crate) const PLANS: [Plan; 3] = [Plan::Legacy, Plan::FreePlan, Plan::PaidPlan];

/// The column of the meters CTE holding the offer for a plan (`strict_legacy`).
pub(crate) fn plan_column(prefix: &str, plan: Plan) -> String {
    format!("{prefix}_{}", plan.as_str().replace('-', "_"))
}

/// `(id, kind, pool, free_limit, per_hour)` rows, one per offer.
pub(crate) fn offers_values(dialect: Dialect, catalog: &Catalog) -> String {
    let rows: Vec<String> = catalog
        .offers
        .iter()
        .map(|o| {
            format!(
                "({}, {}, {}, {}, {})",
                dialect.string(&o.id),
                dialect.string(o.kind.as_str()),
                dialect.string(match o.pool {
                    Pool::Global => "global",
                    Pool::PerRegion => "per-region",
                }),
                dialect.decimal(&o.limit.normalize().to_string()),
                if o.limit_basis == LimitBasis::PerHour {
                    "TRUE"
                } else {
                    "FALSE"
                },
            )
        })
        .collect();
    format!(
        "SELECT * FROM (VALUES\n    {}\n  ) AS catalogue_offers(offer_id, kind, pool, free_limit, per_hour)",
        rows.join(",\n    ")
    )
}

/// The region id a usage type's prefix names, as `Catalog::split_usage_type`.
pub(crate) fn split_region(dialect: Dialect, catalog: &Catalog, usage_type: &str) -> String {
    split_case(dialect, catalog, usage_type, |region, _| {
        dialect.string(region)
    })
}

/// The length of the prefix `Catalog::split_usage_type` removes.
pub(crate) fn prefix_length(dialect: Dialect, catalog: &Catalog, usage_type: &str) -> String {
    split_case(dialect, catalog, usage_type, |_, prefix| {
        prefix.len().to_string()
    })
}

fn split_case(
    dialect: Dialect,
    catalog: &Catalog,
    usage_type: &str,
    value: impl Fn(&str, &str) -> String,
) -> String {
    let mut branches = vec![("Global-".to_owned(), "global")];
    // `split_once('-')` then the code table: a code can only match whole, before the first dash.
    for region in &catalog.regions {
        if !region.code.contains('-')
            && catalog.region_by_code(&region.code).map(|r| &r.id) == Some(&region.id)
        {
            branches.push((format!("{}-", region.code), region.id.as_str()));
        }
    }
    for region in &catalog.regions {
        branches.push((format!("{}-", region.id), region.id.as_str()));
    }
    let mut case = String::from("CASE");
    for (prefix, region) in &branches {
        case.push_str(&format!(
            "\n      WHEN substr({usage_type}, 1, {}) = {} THEN {}",
            prefix.len(),
            dialect.string(prefix),
            value(region, prefix)
        ));
    }
    case.push_str(&format!("\n      ELSE {} END", value("us-east-1", "")));
    case
}

/// Names of the meter columns the matching reads.
pub(crate) struct MeterColumns<'a> {
    pub product: &'a str,
    pub meter: &'a str,
    pub operation: &'a str,
    /// The region the usage type names (not the row's), as the region condition uses.
    pub split_region: &'a str,
}

/// The first offer (in catalogue order) whose match covers the meter: under
/// `plan` with the region condition, or on any plan without it (`None`).
pub(crate) fn offer_case(
    dialect: Dialect,
    catalog: &Catalog,
    plan: Option<Plan>,
    m: &MeterColumns<'_>,
) -> String {
    let mut case = String::from("CASE");
    for offer in &catalog.offers {
        if plan.is_some_and(|p| !offer.plans.contains(&p)) {
            continue;
        }
        let conditions: Vec<String> = offer
            .matchers
            .iter()
            .map(|matcher| matcher_condition(dialect, catalog, matcher, m, plan.is_some()))
            .collect();
        case.push_str(&format!(
            "\n      WHEN {} THEN {}",
            conditions.join(" OR "),
            dialect.string(&offer.id)
        ));
    }
    if case == "CASE" {
        return format!("CAST(NULL AS {})", dialect.text_type());
    }
    case.push_str("\n      END");
    case
}

/// The offer a free row counts toward under `plan`: the any-plan match, if
/// that offer is on the plan (`MeterInfo::loose`).
pub(crate) fn loose_case(dialect: Dialect, catalog: &Catalog, plan: Plan, any: &str) -> String {
    let ids: Vec<&str> = catalog
        .offers
        .iter()
        .filter(|o| o.plans.contains(&plan))
        .map(|o| o.id.as_str())
        .collect();
    if ids.is_empty() {
        return format!("CAST(NULL AS {})", dialect.text_type());
    }
    format!(
        "CASE WHEN {any} IN ({}) THEN {any} END",
        quoted_list(dialect, &ids)
    )
}

fn matcher_condition(
    dialect: Dialect,
    catalog: &Catalog,
    matcher: &Matcher,
    m: &MeterColumns<'_>,
    with_region: bool,
) -> String {
    let mut parts = Vec::new();
    if !matcher.product.is_empty() {
        parts.push(format!(
            "{} = {}",
            m.product,
            dialect.string(&matcher.product)
        ));
    }
    parts.push(patterns(dialect, m.meter, &matcher.usage_types));
    if !matcher.operations.is_empty() {
        parts.push(patterns(dialect, m.operation, &matcher.operations));
    }
    if let (true, Some(instance_type)) = (with_region, &matcher.only_where_region_lacks) {
        let lacking: Vec<&str> = catalog
            .regions
            .iter()
            .filter(|r| r.lacks.iter().any(|t| t == instance_type))
            .map(|r| r.id.as_str())
            .collect();
        parts.push(if lacking.is_empty() {
            "FALSE".to_owned()
        } else {
            format!("{} IN ({})", m.split_region, quoted_list(dialect, &lacking))
        });
    }
    format!("({})", parts.join(" AND "))
}

/// Whether `column` matches any of the catalogue's glob patterns (`*` = any run).
fn patterns(dialect: Dialect, column: &str, globs: &[String]) -> String {
    let (exact, wild): (Vec<&String>, Vec<&String>) = globs.iter().partition(|g| !g.contains('*'));
    let mut any = Vec::new();
    if !exact.is_empty() {
        let exact: Vec<&str> = exact.iter().map(|s| s.as_str()).collect();
        any.push(format!("{column} IN ({})", quoted_list(dialect, &exact)));
    }
    for glob in wild {
        any.push(dialect.regex_match(column, &dialect.string(&glob_regex(glob))));
    }
    if any.len() == 1 {
        any.remove(0)
    } else {
        format!("({})", any.join(" OR "))
    }
}

/// A glob as an anchored regular expression without backslashes (they mean
/// different things in each engine's string literals): `[.]`, not `\.`.
pub(crate) fn glob_regex(glob: &str) -> String {
    let mut re = String::from("^");
    for c in glob.chars() {
        match c {
            '*' => re.push_str(".*"),
            '.' | '+' | '?' | '(' | ')' | '{' | '}' | '|' | '$' | '[' => {
                re.push('[');
                re.push(c);
                re.push(']');
            }
            '^' => re.push_str("\\^"),
            '\\' => re.push_str("[\\\\]"),
            ']' => re.push_str("[]]"),
            c => re.push(c),
        }
    }
    re.push('$');
    re
}

#[cfg(test)]
mod tests {
    use super::*;
    use ftdesk_core::glob_match;

    #[test]
    fn globs_become_anchored_regexes() {
        assert_eq!(glob_regex("BoxUsage:*"), "^BoxUsage:.*$");
        assert_eq!(glob_regex("EBS:*.gp3"), "^EBS:.*[.]gp3$");
        assert!(glob_match("EBS:*.gp3", "EBS:VolumeUsage.gp3"));
    }

    #[test]
    fn every_region_code_becomes_a_branch() {
        let catalog = Catalog::embedded();
        let case = split_region(Dialect::DuckDb, &catalog, "u");
        assert!(case.contains("WHEN substr(u, 1, 5) = 'APN2-' THEN 'ap-northeast-2'"));
        assert!(case.contains("WHEN substr(u, 1, 10) = 'us-east-1-' THEN 'us-east-1'"));
        assert!(case.ends_with("ELSE 'us-east-1' END"));
    }
}
