//! Ballista: the same reports on an Apache DataFusion Ballista cluster (`df://HOST:PORT`).
//! Compiled only with the `cluster` feature so that the default build stays lean.
//!
//! The client plans each query here and sends it to the scheduler, whose executors read the
//! Parquet files themselves: they must see the dataset at the same absolute path as this
//! process (a shared or copied directory). [`standalone`] starts a scheduler and an executor
//! inside this process, bound to loopback (`localhost:0`), for tests and single-machine trials.

use std::time::Duration;

use ballista::prelude::SessionContextExt;
use datafusion::prelude::SessionContext;

use crate::error::{FlowsError, Result};

/// How long to wait for the scheduler's TCP port before giving up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects to a Ballista scheduler at `df://HOST:PORT`, after checking that something
/// listens there (Ballista itself would only fail at the first query, with a transport dump).
pub async fn connect(url: &str) -> Result<SessionContext> {
    let address = scheduler_address(url)?;
    probe(url, &address).await?;
    Ok(SessionContext::remote(url).await?)
}

/// Starts a scheduler and an executor inside this process on loopback and returns a session
/// connected to them. They run on the caller's tokio runtime and stop with it.
pub async fn standalone() -> Result<SessionContext> {
    Ok(SessionContext::standalone().await?)
}

/// `HOST:PORT` of a `df://HOST:PORT` address, or an argument error.
fn scheduler_address(url: &str) -> Result<String> {
    let invalid = || FlowsError::argument("--cluster", format!("{url:?}: expected df://HOST:PORT"));
    let address = url.strip_prefix("df://").ok_or_else(invalid)?;
    let (host, port) = address.rsplit_once(':').ok_or_else(invalid)?;
    if host.is_empty() || port.parse::<u16>().is_err() {
        return Err(invalid());
    }
    Ok(address.to_string())
}

/// Opens (and drops) a TCP connection to the scheduler.
async fn probe(url: &str, address: &str) -> Result<()> {
    let unreachable = |reason| FlowsError::Cluster {
        url: url.to_string(),
        reason,
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(address)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(unreachable(e)),
        Err(_) => Err(unreachable(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn addresses_need_the_df_scheme_a_host_and_a_port() {
        assert_eq!(
            scheduler_address("df://127.0.0.1:50050").unwrap(),
            "127.0.0.1:50050"
        );
        assert_eq!(scheduler_address("df://[::1]:7").unwrap(), "[::1]:7");
        for bad in [
            "127.0.0.1:50050",
            "http://127.0.0.1:50050",
            "df://127.0.0.1",
            "df://:50050",
            "df://host:port",
            "df://host:70000",
        ] {
            let e = scheduler_address(bad).unwrap_err().to_string();
            assert!(
                e.contains("--cluster") && e.contains("df://HOST:PORT"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn an_address_where_nothing_listens_is_a_clear_error() {
        // Bind a loopback port, then free it: nothing listens there afterwards.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("df://127.0.0.1:{port}");
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let Err(e) = runtime.block_on(connect(&url)) else {
            panic!("connected to {url}, where nothing listens");
        };
        assert!(matches!(e, FlowsError::Cluster { .. }), "{e:?}");
        // The reason is in the message, not chained again below it by the CLI.
        assert!(std::error::Error::source(&e).is_none());
        assert!(
            e.to_string()
                .starts_with(&format!("no Ballista scheduler at {url}: ")),
            "{e}"
        );
    }
}
