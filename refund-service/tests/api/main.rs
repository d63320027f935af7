mod helpers;
mod refunds;
mod saga;
