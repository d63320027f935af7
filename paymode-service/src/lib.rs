//! paymode-service: the payment methods each merchant has opened (API.md A.3).

pub mod api_doc;
pub mod routes;
pub mod startup;

mod db;
mod domain;
mod error;
mod flows;
mod upstream;

pub use startup::Application;
