//! template-service: the payment methods the platform supports (API.md A.2).

pub mod api_doc;
pub mod routes;
pub mod startup;

mod db;
mod domain;
mod error;

pub use startup::Application;
