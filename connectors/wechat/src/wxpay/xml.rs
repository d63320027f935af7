//! The flat XML of API v2: `<xml><k><![CDATA[v]]></k>...</xml>`, both ways.
//!
//! Reading is strict: the root must be `<xml>`, every child a leaf holding text or CDATA,
//! no key twice (a duplicated key could make the signed value and the used value differ).
//! Anything else is not an answer of WeChat Pay.

use std::collections::BTreeMap;

use quick_xml::Reader;
use quick_xml::events::Event;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("not XML: {0}")]
    Syntax(String),
    #[error("not the flat <xml> of WeChat Pay: {0}")]
    Shape(String),
}

/// Writes the parameters, each value in CDATA (split where it contains `]]>`).
pub fn to_xml(params: &BTreeMap<String, String>) -> String {
    let mut out = String::from("<xml>");
    for (k, v) in params {
        out.push('<');
        out.push_str(k);
        out.push_str("><![CDATA[");
        out.push_str(&v.replace("]]>", "]]]]><![CDATA[>"));
        out.push_str("]]></");
        out.push_str(k);
        out.push('>');
    }
    out.push_str("</xml>");
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Reads a flat `<xml>` document into its parameters.
pub fn from_xml(text: &str) -> Result<BTreeMap<String, String>, XmlError> {
    let syntax = |e: quick_xml::Error| XmlError::Syntax(e.to_string());
    let mut reader = Reader::from_str(text);
    let mut params = BTreeMap::new();
    // Depth 0: before the root; 1: inside <xml>; 2: inside a parameter.
    let mut depth = 0;
    let mut seen_root = false;
    let mut key = String::new();
    let mut value = String::new();
    loop {
        match reader.read_event().map_err(syntax)? {
            Event::Start(e) => {
                let name = e.name().into_inner().to_string();
                match depth {
                    0 if name == "xml" && !seen_root => seen_root = true,
                    0 => return Err(XmlError::Shape(format!("root element <{name}>"))),
                    1 if is_name(&name) => {
                        key = name;
                        value.clear();
                    }
                    1 => return Err(XmlError::Shape(format!("element name {name:?}"))),
                    _ => return Err(XmlError::Shape(format!("nested element <{name}>"))),
                }
                depth += 1;
            }
            Event::Empty(e) => {
                let name = e.name().into_inner().to_string();
                match depth {
                    1 if is_name(&name) => {
                        if params.insert(name.clone(), String::new()).is_some() {
                            return Err(XmlError::Shape(format!("{name} appears twice")));
                        }
                    }
                    0 if name == "xml" && !seen_root => seen_root = true,
                    _ => return Err(XmlError::Shape(format!("unexpected <{name}/>"))),
                }
            }
            Event::End(_) => {
                if depth == 2
                    && params
                        .insert(std::mem::take(&mut key), std::mem::take(&mut value))
                        .is_some()
                {
                    return Err(XmlError::Shape("a parameter appears twice".into()));
                }
                depth -= 1;
            }
            Event::Text(t) => {
                let t = t.xml10_content();
                match depth {
                    2 => value.push_str(&t),
                    _ if t.trim().is_empty() => {}
                    _ => return Err(XmlError::Shape("text outside a parameter".into())),
                }
            }
            Event::CData(c) => {
                if depth != 2 {
                    return Err(XmlError::Shape("CDATA outside a parameter".into()));
                }
                value.push_str(&c.xml10_content());
            }
            Event::GeneralRef(r) => {
                if depth != 2 {
                    return Err(XmlError::Shape("an entity outside a parameter".into()));
                }
                if let Some(c) = r.resolve_char_ref().map_err(syntax)? {
                    value.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    value.push_str(s);
                } else {
                    return Err(XmlError::Syntax(format!("unknown entity &{};", &*r)));
                }
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err(XmlError::Shape("a DOCTYPE".into())),
            Event::Eof => break,
        }
    }
    if !seen_root || depth != 0 {
        return Err(XmlError::Shape("no complete <xml> element".into()));
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn writes_and_reads_back_cdata() {
        let p = map(&[
            ("body", "门店<消费>&amp; ]]> end"),
            ("total_fee", "1"),
            ("appid", "wx1"),
        ]);
        let xml = to_xml(&p);
        assert!(xml.starts_with("<xml><appid><![CDATA[wx1]]></appid>"), "{xml}");
        assert_eq!(from_xml(&xml).unwrap(), p);
    }

    #[test]
    fn reads_the_documentations_answer_with_plain_text_and_entities() {
        let xml = "<?xml version=\"1.0\"?>\n<xml>\n  <return_code><![CDATA[SUCCESS]]></return_code>\n  \
                   <return_msg>OK</return_msg>\n  <total_fee>1</total_fee>\n  <attach>a&amp;b&#x41;</attach>\n  <empty/>\n</xml>";
        assert_eq!(
            from_xml(xml).unwrap(),
            map(&[
                ("return_code", "SUCCESS"),
                ("return_msg", "OK"),
                ("total_fee", "1"),
                ("attach", "a&bA"),
                ("empty", ""),
            ])
        );
    }

    #[test]
    fn refuses_what_is_not_the_flat_xml() {
        for bad in [
            "",
            "{\"return_code\":\"SUCCESS\"}",
            "<html><body>502 Bad Gateway</body></html>",
            "<xml><a><b>1</b></a></xml>",
            "<xml><a>1</a><a>2</a></xml>",
            "<xml><a>1</a>",
            "<xml><a>1</a></xml><xml></xml>",
            "<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><a>&e;</a></xml>",
            "<xml>loose<a>1</a></xml>",
        ] {
            assert!(from_xml(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
