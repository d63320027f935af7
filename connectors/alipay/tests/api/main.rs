mod answers;
mod conformance;
mod helpers;
mod merchants;
mod pay;
mod refund;
