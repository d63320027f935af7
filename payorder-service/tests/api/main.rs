mod helpers;
mod pay;
mod resolver;
