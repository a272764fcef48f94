//! `ftdesk sample`: synthetic billing data for named scenarios.

use std::process::ExitCode;

use anyhow::bail;
use ftdesk_core::Catalog;

use crate::args::SampleArgs;

pub fn run(args: SampleArgs) -> anyhow::Result<ExitCode> {
    if args.list {
        let width = ftdesk_sample::scenarios()
            .iter()
            .map(|s| s.name.len())
            .max()
            .unwrap_or(0);
        for s in ftdesk_sample::scenarios() {
            println!("{:width$}  {}", s.name, s.summary);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(name), Some(out)) = (args.scenario, args.out) else {
        bail!("--scenario and --out are required unless --list is given");
    };
    let Some(scenario) = ftdesk_sample::find(&name) else {
        let names: Vec<&str> = ftdesk_sample::scenarios().iter().map(|s| s.name).collect();
        bail!(
            "no scenario named `{name}`; expected one of: {}",
            names.join(", ")
        );
    };
    let options = ftdesk_sample::WriteOptions {
        format: args.format.into(),
        gzip: args.gzip,
        layout: args.layout.into(),
    };
    let path = ftdesk_sample::write_scenario_as(scenario, &Catalog::embedded(), &out, options)?;
    eprintln!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}
