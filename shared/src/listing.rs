//! One way to list a resource: the resource declares, once and next to its table, the filters
//! its collection takes and the fields it can be ordered by ([`Listing`]); [`Listing::parse`]
//! turns the query string into a [`ListRequest`], [`Listing::fetch`] runs the count and the
//! page on either backend, and [`ListRequest::collection`] shapes the answer (API.md A.1).
//! [`Listing::parameters`] describes the same filters in the OpenAPI document, so the two
//! cannot drift.
//!
//! User text never reaches SQL: a filter's value is bound by its diesel expression, and
//! `orderBy` names one of the declared sorts (see [`OrderBy::parse`]).
//!
//! ```ignore
//! pub static TRADES: Listing<Query> = Listing {
//!     filters: &[
//!         Filter::text("tractionNo", "The pay order's traction number.", |q, v| q.filter(t::traction_no.eq(v))),
//!         Filter::time("startTime", "Traded at or after.", |q, v| q.filter(t::trade_at.ge(v))),
//!     ],
//!     sorts: &[Sort::new("tradeAt", |q, d| d.order(q, t::trade_at, t::id))],
//!     default_sort: |q, d| d.order1(q, t::id),
//!     merchant: Some(|q, v| q.filter(t::merchant_uuid.eq(v))),
//! };
//! ```

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use diesel::dsl::CountStar;
use diesel::expression::Expression;
use diesel::query_dsl::methods::{LimitDsl, OffsetDsl, OrderDsl, SelectDsl};
use diesel::query_dsl::{LoadQuery, QueryDsl, RunQueryDsl};
use diesel::{ExpressionMethods, QueryResult};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};

use crate::auth::Caller;
use crate::collection::{Collection, DEFAULT_LIMIT, Direction, MAX_LIMIT, OrderBy, Page};
use crate::db::{Database, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::href::BaseUrl;
use crate::params::Params;
use crate::time::Clock;

/// What a filter accepts and how its value narrows the query.
pub enum Apply<Q> {
    /// Any text (an id, a number the seed treats as text).
    Text(fn(Q, String) -> Q),
    /// One of the listed values.
    OneOf(&'static [&'static str], fn(Q, String) -> Q),
    /// `0` or `1`.
    Flag(fn(Q, i32) -> Q),
    /// `YYYY-MM-DD HH:mm:ss` in the display offset, or epoch milliseconds.
    Time(fn(Q, i64) -> Q),
}

// Function pointers are `Copy` whatever `Q` is; a derive would ask `Q: Copy`.
impl<Q> Clone for Apply<Q> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Q> Copy for Apply<Q> {}

/// One query-string filter of a collection.
pub struct Filter<Q> {
    pub name: &'static str,
    pub doc: &'static str,
    pub apply: Apply<Q>,
}

impl<Q> Filter<Q> {
    pub const fn text(name: &'static str, doc: &'static str, apply: fn(Q, String) -> Q) -> Self {
        Self {
            name,
            doc,
            apply: Apply::Text(apply),
        }
    }
    pub const fn one_of(
        name: &'static str,
        doc: &'static str,
        values: &'static [&'static str],
        apply: fn(Q, String) -> Q,
    ) -> Self {
        Self {
            name,
            doc,
            apply: Apply::OneOf(values, apply),
        }
    }
    pub const fn flag(name: &'static str, doc: &'static str, apply: fn(Q, i32) -> Q) -> Self {
        Self {
            name,
            doc,
            apply: Apply::Flag(apply),
        }
    }
    pub const fn time(name: &'static str, doc: &'static str, apply: fn(Q, i64) -> Q) -> Self {
        Self {
            name,
            doc,
            apply: Apply::Time(apply),
        }
    }
}

/// One field `orderBy` may name.
pub struct Sort<Q> {
    pub name: &'static str,
    pub apply: fn(Q, Direction) -> Q,
}

impl<Q> Sort<Q> {
    pub const fn new(name: &'static str, apply: fn(Q, Direction) -> Q) -> Self {
        Self { name, apply }
    }
}

impl Direction {
    /// Orders by `column` in this direction, then by the unique `tiebreak` (the row id) the same
    /// way, so pages never overlap.
    pub fn order<Q, C, T>(self, q: Q, column: C, tiebreak: T) -> Q
    where
        C: ExpressionMethods,
        T: ExpressionMethods,
        Q: OrderDsl<(diesel::dsl::Asc<C>, diesel::dsl::Asc<T>), Output = Q>
            + OrderDsl<(diesel::dsl::Desc<C>, diesel::dsl::Desc<T>), Output = Q>,
    {
        match self {
            Direction::Asc => q.order((column.asc(), tiebreak.asc())),
            Direction::Desc => q.order((column.desc(), tiebreak.desc())),
        }
    }

    /// Orders by one unique column (the row id).
    pub fn order1<Q, C>(self, q: Q, column: C) -> Q
    where
        C: ExpressionMethods,
        Q: OrderDsl<diesel::dsl::Asc<C>, Output = Q> + OrderDsl<diesel::dsl::Desc<C>, Output = Q>,
    {
        match self {
            Direction::Asc => q.order(column.asc()),
            Direction::Desc => q.order(column.desc()),
        }
    }
}

/// A boxed diesel select of `R` rows that a [`Listing`] can count and page, on either backend.
/// One bound for what would otherwise be four diesel bounds on every generic list function.
pub trait ListQuery<R>: Sized {
    /// `SELECT COUNT(*)` of the query.
    fn count_rows(self, conn: &mut DbConnection) -> QueryResult<i64>;
    /// The rows of one page of the (ordered) query.
    fn load_page(self, page: Page, conn: &mut DbConnection) -> QueryResult<Vec<R>>;
}

impl<Q, R> ListQuery<R> for Q
where
    Q: QueryDsl + SelectDsl<CountStar> + OffsetDsl<Output = Q> + LimitDsl<Output = Q>,
    <Q as SelectDsl<CountStar>>::Output: for<'a> LoadQuery<'a, DbConnection, i64>,
    Q: for<'a> LoadQuery<'a, DbConnection, R>,
    CountStar: Expression,
{
    fn count_rows(self, conn: &mut DbConnection) -> QueryResult<i64> {
        SelectDsl::select(self, diesel::dsl::count_star()).get_result::<i64>(conn)
    }

    fn load_page(self, page: Page, conn: &mut DbConnection) -> QueryResult<Vec<R>> {
        LimitDsl::limit(OffsetDsl::offset(self, page.offset), page.limit).load::<R>(conn)
    }
}

/// A [`Listing`] of the table whose `dsl` module is `$t`, written as what differs: each filter
/// (`kind(name, doc[, values]): column op`, its query `column.op(value)`), the sorts after `id`
/// (`name: column`, ties broken by `id`; `id` is the default order) and, for rows that belong
/// to a merchant, the column holding it. The listings of the services used to spell each
/// closure out, the same `q.filter(...)` and `d.order(...)` line after line.
///
/// ```ignore
/// pub static TEMPLATES: Listing<Query> = payserver_shared::listing! {
///     t;
///     filters: [
///         one_of("status", "Exact match.", Status::ALL): status eq,
///         text("name", "Exact match."): name eq,
///     ],
///     sorts: ["name": name, "createdAt": created_at],
/// };
/// ```
#[macro_export]
macro_rules! listing {
    (@merchant $t:ident) => {
        None
    };
    (@merchant $t:ident $merchant:ident) => {
        Some(|q, v| q.filter($t::$merchant.eq(v)))
    };
    (
        $t:ident;
        filters: [$($kind:ident($name:literal, $doc:literal $(, $values:expr)?): $column:ident $op:ident),* $(,)?],
        sorts: [$($sort:literal: $sort_column:ident),* $(,)?]
        $(, merchant: $merchant:ident)? $(,)?
    ) => {
        $crate::listing::Listing {
            filters: &[$(
                $crate::listing::Filter::$kind($name, $doc, $($values,)? |q, v| q.filter($t::$column.$op(v)))
            ),*],
            sorts: &[
                $crate::listing::Sort::new("id", |q, d| d.order1(q, $t::id)),
                $($crate::listing::Sort::new($sort, |q, d| d.order(q, $t::$sort_column, $t::id))),*
            ],
            default_sort: |q, d| d.order1(q, $t::id),
            merchant: $crate::listing!(@merchant $t $($merchant)?),
        }
    };
}

/// A resource's collection: its filters, its sorts, its default order and, for resources that
/// belong to a merchant, how to keep a caller to its own rows.
pub struct Listing<Q: 'static> {
    pub filters: &'static [Filter<Q>],
    pub sorts: &'static [Sort<Q>],
    /// The order without `orderBy` (and the direction's meaning for an unknown field).
    pub default_sort: fn(Q, Direction) -> Q,
    /// Narrows to one merchant's rows; `None` for resources that belong to nobody.
    pub merchant: Option<fn(Q, String) -> Q>,
}

#[derive(Clone, Debug)]
enum Value {
    Text(String),
    Int(i64),
}

/// A parsed list call: which filters hold which values, the order and the page. Handlers may
/// pin a filter (the parent of a sub-collection) or the merchant before fetching.
#[derive(Clone, Debug)]
pub struct ListRequest {
    values: Vec<(&'static str, Value)>,
    sort: Option<(&'static str, Direction)>,
    pub page: Page,
    /// Only this merchant's rows (from the caller, see `Caller::list_scope` in each service).
    pub merchant: Option<String>,
}

impl ListRequest {
    /// Pins a text filter to `value` (a path's parent id), whatever the query string said.
    pub fn pin(&mut self, name: &'static str, value: impl Into<String>) {
        self.values.retain(|(n, _)| *n != name);
        self.values.push((name, Value::Text(value.into())));
    }

    /// The text value a filter holds (after parsing or pinning).
    pub fn text(&self, name: &str) -> Option<&str> {
        self.values.iter().find_map(|(n, v)| match v {
            Value::Text(s) if *n == name => Some(s.as_str()),
            _ => None,
        })
    }

    /// The collection answer for `items`: href of this very request, its page and the total.
    pub fn collection<T>(&self, base: &BaseUrl, req: &HttpRequest, size: i64, items: Vec<T>) -> Collection<T> {
        Collection::new(base.request_href(req), self.page, size, items)
    }
}

impl<Q: 'static> Listing<Q> {
    /// The names `orderBy` may take.
    pub fn sort_names(&self) -> Vec<&'static str> {
        self.sorts.iter().map(|s| s.name).collect()
    }

    /// Reads paging, `orderBy` and every declared filter from `params` (400 on a bad value).
    /// The merchant scope is the caller's business: set [`ListRequest::merchant`].
    pub fn parse(&self, params: &Params, clock: &Clock) -> ApiResult<ListRequest> {
        let page = Page::from_params(params)?;
        let names = self.sort_names();
        let sort = OrderBy::parse(params.str("orderBy"), &names)?.map(|o| (o.field, o.direction));
        let mut values = Vec::new();
        for f in self.filters {
            let value = match f.apply {
                Apply::Text(_) => params.str(f.name).map(|s| Value::Text(s.to_string())),
                Apply::OneOf(allowed, _) => params.one_of(f.name, allowed)?.map(Value::Text),
                Apply::Flag(_) => params.flag(f.name)?.map(|v| Value::Int(i64::from(v))),
                Apply::Time(_) => params.time(clock, f.name)?.map(Value::Int),
            };
            if let Some(v) = value {
                values.push((f.name, v));
            }
        }
        Ok(ListRequest {
            values,
            sort,
            page,
            merchant: None,
        })
    }

    /// [`Listing::parse`], kept to the caller's merchant (a merchant: its own; an admin: the
    /// one named by `merchantUUID`/`merchantHref`, or all).
    pub fn parse_for(&self, caller: &crate::auth::Caller, params: &Params, clock: &Clock) -> ApiResult<ListRequest> {
        let mut req = self.parse(params, clock)?;
        if self.merchant.is_some() {
            req.merchant = caller.list_scope(params.named_merchant()?.as_deref())?;
        }
        Ok(req)
    }

    /// `base` narrowed by every filter the request holds.
    pub fn filtered(&self, mut q: Q, req: &ListRequest) -> Q {
        if let (Some(apply), Some(m)) = (self.merchant, &req.merchant) {
            q = apply(q, m.clone());
        }
        for (name, value) in &req.values {
            let Some(f) = self.filters.iter().find(|f| f.name == *name) else {
                continue;
            };
            q = match (f.apply, value.clone()) {
                (Apply::Text(apply) | Apply::OneOf(_, apply), Value::Text(v)) => apply(q, v),
                (Apply::Flag(apply), Value::Int(v)) => apply(q, i32::try_from(v).unwrap_or_default()),
                (Apply::Time(apply), Value::Int(v)) => apply(q, v),
                // A pinned text on a non-text filter cannot be built by `parse`; pinning is for
                // text filters only.
                _ => q,
            };
        }
        q
    }

    /// `base` filtered and ordered (no paging): for exports and in-process use.
    pub fn ordered(&self, q: Q, req: &ListRequest) -> Q {
        let q = self.filtered(q, req);
        match req.sort {
            Some((name, dir)) => match self.sorts.iter().find(|s| s.name == name) {
                Some(s) => (s.apply)(q, dir),
                None => (self.default_sort)(q, dir),
            },
            None => (self.default_sort)(q, Direction::Asc),
        }
    }

    /// The total number of matching rows and the requested page of them, selected as `R`.
    /// `base` builds the unfiltered (boxed) query of the table; it is called twice, once for
    /// the count and once for the page.
    pub fn fetch<R>(
        &self,
        conn: &mut DbConnection,
        base: impl Fn() -> Q,
        req: &ListRequest,
    ) -> QueryResult<(i64, Vec<R>)>
    where
        Q: ListQuery<R>,
    {
        let size = self.filtered(base(), req).count_rows(conn)?;
        let items = self.ordered(base(), req).load_page(req.page, conn)?;
        Ok((size, items))
    }

    /// [`Listing::fetch`] on a pooled connection off the async workers, errors as envelopes.
    pub async fn page<R>(
        &'static self,
        db: &Database,
        base: impl Fn() -> Q + Send + 'static,
        req: &ListRequest,
    ) -> ApiResult<(i64, Vec<R>)>
    where
        Q: ListQuery<R>,
        R: Send + 'static,
    {
        let req = req.clone();
        crate::query::run(db, move |conn| self.fetch(conn, base, &req)).await
    }

    /// The query-string parameters of this collection, for the OpenAPI document.
    pub fn parameters(&self) -> Vec<Parameter> {
        let query = |name: &str, doc: String, schema: ObjectBuilder| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(doc))
                .schema(Some(schema))
                .build()
        };
        let text = || ObjectBuilder::new().schema_type(Type::String);
        let mut out = vec![
            query(
                "offset",
                "How many items to skip (default 0).".into(),
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int64,
                    )))
                    .minimum(Some(0)),
            ),
            query(
                "limit",
                format!("Page size, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})."),
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int64,
                    )))
                    .minimum(Some(1))
                    .maximum(Some(MAX_LIMIT)),
            ),
        ];
        if !self.sorts.is_empty() {
            let mut orders = Vec::new();
            for s in self.sorts {
                orders.extend([
                    s.name.to_string(),
                    format!("{} asc", s.name),
                    format!("{} desc", s.name),
                ]);
            }
            out.push(query(
                "orderBy",
                format!("`<field> [asc|desc]`, field one of {}.", self.sort_names().join(", ")),
                text().enum_values(Some(orders)),
            ));
        }
        for f in self.filters {
            let schema = match f.apply {
                Apply::Text(_) => text(),
                Apply::OneOf(values, _) => text().enum_values(Some(values.iter().copied())),
                Apply::Flag(_) => ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .enum_values(Some([0, 1])),
                Apply::Time(_) => text().description(Some("`YYYY-MM-DD HH:mm:ss` or epoch milliseconds")),
            };
            out.push(query(f.name, f.doc.to_string(), schema));
        }
        if self.merchant.is_some() {
            out.push(query(
                "merchantUUID",
                "Admins: only this merchant's items (merchants always see only their own).".into(),
                text(),
            ));
            out.push(query(
                "merchantHref",
                "As merchantUUID, by the merchant's href (its last segment).".into(),
                text(),
            ));
        }
        out
    }
}

/// What every list handler extracts, in one argument: the caller, the request's parameters
/// (query string and GET body), the public base and the request (a collection's `href` is the
/// request's own URL). The caller is read first, so a bad token is a 401 whatever the
/// parameters say, as with separate extractors.
///
/// A handler takes `call: ListCall` (plus its state, and `web::Path` for a sub-collection),
/// checks the caller's role, parses with [`ListCall::parse`], pins a sub-collection's parent
/// ([`ListRequest::pin`]) and answers with [`ListCall::answer`] (or, when the views need more
/// than the row, [`Listing::page`] then [`ListCall::respond`]):
///
/// ```ignore
/// pub(crate) async fn list(call: ListCall, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
///     call.caller.require_merchant_or_admin()?;
///     let query = call.parse(&MEMBERS, &state.clock)?;
///     call.answer(&MEMBERS, &state.db, repo::all, &query, |m| MemberView::new(m, &call.base, &state.clock))
///         .await
/// }
/// ```
///
/// Its `#[utoipa::path]` lists the collection's parameters with [`list_params!`] (and
/// [`crate::path::UuidPath`] for a `{uuid}` parent).
pub struct ListCall {
    pub caller: Caller,
    pub params: Params,
    pub base: BaseUrl,
    pub req: HttpRequest,
}

impl ListCall {
    /// The list call for `listing`, kept to the caller's merchant (see [`Listing::parse_for`]).
    pub fn parse<Q>(&self, listing: &Listing<Q>, clock: &Clock) -> ApiResult<ListRequest> {
        listing.parse_for(&self.caller, &self.params, clock)
    }

    /// `200` with the collection of `items`, a page of `size` matches in all.
    pub fn respond<T: serde::Serialize>(&self, query: &ListRequest, size: i64, items: Vec<T>) -> HttpResponse {
        HttpResponse::Ok().json(query.collection(&self.base, &self.req, size, items))
    }

    /// The page `query` asks of `listing` (over `base`, see [`Listing::fetch`]), each row shown
    /// by `view`, as the `200` answer: the whole of a list handler after its checks.
    pub async fn answer<Q, R, T: serde::Serialize>(
        &self,
        listing: &'static Listing<Q>,
        db: &Database,
        base: impl Fn() -> Q + Send + 'static,
        query: &ListRequest,
        view: impl FnMut(R) -> T,
    ) -> ApiResult<HttpResponse>
    where
        Q: ListQuery<R>,
        R: Send + 'static,
    {
        let (size, rows) = listing.page(db, base, query).await?;
        Ok(self.respond(query, size, rows.into_iter().map(view).collect()))
    }
}

impl FromRequest for ListCall {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<ListCall, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = Caller::extract(req).into_inner();
        let params = Params::from_request(req, payload);
        let (base, req) = (BaseUrl::from_request(req), req.clone());
        Box::pin(async move {
            Ok(ListCall {
                caller: caller?,
                params: params.await?,
                base,
                req,
            })
        })
    }
}

/// Declares a doc-only type whose OpenAPI query parameters are a [`Listing`]'s, for
/// `#[utoipa::path(params(...))]`: `list_params!(pub(crate) TradeListParams, TRADES);`.
#[macro_export]
macro_rules! list_params {
    ($(#[$meta:meta])* $vis:vis $name:ident, $listing:expr) => {
        $(#[$meta])*
        /// Doc-only: the query parameters of a collection, from its listing.
        $vis struct $name;

        impl utoipa::IntoParams for $name {
            fn into_params(
                _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
            ) -> Vec<utoipa::openapi::path::Parameter> {
                $listing.parameters()
            }
        }
    };
}
