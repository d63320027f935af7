//! RSA2 signatures of the Alipay open API (SHA256withRSA, PKCS#1 v1.5 padding, Base64).
//!
//! - Requests: every parameter except `sign` (so `sign_type` is included) with a non-empty
//!   value, sorted by name, joined raw as `k=v` with `&` (not URL-encoded), signed with the
//!   application's private key.
//! - Synchronous answers: `{"alipay_trade_pay_response": {...}, "sign": "..."}`; the signature
//!   covers the raw JSON text of the `..._response` value exactly as received, so that text is
//!   cut out of the body ([`split_answer`]) and never re-serialized.
//!
//! Keys come as Alipay distributes them: PKCS#8 private keys and X.509 SubjectPublicKeyInfo
//! public keys, in PEM or as bare Base64 (PKCS#1 `RSA PRIVATE KEY` / `RSA PUBLIC KEY` are
//! accepted too).

use std::collections::BTreeMap;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Why a key could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(pub String);

/// PEM (any label) or bare Base64 → DER bytes, and the PEM label when there was one.
fn decode_key_text(text: &str) -> Result<(Option<String>, Vec<u8>), KeyError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(KeyError("the key is empty".into()));
    }
    let mut label = None;
    let mut body = String::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            label = Some(rest.trim_end_matches('-').trim().to_string());
        } else if line.starts_with("-----END ") {
            break;
        } else if !line.contains(':') {
            // Skips PEM headers such as "Proc-Type: ..." (encrypted keys fail below).
            body.extend(line.chars().filter(|c| !c.is_whitespace()));
        }
    }
    let der = STANDARD
        .decode(body.as_bytes())
        .map_err(|e| KeyError(format!("the key is neither PEM nor Base64: {e}")))?;
    Ok((label, der))
}

/// The application's private key: signs requests.
pub struct PrivateKey(RsaKeyPair);

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(<redacted>)")
    }
}

impl PrivateKey {
    /// PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`), PEM or bare Base64.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let (label, der) = decode_key_text(text)?;
        let parsed = match label.as_deref() {
            Some("RSA PRIVATE KEY") => RsaKeyPair::from_der(&der),
            Some("PRIVATE KEY") => RsaKeyPair::from_pkcs8(&der),
            Some(other) => return Err(KeyError(format!("a {other} is not an unencrypted RSA private key"))),
            None => RsaKeyPair::from_pkcs8(&der).or_else(|_| RsaKeyPair::from_der(&der)),
        };
        parsed
            .map(PrivateKey)
            .map_err(|e| KeyError(format!("not a usable RSA private key (2048-8192 bits): {e}")))
    }

    /// The public half as a PKCS#1 `RSAPublicKey` (DER).
    pub fn public_key_der(&self) -> Vec<u8> {
        use aws_lc_rs::signature::KeyPair;
        self.0.public_key().as_ref().to_vec()
    }

    /// SHA256withRSA over the UTF-8 bytes of `content`, Base64.
    pub fn sign(&self, content: &str) -> String {
        let mut sig = vec![0u8; self.0.public_modulus_len()];
        self.0
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), content.as_bytes(), &mut sig)
            .expect("RSA signing with a validated key and a correctly sized buffer");
        STANDARD.encode(sig)
    }
}

/// Alipay's public key: verifies answers.
#[derive(Clone)]
pub struct PublicKey(Vec<u8>);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PublicKey(..)")
    }
}

impl PublicKey {
    /// X.509 SubjectPublicKeyInfo (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`), PEM or bare
    /// Base64.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let (label, der) = decode_key_text(text)?;
        if let Some(l) = label.as_deref()
            && l != "PUBLIC KEY"
            && l != "RSA PUBLIC KEY"
        {
            return Err(KeyError(format!("a {l} is not an RSA public key")));
        }
        aws_lc_rs::rsa::PublicKey::from_der(&der).map_err(|e| KeyError(format!("not a usable RSA public key: {e}")))?;
        Ok(PublicKey(der))
    }

    /// The DER as configured (SubjectPublicKeyInfo or PKCS#1).
    pub fn der(&self) -> &[u8] {
        &self.0
    }

    /// `true` when `sign_b64` is this key's SHA256withRSA signature of `content`.
    pub fn verify(&self, content: &str, sign_b64: &str) -> bool {
        let Ok(sig) = STANDARD.decode(sign_b64.trim().as_bytes()) else {
            return false;
        };
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.0)
            .verify(content.as_bytes(), &sig)
            .is_ok()
    }
}

/// The string a request signature covers: every parameter except `sign` with a non-empty
/// value, sorted by name, `k=v` joined with `&`, nothing encoded.
pub fn sign_content(params: &BTreeMap<String, String>) -> String {
    params
        .iter()
        .filter(|(k, v)| k.as_str() != "sign" && !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `alipay.trade.pay` → `alipay_trade_pay_response`.
pub fn response_node_name(method: &str) -> String {
    format!("{}_response", method.replace('.', "_"))
}

/// The parts of a raw synchronous answer that the signature is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawAnswer<'a> {
    /// `alipay_trade_pay_response`, or `error_response` when the gateway answered with that.
    pub node_name: String,
    /// The node's JSON text exactly as received: what the signature covers.
    pub node_raw: &'a str,
    /// The top-level `sign`, when present.
    pub sign: Option<String>,
}

/// Cuts the `{method}_response` (else `error_response`) value and the `sign` out of a raw
/// answer without re-serializing anything. `None` when the body is not such an object.
pub fn split_answer<'a>(raw: &'a str, method: &str) -> Option<RawAnswer<'a>> {
    let name = response_node_name(method);
    let (node_name, node_raw) = match top_level_value(raw, &name) {
        Some(v) => (name, v),
        None => ("error_response".to_string(), top_level_value(raw, "error_response")?),
    };
    if !node_raw.starts_with('{') {
        return None;
    }
    let sign = match top_level_value(raw, "sign") {
        Some(v) => Some(serde_json::from_str::<String>(v).ok()?),
        None => None,
    };
    Some(RawAnswer {
        node_name,
        node_raw,
        sign,
    })
}

/// Verifies an answer's signature over its raw node text. Like Alipay's own SDKs, a failure
/// is retried once over the text with `\/` unescaped (some gateways escape slashes after
/// signing).
pub fn verify_answer(key: &PublicKey, answer: &RawAnswer<'_>) -> bool {
    let Some(sign) = answer.sign.as_deref() else {
        return false;
    };
    key.verify(answer.node_raw, sign)
        || (answer.node_raw.contains("\\/") && key.verify(&answer.node_raw.replace("\\/", "/"), sign))
}

/// The raw text of the value of `key` in the top-level JSON object `raw` (keys inside nested
/// values or strings never match). `None` when absent or when `raw` is not a JSON object.
pub fn top_level_value<'a>(raw: &'a str, key: &str) -> Option<&'a str> {
    let b = raw.as_bytes();
    let mut i = skip_ws(b, 0);
    if *b.get(i)? != b'{' {
        return None;
    }
    i += 1;
    loop {
        i = skip_ws(b, i);
        match *b.get(i)? {
            b'"' => {}
            _ => return None,
        }
        let key_end = skip_string(b, i)?;
        let name: String = serde_json::from_str(&raw[i..key_end]).ok()?;
        i = skip_ws(b, key_end);
        if *b.get(i)? != b':' {
            return None;
        }
        i = skip_ws(b, i + 1);
        let value_end = skip_value(b, i)?;
        if name == key {
            return Some(&raw[i..value_end]);
        }
        i = skip_ws(b, value_end);
        match *b.get(i)? {
            b',' => i += 1,
            _ => return None,
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// `b[i]` is an opening quote; the index just past the closing one.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// The index just past the JSON value starting at `b[i]`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP_PRIVATE: &str = include_str!("../../tests/keys/app_private_key.pem");
    const APP_PUBLIC: &str = include_str!("../../tests/keys/app_public_key.pem");
    const ALIPAY_PRIVATE: &str = include_str!("../../tests/keys/alipay_private_key.pem");
    const ALIPAY_PUBLIC: &str = include_str!("../../tests/keys/alipay_public_key.pem");

    /// `printf 'a=1&b=2&sign_type=RSA2' | openssl dgst -sha256 -sign app_private_key.pem | base64 -w0`
    const OPENSSL_VECTOR: &str = "Bpy3W7VBQ4IAC/4iB7cr8WBV8MR6vm/t6gGJ+iooJoOMoqNRu8HpFdxwGiRy8+kFhTCNh5JAtLwMGcYoz1JBYkZFWFQkol8T7no4/jIhc++7FutXsGeum8Iu174DmHLpvdymKBpc4k3Ymfa0oDVvAnKZ2JPu4KZksA+8iwf+LFXTSF7+05gkSW/Qsxsm0GNxI4bUORG+s9031mjoajKK/lP5uh6T6p0sRzOWmq6S1CuqX/XMOjGDiMoXEzNcie60U9jA1lsMIAVW2/zIaMNuGiQh2QJy84YDqCStqkQZNEXMD5MTEzrd/fVrt/KgmF7HRUR2kXTw8GhWB3VR5z+/yw==";

    /// The node below signed by `alipay_private_key.pem` with openssl (UTF-8, Chinese included).
    const NODE: &str = r#"{"code":"10000","msg":"Success","trade_no":"2013112011001004330000121536","out_trade_no":"6823789339978248","buyer_logon_id":"159****5620","total_amount":"88.88","subject":"测试"}"#;
    const NODE_SIGN: &str = "bhT8a9siZ4BN7a565tZIVGhi4scfU/+SNReEKr5JnDOWavgUS9wYQQ1Y6H6XFLYeqEAjZsQ+wfnQta/Y6tpRt+lxRFW4lbUU6nRMGvUDQgprlKYn16PLG9ZirazYUwsW6SNRHbljrJGUAuB43l/kXZxh1vyIo9copw2oDCusTXUIF00Vhmsl9qCHAx5TlKRzLJTVxDnhWlf80u75d/eQgAew29hmshAc5SV6KwHEfGhhT3TnvWhoR47MNeA9lFsB+5kwUMX3SdXVS7zHYzAJEQcN0yjtbDFa3aFEAp5e3drBUFeV5f2LKU1J3Iyk3wjcSj2jkhgh74HEyzmu752/gg==";

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_sign_content_is_sorted_raw_and_skips_sign_and_empty_values() {
        let p = params(&[
            ("timestamp", "2014-07-24 03:07:50"),
            ("method", "alipay.trade.pay"),
            ("sign", "xxx"),
            ("sign_type", "RSA2"),
            ("app_auth_token", ""),
            ("biz_content", r#"{"out_trade_no":"1","subject":"a&b=c"}"#),
            ("app_id", "2014072300007148"),
        ]);
        assert_eq!(
            sign_content(&p),
            r#"app_id=2014072300007148&biz_content={"out_trade_no":"1","subject":"a&b=c"}&method=alipay.trade.pay&sign_type=RSA2&timestamp=2014-07-24 03:07:50"#
        );
    }

    #[test]
    fn signatures_match_openssl_and_are_deterministic() {
        let key = PrivateKey::parse(APP_PRIVATE).unwrap();
        assert_eq!(key.sign("a=1&b=2&sign_type=RSA2"), OPENSSL_VECTOR);
        let public = PublicKey::parse(APP_PUBLIC).unwrap();
        assert!(public.verify("a=1&b=2&sign_type=RSA2", OPENSSL_VECTOR));
    }

    #[test]
    fn a_round_trip_verifies_and_any_tampering_does_not() {
        let key = PrivateKey::parse(APP_PRIVATE).unwrap();
        let public = PublicKey::parse(APP_PUBLIC).unwrap();
        let content = "app_id=1&biz_content={\"total_amount\":\"0.01\"}&method=alipay.trade.pay";
        let sig = key.sign(content);
        assert!(public.verify(content, &sig));
        assert!(!public.verify(&content.replace("0.01", "0.02"), &sig));
        let mut bytes = STANDARD.decode(&sig).unwrap();
        bytes[10] ^= 1;
        assert!(!public.verify(content, &STANDARD.encode(bytes)));
        assert!(!public.verify(content, "not base64!"));
        // The other pair's public key does not verify it.
        assert!(!PublicKey::parse(ALIPAY_PUBLIC).unwrap().verify(content, &sig));
    }

    #[test]
    fn keys_parse_from_pem_or_bare_base64_and_garbage_is_refused() {
        let bare: String = APP_PRIVATE.lines().filter(|l| !l.starts_with("-----")).collect();
        let a = PrivateKey::parse(&bare).unwrap();
        assert_eq!(a.sign("x"), PrivateKey::parse(APP_PRIVATE).unwrap().sign("x"));
        let bare_public: String = ALIPAY_PUBLIC.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(PublicKey::parse(&bare_public).is_ok());
        assert!(PrivateKey::parse("").is_err());
        assert!(PrivateKey::parse("hello world").is_err());
        assert!(
            PrivateKey::parse(ALIPAY_PUBLIC).is_err(),
            "a public key is not a private key"
        );
        assert!(
            PublicKey::parse(ALIPAY_PRIVATE).is_err(),
            "a private key is not a public key"
        );
        assert!(PublicKey::parse("QUJD").is_err());
        assert!(format!("{a:?}").contains("redacted"));
    }

    #[test]
    fn an_answer_is_verified_over_its_raw_node_text_as_received() {
        let body = format!(r#"{{"alipay_trade_pay_response":{NODE},"sign":"{NODE_SIGN}"}}"#);
        let answer = split_answer(&body, "alipay.trade.pay").unwrap();
        assert_eq!(answer.node_name, "alipay_trade_pay_response");
        assert_eq!(answer.node_raw, NODE);
        let key = PublicKey::parse(ALIPAY_PUBLIC).unwrap();
        assert!(verify_answer(&key, &answer));

        // Re-serializing changes the bytes (key order, escaping): the raw text is what counts.
        let reserialized = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(NODE).unwrap()).unwrap();
        assert_ne!(reserialized, NODE);
        assert!(!key.verify(&reserialized, NODE_SIGN));

        // Whitespace and the order of the top-level keys do not matter; the node text does.
        let spaced = format!("{{ \"sign\" : \"{NODE_SIGN}\" ,\n \"alipay_trade_pay_response\" : {NODE} }}");
        assert!(verify_answer(&key, &split_answer(&spaced, "alipay.trade.pay").unwrap()));
        let tampered = body.replace("88.88", "0.01");
        assert!(!verify_answer(
            &key,
            &split_answer(&tampered, "alipay.trade.pay").unwrap()
        ));
        let unsigned = format!(r#"{{"alipay_trade_pay_response":{NODE}}}"#);
        let a = split_answer(&unsigned, "alipay.trade.pay").unwrap();
        assert_eq!(a.sign, None);
        assert!(!verify_answer(&key, &a));
    }

    #[test]
    fn the_node_is_found_by_method_at_top_level_only() {
        assert_eq!(
            response_node_name("alipay.trade.fastpay.refund.query"),
            "alipay_trade_fastpay_refund_query_response"
        );
        let body = r#"{"x":"\"alipay_trade_query_response\":{}","nested":{"alipay_trade_query_response":{"a":1}},"alipay_trade_query_response":{"s":"}{\\\"","n":[1,{"b":[]}]},"sign":"abc"}"#;
        let a = split_answer(body, "alipay.trade.query").unwrap();
        assert_eq!(a.node_raw, r#"{"s":"}{\\\"","n":[1,{"b":[]}]}"#);
        assert_eq!(a.sign.as_deref(), Some("abc"));
        let err = r#"{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-method"}}"#;
        let a = split_answer(err, "alipay.trade.query").unwrap();
        assert_eq!(a.node_name, "error_response");
        assert_eq!(split_answer("<html>502</html>", "alipay.trade.query"), None);
        assert_eq!(split_answer(r#"{"other":1}"#, "alipay.trade.query"), None);
        assert_eq!(
            split_answer(r#"{"alipay_trade_query_response":"x"}"#, "alipay.trade.query"),
            None
        );
        assert_eq!(top_level_value(r#"{"a":true,"b":null}"#, "b"), Some("null"));
        assert_eq!(top_level_value(r#"{"a":1"#, "b"), None);
    }

    #[test]
    fn escaped_slashes_are_retried_unescaped() {
        let key = PrivateKey::parse(ALIPAY_PRIVATE).unwrap();
        let node = r#"{"code":"10000","url":"http://x/y"}"#;
        let sign = key.sign(node);
        let body = format!(
            r#"{{"alipay_trade_query_response":{},"sign":"{sign}"}}"#,
            node.replace('/', "\\/")
        );
        let a = split_answer(&body, "alipay.trade.query").unwrap();
        assert!(verify_answer(&PublicKey::parse(ALIPAY_PUBLIC).unwrap(), &a));
    }
}
