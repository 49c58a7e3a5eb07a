//! Error display: one alert for the form, and per-field messages next to inputs.

use leptos::prelude::*;

use crate::api::Error;

/// A form-level error, announced by screen readers as it appears.
#[component]
pub fn ErrorMessage(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <p class="alert" role="alert">{m}</p> })
    }
}

/// Routes one request error to where it belongs: next to the field it names when the
/// form has that field, else to the form's alert. Exactly one place shows it.
#[derive(Clone, Copy)]
pub struct FormError {
    error: RwSignal<Option<Error>>,
    fields: &'static [&'static str],
}

impl FormError {
    pub fn new(fields: &'static [&'static str]) -> Self {
        Self {
            error: RwSignal::new(None),
            fields,
        }
    }

    pub fn set(&self, error: Option<Error>) {
        self.error.set(error);
    }

    pub fn field(&self, name: &'static str) -> Signal<Option<String>> {
        let error = self.error;
        Signal::derive(move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|e| e.field() == Some(name))
                    .map(Error::message)
            })
        })
    }

    pub fn general(&self) -> Signal<Option<String>> {
        let (error, fields) = (self.error, self.fields);
        Signal::derive(move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|e| e.field().is_none_or(|f| !fields.contains(&f)))
                    .map(Error::message)
            })
        })
    }
}
