mod helpers;
mod internal;
mod templates;
