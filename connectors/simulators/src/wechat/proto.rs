//! The wire format of WeChat Pay API v2, written independently of the connector's so that
//! each checks the other: flat `<xml>` documents and their MD5 / HMAC-SHA256 signatures.

use std::collections::BTreeMap;

use aws_lc_rs::hmac;
use md5::{Digest, Md5};
use quick_xml::Reader;
use quick_xml::events::Event;

pub type Params = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignType {
    Md5,
    HmacSha256,
}

impl SignType {
    /// `sign_type` as a request gives it; absent means MD5.
    pub fn from_param(v: Option<&str>) -> Option<SignType> {
        match v.unwrap_or("") {
            "" | "MD5" => Some(SignType::Md5),
            "HMAC-SHA256" => Some(SignType::HmacSha256),
            _ => None,
        }
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The signature of `params`: non-empty values except `sign`, ASCII key order, `k=v` joined
/// by `&`, then `&key=<key>`; MD5 or HMAC-SHA256 (keyed with the API key), upper-case hex.
pub fn sign(params: &Params, key: &str, sign_type: SignType) -> String {
    let mut text = params
        .iter()
        .filter(|(k, v)| k.as_str() != "sign" && !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    if !text.is_empty() {
        text.push('&');
    }
    text.push_str("key=");
    text.push_str(key);
    match sign_type {
        SignType::Md5 => hex_upper(&Md5::digest(text.as_bytes())),
        SignType::HmacSha256 => {
            let k = hmac::Key::new(hmac::HMAC_SHA256, key.as_bytes());
            hex_upper(hmac::sign(&k, text.as_bytes()).as_ref())
        }
    }
}

/// `true` when `params["sign"]` is their signature.
pub fn verify(params: &Params, key: &str, sign_type: SignType) -> bool {
    params
        .get("sign")
        .is_some_and(|given| given.eq_ignore_ascii_case(&sign(params, key, sign_type)))
}

pub fn to_xml(params: &Params) -> String {
    let mut out = String::from("<xml>");
    for (k, v) in params {
        // Numbers go bare, text in CDATA, as WeChat Pay writes them.
        if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("<{k}>{v}</{k}>"));
        } else {
            out.push_str(&format!(
                "<{k}><![CDATA[{}]]></{k}>",
                v.replace("]]>", "]]]]><![CDATA[>")
            ));
        }
    }
    out.push_str("</xml>");
    out
}

/// The parameters of a flat `<xml>` request; `None` for anything else.
pub fn from_xml(text: &str) -> Option<Params> {
    let mut reader = Reader::from_str(text);
    let mut params = Params::new();
    let mut path: Vec<String> = Vec::new();
    let mut value = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                path.push(e.name().into_inner().to_string());
                if path.len() > 2 || path[0] != "xml" {
                    return None;
                }
                value.clear();
            }
            Event::Empty(e) if path.len() == 1 => {
                params.insert(e.name().into_inner().to_string(), String::new());
            }
            Event::Empty(_) => return None,
            Event::Text(t) if path.len() == 2 => value.push_str(&t.xml10_content()),
            Event::Text(t) if t.xml10_content().trim().is_empty() => {}
            Event::Text(_) => return None,
            Event::CData(c) if path.len() == 2 => value.push_str(&c.xml10_content()),
            Event::GeneralRef(r) if path.len() == 2 => match r.resolve_char_ref().ok()? {
                Some(c) => value.push(c),
                None => value.push_str(quick_xml::escape::resolve_predefined_entity(&r)?),
            },
            Event::End(_) => {
                let name = path.pop()?;
                if !path.is_empty() && params.insert(name, std::mem::take(&mut value)).is_some() {
                    return None;
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            _ => return None,
        }
    }
    path.is_empty().then_some(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documentations_vectors() {
        let p: Params = [
            ("appid", "wxd930ea5d5a258f4f"),
            ("mch_id", "10000100"),
            ("device_info", "1000"),
            ("body", "test"),
            ("nonce_str", "ibuaiVcKdpRxkhJA"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let key = "192006250b4c09247ec02edce69f6a2d";
        assert_eq!(sign(&p, key, SignType::Md5), "9A0A8659F005D6984697E2CA0A9CF3B7");
        assert_eq!(
            sign(&p, key, SignType::HmacSha256),
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
        );
    }

    #[test]
    fn xml_round_trips() {
        let p: Params = [("a", "1"), ("b", "x]]>y"), ("c", "门店")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(from_xml(&to_xml(&p)), Some(p));
        assert_eq!(from_xml("<xml><a><b>1</b></a></xml>"), None);
        assert_eq!(from_xml("not xml"), None);
    }
}
