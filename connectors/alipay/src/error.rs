//! The alipay connector's errors and their envelope.

connector_contract::merchant_settings_error! {
    display = "not found",
    not_found = "no Alipay settings for this merchant",
    // A database that cannot be reached leaves the outcome unknown to the caller (503), never a
    // failure.
    connector {
        Error::NotFound => ConnectorError::Unavailable("record vanished".into()),
    }
}
