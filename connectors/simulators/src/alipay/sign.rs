//! RSA2 as the Alipay gateway does it, written independently of the connector's code so that a
//! mistake on one side is not mirrored on the other.

use std::collections::BTreeMap;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, RsaKeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

fn der(text: &str) -> Result<Vec<u8>, String> {
    let body: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .collect::<Vec<_>>()
        .concat();
    let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    if body.is_empty() {
        return Err("empty key".into());
    }
    STANDARD
        .decode(body)
        .map_err(|e| format!("key is neither PEM nor Base64: {e}"))
}

/// Signs answers (Alipay's private key).
pub struct Signer(RsaKeyPair);

impl Signer {
    /// PKCS#8 or PKCS#1, PEM or bare Base64.
    pub fn parse(text: &str) -> Result<Self, String> {
        let der = der(text)?;
        RsaKeyPair::from_pkcs8(&der)
            .or_else(|_| RsaKeyPair::from_der(&der))
            .map(Signer)
            .map_err(|e| format!("not an RSA private key: {e}"))
    }

    pub fn sign(&self, content: &str) -> String {
        let mut out = vec![0; self.0.public_modulus_len()];
        self.0
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), content.as_bytes(), &mut out)
            .expect("signing with a parsed key");
        STANDARD.encode(out)
    }
}

/// Verifies requests (the application's public key).
pub struct Verifier(Vec<u8>);

impl Verifier {
    /// SubjectPublicKeyInfo or PKCS#1, PEM or bare Base64.
    pub fn parse(text: &str) -> Result<Self, String> {
        let der = der(text)?;
        aws_lc_rs::rsa::PublicKey::from_der(&der).map_err(|e| format!("not an RSA public key: {e}"))?;
        Ok(Verifier(der))
    }

    pub fn verify(&self, content: &str, sign: &str) -> bool {
        match STANDARD.decode(sign.trim()) {
            Ok(sig) => UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.0)
                .verify(content.as_bytes(), &sig)
                .is_ok(),
            Err(_) => false,
        }
    }
}

/// What the gateway checks a request signature against: every parameter but `sign` with a
/// value, sorted by name, raw `k=v` joined with `&`.
pub fn content(params: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (k, v) in params {
        if k == "sign" || v.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alipay::{DEV_ALIPAY_PRIVATE_KEY, DEV_APP_PUBLIC_KEY};

    /// `printf 'a=1&b=2&sign_type=RSA2' | openssl dgst -sha256 -sign app_private_key.pem | base64 -w0`
    const OPENSSL_VECTOR: &str = "Bpy3W7VBQ4IAC/4iB7cr8WBV8MR6vm/t6gGJ+iooJoOMoqNRu8HpFdxwGiRy8+kFhTCNh5JAtLwMGcYoz1JBYkZFWFQkol8T7no4/jIhc++7FutXsGeum8Iu174DmHLpvdymKBpc4k3Ymfa0oDVvAnKZ2JPu4KZksA+8iwf+LFXTSF7+05gkSW/Qsxsm0GNxI4bUORG+s9031mjoajKK/lP5uh6T6p0sRzOWmq6S1CuqX/XMOjGDiMoXEzNcie60U9jA1lsMIAVW2/zIaMNuGiQh2QJy84YDqCStqkQZNEXMD5MTEzrd/fVrt/KgmF7HRUR2kXTw8GhWB3VR5z+/yw==";

    #[test]
    fn verifies_an_openssl_signature_of_the_sorted_content() {
        let mut p = BTreeMap::new();
        p.insert("sign_type".to_string(), "RSA2".to_string());
        p.insert("b".to_string(), "2".to_string());
        p.insert("a".to_string(), "1".to_string());
        p.insert("sign".to_string(), OPENSSL_VECTOR.to_string());
        p.insert("empty".to_string(), String::new());
        assert_eq!(content(&p), "a=1&b=2&sign_type=RSA2");
        let v = Verifier::parse(DEV_APP_PUBLIC_KEY).unwrap();
        assert!(v.verify(&content(&p), OPENSSL_VECTOR));
        assert!(!v.verify("a=1&b=3&sign_type=RSA2", OPENSSL_VECTOR));
    }

    #[test]
    fn the_development_keys_parse() {
        assert!(Signer::parse(DEV_ALIPAY_PRIVATE_KEY).is_ok());
        assert!(Signer::parse("garbage").is_err());
        assert!(Verifier::parse(DEV_ALIPAY_PRIVATE_KEY).is_err());
    }
}
