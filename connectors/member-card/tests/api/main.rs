mod concurrency;
mod connector;
mod helpers;
mod members;
