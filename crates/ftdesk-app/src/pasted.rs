//! Lines of the Bills page, quoted: a month's bill without the billing files.

use std::path::Path;

use ftdesk_core::{ApiSnapshot, Catalog, DataSource, Ledger, Month, Report};
use ftdesk_io::pasted::PastedLine;

use crate::check::{finish, Scope};
use crate::cost_explorer::UNNAMED_PAYER;
use crate::AppError;

/// Reads a file of lines copied from the Bills page.
pub fn read_file(path: &Path, catalog: &Catalog) -> Result<Vec<PastedLine>, AppError> {
    let text = std::fs::read_to_string(path).map_err(|source| AppError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(ftdesk_io::pasted::read(&text, path, catalog)?)
}

/// The report for `month` from lines of the Bills page quoted from `source`.
pub fn check_pasted(
    catalog: &Catalog,
    lines: &[PastedLine],
    month: Month,
    source: &Path,
    scope: &Scope,
    api: Option<ApiSnapshot>,
) -> Result<Report, AppError> {
    let mut context = scope.context(api);
    context.month = Some(month);
    context.sources = vec![DataSource::PastedLines];
    let (aggregates, unknowns) = ftdesk_io::pasted::aggregates(catalog, lines, month);
    let (split, _, assumed) =
        ftdesk_core::aggregate::split_stated(catalog, UNNAMED_PAYER, aggregates);
    context.unknowns.extend(unknowns);
    context
        .unknowns
        .extend(ftdesk_core::aggregate::unknowns_of_assumed(&assumed));
    let mut ledger = Ledger::new(catalog);
    for line in &split {
        ledger.push(&line.as_line_item())?;
    }
    let mut report = finish(&ledger, &[], &[source.to_path_buf()], &context)?;
    forget_crossing_hours(&mut report);
    Ok(report)
}

/// A month's totals cannot tell the hour an allowance ran out.
fn forget_crossing_hours(report: &mut Report) {
    for offer in &mut report.offers {
        offer.crossed_at = None;
    }
    for charge in &mut report.charges {
        if let ftdesk_core::report::ChargeContext::OverFreeLimit { crossed_at, .. } =
            &mut charge.context
        {
            *crossed_at = None;
        }
    }
}
