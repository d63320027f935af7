//! WeChat Pay's times are Beijing time (UTC+8): `time_end` as `yyyyMMddHHmmss`,
//! `refund_success_time_$n` as `yyyy-MM-dd HH:mm:ss`.

use chrono::{FixedOffset, NaiveDateTime, TimeZone};

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Epoch milliseconds of a WeChat Pay time, when it parses.
pub fn parse(s: &str) -> Option<i64> {
    let s = s.trim();
    let naive = NaiveDateTime::parse_from_str(s, "%Y%m%d%H%M%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
        .ok()?;
    Some(beijing().from_local_datetime(&naive).single()?.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_are_beijing_time() {
        // 2018-07-11 15:53:45 +08:00 = 07:53:45 UTC
        assert_eq!(parse("20180711155345"), Some(1_531_295_625_000));
        assert_eq!(parse("2018-07-11 15:53:45"), Some(1_531_295_625_000));
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse(""), None);
    }
}
