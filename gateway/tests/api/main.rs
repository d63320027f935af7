mod edge;
mod helpers;
mod limits;
mod proxy;
mod trust_boundary;
