//! Route shapes the services repeat, declared once.
//!
//! - A merchant-owned collection: the boxed query its listing runs
//!   ([`row_query!`](crate::row_query)), what one collection differs in ([`Listed`]) and its
//!   read routes ([`collection_routes!`](crate::collection_routes)): `GET /<collection>`,
//!   `GET /<collection>/{uuid}` and the sub-collections `GET /<parent>/{uuid}/<collection>`.
//!   How a sub-collection's parent is checked stays the service's own (the `under` function
//!   the macro is given): each service knows its parents.
//! - An order service's write routes ([`order_routes!`](crate::order_routes)): one order
//!   (`/pay`, `/refund`), a batch of them (`/batchPay`, `/batchRefund`) and a connector's
//!   notification (`/payNotify`, `/refundNotify`).
//!
//! payorder-service (pay orders, trade records) and refund-service (refund orders) used to write
//! each of these handlers, with its `#[utoipa::path]`, by hand: the same checks, the same
//! parameters and the same answers, route after route and service after service. The macros
//! write the handlers and their OpenAPI operations from the names, texts and functions that
//! make one route different from another.

use actix_web::HttpResponse;
use diesel::QueryResult;
use serde::Serialize;

use crate::auth::Caller;
use crate::db::{Database, DbConnection};
use crate::error::ApiResult;
use crate::href::BaseUrl;
use crate::listing::{ListCall, ListQuery, ListRequest, Listing};
use crate::time::Clock;
use crate::visible::visible;

/// One collection of a service: its listing and unfiltered query, how a row is found and shown,
/// and whose it is.
pub struct Listed<Q: 'static, R, T> {
    pub listing: &'static Listing<Q>,
    pub all: fn() -> Q,
    pub view: fn(&R, &BaseUrl, &Clock) -> T,
    pub by_uuid: fn(&mut DbConnection, &str) -> QueryResult<Option<R>>,
    /// The merchant a row belongs to.
    pub owner: fn(&R) -> &str,
    /// The resource's name in a 404 (`"{what} not found"`).
    pub what: &'static str,
}

impl<Q, R, T> Listed<Q, R, T>
where
    Q: ListQuery<R>,
    R: Send + 'static,
    T: Serialize,
{
    /// The list call parsed for this collection, kept to the caller's merchant.
    pub fn parse(&self, clock: &Clock, call: &ListCall) -> ApiResult<ListRequest> {
        call.parse(self.listing, clock)
    }

    /// The page `query` asks for, each row in its view.
    pub async fn answer(
        &self,
        db: &Database,
        clock: &Clock,
        call: &ListCall,
        query: &ListRequest,
    ) -> ApiResult<HttpResponse> {
        let view = |row: R| (self.view)(&row, &call.base, clock);
        call.answer(self.listing, db, self.all, query, view).await
    }

    /// `GET /<collection>`, for a caller whose role the route has checked.
    pub async fn list(&self, db: &Database, clock: &Clock, call: &ListCall) -> ApiResult<HttpResponse> {
        let query = self.parse(clock, call)?;
        self.answer(db, clock, call, &query).await
    }

    /// The row `uuid` names if the caller may see it, else 404 (another merchant's row is as
    /// unknown as a missing one).
    pub async fn visible(&self, db: &Database, caller: &Caller, uuid: String) -> ApiResult<R> {
        let by_uuid = self.by_uuid;
        let row = crate::query::run(db, move |c| by_uuid(c, &uuid)).await?;
        visible(caller, row, self.owner, self.what)
    }

    /// `GET /<collection>/{uuid}`, for a caller whose role the route has checked.
    pub async fn get(
        &self,
        db: &Database,
        clock: &Clock,
        caller: &Caller,
        uuid: String,
        base: &BaseUrl,
    ) -> ApiResult<HttpResponse> {
        let row = self.visible(db, caller, uuid).await?;
        Ok(HttpResponse::Ok().json((self.view)(&row, base, clock)))
    }
}

/// Writes the public read handlers of a [`Listed`] collection and their `#[utoipa::path]`
/// operations. Every handler takes the `merchant` or `admin` role; the state type must have
/// `db` and `clock` fields.
///
/// ```ignore
/// payserver_shared::collection_routes! {
///     {
///         tag: "tradeRecords", params: TradeRecordListParams, view: TradeView,
///         state: AppState, list: TRADE_LIST, under: listed::under,
///     }
///     list { path: "/api/v1.0.0/tradeRecords", id: "listTradeRecords", summary: "List trade records" }
///     get { path: "/api/v1.0.0/tradeRecords/{uuid}", id: "getTradeRecord", summary: "Get a trade record",
///         missing: "The trade record is unknown or another merchant's." }
///     list_of_mode { path: "/api/v1.0.0/payModes/{uuid}/tradeRecords", id: "listTradeRecordsOfPayMode",
///         summary: "List the trade records of a pay mode", under: Parent::PayMode,
///         missing: "The pay mode is unknown or another merchant's." }
/// }
/// ```
///
/// An entry with `under` is a sub-collection: `under(&list, parent, &state, &call, path, &rid)`
/// answers it once the parent is checked. An entry with `missing` but no `under` is the `get`
/// of one row; one with neither lists the whole collection. Any entry may end with
/// `description: "..."`, and carry doc comments before its name.
#[macro_export]
macro_rules! collection_routes {
    (@route {
        tag: $tag:literal, params: $params:ident, view: $view:ident,
        state: $state:ident, list: $list:ident, under: $under:path $(,)?
    }
    $(#[$meta:meta])* $name:ident {
        path: $path:literal, id: $id:literal, summary: $summary:literal
        $(, description: $description:literal)? $(,)?
    }) => {
        $crate::collection_routes! {
            @get [$(#[$meta])*] { $path, $id, $tag, $summary, [$($description)?] }
            params($params),
            ok($crate::collection::Collection<$view>) missing[]
            pub(crate) async fn $name(
                call: $crate::listing::ListCall,
                state: actix_web::web::Data<$state>,
            ) -> $crate::ApiResult<actix_web::HttpResponse> {
                call.caller.require_merchant_or_admin()?;
                $list.list(&state.db, &state.clock, &call).await
            }
        }
    };
    (@route {
        tag: $tag:literal, params: $params:ident, view: $view:ident,
        state: $state:ident, list: $list:ident, under: $under:path $(,)?
    }
    $(#[$meta:meta])* $name:ident {
        path: $path:literal, id: $id:literal, summary: $summary:literal, missing: $missing:literal
        $(, description: $description:literal)? $(,)?
    }) => {
        $crate::collection_routes! {
            @get [$(#[$meta])*] { $path, $id, $tag, $summary, [$($description)?] }
            params($crate::path::UuidPath),
            ok($view) missing[$missing]
            pub(crate) async fn $name(
                caller: $crate::auth::Caller,
                path: actix_web::web::Path<String>,
                base: $crate::href::BaseUrl,
                state: actix_web::web::Data<$state>,
            ) -> $crate::ApiResult<actix_web::HttpResponse> {
                caller.require_merchant_or_admin()?;
                let uuid = $crate::path::path_id(path.into_inner())?;
                $list.get(&state.db, &state.clock, &caller, uuid, &base).await
            }
        }
    };
    (@route {
        tag: $tag:literal, params: $params:ident, view: $view:ident,
        state: $state:ident, list: $list:ident, under: $under:path $(,)?
    }
    $(#[$meta:meta])* $name:ident {
        path: $path:literal, id: $id:literal, summary: $summary:literal, under: $parent:expr,
        missing: $missing:literal $(, description: $description:literal)? $(,)?
    }) => {
        $crate::collection_routes! {
            @get [$(#[$meta])*] { $path, $id, $tag, $summary, [$($description)?] }
            params($crate::path::UuidPath, $params),
            ok($crate::collection::Collection<$view>) missing[$missing]
            pub(crate) async fn $name(
                call: $crate::listing::ListCall,
                path: actix_web::web::Path<String>,
                rid: $crate::http::RequestId,
                state: actix_web::web::Data<$state>,
            ) -> $crate::ApiResult<actix_web::HttpResponse> {
                call.caller.require_merchant_or_admin()?;
                $under(&$list, $parent, &state, &call, path, &rid).await
            }
        }
    };
    // The `get` operation every entry is: its path, id, tag, summary and description, then the
    // entry's own `params(...)`, its 200 body and (for an entry that addresses a row or a
    // parent) the description of its 404, on the handler that follows.
    (@get [$(#[$meta:meta])*] {
        $path:literal, $id:literal, $tag:literal, $summary:literal, [$($description:literal)?]
    }
    params $params:tt, ok($($ok:tt)+) missing[$($missing:literal)?] $handler:item) => {
        $crate::tagged_routes! {
            $tag;
            $(#[$meta])*
            get $path, $id, $summary {
                $(description = $description,)?
                params $params,
                responses(
                    (status = 200, description = "OK", body = $($ok)+)
                    $(, (status = 404, description = $missing, body = $crate::ApiError))?
                )
            }
            $handler
        }
    };
    // Last: the arms above match the `@route` calls this one makes.
    ($header:tt $($(#[$meta:meta])* $name:ident $entry:tt)+) => {
        $($crate::collection_routes!(@route $header $(#[$meta])* $name $entry);)+
    };
}

/// Declares a table's listing query: `Query`, the table's rows selected as `$row` and boxed so
/// filters can be added one by one (what a [`Listing`] runs), and `all()`, the unfiltered one.
///
/// ```ignore
/// payserver_shared::row_query!(trade_records -> TradeRow);
/// ```
#[macro_export]
macro_rules! row_query {
    ($table:ident -> $row:ident) => {
        /// The table's rows, selected as its row struct, boxed so filters can be added one by one.
        pub type Query = diesel::dsl::IntoBoxed<
            'static,
            diesel::dsl::Select<$table::table, diesel::dsl::AsSelect<$row, $crate::db::DbBackend>>,
            $crate::db::DbBackend,
        >;

        /// Every row, unfiltered.
        pub fn all() -> Query {
            use diesel::{QueryDsl, SelectableHelper};
            $table::table.select($row::as_select()).into_boxed()
        }
    };
}

/// Writes an order service's write handlers and their `#[utoipa::path]` operations (all
/// `post`, all traced with `skip_all`):
///
/// - `one`: one order; the merchant or admin role, the body's `validate()` (its error a 400),
///   `run(&state, &caller, valid, &rid)` and `200` with `answer(&row, &base, &clock)`;
/// - `batch`: up to 100 of them; declares the `BatchBody` request (`items`, named `field` in
///   the 400 of an empty or oversized batch, documented as a list of `of`, `one`'s body). Each
///   item is parsed as an `of` (a 400 naming `what` when it does not parse) and processed
///   exactly as its own request (`validate`, then `run`, `state.settings.batch_concurrency` at
///   a time); the answer is `reply { result: [item { key, statusCode, body }] }` in request
///   order, `key` the item's `key_name` as sent and each body what its own request would have
///   answered (a `body` view, or the error). Declares `reply` and `item` too, their fields
///   documented by `key`'s and `status`'s texts;
/// - `notify`: a connector's notification (`body`: the connector contract's answer, documented
///   as [`crate::api_doc::NotifyBody`]); the connector credential,
///   `run(&state, connector, body, &rid)` and `respond(outcome, &base, &clock)`.
///
/// Each entry names its kind and its handler and gives its path, operation id, summary,
/// description and `responses(...)` as in `#[utoipa::path]`; doc comments before the kind stay
/// on the handler (`batch`: on `BatchBody`).
///
/// ```ignore
/// payserver_shared::order_routes! {
///     { tag: "refund", state: AppState }
///     one refund {
///         path: "/api/v1.0.0/refund", id: "refund", summary: "Refund", description: "...",
///         body: RefundBody, responses: ((status = 200, ...), ...),
///         run: refund_core::refund, answer: view::refund_answer,
///     }
///     ...
/// }
/// ```
#[macro_export]
macro_rules! order_routes {
    (@route { tag: $tag:literal, state: $state:ident $(,)? }
    $(#[$meta:meta])* one $name:ident {
        path: $path:literal, id: $id:literal, summary: $summary:literal, description: $description:literal,
        body: $body:ident, responses: $responses:tt, run: $run:path, answer: $answer:path $(,)?
    }) => {
        $crate::order_routes! {
            @post [$(#[$meta])*] { $path, $id, $tag, $summary, $description, [$body], $responses }
            $name(caller, body: $body, base, rid, state: $state) {
                caller.require_merchant_or_admin()?;
                let req = body.into_inner().validate().map_err($crate::ApiError::bad_request)?;
                let row = $run(&state, &caller, req, &rid).await?;
                Ok(actix_web::HttpResponse::Ok().json($answer(&row, &base, &state.clock)))
            }
        }
    };
    (@route { tag: $tag:literal, state: $state:ident $(,)? }
    $(#[$meta:meta])* batch $name:ident {
        path: $path:literal, id: $id:literal, summary: $summary:literal, description: $description:literal,
        request: $request:ident, items: $items:ident, field: $field:literal, of: $body:ident,
        key: $key_name:literal, what: $what:literal, responses: $responses:tt, run: $run:path,
        answer: $answer:path, reply: $reply:ident {
            $result:ident: [$item:ident {
                $key:ident: $key_doc:literal, status: $status_doc:literal, body: $view:ident $(,)?
            }] $(,)?
        } $(,)?
    }) => {
        $(#[$meta])*
        #[derive(serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "camelCase")]
        #[schema(as = $request)]
        pub(crate) struct BatchBody {
            #[schema(value_type = Vec<$body>, min_items = 1, max_items = 100)]
            $items: Vec<serde_json::Value>,
        }

        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        #[serde(rename_all = "camelCase")]
        #[schema(as = $item)]
        pub struct $item {
            #[doc = $key_doc]
            #[schema(required = true)]
            pub $key: Option<String>,
            #[doc = $status_doc]
            pub status_code: u16,
            #[schema(schema_with = $crate::batch_items::ItemBody::<$view>::schema)]
            pub body: $crate::batch_items::ItemBody<$view>,
        }

        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        #[serde(rename_all = "camelCase")]
        #[schema(as = $reply)]
        pub struct $reply {
            /// In request order.
            pub $result: Vec<$item>,
        }

        $crate::order_routes! {
            @post [] { $path, $id, $tag, $summary, $description, [BatchBody], $responses }
            $name(caller, body: BatchBody, base, rid, state: $state) {
                caller.require_merchant_or_admin()?;
                let items = $crate::batch_items::checked(body.into_inner().$items, $field)?;
                // Every item exactly as its own request, under a request id of its own.
                let concurrency = state.settings.batch_concurrency;
                let results = $crate::batch_items::each(items, $key_name, $what, concurrency, |i, item: $body| {
                    let (state, caller) = (state.clone(), caller.clone());
                    let rid = $crate::http::RequestId(format!("{}-{i}", rid.0));
                    async move {
                        let req = item.validate().map_err($crate::ApiError::bad_request)?;
                        $run(&state, &caller, req, &rid).await
                    }
                })
                .await;
                let $result = results
                    .into_iter()
                    .map(|($key, result)| {
                        let (status_code, body) =
                            $crate::batch_items::ItemBody::of(result.map(|r| $answer(&r, &base, &state.clock)));
                        $item {
                            $key,
                            status_code,
                            body,
                        }
                    })
                    .collect();
                Ok(actix_web::HttpResponse::Ok().json($reply { $result }))
            }
        }
    };
    (@route { tag: $tag:literal, state: $state:ident $(,)? }
    $(#[$meta:meta])* notify $name:ident {
        path: $path:literal, id: $id:literal, summary: $summary:literal, description: $description:literal,
        body: $body:ident, responses: $responses:tt, run: $run:path, respond: $respond:path $(,)?
    }) => {
        $crate::order_routes! {
            @post [$(#[$meta])*] { $path, $id, $tag, $summary, $description, [$crate::api_doc::NotifyBody], $responses }
            $name(caller, body: $body, base, rid, state: $state) {
                let connector = caller.connector_name()?;
                let outcome = $run(&state, connector, body.into_inner(), &rid).await?;
                Ok($respond(outcome, &base, &state.clock))
            }
        }
    };
    // The operation and the handler every entry has: `post`, traced with `skip_all`, taking the
    // caller, the JSON body, the base URL, the request id and the state (named by the entry, so
    // its block can use them).
    (@post [$(#[$meta:meta])*] {
        $path:literal, $id:literal, $tag:literal, $summary:literal, $description:literal,
        [$($request_body:tt)+], $responses:tt
    }
    $name:ident($caller:ident, $body:ident: $body_ty:ident, $base:ident, $rid:ident, $state:ident: $state_ty:ident)
    { $($block:tt)* }) => {
        $crate::tagged_routes! {
            $tag;
            $(#[$meta])*
            post $path, $id, $summary {
                description = $description,
                request_body = $($request_body)+,
                responses $responses
            }
            #[tracing::instrument(skip_all)]
            pub(crate) async fn $name(
                $caller: $crate::auth::Caller,
                $body: actix_web::web::Json<$body_ty>,
                $base: $crate::href::BaseUrl,
                $rid: $crate::http::RequestId,
                $state: actix_web::web::Data<$state_ty>,
            ) -> $crate::ApiResult<actix_web::HttpResponse> {
                $($block)*
            }
        }
    };
    // Last: the arms above match the `@route` calls this one makes.
    ($header:tt $($(#[$meta:meta])* $kind:ident $name:ident $entry:tt)+) => {
        $($crate::order_routes!(@route $header $(#[$meta])* $kind $name $entry);)+
    };
}
