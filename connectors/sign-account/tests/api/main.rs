mod conformance;
mod helpers;
mod management;
mod pay;
mod refund;
