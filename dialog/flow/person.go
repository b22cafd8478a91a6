package flow

// OffersPerson reports whether run waits for a confirmation whose yes
// hands the conversation to a person ("already on its way, so its
// address can't be changed here. Shall I get a person from our support team to
// contact the courier?"): the bot has said what it cannot do and offers
// someone who can.
func (e *Engine) OffersPerson(run *Run) bool {
	if run == nil || run.Awaiting != AwaitConfirm {
		return false
	}
	f, ok := e.flows[run.Flow]
	if !ok {
		return false
	}
	i, ok := f.index[run.Step]
	if !ok {
		return false
	}
	next := i + 1
	if y := f.Steps[i].Yes; y != "" {
		next = f.index[y]
	}
	return next < len(f.Steps) && f.Steps[next].Handoff != ""
}
