//! The gateway: the one public entry. It serves the API under `/payServer`, checks the JWT
//! before forwarding anything, and routes each request to the service that owns the
//! resource, by the route table in configuration.

mod docs;
pub mod edge;
mod limits;
mod proxy;
pub mod routing;
pub mod startup;

pub use startup::Application;
