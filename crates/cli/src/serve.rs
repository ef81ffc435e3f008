//! `mailward serve`: configuration from the file, the environment and the options, then
//! `mailward_server::serve_blocking` until Ctrl-C or SIGTERM.

use anyhow::Result;

use crate::cli::ServeArgs;

pub fn run(args: &ServeArgs) -> Result<u8> {
    let mut config = mailward_server::Config::load(args.config.as_deref(), std::env::vars())?;
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(dir) = &args.data_dir {
        config.data_dir = dir.clone();
    }
    if let Some(addr) = args.journal_listen {
        config.journal.listen = Some(addr);
    }
    if args.dev_cert {
        if config.tls.cert.is_some() {
            anyhow::bail!("--dev-cert and tls.cert/tls.key exclude each other: choose one");
        }
        config.tls.dev_cert = true;
    }
    mailward_server::serve_blocking(config)?;
    Ok(0)
}
