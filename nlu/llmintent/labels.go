package llmintent

import "github.com/assistd/assist/nlu"

// Label is one intent the classifier can answer.
type Label struct {
	Name          string // the exact label, e.g. "order_status"
	Description   string // what the customer wants, in English
	DescriptionZH string // the same in Chinese
}

// DefaultLabels is the default e-commerce intent set, with exactly the
// labels of the default intent model.
var DefaultLabels = []Label{
	{"greeting", "says hello or opens the chat", "打招呼、开始对话"},
	{"goodbye", "ends the chat, says bye", "结束对话、说再见"},
	{"thanks", "thanks the bot or agent", "感谢客服或机器人"},
	{"human_agent", "asks to talk to a human agent", "要求转人工客服"},
	{"order_status", "asks what state an order is in (paid, processing, shipped)", "查询订单状态（已付款、处理中、已发货）"},
	{"track_shipment", "asks where the parcel is, for tracking or the delivery ETA", "查询物流、包裹到哪了、预计送达时间"},
	{"urge_shipping", "complains the order has not shipped yet and asks to hurry", "抱怨还没发货并催促尽快发货"},
	{"cancel_order", "wants to cancel an order", "想取消订单"},
	{"modify_order", "wants to change items, size, colour or quantity of an order", "想修改订单里的商品、尺码、颜色或数量"},
	{"change_address", "wants to change the delivery address or phone on an order", "想修改订单的收货地址或电话"},
	{"return_request", "wants to return an item they bought", "申请退货"},
	{"exchange_request", "wants to swap an item for another size, colour or a new one", "想换货（换尺码、颜色或换新）"},
	{"return_policy", "asks about the return rules: time window, conditions, who pays return postage", "询问退换货政策：期限、条件、退货运费谁出"},
	{"refund_status", "asks where their refund is or when it arrives", "查询退款进度或到账时间"},
	{"payment_issue", "payment failed, charged twice, or payment method questions", "支付失败、重复扣款、支付方式问题"},
	{"invoice", "asks for, changes or asks about an invoice (fapiao)", "开发票、改发票或咨询发票"},
	{"coupon", "how to use a coupon, coupon not working or expired", "优惠券怎么用、用不了或过期"},
	{"promotion_rules", "rules of a sale event, discounts, full-reduction, pre-sale deposits", "促销活动规则、折扣、满减、预售定金"},
	{"price_protection", "price dropped after purchase, asks for the difference back", "买后降价，要求价格保护退差价"},
	{"product_inquiry", "asks about a product's specs, size, material, usage or authenticity", "咨询商品规格、尺码、材质、用法或真伪"},
	{"stock_availability", "asks whether an item is in stock or when it will be restocked", "询问是否有货或何时补货"},
	{"membership", "membership levels, points, member benefits", "会员等级、积分、会员权益"},
	{"account_balance", "asks about the wallet balance, gift card or store credit", "查询账户余额、礼品卡或购物金"},
	{"password_reset", "forgot password, cannot log in, verification code not received", "忘记密码、无法登录、收不到验证码"},
	{"account_security", "account hacked, suspicious login, unknown orders, wants to freeze or delete the account", "账号被盗、异常登录、陌生订单、想冻结或注销账号"},
	{"complaint", "complains about service, an agent or a seller, wants to file a complaint", "投诉服务、客服或商家"},
	{"delivery_problem", "parcel damaged, wrong or missing item, marked delivered but not received", "包裹破损、发错或少发、显示签收但没收到"},
	{"shipping_fee", "shipping cost, free-shipping threshold, delivery areas and times", "运费、包邮门槛、配送范围和时效"},
	{nlu.OutOfScope, "anything else: chit-chat, weather, unrelated topics", "其他无关内容：闲聊、天气等"},
}
