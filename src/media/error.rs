//! Media errors: browser `DOMException` names mapped to an enum with messages a user
//! can act on. Pure; the glue passes in the exception's `name` and `message`.

use std::fmt;

/// What we were trying to capture when the error happened (for the wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    Camera,
    Microphone,
    CameraAndMicrophone,
    Screen,
}

impl Capture {
    fn noun(self) -> &'static str {
        match self {
            Capture::Camera => "Camera",
            Capture::Microphone => "Microphone",
            Capture::CameraAndMicrophone => "Camera and microphone",
            Capture::Screen => "Screen sharing",
        }
    }

    fn device(self) -> &'static str {
        match self {
            Capture::Camera => "camera",
            Capture::Microphone => "microphone",
            Capture::CameraAndMicrophone => "camera or microphone",
            Capture::Screen => "screen",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaError {
    /// `NotAllowedError`: the user (or a policy) denied access.
    PermissionDenied(Capture),
    /// `NotFoundError`: no such device.
    NotFound(Capture),
    /// `NotReadableError` / `TrackStartError`: the device is busy or broken.
    InUse(Capture),
    /// `OverconstrainedError`: e.g. a device id that no longer exists.
    Overconstrained {
        capture: Capture,
        constraint: String,
    },
    /// `SecurityError`, or `navigator.mediaDevices` missing (insecure origin).
    Insecure,
    /// `AbortError` (or the user cancelled the screen picker in some browsers).
    Aborted(Capture),
    /// The browser lacks an API we need (`getDisplayMedia`, `RTCPeerConnection`, …).
    NotSupported(String),
    /// The mesh is full.
    TooManyParticipants { max: usize },
    /// The operation needs local media that is not started.
    NoLocalMedia,
    /// A WebRTC call failed (negotiation, ICE, replaceTrack…).
    WebRtc(String),
    /// Anything else, with the browser's own text.
    Other { name: String, message: String },
}

impl MediaError {
    /// Maps a `DOMException` (`name`, `message`) from getUserMedia/getDisplayMedia.
    pub fn from_dom(name: &str, message: &str, capture: Capture, constraint: Option<&str>) -> Self {
        match name {
            "NotAllowedError" | "PermissionDeniedError" => MediaError::PermissionDenied(capture),
            "NotFoundError" | "DevicesNotFoundError" => MediaError::NotFound(capture),
            "NotReadableError" | "TrackStartError" => MediaError::InUse(capture),
            "OverconstrainedError" | "ConstraintNotSatisfiedError" => MediaError::Overconstrained {
                capture,
                constraint: constraint.unwrap_or_default().to_string(),
            },
            "SecurityError" => MediaError::Insecure,
            "AbortError" => MediaError::Aborted(capture),
            "NotSupportedError" => MediaError::NotSupported(message.to_string()),
            _ => MediaError::Other {
                name: name.to_string(),
                message: message.to_string(),
            },
        }
    }

    /// Whether retrying with audio only is worth it after a camera+mic request failed.
    pub fn worth_audio_only_retry(&self) -> bool {
        matches!(
            self,
            MediaError::NotFound(_)
                | MediaError::InUse(_)
                | MediaError::Overconstrained { .. }
                | MediaError::PermissionDenied(_)
                | MediaError::Aborted(_)
        )
    }

    /// A sentence for the user.
    pub fn message(&self) -> String {
        match self {
            MediaError::PermissionDenied(Capture::Screen) => {
                "Screen sharing was cancelled or blocked.".to_string()
            }
            MediaError::PermissionDenied(c) => format!(
                "{} access was denied. Allow it in your browser's site settings \
                 (the icon next to the address bar) and try again.",
                c.noun()
            ),
            MediaError::NotFound(c) => {
                format!(
                    "No {} was found. Check that it is plugged in and enabled.",
                    c.device()
                )
            }
            MediaError::InUse(c) => format!(
                "Your {} could not be started. \
                 Another application (or browser tab) may be using it.",
                c.device()
            ),
            MediaError::Overconstrained {
                capture,
                constraint,
            } if constraint.is_empty() => format!(
                "The selected {} is not available any more. Pick another one.",
                capture.device()
            ),
            MediaError::Overconstrained {
                capture,
                constraint,
            } => format!(
                "The selected {} cannot satisfy the requested settings ({constraint}).",
                capture.device()
            ),
            MediaError::Insecure => {
                "Camera and microphone need a secure (https) connection.".to_string()
            }
            MediaError::Aborted(c) => format!("{} was interrupted. Try again.", c.noun()),
            MediaError::NotSupported(what) => {
                format!("Your browser does not support this feature ({what}).")
            }
            MediaError::TooManyParticipants { max } => {
                format!("This call is full: at most {max} participants can join.")
            }
            MediaError::NoLocalMedia => "Start your camera or microphone first.".to_string(),
            MediaError::WebRtc(msg) => format!("The call connection had a problem: {msg}"),
            MediaError::Other { name, message } if message.is_empty() => {
                format!("Media error ({name}).")
            }
            MediaError::Other { name, message } => format!("Media error ({name}): {message}"),
        }
    }
}

impl fmt::Display for MediaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for MediaError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_dom_names() {
        assert_eq!(
            MediaError::from_dom("NotAllowedError", "", Capture::Camera, None),
            MediaError::PermissionDenied(Capture::Camera)
        );
        assert_eq!(
            MediaError::from_dom("NotFoundError", "", Capture::Microphone, None),
            MediaError::NotFound(Capture::Microphone)
        );
        assert_eq!(
            MediaError::from_dom("NotReadableError", "", Capture::Camera, None),
            MediaError::InUse(Capture::Camera)
        );
        assert_eq!(
            MediaError::from_dom(
                "OverconstrainedError",
                "",
                Capture::Camera,
                Some("deviceId")
            ),
            MediaError::Overconstrained {
                capture: Capture::Camera,
                constraint: "deviceId".into()
            }
        );
        assert_eq!(
            MediaError::from_dom("SecurityError", "", Capture::Camera, None),
            MediaError::Insecure
        );
        assert!(matches!(
            MediaError::from_dom("WeirdError", "boom", Capture::Camera, None),
            MediaError::Other { .. }
        ));
    }

    #[test]
    fn messages_are_human() {
        let m = MediaError::PermissionDenied(Capture::Camera).message();
        assert!(m.starts_with("Camera access was denied"), "{m}");
        let m = MediaError::NotFound(Capture::Microphone).message();
        assert!(m.contains("No microphone was found"), "{m}");
        assert!(MediaError::Other {
            name: "X".into(),
            message: "y".into()
        }
        .to_string()
        .contains("y"));
    }

    #[test]
    fn audio_only_retry_policy() {
        assert!(MediaError::NotFound(Capture::CameraAndMicrophone).worth_audio_only_retry());
        assert!(!MediaError::Insecure.worth_audio_only_retry());
    }
}
