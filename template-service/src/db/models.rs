//! Rows of `pay_mode_templates`.

use diesel::prelude::*;

use super::schema::pay_mode_templates;
use crate::domain::{Status, TemplateData};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pay_mode_templates)]
pub struct TemplateRow {
    pub id: i64,
    pub uuid: String,
    pub pay_template_id: String,
    pub name: String,
    pub description: Option<String>,
    pub check_env_url: Option<String>,
    pub pay_url: Option<String>,
    pub refund_url: Option<String>,
    pub query_url: Option<String>,
    pub icon_href: Option<String>,
    pub order_valid_time: i32,
    pub is_online: i32,
    pub is_sign_account: i32,
    pub is_async_notify: i32,
    pub is_thrid_pay: i32,
    pub pay_channel: Option<String>,
    pub pay_way: Option<String>,
    pub status: Status,
    pub created_at: i64,
    pub modified_at: i64,
}

impl TemplateRow {
    pub fn data(&self) -> TemplateData {
        TemplateData {
            pay_template_id: self.pay_template_id.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            check_env_url: self.check_env_url.clone(),
            pay_url: self.pay_url.clone(),
            refund_url: self.refund_url.clone(),
            query_url: self.query_url.clone(),
            icon_href: self.icon_href.clone(),
            order_valid_time: self.order_valid_time,
            is_online: self.is_online,
            is_sign_account: self.is_sign_account,
            is_async_notify: self.is_async_notify,
            is_thrid_pay: self.is_thrid_pay,
            pay_channel: self.pay_channel.clone(),
            pay_way: self.pay_way.clone(),
            status: self.status,
        }
    }
}

/// Every writable column; used for inserts (with uuid and times) and full updates.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = pay_mode_templates, treat_none_as_null = true)]
pub struct TemplateColumns<'a> {
    pub pay_template_id: &'a str,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub check_env_url: Option<&'a str>,
    pub pay_url: Option<&'a str>,
    pub refund_url: Option<&'a str>,
    pub query_url: Option<&'a str>,
    pub icon_href: Option<&'a str>,
    pub order_valid_time: i32,
    pub is_online: i32,
    pub is_sign_account: i32,
    pub is_async_notify: i32,
    pub is_thrid_pay: i32,
    pub pay_channel: Option<&'a str>,
    pub pay_way: Option<&'a str>,
    pub status: Status,
    pub modified_at: i64,
}

impl<'a> TemplateColumns<'a> {
    pub fn from_data(d: &'a TemplateData, now: i64) -> Self {
        Self {
            pay_template_id: &d.pay_template_id,
            name: &d.name,
            description: d.description.as_deref(),
            check_env_url: d.check_env_url.as_deref(),
            pay_url: d.pay_url.as_deref(),
            refund_url: d.refund_url.as_deref(),
            query_url: d.query_url.as_deref(),
            icon_href: d.icon_href.as_deref(),
            order_valid_time: d.order_valid_time,
            is_online: d.is_online,
            is_sign_account: d.is_sign_account,
            is_async_notify: d.is_async_notify,
            is_thrid_pay: d.is_thrid_pay,
            pay_channel: d.pay_channel.as_deref(),
            pay_way: d.pay_way.as_deref(),
            status: d.status,
            modified_at: now,
        }
    }
}
