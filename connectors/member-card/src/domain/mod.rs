//! Plain member-card types and rules: no actix, no diesel.

pub mod counts;
pub mod fields;
pub mod listing;
pub mod member;
pub mod trade;
