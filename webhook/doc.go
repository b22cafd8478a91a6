// Package webhook connects task flows to a shop's own systems over HTTP:
// Client implements flow.Backend by calling the shop's webhook, and Server
// serves the same contract in front of any flow.Backend (the demo shop
// mounts it; a shop can read it as the reference implementation).
//
// # The contract
//
// Assist calls one URL per action, under the base URL configured as
// dialog.webhook.url:
//
//	POST {url}/actions/{action}
//	Content-Type: application/json
//	X-Assist-Idempotency-Key: <key>
//	X-Assist-Timestamp: <unix seconds>
//	X-Assist-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//
// The body is a flow.Request:
//
//	{"action": "cancel_order", "tenant_id": "…", "conversation_id": "…",
//	 "customer_ref": "demo-customer-1", "lang": "zh",
//	 "params": {"order_id": "DD202611050002"}, "idempotency_key": "…"}
//
// The signature headers are sent only when a secret is configured
// (dialog.webhook.secret); the shop recomputes the HMAC over the exact
// bytes of the body, compares in constant time, and refuses a timestamp
// more than five minutes away from its clock (replays). The idempotency
// key is the same on every attempt of one step of one conversation: a
// shop that stores the first result per key and returns it for a repeat
// changes an order once however often the call is retried.
//
// The answer is a flow.Result, status 200:
//
//	{"status": "ok", "data": {"order_id": "DD202611050002", "refund_amount": "599.00 CNY"}}
//
// status is "ok" or a business outcome (not_found, not_yours, not_allowed,
// already_done, not_shipped, invalid_address, no_refund): the flow
// branches on it. Sums of money in data are strings in assist.Money's
// text form, the decimal amount and the ISO 4217 code ("599.00 CNY",
// "1200 JPY"), never JSON numbers: Assist reads them with
// assist.ParseMoney into integer minor units, and a JSON number in data
// is kept as its exact decimal text, never rounded through a float.
// A business outcome is a 200, never a 4xx. status is
// required, lower-case letters, digits and underscores; data is an
// object of plain JSON values; no other top-level field is accepted, and
// an answer over 1 MiB is refused.
//
// Other HTTP statuses, and what Client makes of them:
//
//	400  the request is invalid (missing or malformed param)  EINVALID, not retried
//	401  bad or missing signature, stale timestamp             EUNAVAILABLE, not retried
//	404  the shop does not know the action                     ENOTFOUND, not retried
//	409  the idempotency key was used for a different call     ECONFLICT, not retried
//	429  slow down                                             retried
//	5xx  the shop failed                                       retried, then EUNAVAILABLE
//
// Error answers carry {"code": "…", "message": "…"}, which Client does not
// pass on. A timeout (dialog.webhook.timeout per attempt) or a network
// error is retried like a 5xx, dialog.webhook.retries extra times, with
// jittered exponential backoff; anything else that is not the contract
// (another status, malformed JSON, a missing status) is EUNAVAILABLE at
// once. Errors and logs name the action and the HTTP status, never the
// parameters, the secret or the URL's query.
package webhook
