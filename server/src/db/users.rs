//! The `users` table.

use sqlx::{AnyConnection, AnyExecutor, FromRow};
use tandem_protocol::api::{Role, User};
use tandem_protocol::UserId;

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub status_text: String,
    pub time_zone: String,
    pub created_at: i64,
}

impl UserRow {
    pub fn to_user(&self) -> Result<User, sqlx::Error> {
        Ok(User {
            id: super::uuid(&self.id)?,
            display_name: self.display_name.clone(),
            email: self.email.clone(),
            role: match self.role.as_str() {
                "admin" => Role::Admin,
                "guest" => Role::Guest,
                _ => Role::Member,
            },
            status_text: self.status_text.clone(),
            time_zone: self.time_zone.clone(),
            created_at: self.created_at,
        })
    }
}

const COLUMNS: &str =
    "id, email, display_name, password_hash, role, status_text, time_zone, created_at";

/// Finds an *active* account by email: a deactivated one cannot sign in, and guest
/// accounts have no password (they are reached only through their guest link).
pub async fn find_by_email(
    db: impl AnyExecutor<'_>,
    email: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users
         WHERE email = $1 AND deactivated_at IS NULL AND role <> 'guest'"
    ))
    .bind(email)
    .fetch_optional(db)
    .await
}

pub async fn find_by_id(
    db: impl AnyExecutor<'_>,
    id: UserId,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(db)
        .await
}

/// Active accounts only: deactivated people vanish from the directory, and guests
/// (who belong to one meeting) are never in it.
pub async fn list(db: impl AnyExecutor<'_>) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE deactivated_at IS NULL AND role <> 'guest'
         ORDER BY created_at, id"
    ))
    .fetch_all(db)
    .await
}

pub async fn any_exist(db: impl AnyExecutor<'_>) -> Result<bool, sqlx::Error> {
    let (super::Flag(exists),): (super::Flag,) =
        sqlx::query_as("SELECT EXISTS(SELECT 1 FROM users)")
            .fetch_one(db)
            .await?;
    Ok(exists)
}

/// Whether a sign-up may proceed now: no account exists yet, sign-up is open, or the
/// invite (by the SHA-256 of its token) is usable (unexpired, unrevoked, not used up).
pub async fn signup_allowed(
    db: impl AnyExecutor<'_>,
    invite_hash: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let (super::Flag(allowed),): (super::Flag,) = sqlx::query_as(
        "SELECT NOT EXISTS(SELECT 1 FROM users)
             OR (SELECT open_signup FROM workspace_settings WHERE id = 1) = 1
             OR EXISTS(SELECT 1 FROM invites WHERE token_hash = $1 AND revoked_at IS NULL
                       AND expires_at > $2 AND uses < max_uses)",
    )
    .bind(invite_hash)
    .bind(now)
    .fetch_one(db)
    .await?;
    Ok(allowed)
}

pub struct NewUser<'a> {
    pub id: UserId,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub time_zone: &'a str,
    pub created_at: i64,
}

/// Inserts the user if sign-up is allowed *at this moment*, deciding the role in the
/// same statement: the very first account becomes admin; any later one needs open
/// sign-up or a usable invite (by the SHA-256 of its token; the caller then counts the
/// use with `invites::use_once`). Returns `false` when refused.
pub async fn insert_if_allowed(
    conn: &mut AnyConnection,
    user: &NewUser<'_>,
    invite_hash: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, status_text,
                            time_zone, created_at)
         SELECT $1, $2, $3, $4,
                CASE WHEN EXISTS(SELECT 1 FROM users) THEN 'member' ELSE 'admin' END,
                '', $7, $5
         WHERE NOT EXISTS(SELECT 1 FROM users)
            OR (SELECT open_signup FROM workspace_settings WHERE id = 1) = 1
            OR EXISTS(SELECT 1 FROM invites
                      WHERE token_hash = $6 AND revoked_at IS NULL AND expires_at > $5
                            AND uses < max_uses)",
    )
    .bind(user.id.to_string())
    .bind(user.email)
    .bind(user.display_name)
    .bind(user.password_hash)
    .bind(user.created_at)
    .bind(invite_hash)
    .bind(user.time_zone)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn set_status(
    conn: &mut AnyConnection,
    id: UserId,
    text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET status_text = $1 WHERE id = $2")
        .bind(text)
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update_profile(
    db: impl AnyExecutor<'_>,
    id: UserId,
    display_name: &str,
    time_zone: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET display_name = $1, time_zone = $2 WHERE id = $3")
        .bind(display_name)
        .bind(time_zone)
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

/// Marks the account deactivated. Returns `false` if there is no active such user.
pub async fn deactivate(
    db: impl AnyExecutor<'_>,
    id: UserId,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL",
    )
    .bind(now)
    .bind(id.to_string())
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Which of `ids` are active member accounts (guests cannot be added to channels).
pub async fn active_among(
    conn: &mut AnyConnection,
    ids: &[UserId],
) -> Result<Vec<UserId>, sqlx::Error> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let (super::Flag(active),): (super::Flag,) = sqlx::query_as(
            "SELECT EXISTS(SELECT 1 FROM users
                           WHERE id = $1 AND deactivated_at IS NULL AND role <> 'guest')",
        )
        .bind(id.to_string())
        .fetch_one(&mut *conn)
        .await?;
        if active {
            out.push(*id);
        }
    }
    Ok(out)
}

/// The channel's active members, oldest member first.
pub async fn in_channel(
    db: impl AnyExecutor<'_>,
    channel_id: uuid::Uuid,
) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.password_hash, u.role, u.status_text,
                u.time_zone, u.created_at
         FROM channel_members m JOIN users u ON u.id = m.user_id
         WHERE m.channel_id = $1 AND u.deactivated_at IS NULL
         ORDER BY m.joined_at, u.id",
    )
    .bind(channel_id.to_string())
    .fetch_all(db)
    .await
}
