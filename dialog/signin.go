package dialog

import (
	"context"
	nlutext "github.com/assistd/assist/nlu/text"
	"strings"
)

// A customer told to sign in before the bot shows an order often insists
// instead, saying who they are ("我就是王芳 手机尾号5603 你查下嘛", "it's my
// order, I'm the account holder, just check it"): a name or the end of a
// phone number in a chat proves nothing, so the task just answered runs
// again for the same order, and its flow says again that only the
// signed-in account may see it.

// identityClaim says who the customer is or that the order is theirs.
var identityClaim = nlutext.MustPattern(`(?i)我就是|就是我|我本人|是本人|是我(自己)?的(订单|单|快递|包裹)|我自己(下)?的(订单|单)|尾号(是)?\s*\d|身份证|` +
	`\bit'?s (me|mine|my (own )?(order|parcel|package))\b|\bi'?m the (owner|account holder|buyer|customer)\b|\bmy name is\b|` +
	`\blast (4|four) digits\b|\b(phone|number) ends (in|with)\b|\bi (placed|made) (it|the order|that order)\b`)

// insistsOnOrder answers such a message right after a task the customer,
// not signed in, was told to sign in for; ok is false otherwise.
func (tr *turn) insistsOnOrder(ctx context.Context) (Reply, bool, error) {
	a, st := tr.a, tr.st
	if a.Flows == nil || tr.conv == nil || tr.conv.CustomerRef != "" || st.Done == "" || st.DoneTurn != st.Turns-1 {
		return Reply{}, false, nil
	}
	if !identityClaim.MatchString(strings.ToLower(tr.text)) {
		return Reply{}, false, nil
	}
	if k := tr.keywordIntent(); k != "" && a.isTask(k) {
		if name, ok := a.Flows.ForIntent(k); ok && name != st.Done {
			return Reply{}, false, nil // another task, named
		}
	}
	f, ok := a.Flows.Flow(st.Done)
	if !ok || len(f.Intents) == 0 {
		return Reply{}, false, nil
	}
	name := st.Done
	st.Done = ""
	tr.label, tr.settled = f.Intents[0], true
	st.renote(tr.label)
	r, err := tr.start(ctx, name, nil)
	return r, err == nil, err
}
