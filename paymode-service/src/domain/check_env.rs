//! Judging a template's checkEnvUrl answer (API.md A.6): `POST {merchantUUID, payTemplateId}`
//! answering `{ret: true|false, merchantUUID, reason?}`. Anything but `ret: true` refuses the
//! opening with 9001 and a message in the seed's words.

use serde::Serialize;

use crate::error::Error;

/// The body sent to a checkEnvUrl.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckEnvRequest<'a> {
    #[serde(rename = "merchantUUID")]
    pub merchant_uuid: &'a str,
    pub pay_template_id: &'a str,
}

/// What calling the checkEnvUrl came to.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckEnvOutcome {
    /// A 2xx JSON answer.
    Answered(serde_json::Value),
    /// A non-2xx status.
    Status(u16),
    /// A 2xx answer that is not JSON.
    Garbage,
    Timeout,
    Unreachable,
}

/// The longest connector answer quoted back to the client.
const QUOTE_MAX: usize = 300;

/// `Ok` only when the connector answered `ret: true`.
pub fn judge(pay_template_id: &str, outcome: &CheckEnvOutcome) -> Result<(), Error> {
    let res = match outcome {
        CheckEnvOutcome::Answered(v) if v.get("ret") == Some(&serde_json::Value::Bool(true)) => return Ok(()),
        CheckEnvOutcome::Answered(v) => {
            let quoted = v.to_string();
            if quoted.chars().count() > QUOTE_MAX {
                format!("{}...", quoted.chars().take(QUOTE_MAX).collect::<String>())
            } else {
                quoted
            }
        }
        CheckEnvOutcome::Status(s) => format!("HTTP {s}"),
        CheckEnvOutcome::Garbage => "not a check env answer".to_string(),
        CheckEnvOutcome::Timeout => "timed out".to_string(),
        CheckEnvOutcome::Unreachable => "unreachable".to_string(),
    };
    Err(Error::CheckEnvFailed(format!(
        "open payTemplate error,check env failed payTemplateId:{pay_template_id},checkEnvRes:{res}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_ret_true_passes() {
        assert!(
            judge(
                "T1",
                &CheckEnvOutcome::Answered(json!({"ret": true, "merchantUUID": "m1"}))
            )
            .is_ok()
        );
        for refused in [
            json!({"ret": false}),
            json!({"ret": "true"}),
            json!({"ret": 1}),
            json!({}),
            json!([true]),
        ] {
            assert!(
                judge("T1", &CheckEnvOutcome::Answered(refused.clone())).is_err(),
                "{refused}"
            );
        }
    }

    #[test]
    fn failures_read_like_the_seed() {
        let Err(Error::CheckEnvFailed(msg)) = judge(
            "017AFC80",
            &CheckEnvOutcome::Answered(json!({"ret": false, "merchantUUID": "m1"})),
        ) else {
            panic!("refusal expected")
        };
        assert_eq!(
            msg,
            r#"open payTemplate error,check env failed payTemplateId:017AFC80,checkEnvRes:{"merchantUUID":"m1","ret":false}"#
        );
        for (outcome, tail) in [
            (CheckEnvOutcome::Timeout, "timed out"),
            (CheckEnvOutcome::Unreachable, "unreachable"),
            (CheckEnvOutcome::Status(502), "HTTP 502"),
            (CheckEnvOutcome::Garbage, "not a check env answer"),
        ] {
            let Err(Error::CheckEnvFailed(msg)) = judge("T1", &outcome) else {
                panic!("refusal expected")
            };
            assert!(msg.ends_with(tail), "{msg}");
        }
    }

    #[test]
    fn long_answers_are_cut() {
        let Err(Error::CheckEnvFailed(msg)) = judge(
            "T1",
            &CheckEnvOutcome::Answered(json!({"ret": false, "reason": "x".repeat(2000)})),
        ) else {
            panic!("refusal expected")
        };
        assert!(msg.len() < 500, "{}", msg.len());
    }
}
