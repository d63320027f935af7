//! `enabled` or `disabled`: the status of what a merchant can switch off and on again (a sign
//! accounter, a member card). A disabled one is kept, but refused.

use crate::fields::Invalid;

crate::text_enum! {
    /// Whether it may be used.
    pub enum EnabledStatus {
        Enabled = "enabled",
        Disabled = "disabled",
    }
}

impl EnabledStatus {
    /// A request's `status` as sent: absent stays absent (`None`); `null` or any other word is
    /// refused.
    pub fn field(v: Option<Option<String>>) -> Result<Option<Self>, Invalid> {
        match v {
            None => Ok(None),
            Some(s) => s
                .as_deref()
                .and_then(Self::parse)
                .map(Some)
                .ok_or_else(|| Invalid("status must be enabled or disabled".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_one_of_the_two_words_and_never_null() {
        assert_eq!(EnabledStatus::field(None), Ok(None));
        assert_eq!(
            EnabledStatus::field(Some(Some("disabled".into()))),
            Ok(Some(EnabledStatus::Disabled))
        );
        assert!(EnabledStatus::field(Some(None)).is_err());
        assert!(EnabledStatus::field(Some(Some("on".into()))).is_err());
    }
}
