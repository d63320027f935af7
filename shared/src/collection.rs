//! Collections (API.md A.1): `{href, offset, limit, size, items}` with `offset`/`limit`
//! paging and an `orderBy` whitelist. User text never reaches SQL: `orderBy` is resolved to one
//! of the resource's own [`OrderBy`] values, and each service maps that to a diesel column.

use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::params::Params;

pub const DEFAULT_LIMIT: i64 = 25;
pub const MAX_LIMIT: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: i64,
    pub limit: i64,
}

impl Page {
    pub fn from_params(p: &Params) -> ApiResult<Self> {
        let offset = p.i64("offset")?.unwrap_or(0);
        let limit = p.i64("limit")?.unwrap_or(DEFAULT_LIMIT);
        if offset < 0 {
            return Err(ApiError::bad_request("offset must be >= 0"));
        }
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        Ok(Self { offset, limit })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

/// A validated `orderBy`: the index of the field in the resource's whitelist and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderBy<'a> {
    pub field: &'a str,
    pub direction: Direction,
}

impl<'a> OrderBy<'a> {
    /// Parses `"<field> [asc|desc]"` against `whitelist`; `None` when absent.
    pub fn parse(raw: Option<&str>, whitelist: &[&'a str]) -> ApiResult<Option<Self>> {
        let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let mut words = raw.split_whitespace();
        let (field, dir, rest) = (words.next(), words.next(), words.next());
        let field = field.and_then(|f| whitelist.iter().find(|w| **w == f)).ok_or_else(|| {
            ApiError::bad_request(format!(
                "orderBy must be one of {} with asc or desc",
                whitelist.join(", ")
            ))
        })?;
        let direction = match dir.map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => Direction::Asc,
            Some("desc") => Direction::Desc,
            Some(_) => return Err(ApiError::bad_request("orderBy direction must be asc or desc")),
        };
        if rest.is_some() {
            return Err(ApiError::bad_request("orderBy takes one field and one direction"));
        }
        Ok(Some(Self { field, direction }))
    }
}

/// A page of a collection: `offset`/`limit` paging, `size` counts every match.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Collection<T> {
    /// This page's URL.
    #[schema(format = "uri")]
    pub href: String,
    /// Index of the first item returned.
    #[schema(minimum = 0)]
    pub offset: i64,
    /// Page size asked for.
    #[schema(minimum = 1, maximum = 100)]
    pub limit: i64,
    /// Total number of matching items (not just this page).
    #[schema(minimum = 0)]
    pub size: i64,
    pub items: Vec<T>,
}

impl<T> Collection<T> {
    pub fn new(href: String, page: Page, size: i64, items: Vec<T>) -> Self {
        Self {
            href,
            offset: page.offset,
            limit: page.limit,
            size,
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn paging_defaults_and_bounds() {
        assert_eq!(Page::from_params(&params(&[])).unwrap(), Page { offset: 0, limit: 25 });
        for bad in [("limit", "0"), ("limit", "101"), ("offset", "-1"), ("limit", "x")] {
            assert_eq!(Page::from_params(&params(&[bad])).unwrap_err().code, 4000, "{bad:?}");
        }
    }

    #[test]
    fn order_by_accepts_only_whitelisted_fields() {
        let wl = ["id", "name", "createdAt"];
        assert_eq!(
            OrderBy::parse(Some("name desc"), &wl).unwrap(),
            Some(OrderBy {
                field: "name",
                direction: Direction::Desc
            })
        );
        assert_eq!(
            OrderBy::parse(Some("id"), &wl).unwrap().unwrap().direction,
            Direction::Asc
        );
        assert_eq!(OrderBy::parse(None, &wl).unwrap(), None);
        for bad in ["name; DROP TABLE x", "secret asc", "name sideways", "name asc extra"] {
            assert!(OrderBy::parse(Some(bad), &wl).is_err(), "{bad}");
        }
    }
}
