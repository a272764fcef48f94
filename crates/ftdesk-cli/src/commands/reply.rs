//! `ftdesk reply`: a customer's message and billing data in, a draft reply out.

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use ftdesk_app::{describe_inquiry, Drafted, ReplyRequest, Scope};
use ftdesk_core::Catalog;
use ftdesk_render::escape_html;
use ftdesk_reply::{eml, Inquiry, Lang};

use crate::args::{ReplyArgs, ReplyFormatArg, ReplyLangArg};
use crate::env::Env;
use crate::output;

pub fn run(args: ReplyArgs, env: &Env) -> anyhow::Result<ExitCode> {
    let request = ReplyRequest {
        inquiry: read_inquiry(&args.inquiry)?,
        inquiry_path: args.inquiry.clone(),
        paths: args.paths.clone(),
        scope: Scope {
            month: args.month,
            plan: args.plan.map(Into::into).or(env.config.plan),
            account_created: args.account_created.or(env.config.account_created),
            account: args.account.clone(),
            // Free Tier API output alone has no billing month: it is this one.
            now: Some(env.clock.now()),
        },
        lang: match args.lang {
            ReplyLangArg::Auto => None,
            ReplyLangArg::En => Some(Lang::En),
            ReplyLangArg::Ko => Some(Lang::Ko),
        },
        templates: args
            .templates
            .clone()
            .or_else(|| env.settings.reply_templates()),
        settle_month: false,
        limits: Default::default(),
        aws: env.aws(&args.aws),
    };
    let drafted = ftdesk_app::draft_reply(&Catalog::embedded(), request, &env.settings)?;
    output::tell(&drafted.notes);
    emit(&args, &drafted, env)?;
    Ok(ExitCode::SUCCESS)
}

fn read_inquiry(path: &Path) -> anyhow::Result<Inquiry> {
    let bytes = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("reading the inquiry from standard input")?;
        bytes
    } else {
        std::fs::read(path).with_context(|| format!("reading the inquiry {}", path.display()))?
    };
    Inquiry::parse(&bytes).with_context(|| format!("inquiry {}", describe_inquiry(path)))
}

fn emit(args: &ReplyArgs, drafted: &Drafted, env: &Env) -> anyhow::Result<()> {
    let (reply, out) = (&drafted.reply, args.out.as_deref());
    match args.format {
        ReplyFormatArg::Text => {
            let mut text = reply.text.clone();
            if args.with_notes {
                text.push_str(&format!("\n{}\n\n{}", "-".repeat(72), reply.notes));
            }
            output::write(out, &text)
        }
        ReplyFormatArg::Html => {
            let mut html = reply.html.clone();
            if args.with_notes {
                let notes = format!("<hr>\n<pre>{}</pre>\n</body>", escape_html(&reply.notes));
                html = html.replacen("</body>", &notes, 1);
            }
            output::write(out, &html)
        }
        ReplyFormatArg::Eml => {
            let now = env.clock.now().unix();
            let bytes = eml::render(reply, &drafted.inquiry, &eml::Sender::default(), now)?;
            let text = String::from_utf8(bytes).context("the .eml is 7-bit text")?;
            if args.with_notes {
                eprintln!("{}", reply.notes);
            }
            if text.is_empty() {
                bail!("the .eml message came out empty");
            }
            output::write(out, &text)
        }
    }
}
