//! refund-service: refund, batchRefund, refundOrders and refundNotify, as a crash-safe saga
//! over payorder-service's reserve/confirm/release steps (API.md A.5).

pub mod api_doc;
pub mod core;
pub mod routes;
pub mod startup;

mod db;
mod domain;
mod upstream;

pub use startup::Application;
