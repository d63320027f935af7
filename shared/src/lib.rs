//! Everything two or more payserver binaries use: configuration, telemetry, the error
//! envelope, JWT auth, paging and hrefs, ids and times, the database pool, the
//! service-to-service HTTP client and the common HTTP wiring (request ids, health checks).

pub mod amount;
pub mod api_doc;
pub mod auth;
pub mod backlog;
pub mod balance;
pub mod batch;
pub mod batch_items;
pub mod business;
pub mod client;
pub mod collection;
pub mod config;
pub mod created;
pub mod db;
pub mod enabled;
pub mod error;
pub mod fields;
pub mod href;
pub mod http;
pub mod ids;
pub mod jobs;
pub mod list_query;
pub mod listing;
pub mod metrics;
pub mod operation;
pub mod order_service;
pub mod params;
pub mod path;
pub mod pay_method;
pub mod query;
pub mod registry;
pub mod routes;
pub mod rows;
pub mod service;
pub mod tagged_routes;
pub mod telemetry;
pub mod testing;
pub mod text_enum;
pub mod time;
pub mod upsert;
pub mod visible;

pub use error::{ApiError, ApiResult};
