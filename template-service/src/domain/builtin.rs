//! The seven built-in templates of the seed, present on first start. Their connector URLs
//! come from configuration (`template.builtin_urls`).

use payserver_shared::config::{ConnectorUrls, TemplateSettings};

use super::TemplateData;

/// A built-in template: its fixed uuid where the seed gives one, and its data.
pub struct Builtin {
    pub uuid: Option<&'static str>,
    pub data: TemplateData,
}

struct Def {
    key: Option<&'static str>,
    uuid: Option<&'static str>,
    id: &'static str,
    name: &'static str,
    description: &'static str,
    online: i32,
    sign_account: i32,
    third: i32,
    channel: Option<&'static str>,
    way: Option<&'static str>,
}

/// What the built-ins have unless they say otherwise: no configured URLs, no fixed uuid,
/// offline, not sign-account, not third-party, no channel.
const OFFLINE: Def = Def {
    key: None,
    uuid: None,
    id: "",
    name: "",
    description: "",
    online: 0,
    sign_account: 0,
    third: 0,
    channel: None,
    way: None,
};

const DEFS: [Def; 7] = [
    Def {
        id: "C924182F-581B-4990-944A-ABCAB8E552B3",
        name: "现金",
        description: "现金支付",
        ..OFFLINE
    },
    Def {
        id: "4CE44A21-68DA-4ADA-B7EE-371187327F75",
        name: "银联",
        description: "银联支付",
        ..OFFLINE
    },
    Def {
        key: Some("sign_account"),
        id: "382CF8DF-017F-4009-928F-D5B008095962",
        name: "挂账",
        description: "挂账支付",
        online: 1,
        sign_account: 1,
        ..OFFLINE
    },
    Def {
        key: Some("wechat"),
        id: "017AFC80-95FA-11E8-B0EC-5384BC9767FE",
        name: "微信扫码枪",
        description: "微信扫码枪支付",
        online: 1,
        third: 1,
        channel: Some("微信"),
        way: Some("扫码枪"),
        ..OFFLINE
    },
    Def {
        key: Some("alipay"),
        id: "3BEAF650-A067-11E8-A545-87065760276A",
        name: "支付宝扫码枪",
        description: "支付宝扫码枪支付",
        online: 1,
        third: 1,
        channel: Some("支付宝"),
        way: Some("扫码枪"),
        ..OFFLINE
    },
    Def {
        key: Some("member_stored_value"),
        uuid: Some("irAl37TewwGEchYrXUWsfA"),
        id: "A2E7AB90-BB11-11E8-8BAF-4BFA221DACF5",
        name: "会员储值",
        description: "会员储值支付",
        online: 1,
        ..OFFLINE
    },
    Def {
        key: Some("member_count"),
        uuid: Some("nW9WDIBHwMMLvz6oGsuRpQ"),
        id: "B3A36C30-BB11-11E8-8353-CD8987EBDA9C",
        name: "会员储次",
        description: "会员储次支付",
        online: 1,
        ..OFFLINE
    },
];

pub fn builtins(settings: &TemplateSettings) -> Vec<Builtin> {
    DEFS.iter()
        .map(|d| {
            let urls = d
                .key
                .and_then(|k| settings.builtin_urls.get(k))
                .cloned()
                .unwrap_or_default();
            let ConnectorUrls {
                pay_url,
                refund_url,
                check_env_url,
                query_url,
            } = urls;
            let mut data = TemplateData::new(d.id, d.name);
            data.description = Some(d.description.to_string());
            data.is_online = d.online;
            data.is_sign_account = d.sign_account;
            data.is_thrid_pay = d.third;
            data.pay_channel = d.channel.map(str::to_string);
            data.pay_way = d.way.map(str::to_string);
            data.pay_url = pay_url.filter(|u| !u.is_empty());
            data.refund_url = refund_url.filter(|u| !u.is_empty());
            data.check_env_url = check_env_url.filter(|u| !u.is_empty());
            data.query_url = query_url.filter(|u| !u.is_empty());
            Builtin { uuid: d.uuid, data }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn online_builtins_get_their_configured_urls_and_offline_ones_none() {
        let all = builtins(&payserver_shared::config::Settings::default().template);
        assert_eq!(all.len(), 7);
        let cash = &all[0].data;
        assert_eq!((cash.is_online, cash.pay_url.as_deref()), (0, None));
        let sign = &all[2].data;
        assert_eq!(sign.pay_url.as_deref(), Some("http://127.0.0.1:6201/connector/pay"));
        assert!(
            all[3].data.check_env_url.is_some(),
            "wechat checks the merchant's environment"
        );
        assert_eq!(all[5].uuid, Some("irAl37TewwGEchYrXUWsfA"));
    }
}
