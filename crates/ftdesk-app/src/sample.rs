//! Sample data that needs the accounting: the Free Tier API's view of a scenario.

use std::path::{Path, PathBuf};

use ftdesk_core::{Catalog, Context, Ledger};

use crate::AppError;

/// The Free Tier API's view of the scenario's month, its offers as the AWS
/// CLI prints them, written into `dir` as `<name>-<month>-freetier-usage.json`.
pub fn write_freetier_sample(
    scenario: &ftdesk_sample::Scenario,
    catalog: &Catalog,
    dir: &Path,
) -> Result<PathBuf, AppError> {
    let generated = scenario.generate(catalog);
    let mut ledger = Ledger::new(catalog);
    for row in &generated.rows {
        ledger.push(&row.as_line_item())?;
    }
    let context = Context {
        month: Some(generated.month),
        account_created: generated.truth.account_created,
        ..Context::default()
    };
    let report = ledger
        .finish(&context)
        .map_err(|source| AppError::Finish {
            paths: scenario.name.to_owned(),
            source,
        })?
        .remove(0);
    let path = dir.join(format!(
        "{}-{}-freetier-usage.json",
        scenario.name, generated.month
    ));
    let io = |source| AppError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    std::fs::write(&path, ftdesk_freetier::to_cli_json(&report, catalog)).map_err(io)?;
    Ok(path)
}
