//! `dualtrace serve`: the HTTP API and dashboard over the list store (crate `dualtrace-server`).

use anyhow::{Context, Result};
use clap::Args;
use dualtrace_lists::store::Store;
use dualtrace_server::auth::ApiKeys;
use dualtrace_server::state::Limits;
use dualtrace_server::{ServerConfig, check_bind};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on. A non-loopback address requires --api-key-file.
    #[arg(long, default_value = "127.0.0.1:8000")]
    pub bind: SocketAddr,
    /// A file of SHA-256 hex digests of the accepted API keys, one per line
    /// (`printf %s "$KEY" | sha256sum >> keys.txt`). Clients send `Authorization: Bearer KEY`.
    #[arg(long, env = "DUALTRACE_API_KEY_FILE")]
    pub api_key_file: Option<PathBuf>,
    /// Seconds between checks of the store for new list versions (also on SIGHUP).
    #[arg(long, default_value_t = 30)]
    pub reload_interval: u64,
    /// Allow this origin by CORS (repeat the flag); CORS is off without it.
    #[arg(long = "cors-origin")]
    pub cors_origins: Vec<String>,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Most queries in one /match or /reconcile batch.
    #[arg(long, default_value_t = 100)]
    pub max_batch: usize,
    /// Seconds before a request is answered with a timeout error.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
}

pub fn run(store: Store, args: ServeArgs) -> Result<()> {
    let keys = args
        .api_key_file
        .as_deref()
        .map(ApiKeys::load)
        .transpose()?;
    check_bind(args.bind, keys.as_ref())?;
    let config = ServerConfig {
        bind: args.bind,
        keys,
        reload_interval: Duration::from_secs(args.reload_interval.max(1)),
        limits: Limits {
            body_bytes: args.max_body_bytes,
            batch: args.max_batch,
            timeout: Duration::from_secs(args.timeout.max(1)),
            ..Limits::default()
        },
        cors_origins: args.cors_origins,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(dualtrace_server::serve(store, config))?;
    Ok(())
}
