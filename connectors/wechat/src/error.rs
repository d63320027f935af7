//! The connector's errors and their envelope.

use connector_contract::shared::db::DbError;

connector_contract::merchant_settings_error! {
    display = "no WeChat Pay settings for this merchant",
    not_found = "no WeChat Pay settings for this merchant",
    connector {
        Error::NotFound => ConnectorError::Unexpected(anyhow::anyhow!("merchant settings vanished")),
        Error::Db(DbError::Pool(e)) => ConnectorError::Unavailable(format!("database unavailable: {e}")),
    }
}
