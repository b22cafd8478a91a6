package dialog

import (
	"slices"
	"strings"

	"github.com/assistd/assist/nlu"
)

// intentInfo is what the bot says about an intent: display names per
// language, phrased to fit "您是想…" / "Do you want to …", and keywords
// that name it in a short message ("那退货呢？", "what about returns?").
type intentInfo struct {
	zh, en   string
	keywords []string // lower case; the longest match wins
}

// intents describes the NLU's 28 labels.
var intents = map[string]intentInfo{
	"order_status":       {"查询订单状态", "check an order's status", []string{"订单状态", "查订单", "订单到哪", "order status", "my order"}},
	"track_shipment":     {"查询物流", "track a shipment", []string{"物流", "快递", "包裹", "运单", "tracking", "track", "parcel", "package", "shipment"}},
	"urge_shipping":      {"催发货", "hurry up the shipping", []string{"催发货", "催一下", "快点发", "什么时候发货", "ship faster", "hurry"}},
	"cancel_order":       {"取消订单", "cancel an order", []string{"取消订单", "不要这个订单", "cancel the order", "cancel my order", "cancel order"}},
	"modify_order":       {"修改订单", "change an order", []string{"修改订单", "改订单", "改一下订单", "change my order", "modify the order", "modify"}},
	"change_address":     {"修改收货地址", "change the delivery address", []string{"地址", "收货地址", "address"}},
	"return_request":     {"申请退货", "return an item", []string{"退货", "退掉", "退回", "return", "returns", "send back", "send it back"}},
	"exchange_request":   {"换货", "exchange an item", []string{"换货", "换一个", "换个", "exchange", "swap"}},
	"refund_status":      {"查询退款进度", "check a refund", []string{"退款", "退钱", "refund", "refunds", "money back"}},
	"payment_issue":      {"解决支付问题", "sort out a payment problem", []string{"支付", "付款", "扣款", "付不了", "payment", "pay", "charged"}},
	"account_balance":    {"查询账户余额", "check your account balance", []string{"余额", "balance"}},
	"account_security":   {"处理账户安全问题", "secure your account", []string{"账号安全", "账户安全", "被盗", "盗号", "hacked", "security"}},
	"delivery_problem":   {"反映配送问题", "report a delivery problem", []string{"没收到", "破损", "送错", "少件", "damaged", "missing", "not received", "never arrived"}},
	"return_policy":      {"了解退货政策", "ask about the return policy", []string{"退货政策", "退货规则", "退换货政策", "七天无理由", "return policy", "return rules"}},
	"shipping_fee":       {"咨询运费", "ask about shipping fees", []string{"运费", "邮费", "包邮", "shipping fee", "shipping cost", "delivery fee", "postage"}},
	"coupon":             {"咨询优惠券", "ask about coupons", []string{"优惠券", "优惠码", "coupon", "coupons", "voucher", "promo code"}},
	"invoice":            {"开发票", "get an invoice", []string{"发票", "开票", "invoice", "invoices", "receipt"}},
	"membership":         {"了解会员权益", "ask about membership", []string{"会员", "积分", "member", "membership", "points"}},
	"password_reset":     {"重置密码", "reset your password", []string{"密码", "password"}},
	"price_protection":   {"申请价格保护", "ask about price protection", []string{"价保", "保价", "降价", "price protection", "price drop"}},
	"product_inquiry":    {"咨询商品", "ask about a product", []string{"商品", "产品", "尺码", "材质", "product", "size", "material"}},
	"promotion_rules":    {"了解促销活动规则", "ask about a promotion", []string{"活动", "促销", "满减", "promotion", "sale", "discount"}},
	"stock_availability": {"查询库存", "check stock", []string{"库存", "有货", "现货", "补货", "in stock", "stock", "restock"}},
	"complaint":          {"投诉", "make a complaint", []string{"投诉", "complain", "complaint"}},
	"human_agent":        {"转人工客服", "talk to a person", []string{"人工", "真人", "agent", "human"}},
	"greeting":           {"打个招呼", "say hello", nil},
	"thanks":             {"表示感谢", "say thanks", nil},
	"goodbye":            {"结束咨询", "say goodbye", nil},
}

// DisplayName is the intent's name as the bot says it to the customer, in
// lang ("zh" or anything else for English), e.g. "申请退货" / "return an
// item". Unknown labels are returned as they are.
func DisplayName(label, lang string) string {
	info, ok := intents[label]
	switch {
	case !ok:
		return label
	case lang == "zh":
		return info.zh
	default:
		return info.en
	}
}

// smallTalkIntents are answered with a canned line.
func isSmallTalk(label string) bool {
	return label == "greeting" || label == "thanks" || label == "goodbye"
}

// isTask reports whether label needs the shop's systems (a task flow, or
// a person when no flow runs it).
func (a *Assistant) isTask(label string) bool {
	tasks := a.Tasks
	if tasks == nil {
		tasks = TaskIntents
	}
	for _, t := range tasks {
		if t == label {
			return true
		}
	}
	return false
}

// isKnowledge reports whether label is a help-center question: an intent
// that is neither a task, small talk, a request for a person nor a
// complaint.
func (a *Assistant) isKnowledge(label string) bool {
	switch {
	case label == "" || label == nlu.OutOfScope || label == "human_agent" || label == "complaint":
		return false
	case isSmallTalk(label) || a.isTask(label):
		return false
	}
	return true
}

// keywordIntent returns the task or knowledge intent whose longest keyword
// occurs in text, limited to among when it is not nil; "" when none does.
// A keyword of several intents ("退货") goes to the first in among, or to a
// task intent when preferTask, else to a knowledge intent.
func (a *Assistant) keywordIntent(text string, among []string, preferTask bool) string {
	low := strings.ToLower(text)
	best, bestLen := "", 0
	consider := func(label string) {
		if !a.isTask(label) && !a.isKnowledge(label) {
			return
		}
		for _, k := range intents[label].keywords {
			if !containsWord(low, k) {
				continue
			}
			switch {
			case len(k) > bestLen:
				best, bestLen = label, len(k)
			case len(k) == bestLen && among == nil && a.isTask(label) == preferTask && a.isTask(best) != preferTask:
				best = label
			}
		}
	}
	if among != nil {
		for _, l := range among {
			consider(l)
		}
		return best
	}
	for _, l := range sortedLabels {
		consider(l)
	}
	return best
}

// sortedLabels lists the labels of intents in a fixed order, so keyword
// matching does not depend on map order.
var sortedLabels = func() []string {
	out := make([]string, 0, len(intents))
	for l := range intents {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}()

// siblings are groups of intents the bot serves the same way ("where is my
// order?" is an order status and a shipment question): the model torn
// between two of one group is not asked about; its first choice runs.
var siblings = [][]string{
	{"order_status", "track_shipment", "urge_shipping"},
}

// settle decides between the model's top two labels x and y without
// asking the customer: siblings take x; when the message names an order
// or a parcel, a keyword or name of only one of them takes that one
// ("订单DD202611010003要退货": 退货), else a task wins over a help-center
// question.
func (a *Assistant) settle(x, y, text string, ents []nlu.Entity) (string, bool) {
	for _, g := range siblings {
		if slices.Contains(g, x) && slices.Contains(g, y) {
			return x, true
		}
	}
	named := slices.ContainsFunc(ents, func(e nlu.Entity) bool { return e.Type == "order_id" || e.Type == "tracking_number" })
	if !named {
		return "", false
	}
	if hits := optionHits([]string{x, y}, text); len(hits) == 1 {
		return hits[0], true
	}
	switch {
	case a.isTask(x) && a.isKnowledge(y):
		return x, true
	case a.isTask(y) && a.isKnowledge(x):
		return y, true
	}
	return "", false
}
