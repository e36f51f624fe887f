//! Ballista: the same reports on an Apache DataFusion Ballista cluster (`df://HOST:PORT`).
//! Compiled only with the `cluster` feature so that the default build stays lean.

use ballista::prelude::SessionContextExt;
use datafusion::prelude::SessionContext;

use crate::error::{FlowsError, Result};

/// Connects to a Ballista scheduler at `df://HOST:PORT`.
pub async fn connect(url: &str) -> Result<SessionContext> {
    if !url.starts_with("df://") {
        return Err(FlowsError::argument(
            "--cluster",
            format!("{url:?}: expected df://HOST:PORT"),
        ));
    }
    Ok(SessionContext::remote(url).await?)
}

/// Starts a scheduler and an executor inside this process on 127.0.0.1 (for tests and
/// single-machine trials) and returns a session connected to them.
pub async fn standalone() -> Result<SessionContext> {
    Ok(SessionContext::standalone().await?)
}
