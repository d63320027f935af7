mod access;
mod connector_urls;
mod helpers;
mod internal;
mod list_all_pay_modes;
mod opening;
mod pay_modes;
