//! payorder-service: pay, batchPay, payOrders, payNotify, trade records and the resolver of
//! `paying` orders (API.md A.4).

pub mod api_doc;
pub mod core;
pub mod routes;
pub mod startup;

mod db;
mod domain;
mod upstream;

pub use startup::Application;
