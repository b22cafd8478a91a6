package catalog

import "slices"

// Hand-off reason codes: why a conversation left the bot for a person.
// This is the one list of them: the dialog and the task flows hand off
// with these codes, routing keys its reason skills and weights by them
// (routing.reason_skills with another code is a configuration error),
// tickets and the agent's hand-off summary name them with the wording
// key "reason.<code>", and the README's configuration table lists them.
const (
	ReasonCustomerRequest  = "customer_request"  // the customer asked for a person
	ReasonAnger            = "anger"             // one message angrier than the anger threshold
	ReasonNegativeTrend    = "negative_trend"    // several negative messages and a low trend
	ReasonRepeatedFallback = "repeated_fallback" // the bot did not understand several times in a row
	ReasonComplaint        = "complaint"         // the customer wants to complain
	ReasonVIPComplaint     = "vip_complaint"     // a complaint from a member of a VIP tier
	ReasonNoAutomation     = "no_automation"     // the bot has no way to answer yet
	ReasonActionFailed     = "action_failed"     // a task flow's shop action failed
	ReasonFlowStuck        = "flow_stuck"        // a task flow got invalid answers too many times
	ReasonBotError         = "bot_error"         // the bot failed on the turn
)

// reasons is the list, in the order the README gives it.
var reasons = []string{
	ReasonCustomerRequest, ReasonAnger, ReasonNegativeTrend, ReasonRepeatedFallback, ReasonComplaint,
	ReasonVIPComplaint, ReasonNoAutomation, ReasonActionFailed, ReasonFlowStuck, ReasonBotError,
}

// Reasons returns every hand-off reason code.
func Reasons() []string { return slices.Clone(reasons) }

// IsReason reports whether code is a hand-off reason code.
func IsReason(code string) bool { return slices.Contains(reasons, code) }

// ReasonText returns how a hand-off reason reads to staff in lang ("zh",
// else English): the wording key "reason.<code>". "" reads as an
// escalated conversation; an unknown code reads as itself.
func (c *Catalog) ReasonText(code, lang string) string {
	if code == "" {
		return c.Say(lang, "reason.none")
	}
	if !IsReason(code) {
		return code
	}
	return c.Say(lang, "reason."+code)
}
