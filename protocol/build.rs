//! Teaches utoipa (only used with the `openapi` feature) that the id aliases are UUIDs,
//! so `#[derive(ToSchema)]` works on fields typed `UserId`, `ChannelId`, etc.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_OPENAPI").is_some() {
        utoipa_config::Config::new()
            .alias_for("UserId", "uuid::Uuid")
            .alias_for("ChannelId", "uuid::Uuid")
            .alias_for("MessageId", "uuid::Uuid")
            .alias_for("AttachmentId", "uuid::Uuid")
            .alias_for("MeetingId", "uuid::Uuid")
            .alias_for("ParticipantId", "uuid::Uuid")
            .alias_for("RecordingId", "uuid::Uuid")
            .alias_for("BoardId", "uuid::Uuid")
            .alias_for("ElementId", "uuid::Uuid")
            .alias_for("PageId", "uuid::Uuid")
            .alias_for("BoardRev", "i64")
            .alias_for("ResponseItemId", "uuid::Uuid")
            .alias_for("ActionItemId", "uuid::Uuid")
            .alias_for("ProposalId", "uuid::Uuid")
            .alias_for("ScheduledMeetingId", "uuid::Uuid")
            .write_to_file();
    }
}
