//! member-card: 会员储值 (member stored value) and 会员储次 (member count card) behind the
//! connector contract (API.md A.6), and the per-merchant management API of members (A.7).

pub mod api_doc;
pub mod connector;
pub mod routes;
pub mod startup;

mod db;
mod domain;
mod error;

pub use connector::MemberCard;
pub use startup::Application;
