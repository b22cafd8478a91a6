package dialog

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu"
)

// Escalation reason codes, besides ReasonCustomerRequest, ReasonComplaint,
// ReasonNoAutomation and ReasonBotError.
const (
	ReasonAnger            = "anger"             // one message angrier than Rules.Anger
	ReasonNegativeTrend    = "negative_trend"    // several negative messages and a low trend
	ReasonRepeatedFallback = "repeated_fallback" // the bot did not understand Rules.Fallbacks times in a row
	ReasonVIPComplaint     = "vip_complaint"     // a complaint from a member of a VIP tier
	ReasonActionFailed     = "action_failed"     // a flow's backend action failed
)

// EscalationRules are the thresholds of the escalation rules that depend
// on numbers (doc.go lists every rule and their order). A zero field turns
// its rule off.
type EscalationRules struct {
	Anger         float32  // a message with Score.Anger ≥ this escalates (0..1]
	NegativeTrend float32  // with NegativeTurns: the trend's EWMA ≤ this ...
	NegativeTurns int      // ... after this many negative messages in a row escalates
	Fallbacks     int      // this many fallbacks in a row escalate
	VIPTiers      []string // member tiers whose complaints go straight to a person, first in the queue
}

// DefaultRules are the rules of the default configuration.
func DefaultRules() EscalationRules {
	return EscalationRules{Anger: 0.7, NegativeTrend: -0.4, NegativeTurns: 3, Fallbacks: 2, VIPTiers: []string{"gold", "platinum"}}
}

// num formats a score for evidence: two decimals.
func num(f float32) string { return strconv.FormatFloat(float64(f), 'f', 2, 32) }

// messageRules runs the rules that look at the message itself, in order:
// customer_request, anger, negative_trend, vip_complaint, complaint (an
// angry complaint escalates as anger; the handoff still says VIP). It
// returns a reply when one fires.
func (tr *turn) messageRules(ctx context.Context) (Reply, bool) {
	a, st, in := tr.a, tr.st, tr.res.Intent
	sure := in.Label != "" && in.Label != nlu.OutOfScope && !in.Ambiguous
	if sure && in.Label == "human_agent" {
		return tr.escalate(ctx, ReasonCustomerRequest, map[string]string{"intent": in.Label, "confidence": num(in.Confidence)}, nil), true
	}
	if p := askedForHuman(tr.text); p != "" {
		return tr.escalate(ctx, ReasonCustomerRequest, map[string]string{"phrase": p}, nil), true
	}
	if tr.scored && a.Rules.Anger > 0 && tr.score.Anger >= a.Rules.Anger {
		return tr.escalate(ctx, ReasonAnger, map[string]string{"anger": num(tr.score.Anger), "threshold": num(a.Rules.Anger)}, nil), true
	}
	if tr.scored && a.Rules.NegativeTurns > 0 && st.Sentiment.NegativeRun >= a.Rules.NegativeTurns && st.Sentiment.EWMA <= a.Rules.NegativeTrend {
		return tr.escalate(ctx, ReasonNegativeTrend, map[string]string{
			"negative_run": strconv.Itoa(st.Sentiment.NegativeRun), "ewma": num(st.Sentiment.EWMA), "threshold": num(a.Rules.NegativeTrend),
		}, nil), true
	}
	if sure && in.Label == "complaint" {
		if tier := tr.tier(ctx); tier != "" && slices.Contains(a.Rules.VIPTiers, tier) {
			return tr.escalate(ctx, ReasonVIPComplaint, map[string]string{"tier": tier}, nil), true
		}
		return tr.escalate(ctx, ReasonComplaint, map[string]string{"intent": in.Label, "confidence": num(in.Confidence)}, nil), true
	}
	return Reply{}, false
}

// fallback counts a turn the bot did not understand and returns msgs, or
// escalates when that makes Rules.Fallbacks in a row.
func (tr *turn) fallback(ctx context.Context, msgs []string) Reply {
	tr.fellBack = true
	tr.st.Fallbacks++
	if n := tr.a.Rules.Fallbacks; n > 0 && tr.st.Fallbacks >= n {
		return tr.escalate(ctx, ReasonRepeatedFallback, map[string]string{"fallbacks": strconv.Itoa(tr.st.Fallbacks)}, nil)
	}
	return Reply{Messages: msgs}
}

// escalate hands the conversation to a person for reason: it records the
// escalation in the state, drops any flow or question, and tells the
// customer what happens next after the messages before.
func (tr *turn) escalate(ctx context.Context, reason string, evidence map[string]string, before []string) Reply {
	return tr.handoff(ctx, reason, evidence, append(slices.Clip(before), escalationText(reason, tr.lang)))
}

// escalateFlow hands off for a flow whose last message already says that
// a person takes over; it adds what happens next to that message.
func (tr *turn) escalateFlow(ctx context.Context, reason string, evidence map[string]string, msgs []string) Reply {
	if len(msgs) == 0 {
		return tr.escalate(ctx, reason, evidence, nil)
	}
	msgs = slices.Clone(msgs)
	msgs[len(msgs)-1] += nextText(tr.lang)
	return tr.handoff(ctx, reason, evidence, msgs)
}

func (tr *turn) handoff(ctx context.Context, reason string, evidence map[string]string, msgs []string) Reply {
	st := tr.st
	tier := tr.tier(ctx)
	st.Escalation = &Escalation{Reason: reason, Turn: st.Turns, Evidence: evidence}
	st.Flow, st.Clarify = nil, nil
	intent := tr.label
	if intent == "" {
		intent = tr.res.Intent.Label
	}
	return Reply{Messages: msgs, Handoff: &Handoff{
		Reason:    reason,
		Intent:    intent,
		Evidence:  evidence,
		Sentiment: float64(st.Sentiment.EWMA),
		VIP:       tier != "" && slices.Contains(tr.a.Rules.VIPTiers, tier),
	}}
}

// tier returns the customer's member tier, asking the backend
// (get_member) the first time; "" when unknown. A failing backend is
// not an error here: the customer is then treated as not VIP.
func (tr *turn) tier(ctx context.Context) string {
	st, conv := tr.st, tr.conv
	if st.Tier != "" || tr.a.Backend == nil || conv == nil || conv.CustomerRef == "" || tr.askedTier {
		return st.Tier
	}
	tr.askedTier = true
	res, err := tr.a.Backend.Call(ctx, flow.Request{
		Action:         "get_member",
		TenantID:       conv.TenantID,
		ConversationID: conv.ID,
		CustomerRef:    conv.CustomerRef,
		Lang:           tr.lang,
		Params:         map[string]string{},
		IdempotencyKey: fmt.Sprintf("%s/get_member/%d", conv.ID, st.Turns),
	})
	if err != nil || res.Status != flow.StatusOK {
		return ""
	}
	if t, ok := res.Data["tier"].(string); ok {
		st.Tier = t
	}
	return st.Tier
}

// escalationText tells the customer, in lang, why a person is joining and
// what happens next: they can keep writing and the person sees everything.
func escalationText(reason, lang string) string {
	zh := lang == "zh"
	switch reason {
	case ReasonCustomerRequest:
		if zh {
			return "好的，正在为您转接人工客服，请稍候。" + nextZH
		}
		return "Sure, I'm connecting you with a member of our team; they will join shortly." + nextEN
	case ReasonAnger:
		if zh {
			return "非常抱歉让您这么生气。我马上请人工客服来处理，请稍候。" + nextZH
		}
		return "I'm really sorry this has upset you. I'm bringing in a member of our team to sort it out; they will join shortly." + nextEN
	case ReasonNegativeTrend:
		if zh {
			return "抱歉这次的问题给您添了不少麻烦。我请一位人工客服来跟进，请稍候。" + nextZH
		}
		return "I'm sorry this has been such a hassle. A member of our team will take it from here and join shortly." + nextEN
	case ReasonRepeatedFallback:
		if zh {
			return "抱歉，我没能理解您的问题。我请人工客服来帮您，请稍候。" + nextZH
		}
		return "Sorry, I haven't managed to understand. A member of our team will help you and join shortly." + nextEN
	case ReasonVIPComplaint:
		if zh {
			return "非常抱歉给您带来不好的体验。作为我们的尊贵会员，您的投诉已优先转给人工客服，请稍候。" + nextZH
		}
		return "I'm very sorry about your experience. As one of our valued members, your complaint goes straight to a member of our team, who will join shortly." + nextEN
	case ReasonComplaint:
		if zh {
			return "非常抱歉给您带来不好的体验。我正在为您转接人工客服处理您的投诉，请稍候。" + nextZH
		}
		return "I'm sorry about your experience. I'm passing your complaint to a member of our team, who will join shortly." + nextEN
	case ReasonActionFailed:
		if zh {
			return "抱歉，系统暂时没能办理成功。我请人工客服来帮您处理，请稍候。" + nextZH
		}
		return "Sorry, our system couldn't complete that just now. A member of our team will take care of it and join shortly." + nextEN
	}
	return HandoffText(lang)
}

const (
	nextZH = "您可以继续留言，客服接入后会看到全部对话记录。"
	nextEN = " You can keep writing; they will see the whole conversation."
)

// nextText tells the customer they can keep writing and that the person
// sees everything.
func nextText(lang string) string {
	if lang == "zh" {
		return nextZH
	}
	return nextEN
}
