// Package entity extracts the values a customer-service dialog needs from a
// message, in Chinese and English: order ids, tracking numbers, phone
// numbers, e-mail addresses, amounts of money, dates and products of the
// shop's catalogue.
//
// The main type is Extractor, built by New from a per-tenant Config (extra
// regular expressions per entity type, the product catalogue, the time
// zone). Extract returns nlu.Entity values whose Start and End are byte
// offsets into the original text (Text == text[Start:End]) and whose Value
// is normalised:
//
//	order_id         digits, or the shop's prefix and digits in upper case:
//	                 "#12345678" → "12345678", "dd2026110300123" → "DD2026110300123"
//	tracking_number  upper case without separators: "sf1234567890123" → "SF1234567890123"
//	phone            Chinese mobile: 11 digits ("+86 138-1234-5678" → "13812345678");
//	                 landline: digits with area code ("010-62345678" → "01062345678");
//	                 international: "+" and digits
//	email            lower case
//	amount           "<number with 2 decimals> <ISO currency>": "¥199" → "199.00 CNY",
//	                 "三百五十元" → "350.00 CNY", "1.2万元" → "12000.00 CNY", "US$5" → "5.00 USD"
//	date             ISO 8601 date: "11月3日", "Nov 3", "昨天", "上周五",
//	                 "last Monday", "3 days ago" → "2026-11-03"
//	product          the catalogue id of the product (or its first name)
//
// # Order ids and tracking numbers
//
// The default order id is a run of 10 to 20 digits standing alone, or "DD"
// or "#" followed by 5 to 20 digits. A run of digits is not an order id
// when it is a phone number (an 11-digit 1[3-9]… mobile), a Chinese
// identity number with a valid check digit, or a tracking number.
//
// Tracking numbers with a carrier's letters are recognised by their form:
// SF (顺丰) SF+12-15 digits; JD (京东) JD/JDV/JDVA…+9-15 digits; YTO (圆通)
// YT+13-15 digits; UPS 1Z+16 letters or digits; UPU S10 international
// postal numbers (EMS, China Post and others: EA123456785CN) with their
// check digit verified. Numeric tracking numbers (ZTO 中通, STO 申通,
// Yunda 韵达, EMS, China Post 邮政, FedEx 12/15 digits, DHL 10 digits, USPS
// 20-22 digits) look like order ids, so a digit run is a tracking number
// when the nearest keyword before it names a carrier or a waybill
// (快递, 运单, 物流, 顺丰, 中通, tracking, waybill, FedEx, DHL, …) rather
// than an order (订单, order), and its length fits that carrier; digit runs
// of 21 or 22 digits starting with 9 are USPS numbers anyway.
//
// # Overlaps
//
// One entity per span. When candidates overlap, a tenant's custom pattern
// beats a built-in one; then the type with the higher priority wins, in
// this order: email, phone, tracking_number, order_id, product, amount,
// date; then the longer match; then the earlier one.
//
// # Dates
//
// Relative dates resolve against the reference time passed to ExtractAt
// (Extract uses Config.Now) in Config.Location. Weeks start on Monday:
// 上周五 and "last Friday" are the Friday of the previous week, 下周一 and
// "next Monday" the Monday of the next week, 周三 / 这周三 / "this
// Wednesday" the Wednesday of this week. A day and month without a year
// ("11月3日", "Nov 3") take the year that puts the date nearest to the
// reference time.
//
// Full-width digits and letters count as their ASCII forms. An Extractor
// is safe for concurrent use.
package entity
