package agentassist

// All fixed wording of agent assist, per language ("zh"; anything else is
// English). Until the catalogue package lands, this is the one place it
// lives.

var wording = map[string]map[string]string{
	"en": {
		"alert.anger":          "The customer sounds angry (anger %.2f). Acknowledge the problem before anything else.",
		"alert.negative_trend": "The customer's mood has been negative for %d messages in a row (trend %.2f).",
		"alert.sentiment_drop": "The customer's mood just dropped (from %.2f to %.2f).",

		"summary.title":    "Hand-off summary",
		"summary.customer": "Customer",
		"summary.tier":     "member tier %s",
		"summary.anon":     "not signed in",
		"summary.signed":   "signed in",
		"summary.wants":    "Wants",
		"summary.order":    "Order",
		"summary.details":  "Details",
		"summary.tried":    "The bot",
		"summary.failed":   "Did not work",
		"summary.mood":     "Mood",
		"summary.why":      "Handed off because",
		"summary.question": "Asked",
		"summary.none":     "nothing yet",

		"mood.angry":    "angry",
		"mood.negative": "negative",
		"mood.neutral":  "neutral",
		"mood.positive": "positive",

		"tried.answered": "answered from the help center: %s",
		"tried.declined": "could not answer from the help center: \"%s\"",
		"tried.flow":     "ran %s",
		"tried.asked":    "asked for %s",
		"tried.rephrase": "did not understand \"%s\"",
		"tried.clarify":  "asked which of two things was meant",

		"failed.declined": "no help-center answer for \"%s\"",
		"failed.flow":     "%s: %s",
		"failed.fallback": "did not understand the customer %d times",

		"reason.customer_request":  "the customer asked for a person",
		"reason.anger":             "the customer is angry",
		"reason.negative_trend":    "the customer's mood kept getting worse",
		"reason.vip_complaint":     "a VIP member complained",
		"reason.complaint":         "the customer wants to complain",
		"reason.no_automation":     "the bot has no way to do this yet",
		"reason.repeated_fallback": "the bot did not understand the customer repeatedly",
		"reason.bot_error":         "the bot failed on a message",

		"step.verify_order":   "Verify the order",
		"step.track":          "Check the parcel's tracking",
		"step.refund_status":  "Check the refund status",
		"step.return_window":  "Check the return window",
		"step.offer_exchange": "Offer an exchange instead of a return",
		"step.start_return":   "Start the return",
		"step.cancel":         "Cancel the order",
		"step.change_address": "Change the delivery address",
		"step.list_orders":    "List the customer's orders",
		"step.member":         "Look up the customer's membership",
		"step.ask_order":      "Ask for the order number",
		"step.apologise":      "Apologise and say what happens next",
		"step.answer_kb":      "Answer from the help center article",
	},
	"zh": {
		"alert.anger":          "顾客情绪激动（愤怒 %.2f），请先安抚并确认问题。",
		"alert.negative_trend": "顾客已连续 %d 条消息情绪负面（趋势 %.2f）。",
		"alert.sentiment_drop": "顾客情绪刚刚明显下降（%.2f → %.2f）。",

		"summary.title":    "转人工摘要",
		"summary.customer": "顾客",
		"summary.tier":     "会员等级 %s",
		"summary.anon":     "未登录",
		"summary.signed":   "已登录",
		"summary.wants":    "诉求",
		"summary.order":    "订单",
		"summary.details":  "已知信息",
		"summary.tried":    "机器人已做",
		"summary.failed":   "未解决",
		"summary.mood":     "情绪",
		"summary.why":      "转人工原因",
		"summary.question": "提问",
		"summary.none":     "暂无",

		"mood.angry":    "愤怒",
		"mood.negative": "负面",
		"mood.neutral":  "平稳",
		"mood.positive": "正面",

		"tried.answered": "用帮助中心回答：%s",
		"tried.declined": "帮助中心没有答案：“%s”",
		"tried.flow":     "办理了%s",
		"tried.asked":    "询问了%s",
		"tried.rephrase": "没有理解：“%s”",
		"tried.clarify":  "请顾客在两个意图间选择",

		"failed.declined": "帮助中心没有“%s”的答案",
		"failed.flow":     "%s：%s",
		"failed.fallback": "连续 %d 次没有理解顾客",

		"reason.customer_request":  "顾客要求转人工",
		"reason.anger":             "顾客情绪愤怒",
		"reason.negative_trend":    "顾客情绪持续变差",
		"reason.vip_complaint":     "VIP 会员投诉",
		"reason.complaint":         "顾客要投诉",
		"reason.no_automation":     "机器人暂时无法办理",
		"reason.repeated_fallback": "机器人多次没有理解顾客",
		"reason.bot_error":         "机器人处理消息出错",

		"step.verify_order":   "核实订单",
		"step.track":          "查看物流轨迹",
		"step.refund_status":  "查询退款进度",
		"step.return_window":  "确认是否在退货期内",
		"step.offer_exchange": "建议换货代替退货",
		"step.start_return":   "发起退货",
		"step.cancel":         "取消订单",
		"step.change_address": "修改收货地址",
		"step.list_orders":    "查看顾客的订单",
		"step.member":         "查询会员信息",
		"step.ask_order":      "询问订单号",
		"step.apologise":      "致歉并说明后续处理",
		"step.answer_kb":      "按帮助中心文章回答",
	},
}

// text returns the wording of key in lang, English when lang has none.
func text(lang, key string) string {
	if m, ok := wording[lang]; ok {
		if s, ok := m[key]; ok {
			return s
		}
	}
	if s, ok := wording["en"][key]; ok {
		return s
	}
	return key
}

// langOf normalises a language to "zh" or "en".
func langOf(lang string) string {
	if lang == "zh" {
		return "zh"
	}
	return "en"
}
