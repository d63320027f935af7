mod conformance;
mod helpers;
mod merchants;
mod notify;
mod pay;
mod recovery;
mod refund;
