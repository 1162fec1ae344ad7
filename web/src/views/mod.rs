//! One module per screen of the app; `frame` holds the header and tabs around the five views.

pub mod card;
pub mod frame;
pub mod landing;
pub mod logs;
pub mod progress;
pub mod replay;
pub mod replay_steps;
pub mod rules;
pub mod summary;
pub mod tests;
pub mod virtual_list;
