//! The `user_schedules` table: each person's `WorkSchedule` as JSON. No row means the
//! default (Monday to Friday, 09:00–17:00). The profile's time zone is the one truth
//! for the zone: reads always carry it, so the two cannot disagree.

use std::collections::HashMap;

use sqlx::{AnyConnection, AnyExecutor};
use tandem_protocol::working_hours::WorkSchedule;
use tandem_protocol::{Timestamp, UserId};

/// Builds the working hours from the profile zone and the stored JSON (if any). A row that
/// no longer parses (written by another version) falls back to the default rather
/// than failing every request that needs this person's hours.
fn assemble(user_id: &str, time_zone: &str, stored: Option<&str>) -> WorkSchedule {
    let parsed = stored.and_then(|json| match serde_json::from_str::<WorkSchedule>(json) {
        Ok(hours) => Some(hours),
        Err(err) => {
            tracing::warn!(%user_id, error = %err, "unreadable working hours; using the default");
            None
        }
    });
    match parsed {
        Some(mut hours) => {
            hours.time_zone = time_zone.to_string();
            hours
        }
        None => WorkSchedule::default_for(time_zone),
    }
}

/// The person's working hours (the default for an unknown id, in UTC).
pub async fn get(db: impl AnyExecutor<'_>, user_id: UserId) -> Result<WorkSchedule, sqlx::Error> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT u.time_zone, s.schedule FROM users u
         LEFT JOIN user_schedules s ON s.user_id = u.id WHERE u.id = $1",
    )
    .bind(user_id.to_string())
    .fetch_optional(db)
    .await?;
    let id = user_id.to_string();
    Ok(match row {
        Some((zone, stored)) => assemble(&id, &zone, stored.as_deref()),
        None => WorkSchedule::default_for("UTC"),
    })
}

/// Working hours of several people (one query). Unknown ids are left out.
pub async fn get_many(
    db: impl AnyExecutor<'_>,
    user_ids: &[UserId],
) -> Result<HashMap<UserId, WorkSchedule>, sqlx::Error> {
    if user_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let placeholders = super::placeholders(1, user_ids.len());
    let sql = format!(
        "SELECT u.id, u.time_zone, s.schedule FROM users u
         LEFT JOIN user_schedules s ON s.user_id = u.id WHERE u.id IN ({placeholders})"
    );
    let mut query = sqlx::query_as::<_, (String, String, Option<String>)>(&sql);
    for id in user_ids {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(db).await?;
    rows.into_iter()
        .map(|(id, zone, stored)| {
            let hours = assemble(&id, &zone, stored.as_deref());
            Ok((super::uuid(&id)?, hours))
        })
        .collect()
}

/// Stores the working hours (the caller validated them and keeps the profile zone equal).
pub async fn put(
    db: impl AnyExecutor<'_>,
    user_id: UserId,
    hours: &WorkSchedule,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(hours).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO user_schedules (user_id, schedule, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET schedule = excluded.schedule,
                                             updated_at = excluded.updated_at",
    )
    .bind(user_id.to_string())
    .bind(json)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// The profile's zone changed: stored working hours follow it (they stay wall-clock
/// hours in the new zone). Done in Rust rather than with SQLite's JSON functions, to
/// keep the SQL portable.
pub async fn set_time_zone(
    conn: &mut AnyConnection,
    user_id: UserId,
    time_zone: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    let stored: Option<(String,)> =
        sqlx::query_as("SELECT schedule FROM user_schedules WHERE user_id = $1")
            .bind(user_id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let Some((json,)) = stored else {
        return Ok(());
    };
    let mut hours = assemble(&user_id.to_string(), time_zone, Some(&json));
    hours.time_zone = time_zone.to_string();
    put(&mut *conn, user_id, &hours, now).await
}
