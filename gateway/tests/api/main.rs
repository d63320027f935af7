mod edge;
mod helpers;
mod limits;
mod openapi;
mod proxy;
mod trust_boundary;
