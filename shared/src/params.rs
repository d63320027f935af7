//! Request parameters of GET calls. They travel in the query string; for compatibility with
//! the seed's clients a JSON object body sent with a GET is read too, and the query string
//! wins on conflict (API.md A.1). Values are kept as text and parsed by typed accessors that
//! answer 400 envelopes.

use std::collections::HashMap;

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use std::future::Future;
use std::pin::Pin;

use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    pub fn from_pairs<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// Merges a JSON object body under the query string's pairs.
    fn merge_body(&mut self, body: &[u8]) -> ApiResult<()> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("malformed JSON body: {e}")))?;
        let serde_json::Value::Object(map) = value else {
            return Err(ApiError::bad_request("a GET body must be a JSON object"));
        };
        for (k, v) in map {
            let text = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => if b { "1" } else { "0" }.to_string(),
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "parameter {k} must be a string or a number"
                    )));
                }
            };
            self.0.entry(k).or_insert(text);
        }
        Ok(())
    }

    /// The parameter's text, `None` when absent or empty.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str).filter(|s| !s.is_empty())
    }

    pub fn i64(&self, name: &str) -> ApiResult<Option<i64>> {
        self.str(name)
            .map(|s| {
                s.trim()
                    .parse::<i64>()
                    .map_err(|_| ApiError::bad_request(format!("{name} must be an integer")))
            })
            .transpose()
    }

    /// A 0/1 flag.
    pub fn flag(&self, name: &str) -> ApiResult<Option<i32>> {
        match self.str(name) {
            None => Ok(None),
            Some("0") => Ok(Some(0)),
            Some("1") => Ok(Some(1)),
            Some(_) => Err(ApiError::bad_request(format!("{name} must be 0 or 1"))),
        }
    }

    /// A time filter: `YYYY-MM-DD HH:mm:ss` in the display offset or epoch milliseconds.
    pub fn time(&self, clock: &crate::time::Clock, name: &str) -> ApiResult<Option<i64>> {
        self.str(name)
            .map(|v| {
                clock.parse_filter(v).ok_or_else(|| {
                    ApiError::bad_request(format!("{name} must be YYYY-MM-DD HH:mm:ss or epoch milliseconds"))
                })
            })
            .transpose()
    }

    /// The merchant a request names, by `merchantUUID` or `merchantHref` (its last segment);
    /// both naming different merchants, or a malformed one, is a 400.
    pub fn named_merchant(&self) -> ApiResult<Option<String>> {
        Ok(crate::fields::named_merchant(
            self.str("merchantUUID"),
            self.str("merchantHref"),
        )?)
    }

    /// One of the listed values.
    pub fn one_of(&self, name: &str, allowed: &[&str]) -> ApiResult<Option<String>> {
        match self.str(name) {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
            Some(_) => Err(ApiError::bad_request(format!(
                "{name} must be one of {}",
                allowed.join(", ")
            ))),
        }
    }
}

impl FromRequest for Params {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Params, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let query = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
            .map(|q| Params::from_pairs(q.into_inner()))
            .map_err(|_| ApiError::bad_request("malformed query string"));
        let limit = req
            .app_data::<web::Data<crate::http::BodyLimit>>()
            .map(|l| l.0)
            .unwrap_or(1024 * 1024);
        let body = web::Payload::from_request(req, payload).into_inner();
        Box::pin(async move {
            let mut params = query?;
            let body = body
                .map_err(|_| ApiError::bad_request("unreadable body"))?
                .to_bytes_limited(limit)
                .await
                .map_err(|_| ApiError::payload_too_large(limit))?
                .map_err(|_| ApiError::bad_request("unreadable body"))?;
            params.merge_body(&body)?;
            Ok(params)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_wins_over_body() {
        let mut p = Params::from_pairs([("limit".to_string(), "5".to_string())]);
        p.merge_body(br#"{"limit": 9, "orderBy": "uiOrder desc", "isOpened": 1}"#)
            .unwrap();
        assert_eq!(p.i64("limit").unwrap(), Some(5));
        assert_eq!(p.str("orderBy"), Some("uiOrder desc"));
        assert_eq!(p.flag("isOpened").unwrap(), Some(1));
    }

    #[test]
    fn merchants_are_named_by_uuid_or_href_consistently() {
        let p = |pairs: &[(&str, &str)]| Params::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        assert_eq!(
            p(&[("merchantHref", "http://h/shops/abc")])
                .named_merchant()
                .unwrap()
                .as_deref(),
            Some("abc")
        );
        assert_eq!(
            p(&[("merchantUUID", "abc"), ("merchantHref", "http://h/shops/abc")])
                .named_merchant()
                .unwrap()
                .as_deref(),
            Some("abc")
        );
        assert!(
            p(&[("merchantUUID", "abc"), ("merchantHref", "http://h/shops/xyz")])
                .named_merchant()
                .is_err()
        );
        assert_eq!(p(&[]).named_merchant().unwrap(), None);
    }

    #[test]
    fn bad_values_are_400() {
        let p = Params::from_pairs([
            ("limit".to_string(), "ten".to_string()),
            ("isOpened".to_string(), "2".to_string()),
        ]);
        assert_eq!(p.i64("limit").unwrap_err().code, 4000);
        assert_eq!(p.flag("isOpened").unwrap_err().code, 4000);
        let mut q = Params::default();
        assert_eq!(q.merge_body(b"[1]").unwrap_err().code, 4000);
        assert_eq!(q.merge_body(b"{bad").unwrap_err().code, 4000);
    }
}
