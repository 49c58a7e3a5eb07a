//! "In focus" / "Outside working hours" next to someone's local time (nothing while
//! they are working).

use leptos::prelude::*;
use tandem_protocol::working_hours::AvailabilityState;
use tandem_protocol::UserId;

use crate::contexts::availability::AvailabilityContext;

pub fn availability_label(state: AvailabilityState) -> Option<&'static str> {
    match state {
        AvailabilityState::Working => None,
        AvailabilityState::OutsideHours => Some("Outside working hours"),
        AvailabilityState::InFocus => Some("In focus"),
    }
}

/// Shows the person's state from the availability context, live (nothing outside the
/// workspace shell, where there is no such context).
#[component]
pub fn AvailabilityNote(user_id: UserId) -> impl IntoView {
    let availability = use_context::<AvailabilityContext>();
    let state = Memo::new(move |_| availability.and_then(|a| a.of(user_id)).map(|a| a.state));
    move || {
        state.get().and_then(availability_label).map(|label| {
            let focus = state.get() == Some(AvailabilityState::InFocus);
            view! {
                <span class="availability" class:in-focus=focus class:outside-hours=!focus>
                    {label}
                </span>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_labels_only_when_not_working() {
        assert_eq!(availability_label(AvailabilityState::Working), None);
        assert_eq!(
            availability_label(AvailabilityState::InFocus),
            Some("In focus")
        );
        assert_eq!(
            availability_label(AvailabilityState::OutsideHours),
            Some("Outside working hours")
        );
    }
}
