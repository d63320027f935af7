mod helpers;
mod internal;
mod list_all_pay_modes;
mod opening;
mod pay_modes;
