//! Plain types and rules of sign-account: no actix, no diesel.

pub mod accounter;
pub mod fields;
pub mod person;
pub mod statement;
pub mod trade;

pub use accounter::{AccounterPatch, CreateAccounter, NewAccounter, Status, UpdateAccounter};
pub use person::{PersonData, PersonPatch, PersonRequest};
