mod helpers;
mod limits;
mod openapi;
mod proxy;
