mod helpers;
mod templates;
