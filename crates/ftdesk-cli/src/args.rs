//! The command line, as clap definitions. Doc comments are the help text.
//!
//! Rustdoc would read `[USER@]HOST[:PORT]` in them as links; escaping the
//! brackets would print the backslashes in `--help`, so the lint is off here.
#![allow(rustdoc::broken_intra_doc_links)]

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use ftdesk_core::{Date, Month};

/// Free Tier Desk: explains an AWS bill line by line against the free tier.
#[derive(Debug, Parser)]
#[command(
    name = "ftdesk",
    version,
    propagate_version = true,
    after_help = ftdesk_app::Settings::help()
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// More log output on standard error (-v, -vv).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Nothing on standard error but errors (and --fail-on findings).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// When to colour output: the text report and the logs (auto honours NO_COLOR).
    #[arg(long, value_enum, global = true, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read billing data and explain every charge against the free tier.
    Check(CheckArgs),
    /// Run `check` on a bundled synthetic account (no AWS account needed).
    Demo(DemoArgs),
    /// Where to get your billing data: what each source gives, costs and needs, and the commands.
    Sources(SourcesArgs),
    /// Write a synthetic account's billing data for a named scenario.
    Sample(SampleArgs),
    /// Draft the support email that answers a customer's free-tier billing case.
    Reply(ReplyArgs),
    /// Practise for an AWS support interview: the take-home case and the Leadership-Principles drill.
    Practice(PracticeArgs),
    /// Watch the billing data and warn before a free-tier charge happens.
    Guard(GuardArgs),
    /// The web desk: a shared queue of billing cases, answered in the browser.
    Desk(DeskArgs),
    /// Print the accounting as SQL for DuckDB, Spark or Athena, to run where the report lives.
    Sql(SqlArgs),
    /// Print the completion script for a shell (source it, or save it where the shell looks).
    Completions(CompletionsArgs),
    /// Print the manual page in roff (`ftdesk man | man -l -`), for ftdesk or one command.
    Man(ManArgs),
}

/// Parses the command line. `--version` also names the catalogue of free-tier
/// facts the program judges by; it is read only when asked for, since reading
/// it costs every other start time.
pub fn parse() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let mut command = Cli::command();
    if std::env::args_os().any(|arg| arg == "--version" || arg == "-V") {
        let catalogue = ftdesk_core::Catalog::embedded().version;
        let aws = if cfg!(feature = "aws") {
            "aws: built in (s3://, --live)"
        } else {
            "aws: not built in (the `aws` feature is off)"
        };
        let text = format!(
            "{}\ncatalogue: {catalogue}\n{aws}",
            env!("CARGO_PKG_VERSION")
        );
        // Once per process, before it prints and exits.
        command = command.long_version(&*text.leak());
    }
    let matches = command.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (`check`, `desk`, `guard`, ...); without it, ftdesk's.
    pub command: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["table", "path"])))]
pub struct SqlArgs {
    /// The engine the SQL is for.
    #[arg(long, value_enum)]
    pub dialect: DialectArg,
    /// The billing export the rows are in.
    #[arg(long = "schema", alias = "format", value_enum, default_value_t = SqlFormatArg::Cur2)]
    pub format: SqlFormatArg,
    /// A table the engine knows, e.g. the CUR table in Athena's catalogue (`cur_db.cur_table`).
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,
    /// Export files the engine reads itself (.parquet, .csv, .csv.gz; globs allowed). DuckDB and Spark.
    #[arg(long, value_name = "FILE_OR_GLOB")]
    pub path: Option<String>,
    /// Billing month, YYYY-MM (default: the latest month in the data, as `check` does).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<Month>,
    /// The account's free-tier plan (default: read from the bill, as `check` does).
    #[arg(long, value_enum)]
    pub plan: Option<PlanArg>,
    /// Write the SQL to this file instead of standard output.
    #[arg(short = 'o', long = "output", alias = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DialectArg {
    Duckdb,
    Spark,
    Athena,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SqlFormatArg {
    /// Legacy Cost and Usage Report (CSV `lineItem/UsageType`, Athena/Parquet `line_item_usage_type`).
    Cur,
    /// CUR 2.0 (Data Exports), the region in the `product` map.
    Cur2,
    /// FOCUS 1.0 as AWS exports it (`x_UsageType`, `x_Operation`, `x_ServiceCode`).
    Focus,
}

impl From<DialectArg> for ftdesk_sql::Dialect {
    fn from(d: DialectArg) -> Self {
        match d {
            DialectArg::Duckdb => Self::DuckDb,
            DialectArg::Spark => Self::Spark,
            DialectArg::Athena => Self::Athena,
        }
    }
}

impl From<SqlFormatArg> for ftdesk_sql::ExportFormat {
    fn from(f: SqlFormatArg) -> Self {
        match f {
            SqlFormatArg::Cur => Self::Cur,
            SqlFormatArg::Cur2 => Self::Cur2,
            SqlFormatArg::Focus => Self::Focus,
        }
    }
}

#[derive(Debug, Args)]
pub struct DeskArgs {
    #[command(subcommand)]
    pub command: DeskCommand,
}

#[derive(Debug, Subcommand)]
pub enum DeskCommand {
    /// Create the desk database and its first lead; prints a one-time password.
    Init {
        /// The desk's SQLite file (created).
        #[arg(long, value_name = "FILE", env = ftdesk_app::settings::DESK_DB)]
        db: Option<PathBuf>,
        /// The first lead's e-mail address.
        #[arg(long, value_name = "EMAIL")]
        admin: String,
    },
    /// Add a case from an e-mail file and the customer's billing data.
    Import {
        #[arg(long, value_name = "FILE", env = ftdesk_app::settings::DESK_DB)]
        db: Option<PathBuf>,
        /// The customer's message (.eml).
        #[arg(value_name = "EML")]
        eml: PathBuf,
        /// Billing files or folders (as for `check`); kept with the case.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Serve the desk: web pages, and an SMTP listener for incoming cases.
    Serve {
        #[arg(long, value_name = "FILE", env = ftdesk_app::settings::DESK_DB)]
        db: Option<PathBuf>,
        /// Address for the web pages [default: `listen` in config.toml, then 127.0.0.1:8080].
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// Address for the SMTP intake listener (off when not given).
        #[arg(long, value_name = "ADDR")]
        smtp_in: Option<String>,
        /// Where replies are sent: smtp://HOST[:PORT] (plain),
        /// smtp+starttls://[USER@]HOST[:PORT] (STARTTLS, port 587) or
        /// smtps://[USER@]HOST[:PORT] (TLS, port 465); a USER's password is read
        /// from FTDESK_SMTP_PASSWORD.
        #[arg(long, value_name = "URL")]
        smtp_out: Option<String>,
        /// A CA certificate (PEM) to trust for --smtp-out besides the system's.
        #[arg(long, value_name = "FILE")]
        smtp_ca_file: Option<PathBuf>,
        /// The From address of replies.
        #[arg(long, value_name = "EMAIL", default_value = "support@example.invalid")]
        mail_from: String,
        /// Largest e-mail the SMTP listener accepts, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
        max_message_size: usize,
        #[command(flatten)]
        web_limits: DeskWebLimits,
        /// Most a compressed billing file from a mail or an upload may inflate
        /// to, in MiB; a case over it is marked failed with the reason.
        #[arg(long, value_name = "MIB", default_value_t = 512)]
        max_inflated_mib: u64,
        /// Most rows a billing file from a mail or an upload may hold.
        #[arg(long, value_name = "ROWS", default_value_t = 10_000_000)]
        max_rows: u64,
        /// Longest an analysis may take, in seconds; a case over it is marked failed.
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        analysis_timeout_seconds: u64,
        /// Analyses run at the same time; more wait their turn.
        #[arg(long, value_name = "N", default_value_t = 2)]
        max_analyses: usize,
        /// Starts of an analysis the desk stopped during (a crash, a kill) after
        /// which its case is marked failed instead of analysed at every start.
        #[arg(long, value_name = "N", default_value_t = 3)]
        analysis_attempts: u32,
        /// SMTP sessions served at once; more are answered 421 and closed.
        #[arg(long, value_name = "N",
              default_value_t = ftdesk_desk::smtp::DEFAULT_MAX_CONNECTIONS as u64,
              value_parser = clap::value_parser!(u64).range(1..))]
        smtp_max_connections: u64,
        /// Seconds an SMTP session may last in all before it is closed (421).
        #[arg(long, value_name = "SECONDS",
              default_value_t = ftdesk_desk::smtp::DEFAULT_SESSION_TIMEOUT.as_secs(),
              value_parser = clap::value_parser!(u64).range(1..))]
        smtp_session_timeout: u64,
        /// Seconds one SMTP line (a command, a line of the message) may take to arrive.
        #[arg(long, value_name = "SECONDS",
              default_value_t = ftdesk_desk::smtp::DEFAULT_LINE_TIMEOUT.as_secs(),
              value_parser = clap::value_parser!(u64).range(1..))]
        smtp_line_timeout: u64,
    },
    /// Add an account (prints its one-time password), or unlock or reset one.
    #[command(args_conflicts_with_subcommands = true)]
    User {
        #[command(subcommand)]
        action: Option<DeskUserAction>,
        #[arg(long, value_name = "FILE", env = ftdesk_app::settings::DESK_DB)]
        db: Option<PathBuf>,
        #[arg(long, value_name = "EMAIL")]
        email: Option<String>,
        #[arg(long, value_enum, default_value_t = DeskRoleArg::Associate)]
        role: DeskRoleArg,
        /// Interface language [default: FTDESK_LANG, then config.toml, then the locale, then en].
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Write a consistent copy of the database, also while the desk runs.
    Backup {
        #[arg(long, value_name = "FILE", env = ftdesk_app::settings::DESK_DB)]
        db: Option<PathBuf>,
        /// The copy (a new file).
        #[arg(value_name = "OUT")]
        out: PathBuf,
    },
}

/// The web server's limits (`desk serve`); docs/desk.md, Security, explains each.
#[derive(Debug, Args)]
pub struct DeskWebLimits {
    /// Password checks running at once (each takes 19 MiB); more logins are answered 503.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub login_checks: usize,
    /// Failed logins one client address may make per 15 minutes; more are answered 429.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub login_failures: u32,
    /// A reverse proxy in front of the desk: its X-Forwarded-For names the client,
    /// and its X-Forwarded-Proto: https gives cookies the __Host- prefix.
    #[arg(long, value_name = "IP")]
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Seconds a client has to send a request's headers.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds a whole request may take (a reply being sent is finished).
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub request_timeout: u64,
    /// Connections served at once; more wait.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_connections: usize,
}

#[derive(Debug, Subcommand)]
pub enum DeskUserAction {
    /// Lift an account's login lock.
    Unlock {
        #[arg(long, value_name = "FILE", env = ftdesk_app::settings::DESK_DB)]
        db: Option<PathBuf>,
        #[arg(long, value_name = "EMAIL")]
        email: String,
    },
    /// Give an account a new one-time password (printed) and end its sessions.
    Reset {
        #[arg(long, value_name = "FILE", env = ftdesk_app::settings::DESK_DB)]
        db: Option<PathBuf>,
        #[arg(long, value_name = "EMAIL")]
        email: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DeskRoleArg {
    Associate,
    Lead,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct GuardArgs {
    #[command(subcommand)]
    pub command: Option<GuardCommand>,
    /// `ftdesk guard --config FILE` is `ftdesk guard run --config FILE`.
    #[command(flatten)]
    pub run: GuardRunArgs,
}

#[derive(Debug, Args)]
pub struct GuardRunArgs {
    /// The guard configuration (see examples/guard.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Run one cycle (read, evaluate, deliver) and exit: for cron or a systemd timer.
    #[arg(long)]
    pub once: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Subcommand)]
pub enum GuardCommand {
    /// Watch the billing data: read, evaluate, deliver alerts, every interval or --once.
    Run(GuardRunArgs),
    /// Print the AWS-side safety net as code: a zero-spend budget, a monthly cost
    /// budget with forecast alerts, and an SNS topic that emails you.
    Plan(GuardPlanArgs),
}

#[derive(Debug, Args)]
pub struct GuardPlanArgs {
    /// CloudFormation (YAML) or Terraform (HCL).
    #[arg(long = "as", alias = "format", value_enum, default_value_t = PlanFormatArg::Cloudformation)]
    pub format: PlanFormatArg,
    /// Who the SNS topic emails (repeatable); default: the config's smtp `to` addresses.
    /// Without either, the template asks for the address when you deploy it: a
    /// CloudFormation parameter `NotificationEmail`, a Terraform variable `notification_email`.
    #[arg(long, value_name = "ADDRESS")]
    pub email: Vec<String>,
    /// The monthly cost budget in USD; forecast alerts fire at the config's thresholds.
    #[arg(long, value_name = "USD", default_value = "10")]
    pub budget: rust_decimal::Decimal,
    /// A guard.toml for the email addresses and the alert percentages.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PlanFormatArg {
    Cloudformation,
    Terraform,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long = "output", alias = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Language of the report [default: FTDESK_LANG, then config.toml, then the locale, then en].
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// List every charge in the text, Markdown and HTML reports, even those under half a
    /// cent; without it, over 200 charges they show the 20 largest and totals by account,
    /// usage type and cause (the JSON always lists every charge).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Cost and Usage Report files (.csv, .csv.gz) or folders of them, and the JSON
    /// that `aws freetier get-free-tier-usage` / `get-account-plan-state` print.
    #[arg(required_unless_present_any = ["live", "pasted"], value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// A text file of lines copied from the console's Bills page (description, quantity, amount); needs --month.
    #[arg(long, value_name = "FILE", requires = "month", conflicts_with_all = ["paths", "live"])]
    pub pasted: Option<PathBuf>,
    /// Ask the Free Tier API (GetFreeTierUsage, GetAccountPlanState) with the standard AWS credential chain.
    #[arg(long)]
    pub live: bool,
    /// With --live: another endpoint than AWS's, e.g. a local test server.
    #[arg(long, value_name = "URL", requires = "live")]
    pub endpoint_url: Option<String>,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// With --live: the Free Tier API (no charge), or Cost Explorer's GetCostAndUsage
    /// ($0.01 a request: you are asked before anything is sent; closed months are cached
    /// in $XDG_CACHE_HOME/ftdesk or ~/.cache/ftdesk).
    #[arg(long, value_enum, default_value_t = LiveSourceArg::FreeTier)]
    pub source: LiveSourceArg,
    /// With --live --source cost-explorer: the first month to ask for, YYYY-MM; the last
    /// is --month, else this month (default: only the last).
    #[arg(long, value_name = "YYYY-MM")]
    pub since: Option<Month>,
    /// With --live --source cost-explorer: agree to the requests' cost without being asked
    /// (needed where there is no terminal to ask on).
    #[arg(long)]
    pub yes: bool,
    /// Billing month to report, YYYY-MM (default: the latest month in the data).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<Month>,
    /// Only this account: a member account, or a payer account for its whole Organization.
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// The account's creation date; decides the free-tier model and whether the 12 months have ended.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub account_created: Option<Date>,
    /// The account's free-tier plan, when you know it better than the data does.
    #[arg(long, value_enum)]
    pub plan: Option<PlanArg>,
    /// Exit 1 when the report has such a finding (0 when clean, 2 on an error), for CI and
    /// cron: exceeded (an offer over its limit), never-free (a charge for something never
    /// free), net-over=AMOUNT (a known net cost above AMOUNT). Repeat it or separate with commas.
    #[arg(long, value_name = "CONDITION", value_delimiter = ',')]
    pub fail_on: Vec<ftdesk_app::FailOn>,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// How to reach AWS, wherever a command does (`s3://` paths, `--live`).
#[derive(Debug, Args)]
pub struct AwsArgs {
    /// The AWS profile [default: `profile` in config.toml, then AWS_PROFILE, then the default chain].
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The AWS region of s3:// buckets [default: `region` in config.toml, then AWS_REGION,
    /// then the profile's]; the Free Tier API and Cost Explorer answer from us-east-1 alone.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LiveSourceArg {
    FreeTier,
    CostExplorer,
}

#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// Language of the text [default: FTDESK_LANG, then config.toml, then the locale, then en].
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// List the scenarios, one line each.
    #[arg(long, conflicts_with_all = ["scenario", "out"])]
    pub list: bool,
    /// The scenario to write (see --list).
    #[arg(long, required_unless_present_any = ["list", "rows"])]
    pub scenario: Option<String>,
    /// Instead of a scenario, a large Organization-sized file of exactly this many
    /// rows (about 1,000 accounts, 300 usage types, 50,000 resources), for speed tests.
    #[arg(long, value_name = "N", conflicts_with_all = ["scenario", "list", "layout"])]
    pub rows: Option<u64>,
    /// Seed of the large file (--rows): the same seed writes the same file.
    #[arg(long, default_value_t = 42, requires = "rows")]
    pub seed: u64,
    /// Billing month of the large file (--rows).
    #[arg(
        long,
        value_name = "YYYY-MM",
        default_value = "2026-10",
        requires = "rows"
    )]
    pub month: ftdesk_core::time::Month,
    /// Folder to write into (created if missing).
    #[arg(
        long = "out-dir",
        alias = "out",
        value_name = "DIR",
        required_unless_present = "list"
    )]
    pub out: Option<PathBuf>,
    /// Write .csv.gz instead of .csv (CSV formats; Parquet is snappy-compressed inside).
    #[arg(long)]
    pub gzip: bool,
    /// The billing export to write the data as.
    #[arg(long = "as", alias = "format", value_enum, default_value_t = SampleFormatArg::CurCsv)]
    pub format: SampleFormatArg,
    /// One file, or the folder layout AWS delivers (manifest and two snapshots).
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,
    /// Cost Explorer JSON (ce-json): the key grouped by beside the usage type.
    #[arg(long, value_enum, default_value_t = GroupByArg::RecordType)]
    pub group_by: GroupByArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    /// `--group-by Type=DIMENSION,Key=RECORD_TYPE` (what `check` needs for credits and refunds).
    RecordType,
    /// `--group-by Type=DIMENSION,Key=LINKED_ACCOUNT` (an Organization's payer account).
    LinkedAccount,
}

impl From<GroupByArg> for ftdesk_sample::CostExplorerGrouping {
    fn from(arg: GroupByArg) -> Self {
        match arg {
            GroupByArg::RecordType => Self::RecordType,
            GroupByArg::LinkedAccount => Self::LinkedAccount,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SampleFormatArg {
    /// Legacy Cost and Usage Report CSV.
    CurCsv,
    /// CUR 2.0 (Data Exports) CSV.
    Cur2Csv,
    /// CUR 2.0 (Data Exports) Parquet.
    Cur2Parquet,
    /// FOCUS 1.0 (AWS export) CSV.
    FocusCsv,
    /// FOCUS 1.0 (AWS export) Parquet.
    FocusParquet,
    /// What `aws freetier get-free-tier-usage` would print for the scenario's month.
    FreetierJson,
    /// What `aws ce get-cost-and-usage` would print: DAILY, by usage type and record type.
    CeJson,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LayoutArg {
    File,
    Export,
}

impl SampleFormatArg {
    /// The billing export format, or `None` for the Free Tier API's JSON.
    pub fn export(self) -> Option<ftdesk_sample::OutputFormat> {
        use ftdesk_sample::OutputFormat as F;
        match self {
            Self::CurCsv => Some(F::CurCsv),
            Self::Cur2Csv => Some(F::Cur2Csv),
            Self::Cur2Parquet => Some(F::Cur2Parquet),
            Self::FocusCsv => Some(F::FocusCsv),
            Self::FocusParquet => Some(F::FocusParquet),
            Self::FreetierJson | Self::CeJson => None,
        }
    }
}

impl From<LayoutArg> for ftdesk_sample::Layout {
    fn from(l: LayoutArg) -> Self {
        match l {
            LayoutArg::File => Self::File,
            LayoutArg::Export => Self::Export,
        }
    }
}

#[derive(Debug, Args)]
pub struct ReplyArgs {
    /// The customer's message: a .eml or text file, or - for standard input.
    #[arg(long, value_name = "FILE")]
    pub inquiry: PathBuf,
    /// Billing data: Cost and Usage Report or Data Export files (.csv, .csv.gz, .parquet),
    /// Cost Explorer JSON, Free Tier API JSON, or folders of them.
    /// Without any, the Bills-page lines the inquiry quotes are the bill.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Language of the reply; auto follows the customer's message.
    #[arg(long, value_enum, default_value_t = ReplyLangArg::Auto)]
    pub lang: ReplyLangArg,
    /// Output format: the text to paste, an HTML body, or a whole .eml message.
    #[arg(long, value_enum, default_value_t = ReplyFormatArg::Text)]
    pub format: ReplyFormatArg,
    /// Write the reply to this file instead of standard output.
    #[arg(short = 'o', long = "output", alias = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also print the associate's notes: evidence, unknowns, improvement proposal
    /// (after the text or HTML; on standard error with --format eml).
    #[arg(long)]
    pub with_notes: bool,
    /// Folder with en/*.ftl and ko/*.ftl overriding the reply's messages by id
    /// (default: the FTDESK_REPLY_TEMPLATES environment variable).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Billing month to answer about, YYYY-MM (default: the month the message names, else the latest).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<Month>,
    /// Only this account: a member account, or a payer account for its whole Organization.
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,
    /// The account's creation date; decides the free-tier model and whether the 12 months have ended.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub account_created: Option<Date>,
    /// The account's free-tier plan, when you know it better than the data does.
    #[arg(long, value_enum)]
    pub plan: Option<PlanArg>,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReplyLangArg {
    Auto,
    En,
    Ko,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReplyFormatArg {
    Text,
    Html,
    Eml,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
    Markdown,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    En,
    Ko,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PlanArg {
    Legacy,
    FreePlan,
    PaidPlan,
}

impl From<FormatArg> for ftdesk_render::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Text => Self::Text,
            FormatArg::Json => Self::Json,
            FormatArg::Markdown => Self::Markdown,
            FormatArg::Html => Self::Html,
        }
    }
}

impl From<DeskWebLimits> for ftdesk_desk::web::WebLimits {
    fn from(flags: DeskWebLimits) -> Self {
        ftdesk_desk::web::WebLimits {
            login_checks: flags.login_checks,
            login_failures: flags.login_failures,
            trusted_proxy: flags.trusted_proxy,
            header_timeout_seconds: flags.header_timeout,
            request_timeout_seconds: flags.request_timeout,
            max_connections: flags.max_connections,
            ..Default::default()
        }
    }
}

impl From<LangArg> for ftdesk_render::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::En => Self::En,
            LangArg::Ko => Self::Ko,
        }
    }
}

impl From<PlanArg> for ftdesk_core::Plan {
    fn from(p: PlanArg) -> Self {
        match p {
            PlanArg::Legacy => Self::Legacy,
            PlanArg::FreePlan => Self::FreePlan,
            PlanArg::PaidPlan => Self::PaidPlan,
        }
    }
}

#[derive(Debug, Args)]
pub struct PracticeArgs {
    #[command(subcommand)]
    pub command: PracticeCommand,
}

#[derive(Debug, Subcommand)]
pub enum PracticeCommand {
    /// A behavioural interview on the Leadership Principles, with follow-ups on every answer.
    #[command(after_help = INTERVIEW_ANSWERS)]
    Interview(InterviewArgs),
    /// The scorecard of a saved interview session, again.
    Report(PracticeReportArgs),
    /// Write a new take-home case: the assignment, the customer's inquiry and the bill.
    Case(CaseArgs),
    /// Grade an answer to a take-home case: the email and the improvement proposal.
    Grade(GradeArgs),
}

#[derive(Debug, Args)]
pub struct CaseArgs {
    /// The same seed always writes the same case; without it a new one is
    /// chosen, and printed so the case can be written again.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Language of the customer's inquiry; without it the seed chooses.
    #[arg(long, value_enum)]
    pub lang: Option<PracticeLangArg>,
    /// How many causes the bill mixes: 1, 2 or 3.
    #[arg(long, default_value_t = 1)]
    pub difficulty: u8,
    /// The folder to write the case into (created; must be empty if it exists).
    #[arg(long = "out-dir", alias = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// What the customer attached: a Cost and Usage Report, or Cost Explorer's JSON.
    #[arg(long, value_enum, default_value_t = CaseSourceArg::Cur)]
    pub source: CaseSourceArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CaseSourceArg {
    Cur,
    CostExplorer,
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// A case folder written by `ftdesk practice case`.
    pub case: PathBuf,
    /// The answer: the email, a line holding only ---, then the proposal.
    pub answer: PathBuf,
    /// The answer key [default: CASE.key.json beside the case folder].
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GradeFormatArg::Text)]
    pub format: GradeFormatArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GradeFormatArg {
    Text,
    Json,
    Html,
}

/// How the live interview reads answers, for `practice interview --help`.
const INTERVIEW_ANSWERS: &str = "\
Answers (without --script):
  An answer may take several lines. It ends at a line holding only `.`, at the second
  empty line in a row, or at the end of input (Ctrl-D on a terminal). On a terminal,
  `:e` on a line of its own writes the answer in $VISUAL or $EDITOR (the question is
  shown as # lines, which are left out); --editor opens it for every answer. `/quit`,
  Ctrl-C, or the end of input before an answer stops and keeps the session.
  Piped standard input is read the same way: answers separated by `.` lines, e.g.
    printf 'First answer,\\nover two lines.\\n.\\nSecond answer.\\n.\\n' | ftdesk practice interview
  After every answer its time is shown; at the end, a report (each question, the
  follow-ups asked and why, the times, what to work on) is printed and saved beside
  the session as SESSION.report.md.";

#[derive(Debug, Args)]
pub struct InterviewArgs {
    /// Answers to use instead of typing them: one per block, blocks separated by a
    /// blank line or a `---` line. Without it the interview is live: on a terminal, or
    /// answers piped to standard input (see below).
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    pub script: Option<PathBuf>,
    /// Continue an interactive session saved earlier (its language and mode are kept).
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// The same seed asks the same questions; without it the clock chooses.
    #[arg(long)]
    pub seed: Option<u64>,
    /// The story bank file (default: stories.json in the ftdesk data folder).
    #[arg(long, value_name = "FILE")]
    pub stories: Option<PathBuf>,
    /// Language of the interview [default: FTDESK_LANG, then config.toml, then the locale, then en].
    #[arg(long, value_enum)]
    pub lang: Option<PracticeLangArg>,
    /// coach names the principle; realistic hides it (5 follow-ups); bar-raiser asks up to 7
    /// and wants every part of the story.
    #[arg(long, value_enum, default_value_t = ModeArg::Realistic)]
    pub mode: ModeArg,
    /// Principles to ask about, in order (ids such as customer-obsession,ownership).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub principles: Vec<String>,
    /// Save the session as JSON for `ftdesk practice report` (interactive sessions are
    /// always saved: by default under the ftdesk data folder).
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Write every answer in $VISUAL or $EDITOR instead of typing it at the prompt
    /// (on a terminal; `:e` does it for one answer).
    #[arg(long, conflicts_with = "script")]
    pub editor: bool,
}

#[derive(Debug, Args)]
pub struct PracticeReportArgs {
    /// A session saved with `ftdesk practice interview --save`.
    pub session: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PracticeFormatArg::Text)]
    pub format: PracticeFormatArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PracticeLangArg {
    En,
    Ko,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    Coach,
    Realistic,
    BarRaiser,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PracticeFormatArg {
    Text,
    Html,
}

/// Asked when `--principles` is not given: the principles most often tested at associate level.
const DEFAULT_PRINCIPLES: [&str; 6] = [
    "customer-obsession",
    "ownership",
    "bias-for-action",
    "earn-trust",
    "dive-deep",
    "deliver-results",
];

impl InterviewArgs {
    /// The principles `--principles` names, else the default six.
    pub fn chosen_principles(&self) -> anyhow::Result<Vec<&'static ftdesk_practice::Principle>> {
        use anyhow::Context as _;
        let bank = ftdesk_practice::bank();
        if self.principles.is_empty() {
            return Ok(DEFAULT_PRINCIPLES
                .iter()
                .filter_map(|id| bank.principle(id))
                .collect());
        }
        self.principles
            .iter()
            .map(|id| {
                bank.principle(id.trim()).with_context(|| {
                    let known: Vec<&str> = bank.principles.iter().map(|p| p.id.as_str()).collect();
                    format!("unknown principle `{id}`; known: {}", known.join(", "))
                })
            })
            .collect()
    }
}

impl InterviewArgs {
    /// `--lang`, else FTDESK_LANG, config.toml, the locale, English.
    pub fn lang_or(&self, env: &crate::env::Env) -> ftdesk_practice::Lang {
        self.lang.map_or_else(|| env.lang(None), Into::into)
    }
}

impl From<PracticeLangArg> for ftdesk_practice::Lang {
    fn from(arg: PracticeLangArg) -> Self {
        match arg {
            PracticeLangArg::En => ftdesk_practice::Lang::En,
            PracticeLangArg::Ko => ftdesk_practice::Lang::Ko,
        }
    }
}

impl From<ModeArg> for ftdesk_practice::Mode {
    fn from(arg: ModeArg) -> Self {
        match arg {
            ModeArg::Coach => ftdesk_practice::Mode::Coach,
            ModeArg::Realistic => ftdesk_practice::Mode::Realistic,
            ModeArg::BarRaiser => ftdesk_practice::Mode::BarRaiser,
        }
    }
}
