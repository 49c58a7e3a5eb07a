//! What server processes sharing one Postgres database know of each other: heartbeats,
//! who holds which live room, and oversized bus messages. Postgres only (SQLite is one
//! process); times are the database's clock, so the processes' clocks need not agree.

use uuid::Uuid;

use super::Db;

/// The database's "now" in unix milliseconds.
const NOW_MS: &str = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";

/// Records that `node` (reached at `url`) is alive now.
pub async fn heartbeat(db: &Db, node: Uuid, url: &str) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO cluster_nodes (node_id, url, seen_at) VALUES ($1, $2, {NOW_MS})
         ON CONFLICT (node_id) DO UPDATE SET seen_at = excluded.seen_at, url = excluded.url"
    );
    sqlx::query(&sql)
        .bind(node.to_string())
        .bind(url)
        .execute(db)
        .await?;
    Ok(())
}

/// Where a live node is reached.
pub async fn url_of(db: &Db, node: Uuid, timeout_ms: i64) -> Result<Option<String>, sqlx::Error> {
    let sql =
        format!("SELECT url FROM cluster_nodes WHERE node_id = $1 AND seen_at > {NOW_MS} - $2");
    let row: Option<(String,)> = sqlx::query_as(&sql)
        .bind(node.to_string())
        .bind(timeout_ms)
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(url,)| url))
}

/// The nodes seen within the last `timeout_ms`.
pub async fn live_nodes(db: &Db, timeout_ms: i64) -> Result<Vec<Uuid>, sqlx::Error> {
    let sql = format!("SELECT node_id FROM cluster_nodes WHERE seen_at > {NOW_MS} - $1");
    let rows: Vec<(String,)> = sqlx::query_as(&sql).bind(timeout_ms).fetch_all(db).await?;
    rows.iter().map(|(id,)| super::uuid(id)).collect()
}

/// Forgets nodes gone for long, the rooms they held, and old spilled messages.
pub async fn prune(db: &Db, node_gone_ms: i64, spill_ms: i64) -> Result<(), sqlx::Error> {
    let nodes = format!("DELETE FROM cluster_nodes WHERE seen_at < {NOW_MS} - $1");
    sqlx::query(&nodes).bind(node_gone_ms).execute(db).await?;
    sqlx::query("DELETE FROM live_owners WHERE node_id NOT IN (SELECT node_id FROM cluster_nodes)")
        .execute(db)
        .await?;
    let spill = format!("DELETE FROM bus_spill WHERE created_at < {NOW_MS} - $1");
    sqlx::query(&spill).bind(spill_ms).execute(db).await?;
    Ok(())
}

/// The live node holding `resource`'s room: `node` itself if nobody alive (seen within
/// `timeout_ms`) holds it. One statement, so two nodes claiming at once agree.
pub async fn claim(
    db: &Db,
    resource: &str,
    node: Uuid,
    timeout_ms: i64,
) -> Result<Uuid, sqlx::Error> {
    let sql = format!(
        "INSERT INTO live_owners (resource, node_id) VALUES ($1, $2)
         ON CONFLICT (resource) DO UPDATE SET node_id = excluded.node_id
         WHERE live_owners.node_id NOT IN
             (SELECT node_id FROM cluster_nodes WHERE seen_at > {NOW_MS} - $3)
         RETURNING node_id"
    );
    let claimed: Option<(String,)> = sqlx::query_as(&sql)
        .bind(resource)
        .bind(node.to_string())
        .bind(timeout_ms)
        .fetch_optional(db)
        .await?;
    if let Some((owner,)) = claimed {
        return super::uuid(&owner);
    }
    // A live node holds it: whoever that is now.
    let (owner,): (String,) = sqlx::query_as("SELECT node_id FROM live_owners WHERE resource = $1")
        .bind(resource)
        .fetch_one(db)
        .await?;
    super::uuid(&owner)
}

/// The resources a node held (for a survivor to take over what a dead node held).
pub async fn held_by(db: &Db, node: Uuid, prefix: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT resource FROM live_owners WHERE node_id = $1 AND resource LIKE $2")
            .bind(node.to_string())
            .bind(format!("{prefix}%"))
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(r,)| r).collect())
}

/// Keeps a bus message too large to notify; the notification carries the returned id.
pub async fn spill(db: &Db, body: &str) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    let sql = format!("INSERT INTO bus_spill (id, body, created_at) VALUES ($1, $2, {NOW_MS})");
    sqlx::query(&sql)
        .bind(id.to_string())
        .bind(body)
        .execute(db)
        .await?;
    Ok(id)
}

pub async fn spilled(db: &Db, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT body FROM bus_spill WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db)
        .await?;
    Ok(row.map(|(body,)| body))
}
