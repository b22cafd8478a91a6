// Package demoshop is the built-in demo shop: the order, logistics,
// refund and membership systems of an online shop, small but with real
// business rules, so task flows can be tried and tested without a shop of
// one's own. It stands where a shop's systems stand: Shop implements
// flow.Backend in process, and Handler serves the same actions over the
// webhook contract (package webhook).
//
// The shop keeps its data in a SQLite file of its own (shop.db next to
// the main database), with its own embedded goose migrations, opened
// with store/sqlite's DSN and Migrate. It is a separate file, not tables
// in assist.db, because it stands for systems outside Assist: deleting it
// resets the demo shop without touching conversations, and Assist's
// schema holds nothing that only the demo needs.
//
// # Actions
//
// Every action takes the tenant from the request; order actions answer
// not_found for an unknown order and not_yours when the request carries a
// customer_ref and the order is another customer's. Changing an order
// (cancel_order, change_address, create_return) needs the request's
// customer_ref: knowing an order number is not enough, so without one the
// call is EFORBIDDEN (the shipped flows ask an anonymous customer to sign
// in first and never call).
//
//	get_order       order_id → order_id, status, status_text_zh/en, created_at, total,
//	                items (in the request's language), items_zh/en, skus (the items'
//	                product codes, space-separated), item_count ("2": how many lines
//	                the order has, so a return asks which when several), address, carrier,
//	                carrier_zh/en, tracking_number, eta, eta_day ("today" or "tomorrow"
//	                in the shop's zone when the eta is, else ""), eta_days (whole days
//	                from the shop's today to the eta: "0", "1", "2", …), shipment_status,
//	                shipment_text_zh/en, last_event_*;
//	                a delivered order also delivered_at, return_by (the last day of
//	                its ReturnWindow), returnable ("true"/"false") and quality_returnable
//	                (within QualityWindow), so the return flow turns a late return
//	                down before asking its questions, and its warranty by the
//	                "Warranty" article's categories: warranty_zh/en (each item's
//	                period, last day and service), warranty_terms_zh/en (what the
//	                warranty gives: free repair, postage), warranty_until and in_warranty
//	                ("true"/"false"); every order also warranty_period_zh/en (each
//	                item's warranty period and service, which run from delivery,
//	                without a last day); a paid, shipped or delivered order also
//	                price_protect_until (PriceProtectionWindow after the order),
//	                price_protect_days (that window in whole days: "30") and
//	                price_protectable ("true"/"false"); every order also return_days and
//	                quality_return_days (ReturnWindow and QualityWindow in whole days:
//	                "7", "15"), the windows the flows say, having no figures of their own,
//	                and dispatch_hours, pay_within_minutes and exchange_send_hours
//	                (DispatchWindow in hours, PaymentWindow in minutes, ExchangeSendWindow
//	                in hours: "48", "30", "48")
//	list_orders     (customer_ref) → orders (newest first, at most 20, each with
//	                get_order's status, created_at, total, items, skus, delivered_at and
//	                returnable keys, by which a flow finds the order a customer names
//	                by product, date, status or price, and paid: "false" for an order
//	                never paid, pending or cancelled before payment), count, latest_order_id
//	track_shipment  order_id or tracking_number → carrier, tracking_number, status,
//	                status_text_zh/en, last_event_zh/en, last_event_at, eta, eta_day, eta_days; not_shipped
//	                (with order_id, status, dispatch_hours and pay_within_minutes)
//	cancel_order    order_id → order_id, refund_amount, refund_eta (both empty for an
//	                unpaid order), payment_refund_days (WalletRefundDays: "1–3" business
//	                days to Alipay or WeChat Pay); only pending_payment and paid orders (a paid one is
//	                refunded in full): not_allowed otherwise (with status and the return
//	                windows, return_days and quality_return_days), already_done when cancelled
//	change_address  order_id, address → order_id, address; only before shipping:
//	                not_allowed; invalid_address for an unusable address
//	create_return   order_id, reason, photos (yes/no), items (optional, as quote_return's)
//	                → return_id, order_id, items, items_zh/en (what is returned),
//	                refund_amount, instructions_zh/en, and optionally fee (as quote_return's; without it
//	                the bot calls the postage free only when a no-reason return is); only delivered orders within ReturnWindow (7 days)
//	                of delivery: not_allowed (data.reason not_delivered or window_expired,
//	                with return_days and quality_return_days),
//	                already_done when a return exists; a return of some of the items
//	                leaves the order delivered
//	quote_return    order_id, reason (optional), sealed (optional: yes/no, the factory
//	                seal of electronics accessories), items (optional: the product codes
//	                of the items to return, space-separated as get_order's skus; none
//	                means the whole order; a code the order does not hold is not_allowed
//	                with why not_in_order and the order's items) → everything below
//	                for those items only: items, items_zh/en, reasons (the codes the order's
//	                products allow: a size only for clothing and shoes, no no-reason
//	                return for socks), reasons_zh/en, seal_items (the electronics, in
//	                the request's language), needs_seal ("true" when a no-reason return
//	                of them needs the seal unbroken: ask), and for an allowed return
//	                refund_amount (the items' prices, never more than the order's
//	                total), fee (the ¥12 label fee of a no-reason return, waived
//	                for Gold and Platinum members; "" when none) and return_by (7 days
//	                after delivery, 15 for a quality problem or a wrong item), and always
//	                return_days and quality_return_days (as get_order);
//	                not_allowed with why (reason_not_accepted, not_delivered,
//	                window_expired, opened, not_in_order). create_return takes sealed too and
//	                refunds what quote_return quotes.
//	issue_coupon    reason → code, amount, valid_until: a goodwill coupon by the shop's
//	                playbook (late_delivery ¥10, negative_trend and anger ¥20,
//	                vip_complaint ¥30), one per customer and reason (already_done);
//	                not_allowed for a reason the playbook does not have
//	get_refund      order_id → order_id, refund_id, status, status_text_zh/en, amount, eta, eta_days,
//	                payment_refund_days (as cancel_order);
//	                no_refund (why "unpaid" for an order cancelled before it was paid)
//	get_member      (customer_ref) → name, tier, tier_text_zh/en, vip ("true" for gold
//	                and platinum); not_found
//
// Sums (total, refund_amount, amount) are assist.Money: kept as integer
// minor units with their currency in the database, computed with its
// overflow-checked Add and Times, and sent in its text form "599.00 CNY".
//
// Changing actions (cancel_order, change_address, create_return) run in a
// write transaction. With an idempotency key, the first result is stored
// with the change; a repeated call with the key returns it and changes
// nothing, and the key used for a different call is ECONFLICT. The
// clock (WithClock) decides the return window and new refunds' dates.
//
// # Seeding
//
// Seed loads data/demo/shop.json (see SeedFile): the demo customers and
// about thirty orders in every status, their shipments with carrier
// events, refunds and returns, with times written as offsets from the
// seeding moment. It does nothing when the tenant was seeded today from
// the same file, so the demo's changes survive restarts; otherwise it
// resets the file's orders to the seed, so the dates stay fresh. The file
// also says when its offsets were written (written_at, see WrittenAt): a
// clock started there (WithClock) shows the shop as its writer saw it.
package demoshop
