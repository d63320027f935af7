//! Plain types and rules, no actix and no diesel: which channel a payment code belongs to,
//! what the merchant settings may hold, and what each WeChat Pay answer means for the trade.

pub mod auth_code;
pub mod merchant;
pub mod outcome;
pub mod time;
pub mod trade;
