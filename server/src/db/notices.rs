//! What one server instance tells the others on the same PostgreSQL database: a diagram got a
//! new revision, was deleted, or someone's access changed. Each instance sends these with
//! `NOTIFY` and listens for the others' (`LISTEN`), so the live channel's clients on every
//! instance hear of every commit. A notice carries only ids and a revision: the instance that
//! receives it reads the change from history, as a reconnecting client would.
//!
//! A commit's notice is sent in its transaction, so it goes out when (and only if) the commit
//! does, in commit order. On SQLite there is one instance, and nothing to send.
//!
//! Notices lost while the listening connection is down (it reconnects by itself) are made up
//! for by the clients: a connection that sees a revision after a gap reads the gap from history,
//! and every connection checks its access again every little while.

use model::Uuid;
use sqlx::PgPool;
use sqlx::postgres::PgListener;

use super::backend::{Conn, on};
use super::{Db, StartError, StoreError};
use crate::live::{Change, Commit};

/// The channel every instance listens on.
const CHANNEL: &str = "tablewright";

/// What happened, as a notice names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// Diagram, revision.
    Commit(Uuid, i64),
    Gone(Uuid),
    /// Access to a diagram (every diagram: `None`) may have changed.
    Recheck(Option<Uuid>),
}

impl Notice {
    /// The payload: `<instance> <kind> <diagram or -> [revision]`.
    fn payload(self, instance: Uuid) -> String {
        match self {
            Notice::Commit(id, revision) => format!("{instance} commit {id} {revision}"),
            Notice::Gone(id) => format!("{instance} gone {id}"),
            Notice::Recheck(Some(id)) => format!("{instance} recheck {id}"),
            Notice::Recheck(None) => format!("{instance} recheck -"),
        }
    }

    /// The notice in `payload` and the instance that sent it.
    fn parse(payload: &str) -> Option<(Uuid, Notice)> {
        let mut words = payload.split(' ');
        let instance = words.next()?.parse().ok()?;
        let kind = words.next()?;
        let diagram = words.next()?;
        let notice = match kind {
            "commit" => Notice::Commit(diagram.parse().ok()?, words.next()?.parse().ok()?),
            "gone" => Notice::Gone(diagram.parse().ok()?),
            "recheck" if diagram == "-" => Notice::Recheck(None),
            "recheck" => Notice::Recheck(Some(diagram.parse().ok()?)),
            _ => return None,
        };
        Some((instance, notice))
    }
}

/// Sends `notice` to the other instances as part of the transaction on `conn`.
pub async fn send_in(db: &Db, mut conn: Conn<'_>, notice: Notice) -> Result<(), StoreError> {
    if let Conn::Postgres(_) = conn {
        let payload = notice.payload(db.instance);
        on!(conn, |c| sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(&payload)
            .execute(&mut *c)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// Sends `notice` to the other instances now. What is told this way is also found out without
/// it (see the module's comment), so a failure is logged, not returned.
pub async fn send(db: &Db, notice: Notice) {
    if db.backend() == super::Backend::Sqlite {
        return;
    }
    let sent = async { send_in(db, db.conn().await?.conn(), notice).await };
    if let Err(error) = sent.await {
        tracing::warn!(%error, ?notice, "could not tell the other instances");
    }
}

impl Db {
    /// Asks the live connections to diagram `id` (every diagram: `None`), on every instance, to
    /// check their access again.
    pub async fn recheck(&self, diagram: Option<Uuid>) {
        self.hub.recheck(diagram);
        send(self, Notice::Recheck(diagram)).await;
    }
}

/// Starts listening for the other instances' notices (the first connection is made here, so a
/// database that cannot listen is a startup error).
pub async fn listen(db: Db, pool: PgPool) -> Result<(), StartError> {
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen(CHANNEL).await?;
    tokio::spawn(async move {
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    if let Some((from, notice)) = Notice::parse(notification.payload())
                        && from != db.instance
                    {
                        heard(&db, notice).await;
                    }
                }
                // The connection was lost; the next call connects again.
                Ok(None) => tracing::warn!("listening for other instances: reconnecting"),
                Err(sqlx::Error::PoolClosed) => return,
                Err(error) => {
                    tracing::warn!(%error, "listening for other instances");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(())
}

/// Passes another instance's notice on to this instance's live connections.
async fn heard(db: &Db, notice: Notice) {
    match notice {
        Notice::Commit(id, revision) => {
            if db.hub.connections(id) == 0 {
                return;
            }
            if let Err(error) = pass_commit(db, id, revision).await {
                tracing::warn!(%error, %id, revision, "reading another instance's commit");
            }
        }
        Notice::Gone(id) => {
            db.live.forget(id);
            db.hub.gone(id);
        }
        Notice::Recheck(diagram) => db.hub.recheck(diagram),
    }
}

/// Reads revision `revision` of diagram `id` from history and sends it to the connections here.
async fn pass_commit(db: &Db, id: Uuid, revision: i64) -> Result<(), StoreError> {
    let Some((kind, recorded)) = super::history::recorded_at(db, id, revision).await? else {
        return Ok(());
    };
    let commit = if kind == "ops" {
        let change = Change::Ops(recorded.body.into());
        Commit::new(revision, recorded.author, recorded.key, change)
    } else {
        // A whole new document: the connections take the current one.
        let (json, at) = super::diagrams::current_json(db, id).await?;
        Commit::new(at, recorded.author, None, Change::Document(json))
    };
    db.hub.commit(id, commit);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_back_as_sent() {
        let instance = Uuid::new_v4();
        let diagram = Uuid::new_v4();
        for notice in [
            Notice::Commit(diagram, 42),
            Notice::Gone(diagram),
            Notice::Recheck(Some(diagram)),
            Notice::Recheck(None),
        ] {
            assert_eq!(
                Notice::parse(&notice.payload(instance)),
                Some((instance, notice))
            );
        }
        assert_eq!(Notice::parse("nonsense"), None);
        assert_eq!(Notice::parse(&format!("{instance} commit {diagram}")), None);
    }
}
