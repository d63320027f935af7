//! WeChat Pay API v2 signatures.
//!
//! The parameters with a non-empty value, except `sign` itself, sorted by key in ASCII order
//! and joined as `k=v` with `&`, then `&key=<API key>` appended. MD5 of that string in
//! upper-case hex, or HMAC-SHA256 keyed with the API key (upper-case hex) when
//! `sign_type=HMAC-SHA256` — a parameter that is itself part of the signed string.

use std::collections::BTreeMap;

use aws_lc_rs::hmac;
use md5::{Digest, Md5};
use serde::Deserialize;

/// The two signature algorithms of API v2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum SignType {
    #[serde(rename = "MD5")]
    Md5,
    #[default]
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
}

impl SignType {
    pub fn as_str(self) -> &'static str {
        match self {
            SignType::Md5 => "MD5",
            SignType::HmacSha256 => "HMAC-SHA256",
        }
    }

    /// The protocol's spelling; an absent `sign_type` means MD5.
    pub fn parse(s: Option<&str>) -> Option<Self> {
        match s {
            None | Some("") | Some("MD5") => Some(SignType::Md5),
            Some("HMAC-SHA256") => Some(SignType::HmacSha256),
            Some(_) => None,
        }
    }
}

/// `k1=v1&k2=v2&...&key=<key>`: the string both algorithms digest.
pub fn string_to_sign(params: &BTreeMap<String, String>, key: &str) -> String {
    let mut s = String::new();
    // BTreeMap<String, _> iterates in byte order, which for the protocol's ASCII keys is the
    // documented ASCII (dictionary) order.
    for (k, v) in params {
        if k == "sign" || v.is_empty() {
            continue;
        }
        s.push_str(k);
        s.push('=');
        s.push_str(v);
        s.push('&');
    }
    s.push_str("key=");
    s.push_str(key);
    s
}

fn upper_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// The signature of `params` (whatever `sign` they already carry is ignored).
pub fn sign(params: &BTreeMap<String, String>, key: &str, sign_type: SignType) -> String {
    let text = string_to_sign(params, key);
    match sign_type {
        SignType::Md5 => upper_hex(&Md5::digest(text.as_bytes())),
        SignType::HmacSha256 => {
            let k = hmac::Key::new(hmac::HMAC_SHA256, key.as_bytes());
            upper_hex(hmac::sign(&k, text.as_bytes()).as_ref())
        }
    }
}

/// `true` when `params` carry a `sign` that matches (compared in constant time, case-blind).
pub fn verify(params: &BTreeMap<String, String>, key: &str, sign_type: SignType) -> bool {
    let Some(given) = params.get("sign") else {
        return false;
    };
    let expected = sign(params, key, sign_type);
    let given = given.to_ascii_uppercase();
    if given.len() != expected.len() {
        return false;
    }
    given
        .bytes()
        .zip(expected.bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_example() -> BTreeMap<String, String> {
        [
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("device_info", "1000"),
            ("body", "test"),
            ("nonce_str", "ibuaiVcKdpRxkhJA"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    const DOC_KEY: &str = "192006250b4c09247ec02edce69f6a2d";

    #[test]
    fn the_documentations_example_string_is_sorted_and_keyed() {
        assert_eq!(
            string_to_sign(&doc_example(), DOC_KEY),
            "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&key=192006250b4c09247ec02edce69f6a2d"
        );
    }

    #[test]
    fn the_documentations_md5_vector() {
        assert_eq!(
            sign(&doc_example(), DOC_KEY, SignType::Md5),
            "9A0A8659F005D6984697E2CA0A9CF3B7"
        );
    }

    #[test]
    fn the_documentations_hmac_sha256_vector() {
        assert_eq!(
            sign(&doc_example(), DOC_KEY, SignType::HmacSha256),
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
        );
    }

    #[test]
    fn empty_values_and_the_sign_itself_are_not_signed() {
        let mut p = doc_example();
        let plain = sign(&p, DOC_KEY, SignType::Md5);
        p.insert("attach".into(), String::new());
        p.insert("sign".into(), "WHATEVER".into());
        assert_eq!(sign(&p, DOC_KEY, SignType::Md5), plain);
    }

    #[test]
    fn sign_type_is_itself_signed() {
        let mut p = doc_example();
        let without = sign(&p, DOC_KEY, SignType::HmacSha256);
        p.insert("sign_type".into(), "HMAC-SHA256".into());
        assert_ne!(sign(&p, DOC_KEY, SignType::HmacSha256), without);
    }

    #[test]
    fn round_trips_verify_and_tampering_is_caught() {
        for t in [SignType::Md5, SignType::HmacSha256] {
            let mut p = doc_example();
            p.insert("total_fee".into(), "1".into());
            let s = sign(&p, DOC_KEY, t);
            p.insert("sign".into(), s.to_lowercase());
            assert!(verify(&p, DOC_KEY, t), "{t:?} lower-case hex is accepted");
            assert!(!verify(&p, "another-key", t));
            let other = if t == SignType::Md5 {
                SignType::HmacSha256
            } else {
                SignType::Md5
            };
            assert!(!verify(&p, DOC_KEY, other));
            p.insert("total_fee".into(), "100".into());
            assert!(!verify(&p, DOC_KEY, t), "{t:?} a changed amount breaks the signature");
            p.remove("sign");
            assert!(!verify(&p, DOC_KEY, t), "an unsigned answer never verifies");
        }
    }

    #[test]
    fn sign_types_parse_with_md5_as_the_default() {
        assert_eq!(SignType::parse(None), Some(SignType::Md5));
        assert_eq!(SignType::parse(Some("HMAC-SHA256")), Some(SignType::HmacSha256));
        assert_eq!(SignType::parse(Some("SHA1")), None);
    }
}
