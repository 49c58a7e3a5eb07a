//! REST request and response bodies, with the input limits both sides enforce.
//! The server validates at its boundary with these functions; the app calls the same
//! ones to show a hint before a request is even sent.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{ApiError, ErrorCode, Timestamp, UserId};

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 256;
pub const MAX_DISPLAY_NAME_CHARS: usize = 64;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_STATUS_CHARS: usize = 140;
pub const MAX_WORKSPACE_NAME_CHARS: usize = 64;
/// Invite links live between one hour and thirty days.
pub const MAX_INVITE_HOURS: u32 = 24 * 30;
/// A setup code longer than this is not one (bounds the work of comparing it).
pub const MAX_SETUP_CODE_CHARS: usize = 128;
/// An invite made without `expires_in_hours` works for a week.
pub const DEFAULT_INVITE_HOURS: u32 = 24 * 7;
/// How many sign-ups one invite may admit (open sign-up is the setting for "anyone").
pub const MAX_INVITE_USES: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthResponse {
    pub status: String,
    /// The server's crate version.
    pub version: String,
    pub protocol_version: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Member,
    /// Joined one meeting through a guest link: may use that meeting (and its chat)
    /// and nothing else; the account ends with the meeting.
    Guest,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// A short free-text status ("On holiday until Monday"); empty when unset.
    pub status_text: String,
    /// IANA time-zone name ("Europe/Lisbon"); the app shows the person's local time.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    pub created_at: Timestamp,
}

pub fn default_time_zone() -> String {
    "UTC".to_owned()
}

/// `PATCH /api/users/me`: a partial update of one's own profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateProfileRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// An IANA time-zone name; the server refuses names it does not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupRequest {
    pub display_name: String,
    pub email: String,
    pub password: String,
    /// Required unless this is the first account or the admin opened sign-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_token: Option<String>,
    /// The browser's IANA time zone; UTC when absent or unknown to the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// The one-time code a brand-new server prints on its console. Required for the
    /// very first account (so whoever reaches a fresh install first cannot take it
    /// over); ignored once any account exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// What the sign-up page needs to know before anyone is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupPolicy {
    /// No account exists yet: whoever signs up now becomes the workspace admin.
    pub first_account: bool,
    /// Anyone may sign up without an invite.
    pub open_signup: bool,
    pub workspace_name: String,
    /// The first sign-up must send the setup code printed on the server's console.
    #[serde(default)]
    pub needs_setup_code: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkspaceSettings {
    pub name: String,
    pub open_signup: bool,
    /// Recordings older than this many days are deleted by the server; `None` keeps
    /// them forever (the default).
    #[serde(default)]
    pub recording_retention_days: Option<u32>,
    /// Response targets per urgency tier.
    #[serde(default)]
    pub sla: crate::urgency::SlaTargets,
}

/// A partial update: absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateWorkspaceSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_signup: Option<bool>,
    /// `Some(None)` (JSON `null`) turns retention off; absent leaves it unchanged.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    pub recording_retention_days: Option<Option<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<crate::urgency::SlaTargets>,
}

/// Tells "absent" (leave as is) from `null` (clear) in partial updates.
mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Option<u32>>, s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
        Option::<u32>::deserialize(d).map(Some)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateInviteRequest {
    /// How long the link works, in hours (1 ..= MAX_INVITE_HOURS; default a week).
    #[serde(default = "default_invite_hours")]
    pub expires_in_hours: u32,
    /// How many sign-ups it admits (1 ..= MAX_INVITE_USES; default 1: single use).
    #[serde(default = "default_invite_uses")]
    pub max_uses: u32,
}

fn default_invite_hours() -> u32 {
    DEFAULT_INVITE_HOURS
}

fn default_invite_uses() -> u32 {
    1
}

impl Default for CreateInviteRequest {
    fn default() -> Self {
        Self {
            expires_in_hours: DEFAULT_INVITE_HOURS,
            max_uses: 1,
        }
    }
}

/// An invite as lists show it. The secret is never in here: the server keeps only its
/// SHA-256 and shows it once, in [`CreatedInvite`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    pub id: Uuid,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// Sign-ups it admits in all.
    pub max_uses: u32,
    /// Sign-ups it has admitted so far; at `max_uses` it is used up.
    pub uses: u32,
    pub revoked: bool,
}

/// The answer to creating an invite: the only time its secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedInvite {
    #[serde(flatten)]
    pub invite: Invite,
    /// The secret that goes into the join link (`/join/<token>`).
    pub token: String,
}

/// One signed-in device or browser of the current user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub id: Uuid,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub user_agent: String,
    /// The session this request was made with.
    pub current: bool,
}

/// A WebRTC ICE server as `RTCPeerConnection` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IceServer {
    pub urls: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IceServersResponse {
    pub ice_servers: Vec<IceServer>,
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Validation, message).with_field(field)
}

fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// Characters that change how text around them is displayed without being visible:
/// bidi embeddings, overrides, isolates and marks (which can make "Ana\u{202E}nimda"
/// render as another name) and zero-width characters (which make two names that look
/// the same compare different).
fn is_invisible_in_names(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
    )
}

/// The display name as it is stored and shown: invisible formatting characters
/// removed, then trimmed, then checked. Sign-up and profile updates both go through
/// here, so what one person sees is what everyone sees.
pub fn normalize_display_name(name: &str) -> Result<String, ApiError> {
    let cleaned: String = name
        .chars()
        .filter(|c| !is_invisible_in_names(*c))
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        return Err(invalid("display_name", "Please enter your name."));
    }
    if char_count(trimmed) > MAX_DISPLAY_NAME_CHARS {
        return Err(invalid(
            "display_name",
            format!("Names can be at most {MAX_DISPLAY_NAME_CHARS} characters."),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(invalid(
            "display_name",
            "Names cannot contain control characters.",
        ));
    }
    Ok(trimmed.to_string())
}

pub fn validate_display_name(name: &str) -> Result<(), ApiError> {
    normalize_display_name(name).map(drop)
}

/// A deliberately loose check: one `@` with something on both sides and a dot in the
/// domain. Real verification is a mail round-trip, which the invite link stands in for.
pub fn validate_email(email: &str) -> Result<(), ApiError> {
    let email = email.trim();
    let ok = char_count(email) <= MAX_EMAIL_CHARS
        && !email.chars().any(char::is_whitespace)
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
    if ok {
        Ok(())
    } else {
        Err(invalid("email", "Please enter a valid email address."))
    }
}

pub fn validate_password(password: &str) -> Result<(), ApiError> {
    let n = char_count(password);
    if n < MIN_PASSWORD_CHARS {
        return Err(invalid(
            "password",
            format!("Passwords need at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(invalid(
            "password",
            format!("Passwords can be at most {MAX_PASSWORD_CHARS} characters."),
        ));
    }
    Ok(())
}

pub fn validate_status_text(text: &str) -> Result<(), ApiError> {
    crate::chat::refuse_nul("status_text", text)?;
    if char_count(text.trim()) > MAX_STATUS_CHARS {
        return Err(invalid(
            "status_text",
            format!("A status can be at most {MAX_STATUS_CHARS} characters."),
        ));
    }
    Ok(())
}

pub fn validate_workspace_name(name: &str) -> Result<(), ApiError> {
    let n = char_count(name.trim());
    if n == 0 || n > MAX_WORKSPACE_NAME_CHARS {
        return Err(invalid(
            "name",
            format!("A workspace name needs 1 to {MAX_WORKSPACE_NAME_CHARS} characters."),
        ));
    }
    Ok(())
}

impl SignupRequest {
    pub fn validate(&self) -> Result<(), ApiError> {
        validate_display_name(&self.display_name)?;
        validate_email(&self.email)?;
        validate_password(&self.password)?;
        match &self.setup_code {
            Some(code) if char_count(code) > MAX_SETUP_CODE_CHARS => {
                Err(invalid("setup_code", "That is not a setup code."))
            }
            _ => Ok(()),
        }
    }
}

impl CreateInviteRequest {
    pub fn validate(&self) -> Result<(), ApiError> {
        if !(1..=MAX_INVITE_HOURS).contains(&self.expires_in_hours) {
            return Err(invalid(
                "expires_in_hours",
                format!("An invite must last between 1 and {MAX_INVITE_HOURS} hours."),
            ));
        }
        if !(1..=MAX_INVITE_USES).contains(&self.max_uses) {
            return Err(invalid(
                "max_uses",
                format!("An invite admits between 1 and {MAX_INVITE_USES} people."),
            ));
        }
        Ok(())
    }
}

/// Emails compare case-insensitively and without surrounding blanks.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signup_round_trips_and_omits_absent_invite() {
        let req = SignupRequest {
            display_name: "Ana".into(),
            email: "ana@example.com".into(),
            password: "correct horse".into(),
            invite_token: None,
            time_zone: None,
            setup_code: None,
        };
        let json = serde_json::to_string(&req).unwrap();
        assert!(!json.contains("invite_token"));
        assert_eq!(serde_json::from_str::<SignupRequest>(&json).unwrap(), req);
    }

    #[test]
    fn user_round_trips() {
        let user = User {
            id: Uuid::from_u128(7),
            display_name: "Ana".into(),
            email: "ana@example.com".into(),
            role: Role::Admin,
            status_text: String::new(),
            time_zone: "Europe/Lisbon".into(),
            created_at: 1_700_000_000_000,
        };
        let json = serde_json::to_value(&user).unwrap();
        assert_eq!(json["role"], "admin");
        assert_eq!(serde_json::from_value::<User>(json).unwrap(), user);
    }

    #[test]
    fn validation_names_the_field() {
        let bad = SignupRequest {
            display_name: "Ana".into(),
            email: "not-an-email".into(),
            password: "long enough".into(),
            invite_token: None,
            time_zone: None,
            setup_code: None,
        };
        let err = bad.validate().unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation);
        assert_eq!(err.field.as_deref(), Some("email"));
        assert!(validate_password("short").is_err());
        assert!(validate_display_name("   ").is_err());
        assert!(validate_email("a@b.co").is_ok());
        assert!(validate_email("a@@b.co").is_err());
        assert!(validate_email("a@b.").is_err());
    }

    #[test]
    fn names_lose_bidi_and_zero_width_characters() {
        let tricky = "\u{200B} Ana\u{202E}nimda\u{202C}\u{2066}\u{200D}\u{FEFF}\u{061C} ";
        assert_eq!(normalize_display_name(tricky).unwrap(), "Ananimda");
        assert_eq!(
            normalize_display_name("A\u{200E}d\u{200F}a\u{2060}\u{2069}").unwrap(),
            "Ada"
        );
        // Accented and non-Latin names are kept as they are.
        assert_eq!(normalize_display_name(" Zoë 李 ").unwrap(), "Zoë 李");
        let empty = normalize_display_name("\u{202E}\u{200B} \u{FEFF}").unwrap_err();
        assert_eq!(empty.field.as_deref(), Some("display_name"));
        assert!(validate_display_name("\u{2067}\u{2069}").is_err());
    }

    #[test]
    fn invite_hours_and_uses_are_bounded() {
        let with = |expires_in_hours, max_uses| CreateInviteRequest {
            expires_in_hours,
            max_uses,
        };
        assert!(with(0, 1).validate().is_err());
        assert!(with(24, 1).validate().is_ok());
        assert!(with(MAX_INVITE_HOURS + 1, 1).validate().is_err());
        assert!(with(24, 0).validate().is_err());
        assert!(with(24, MAX_INVITE_USES).validate().is_ok());
        assert!(with(24, MAX_INVITE_USES + 1).validate().is_err());
    }

    #[test]
    fn an_empty_invite_request_is_single_use_for_a_week() {
        let request: CreateInviteRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(request, CreateInviteRequest::default());
        assert_eq!((request.expires_in_hours, request.max_uses), (24 * 7, 1));
    }

    #[test]
    fn only_a_created_invite_carries_its_secret() {
        let invite = Invite {
            id: Uuid::nil(),
            created_by: Uuid::nil(),
            created_at: 1,
            expires_at: 2,
            max_uses: 1,
            uses: 0,
            revoked: false,
        };
        let listed = serde_json::to_value(&invite).unwrap();
        assert!(listed.get("token").is_none());
        let created = CreatedInvite {
            invite,
            token: "secret".into(),
        };
        let json = serde_json::to_value(&created).unwrap();
        assert_eq!(json["token"], "secret");
        assert_eq!(json["max_uses"], 1);
        let back: CreatedInvite = serde_json::from_value(json).unwrap();
        assert_eq!(back, created);
    }

    #[test]
    fn error_body_shape() {
        let err = ApiError::new(ErrorCode::RateLimited, "Slow down");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "rate_limited", "message": "Slow down"})
        );
        assert_eq!(ErrorCode::RateLimited.http_status(), 429);
    }
}
