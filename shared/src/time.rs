//! Times are stored as UTC epoch milliseconds (BIGINT on both backends) and rendered as
//! `YYYY-MM-DD HH:mm:ss` in the configured display offset (API.md A.1).

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Now, in UTC epoch milliseconds.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Parses `+08:00`, `-05:30` or `Z`.
pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    if s == "Z" || s == "+00:00" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// Renders and parses times in one display offset.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    offset: FixedOffset,
}

impl Clock {
    pub fn new(offset: FixedOffset) -> Self {
        Self { offset }
    }

    /// From the settings' `display_offset` (validated at load).
    pub fn from_settings(settings: &crate::config::Settings) -> Self {
        Self::new(
            parse_offset(&settings.display_offset)
                .unwrap_or_else(|| FixedOffset::east_opt(8 * 3600).expect("valid offset")),
        )
    }

    pub fn render(&self, ms: i64) -> String {
        match Utc.timestamp_millis_opt(ms).single() {
            Some(t) => t.with_timezone(&self.offset).format(FORMAT).to_string(),
            None => String::new(),
        }
    }

    pub fn render_opt(&self, ms: Option<i64>) -> Option<String> {
        ms.map(|ms| self.render(ms))
    }

    /// A time filter: `YYYY-MM-DD HH:mm:ss` in the display offset, or 13-digit epoch ms.
    pub fn parse_filter(&self, s: &str) -> Option<i64> {
        let s = s.trim();
        if s.len() == 13 && s.bytes().all(|b| b.is_ascii_digit()) {
            return s.parse().ok();
        }
        let naive = NaiveDateTime::parse_from_str(s, FORMAT).ok()?;
        let local: DateTime<FixedOffset> = self.offset.from_local_datetime(&naive).single()?;
        Some(local.timestamp_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::new(parse_offset("+08:00").unwrap())
    }

    #[test]
    fn renders_in_the_display_offset() {
        // 2018-07-11 07:53:45 UTC
        assert_eq!(clock().render(1_531_295_625_000), "2018-07-11 15:53:45");
    }

    #[test]
    fn parses_both_filter_forms_to_the_same_instant() {
        let c = clock();
        assert_eq!(c.parse_filter("2018-07-11 15:53:45"), Some(1_531_295_625_000));
        assert_eq!(c.parse_filter("1531295625000"), Some(1_531_295_625_000));
        assert_eq!(c.parse_filter("2018-13-11 15:53:45"), None);
        assert_eq!(c.parse_filter("yesterday"), None);
    }

    #[test]
    fn offsets_parse_strictly() {
        assert!(parse_offset("+08:00").is_some());
        assert!(parse_offset("-05:30").is_some());
        assert!(parse_offset("08:00").is_none());
        assert!(parse_offset("+25:00").is_none());
    }
}
