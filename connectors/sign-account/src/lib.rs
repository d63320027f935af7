//! sign-account (挂账): charging to an account. Sign accounters with credit limits, the
//! persons who may sign for them and a ledger (API.md A.7), behind the connector contract
//! (API.md A.6): a pay charges the accounter named by `payParams.signAccounterUUID` up to its
//! credit limit, a refund credits it back, both idempotent by `tractionNo`.

pub mod api_doc;
pub mod connector;
pub mod routes;
pub mod startup;

mod db;
mod domain;
mod error;

pub use connector::SignAccount;
pub use startup::Application;
