mod flaky;
mod helpers;
mod liveness;
mod notify;
mod refunds;
mod saga;
mod trust;
