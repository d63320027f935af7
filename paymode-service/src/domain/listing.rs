//! Listing rules beyond the collection's [`PAY_MODES`](crate::db::pay_modes::PAY_MODES):
//! `expand`, and the order of the unopened templates in `listAllPayModes`.

use payserver_shared::collection::{Direction, OrderBy};

use super::fields::invalid;
use super::template::Template;
use crate::error::Error;

/// The links `expand` may name.
pub const EXPANDABLE: [&str; 1] = ["payModeTemplate"];

/// `true` when `expand` names `payModeTemplate`; any other name is a 400.
pub fn expand_template(raw: Option<&str>) -> Result<bool, Error> {
    let mut template = false;
    for name in raw
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if name == EXPANDABLE[0] {
            template = true;
        } else {
            return Err(invalid(format!("expand must name one of {}", EXPANDABLE.join(", "))));
        }
    }
    Ok(template)
}

/// Orders the unopened templates of `listAllPayModes` like the merchant's modes: by name or
/// time when asked, else (`id`, `uiOrder` — templates have no uiOrder — or no `orderBy`) by the
/// template's id; ties by id.
pub fn sort_templates(templates: &mut [Template], order: Option<OrderBy>) {
    let (field, direction) = order.map_or(("id", Direction::Asc), |o| (o.field, o.direction));
    templates.sort_by(|a, b| {
        let by_field = match field {
            "name" => a.name.cmp(&b.name),
            // "YYYY-MM-DD HH:mm:ss" in one offset sorts as text.
            "createdAt" => a.created_at.cmp(&b.created_at),
            "modifiedAt" => a.modified_at.cmp(&b.modified_at),
            _ => std::cmp::Ordering::Equal,
        };
        let ordering = by_field.then(a.id.cmp(&b.id));
        if direction == Direction::Desc {
            ordering.reverse()
        } else {
            ordering
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::pay_modes::PAY_MODES;
    use crate::domain::template::tests::template;

    #[test]
    fn expand_accepts_only_the_template_link() {
        assert!(!expand_template(None).unwrap());
        assert!(expand_template(Some("payModeTemplate")).unwrap());
        assert!(expand_template(Some(" payModeTemplate , ")).unwrap());
        assert!(expand_template(Some("payMode")).is_err());
        assert!(expand_template(Some("payModeTemplate,merchant")).is_err());
    }

    #[test]
    fn templates_sort_by_id_for_ui_order_and_by_name_when_asked() {
        let mk = |id: i64, name: &str| Template {
            id,
            name: name.into(),
            ..template("T")
        };
        let mut ts = vec![mk(2, "b"), mk(3, "a"), mk(1, "c")];
        let ids = |ts: &[Template]| ts.iter().map(|t| t.id).collect::<Vec<_>>();
        let fields = PAY_MODES.sort_names();
        sort_templates(&mut ts, OrderBy::parse(Some("uiOrder desc"), &fields).unwrap());
        assert_eq!(ids(&ts), [3, 2, 1]);
        sort_templates(&mut ts, OrderBy::parse(Some("name"), &fields).unwrap());
        assert_eq!(ids(&ts), [3, 2, 1]);
        sort_templates(&mut ts, None);
        assert_eq!(ids(&ts), [1, 2, 3]);
    }
}
