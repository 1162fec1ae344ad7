//! What the user typed or chose in a control: one reading for inputs, text areas and selects.

use yew::prelude::*;

/// The `value` of the event's target (an input, a text area or a select).
pub fn value_of(e: &web_sys::Event) -> Option<String> {
    let target = e.target()?;
    js_sys::Reflect::get(&target, &"value".into()).ok()?.as_string()
}

/// Keeps `state` equal to what is typed into the control.
pub fn bind(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        if let Some(v) = value_of(&e) {
            state.set(v);
        }
    })
}
