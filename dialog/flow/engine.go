package flow

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/catalog"
	"github.com/assistd/assist/nlu"
)

// MaxRetries is how many invalid answers in a row the engine takes to one
// question: at the MaxRetries-th, the flow ends with a Handoff whose reason
// is ReasonStuck rather than asking again forever.
const MaxRetries = 3

// Handoff reasons the engine itself produces.
const (
	ReasonActionFailed = catalog.ReasonActionFailed // a backend call failed and the flow has no "error" branch
	ReasonStuck        = catalog.ReasonFlowStuck    // MaxRetries invalid answers to one question
)

// AwaitConfirm is Run.Awaiting and Output.Asking while a confirm step waits
// for yes or no.
const AwaitConfirm = "confirm"

// maxStepsPerTurn bounds the steps one turn may run, so a flow that loops
// without asking anything fails instead of spinning.
const maxStepsPerTurn = 100

// Engine runs flows. It holds no per-conversation state (that is in Run),
// so one Engine serves every conversation concurrently.
type Engine struct {
	flows   map[string]*Flow
	intents map[string]string // intent label → flow name
	backend Backend
	// Now is the clock for "last week" in a customer's words, in the
	// shop's zone (its day is the day the backend's dates and the
	// message's date entities count from); nil means time.Now.
	Now func() time.Time
}

// NewEngine returns an engine for flows, calling b for their actions. b may
// be nil: every call step then fails (the flow's "error" branch, or a
// hand-off with reason action_failed). Errors: EINVALID for two flows with
// one name, two flows started by one intent, or a then: naming no flow or
// a flow that goes on to another itself.
func NewEngine(flows []*Flow, b Backend) (*Engine, error) {
	e := &Engine{flows: map[string]*Flow{}, intents: map[string]string{}, backend: b}
	for _, f := range flows {
		if f == nil || f.index == nil {
			return nil, assist.Errorf(assist.EINVALID, "flow engine: a flow that did not come from Parse or Load")
		}
		if _, dup := e.flows[f.Name]; dup {
			return nil, assist.Errorf(assist.EINVALID, "flow engine: two flows named %q", f.Name)
		}
		e.flows[f.Name] = f
		for _, in := range f.Intents {
			if other, dup := e.intents[in]; dup {
				return nil, assist.Errorf(assist.EINVALID, "flow engine: intent %q starts both %q and %q", in, other, f.Name)
			}
			e.intents[in] = f.Name
		}
	}
	for _, f := range flows {
		for _, st := range f.Steps {
			if st.Then == "" {
				continue
			}
			next, ok := e.flows[st.Then]
			if !ok {
				return nil, assist.Errorf(assist.EINVALID, "flow engine: flow %q step %q: then: no flow named %q", f.Name, st.ID, st.Then)
			}
			if slices.ContainsFunc(next.Steps, func(s *Step) bool { return s.Then != "" }) {
				return nil, assist.Errorf(assist.EINVALID, "flow engine: flow %q step %q: then: %q goes on to another flow itself (one hop only)", f.Name, st.ID, st.Then)
			}
		}
	}
	return e, nil
}

// ForIntent returns the flow an intent starts.
func (e *Engine) ForIntent(intent string) (flow string, ok bool) {
	flow, ok = e.intents[intent]
	return flow, ok
}

// Flow returns the flow with the given name.
func (e *Engine) Flow(name string) (*Flow, bool) {
	f, ok := e.flows[name]
	return f, ok
}

// Flows returns the names of the engine's flows, sorted.
func (e *Engine) Flows() []string { return sortedKeys(e.flows) }

// Start begins flow name. carry holds values known from earlier turns,
// keyed by entity type (order_id, tracking_number, phone, ...); a slot of
// that type is filled from in.Entities first, then from carry; choice
// slots are filled from in.Text when it names an option. It runs steps
// until one needs the customer or the flow ends.
//
// Errors: ENOTFOUND for an unknown flow; a wrapped ctx.Err() when ctx ends
// during a call; EINTERNAL for a flow that runs too many steps in one turn.
// A failing backend is not an error (see the package documentation).
func (e *Engine) Start(ctx context.Context, name string, in Input, carry map[string]string) (*Run, Output, error) {
	f, ok := e.flows[name]
	if !ok {
		return nil, Output{}, assist.Errorf(assist.ENOTFOUND, "no flow named %q", name)
	}
	run := &Run{Flow: name, Slots: map[string]string{}, Tenant: in.TenantID}
	r := read(f, run, in, e.now())
	r.apply(f, run)
	for n, v := range in.Given {
		if s := f.Slots[n]; s != nil && s.Type == "choice" && run.Slots[n] == "" && s.option(v) {
			run.Slots[n] = v
		}
	}
	// A message that names an item of its own ("and the one that hasn't
	// shipped?", a product) is not about the one of earlier turns.
	own := readClues(in, e.now()).specific()
	for _, n := range f.order {
		s := f.Slots[n]
		// Products talked about before name no items of this request.
		if _, filled := run.Slots[n]; filled || s.Type == "text" || s.Type == "choice" || s.Type == "product" || !s.early() {
			continue
		}
		if own && f.offers(n) {
			continue
		}
		if p := f.partner(n); p != "" && run.Slots[p] != "" {
			continue
		}
		if v := carry[s.Type]; v != "" {
			run.Slots[n] = v
		}
	}
	var out Output
	err := e.exec(ctx, f, run, in, &out, 0)
	return run, out, err
}

// EntitySlots returns run's filled slots of entity types (order_id,
// tracking_number, ...), by type: what the conversation now knows.
func (e *Engine) EntitySlots(run *Run) map[string]string {
	f, ok := e.flows[run.Flow]
	if !ok {
		return nil
	}
	out := map[string]string{}
	for n, v := range run.Slots {
		if s := f.Slots[n]; s != nil && v != "" && slices.Contains(entityTypes, s.Type) {
			if s.Type == "product" && (v == AllItems || strings.Contains(v, " ")) {
				continue // not one product
			}
			out[s.Type] = v
		}
	}
	return out
}

// offers reports whether an ask step of f offers values for slot n.
func (f *Flow) offers(n string) bool {
	for _, st := range f.Steps {
		if st.Ask == n && st.Offer != nil {
			return true
		}
	}
	return false
}

// Accepts reports whether in answers what run waits for: a value for the
// awaited slot (an entity of its type, an option of a choice slot, free
// text for a text slot unless the message is a question or another
// request, a skip word for an optional slot), yes or no for a
// confirmation, a value for another slot of the flow, or a correction of a
// filled slot ("不对，是 DD202611030002", "no, the other order"). A false
// answer means the message is something else: a digression, or a request
// the bot handles outside the flow.
func (e *Engine) Accepts(run *Run, in Input) bool {
	r, ok := e.reading(run, in)
	return ok && (r.corrected || r.answered || r.declined || r.yes || r.no || len(r.fill) > 0)
}

// reading is what in says to run; false when run is nil or its flow is
// gone.
func (e *Engine) reading(run *Run, in Input) (reading, bool) {
	if run == nil {
		return reading{}, false
	}
	f, ok := e.flows[run.Flow]
	if !ok {
		return reading{}, false
	}
	return read(f, run, in, e.now()), true
}

// OwnWords reports whether run would take in only as the customer's own
// words for its awaited choice (the slot's otherwise option: "it just
// isn't for me" as the reason "other"), no option or other value named.
// A message that asks something of its own is then no such answer
// (dialog reads it as if no flow were waiting).
func (e *Engine) OwnWords(run *Run, in Input) bool {
	r, ok := e.reading(run, in)
	return ok && r.ownWords && !r.corrected && len(r.fill) == 1
}

// Gives reports whether in gives run's flow a value for one of its slots
// (or corrects one): "没拆封的 照片不用了吧" answers, even with a cancel
// phrase about one of the details in it.
func (e *Engine) Gives(run *Run, in Input) bool {
	r, ok := e.reading(run, in)
	if !ok {
		return false
	}
	for _, v := range r.fill {
		if v != "" {
			return true
		}
	}
	return r.corrected
}

// Continue consumes the customer's answer to what run waits for and runs
// steps until one needs the customer or the flow ends. A correction
// replaces the slot (or clears it when the message gives no new value) and
// goes back to the step that asks it, which is skipped when filled. An
// answer that does not fit is asked again with the slot's invalid text; at
// the MaxRetries-th in a row the flow ends with a Handoff (ReasonStuck).
//
// Errors: ENOTFOUND when run's flow or step no longer exists (the flows
// changed since the run was stored: drop it); otherwise as Start.
func (e *Engine) Continue(ctx context.Context, run *Run, in Input) (Output, error) {
	var out Output
	if run == nil {
		return out, assist.Errorf(assist.EINVALID, "no flow in progress")
	}
	f, ok := e.flows[run.Flow]
	if !ok {
		return out, assist.Errorf(assist.ENOTFOUND, "no flow named %q", run.Flow)
	}
	cur, ok := f.index[run.Step]
	if !ok || run.Awaiting == "" {
		return out, assist.Errorf(assist.ENOTFOUND, "flow %q has no step %q waiting for the customer", run.Flow, run.Step)
	}
	if in.TenantID != "" {
		run.Tenant = in.TenantID // a run saved before runs knew their shop
	}
	if run.Slots == nil {
		run.Slots = map[string]string{}
	}
	r := read(f, run, in, e.now())
	switch {
	case r.corrected:
		back := cur
		for _, n := range r.changed {
			back = min(back, f.asked[n])
		}
		r.apply(f, run)
		return out, e.exec(ctx, f, run, in, &out, back)
	case run.Awaiting == AwaitConfirm && (r.yes || r.no):
		st := f.Steps[cur]
		next := cur + 1
		if r.yes && st.Yes != "" {
			next = f.index[st.Yes]
		}
		if r.no {
			next = f.index[st.No]
		}
		r.apply(f, run)
		return out, e.exec(ctx, f, run, in, &out, next)
	case r.answered || len(r.fill) > 0:
		r.apply(f, run)
		if proceeds(in.Text) {
			run.confirmed = goOn // "照片先不传了，直接确认"
		}
		return out, e.exec(ctx, f, run, in, &out, cur)
	case r.declined:
		// "No" to what the step offered: drop the offer (it lives in the
		// last result) and ask for the value.
		r.apply(f, run)
		run.Result = nil
		err := e.exec(ctx, f, run, in, &out, cur)
		if err == nil && len(out.Messages) > 0 {
			out.Messages[0] = catalog.Join(in.Lang, e.say(in, "flow.ok"), out.Messages[0])
		}
		return out, err
	}
	run.Retries++
	if run.Retries >= MaxRetries {
		out.Messages = append(out.Messages, e.handoffText(in, ReasonStuck))
		out.Handoff = &Handoff{Reason: ReasonStuck, Evidence: map[string]string{
			"flow": run.Flow, "step": run.Step, "awaiting": run.Awaiting, "retries": strconv.Itoa(run.Retries)}}
		finish(run, &out)
		return out, nil
	}
	msg, err := e.invalid(f, run, in)
	if err != nil {
		return out, err
	}
	out.add(msg, e.choices(f, run, catalog.Lang(in.Lang)))
	out.Asking = run.Awaiting
	return out, nil
}

// Reprompt returns the question run waits for, in lang, so the bot can
// resume the flow after a digression; "" when run waits for nothing.
func (e *Engine) Reprompt(run *Run, lang string) string {
	if run == nil {
		return ""
	}
	f, ok := e.flows[run.Flow]
	if !ok {
		return ""
	}
	q, err := e.question(f, run, lang)
	if err != nil {
		return ""
	}
	return q
}

// question renders what run waits for.
func (e *Engine) question(f *Flow, run *Run, lang string) (string, error) {
	if run.Awaiting == AwaitConfirm {
		st, ok := f.Step(run.Step)
		if !ok || st.Confirm == nil {
			return "", assist.Errorf(assist.ENOTFOUND, "flow %q has no confirm step %q", f.Name, run.Step)
		}
		return render(st.Confirm, f, run, lang)
	}
	s, ok := f.Slots[run.Awaiting]
	if !ok {
		return "", assist.Errorf(assist.ENOTFOUND, "flow %q has no slot %q", f.Name, run.Awaiting)
	}
	if st, ok := f.Step(run.Step); ok && st.Ask == s.Name {
		return askText(f, st, run, lang)
	}
	return render(&s.Prompt, f, run, lang)
}

// askText renders ask step st: the offer of the last result's items when
// the step has one and there are some, else the slot's prompt.
func askText(f *Flow, st *Step, run *Run, lang string) (string, error) {
	if st.Offer != nil {
		if items := offered(st, run); len(items) > 0 {
			data := templateData(f, run, lang)
			offer := make([]map[string]any, len(items))
			for i, it := range items {
				offer[i] = maps.Clone(it)
				offer[i]["n"] = i + 1
			}
			data["offer"], data["item"] = offer, offer[0]
			t := &st.Offer.Many
			if len(items) == 1 {
				t = &st.Offer.One
			}
			tm := t.en
			if catalog.Lang(lang) == "zh" {
				tm = t.zh
			}
			return execute(tm, data)
		}
	}
	return render(&f.Slots[st.Ask].Prompt, f, run, lang)
}

// offering returns the number of items run's ask step offers (0: none).
func offering(f *Flow, run *Run) int { return len(offerValues(f, run)) }

// say returns the wording of key in the message's language, as its
// shop words it.
func (e *Engine) say(in Input, key string, args ...string) string {
	return catalog.Default().SayFor(in.TenantID, in.Lang, key, args...)
}

// invalid renders the re-ask after an answer that does not fit.
func (e *Engine) invalid(f *Flow, run *Run, in Input) (string, error) {
	lang := in.Lang
	if n := offering(f, run); n > 0 {
		q, err := e.question(f, run, lang)
		if err != nil {
			return "", err
		}
		if n == 1 {
			return catalog.Join(lang, e.say(in, "flow.yes_or_no"), q), nil
		}
		return catalog.Join(lang, e.say(in, "flow.pick_number"), q), nil
	}
	if s, ok := f.Slots[run.Awaiting]; ok && Bare(in.Text) {
		// "对", "ok" to the question for a value (acknowledging what was
		// said before it): the question again, not "that doesn't fit".
		q, err := e.question(f, run, lang)
		if err != nil {
			return "", err
		}
		if yes, _ := Answer(in.Text); yes || s.Type == "text" {
			return catalog.Join(lang, e.say(in, "flow.ok"), q), nil
		}
	}
	if s, ok := f.Slots[run.Awaiting]; ok && s.Invalid.zh != nil {
		return render(&s.Invalid, f, run, lang)
	}
	q, err := e.question(f, run, lang)
	if err != nil {
		return "", err
	}
	if run.Awaiting == AwaitConfirm {
		return catalog.Join(lang, e.say(in, "flow.confirm_yes_no"), q), nil
	}
	return catalog.Join(lang, e.say(in, "flow.not_understood"), q), nil
}

// exec runs f's steps from position i until one needs the customer or the
// flow ends.
func (e *Engine) exec(ctx context.Context, f *Flow, run *Run, in Input, out *Output, i int) error {
	lang := catalog.Lang(in.Lang)
	for n := 0; ; n++ {
		if n == maxStepsPerTurn {
			return assist.Errorf(assist.EINTERNAL, "flow %q ran %d steps without waiting for the customer", f.Name, n)
		}
		if i >= len(f.Steps) {
			finish(run, out)
			return nil
		}
		st := f.Steps[i]
		f.standIn(run)
		if st.When != nil && !st.When.holds(run, in) {
			i++
			continue
		}
		for _, c := range st.Clear {
			delete(run.Slots, c)
		}
		switch {
		case st.Ask != "":
			if _, filled := run.Slots[st.Ask]; filled {
				i++
				continue
			}
			if p := f.Slots[st.Ask].Or; p != "" && run.Slots[p] != "" {
				i++
				continue
			}
			if st.Offer != nil && run.Step != st.ID {
				// The customer may have named the item already ("where's
				// my lamp"): take it, or offer only what fits.
				if v, desc, ok := e.resolve(st, run, in, lang); ok {
					if run.Slots == nil {
						run.Slots = map[string]string{}
					}
					run.Slots[st.Ask] = v
					// Say which one was taken, unless the next message does.
					out.found, out.foundValue = e.say(in, "flow.found", "value", v, "items", desc), v
					i++
					continue
				}
			}
			run.Step, run.Awaiting, run.Retries, run.confirmed = st.ID, st.Ask, 0, ""
			msg, err := askText(f, st, run, lang)
			if err != nil {
				return err
			}
			if run.NoMatch {
				msg = catalog.Join(lang, e.say(in, "flow.no_match"), msg)
				run.NoMatch = false
			}
			out.add(msg, e.choices(f, run, lang))
			out.Asking = st.Ask
			return nil
		case st.Confirm != nil:
			if f.confirmedBy(run, i) {
				// The yes to the one item offered answered this too.
				run.confirmed = ""
				i++
				if st.Yes != "" {
					i = f.index[st.Yes]
				}
				continue
			}
			run.Step, run.Awaiting, run.Retries = st.ID, AwaitConfirm, 0
			msg, err := render(st.Confirm, f, run, lang)
			if err != nil {
				return err
			}
			out.add(msg, e.choices(f, run, lang))
			out.Asking = AwaitConfirm
			return nil
		case st.Call != "":
			next, err := e.call(ctx, f, run, in, out, i)
			if err != nil {
				return err
			}
			if next < 0 {
				return nil // handed off
			}
			i = next
			continue
		case st.Handoff != "":
			msg := e.handoffText(in, st.Handoff)
			if st.Say != nil {
				var err error
				if msg, err = render(st.Say, f, run, lang); err != nil {
					return err
				}
			}
			if msg != "" {
				out.Messages = append(out.Messages, msg)
			}
			ev := map[string]string{"flow": f.Name, "step": st.ID}
			if run.Result != nil && run.Result.Status != StatusOK {
				ev["status"] = run.Result.Status
			}
			out.Handoff = &Handoff{Reason: st.Handoff, Evidence: ev}
			finish(run, out)
			return nil
		}
		if st.Say != nil {
			msg, err := render(st.Say, f, run, lang)
			if err != nil {
				return err
			}
			if msg != "" {
				out.add(msg, e.card(st, run, in))
			}
		}
		switch {
		case st.End:
			finish(run, out)
			return nil
		case st.Then != "":
			return e.then(ctx, run, in, out, st.Then)
		case st.Goto != "":
			i = f.index[st.Goto]
		default:
			i++
		}
	}
}

// call runs call step i and returns the step to go on with, or -1 when the
// flow handed off.
func (e *Engine) call(ctx context.Context, f *Flow, run *Run, in Input, out *Output, i int) (int, error) {
	st := f.Steps[i]
	lang := catalog.Lang(in.Lang)
	data := templateData(f, run, lang)
	params := make(map[string]string, len(st.params))
	for k, t := range st.params {
		v, err := execute(t, data)
		if err != nil {
			return 0, err
		}
		if v = strings.TrimSpace(v); v != "" {
			params[k] = v
		}
	}
	req := Request{
		Action:         st.Call,
		TenantID:       in.TenantID,
		ConversationID: in.ConversationID,
		CustomerRef:    in.CustomerRef,
		Lang:           lang,
		Params:         params,
		IdempotencyKey: fmt.Sprintf("%s/%s/%s/%d", in.ConversationID, run.Flow, st.ID, run.Calls),
	}
	var res Result
	var err error
	switch {
	case st.Call == "list_orders" && len(params) == 0 && in.Listed != nil && in.Listed.Status == StatusOK && in.CustomerRef != "":
		res = *in.Listed // listed earlier this turn
	case e.backend == nil:
		err = assist.Errorf(assist.EUNAVAILABLE, "no shop backend is configured")
	default:
		res, err = e.backend.Call(ctx, req)
		if err == nil && res.Status == "" {
			err = assist.Errorf(assist.EUNAVAILABLE, "action %s answered without a status", st.Call)
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return 0, fmt.Errorf("flow %s: call %s: %w", f.Name, st.Call, ctx.Err())
		}
		code := assist.ErrorCode(err)
		run.Result = &Result{Status: "error", Data: map[string]any{"error": code}}
		if to, ok := st.On["error"]; ok {
			return f.index[to], nil
		}
		out.Messages = append(out.Messages, e.handoffText(in, ReasonActionFailed))
		out.Handoff = &Handoff{Reason: ReasonActionFailed, Evidence: map[string]string{
			"flow": f.Name, "step": st.ID, "action": st.Call, "error": code}}
		finish(run, out)
		return -1, nil
	}
	run.Calls++
	run.Result = &res
	if res.Status != StatusOK && !st.Mutates && f.standIn(run) {
		return i, nil // asked again with the value that stands in
	}
	if to, ok := st.On[res.Status]; ok {
		return f.index[to], nil
	}
	return i + 1, nil
}

// Confirms reports whether f asks the customer to confirm before it acts
// (it has a confirm step).
func (f *Flow) Confirms() bool {
	for _, st := range f.Steps {
		if st.Confirm != nil {
			return true
		}
	}
	return false
}

// confirmedBy reports whether the confirm step at i was answered this
// turn: by a yes to a single offered item (the offer confirms,
// Offer.Confirms, and the item is still the slot's value), or by an
// answer that ends by saying to go ahead (goOn) with no other question
// asked since.
func (f *Flow) confirmedBy(run *Run, i int) bool {
	switch run.confirmed {
	case "":
		return false
	case goOn:
		return true
	}
	for j := i - 1; j >= 0; j-- {
		st := f.Steps[j]
		if st.Ask == "" {
			continue
		}
		return st.Offer != nil && st.Offer.Confirms && run.Slots[st.Ask] == run.confirmed
	}
	return false
}

// then ends run and starts flow name in its place for the same order:
// the entity slots run filled are the new flow's, as if the customer had
// given them (the message's own words name nothing more), and its
// messages follow out's. run becomes the new flow's run.
func (e *Engine) then(ctx context.Context, run *Run, in Input, out *Output, name string) error {
	carry := e.EntitySlots(run)
	given := in
	given.Text, given.Entities, given.Given = "", nil, nil
	for _, t := range sortedKeys(carry) {
		given.Entities = append(given.Entities, nlu.Entity{Type: t, Value: carry[t], Text: carry[t]})
	}
	next, o, err := e.Start(ctx, name, given, carry)
	if err != nil {
		return err
	}
	*run = *next
	for i, m := range o.Messages {
		var att *assist.Attachments
		if i < len(o.Attachments) {
			att = o.Attachments[i]
		}
		out.add(m, att)
	}
	out.Done, out.Asking, out.Handoff = o.Done, o.Asking, o.Handoff
	return nil
}

// finish marks run as ended.
func finish(run *Run, out *Output) {
	run.Step, run.Awaiting, run.Retries, run.confirmed = "", "", 0, ""
	out.Done = true
	out.Asking = ""
}

// handoffText says a person takes over, for reason.
func (e *Engine) handoffText(in Input, reason string) string {
	if reason == ReasonActionFailed || reason == ReasonStuck {
		return e.say(in, "flow.handoff."+reason)
	}
	return e.say(in, "flow.handoff")
}

// templateData is what templates see: .slots, .labels (a choice slot's
// option label in lang), .result (the last action's data), .status (its
// status), .lang and .tenant (the shop the run serves).
func templateData(f *Flow, run *Run, lang string) map[string]any {
	slots := run.Slots
	if slots == nil {
		slots = map[string]string{}
	}
	labels := map[string]string{}
	for n, v := range slots {
		s := f.Slots[n]
		if s == nil || s.Type != "choice" {
			continue
		}
		if i := slices.IndexFunc(s.Options, func(o Option) bool { return o.Value == v }); i >= 0 {
			labels[n] = s.Options[i].Label.In(lang)
		}
	}
	result, status := map[string]any{}, ""
	if run.Result != nil {
		status = run.Result.Status
		if run.Result.Data != nil {
			result = run.Result.Data
		}
	}
	return map[string]any{"slots": slots, "labels": labels, "result": result, "status": status, "lang": lang, "tenant": run.Tenant}
}

func render(t *Text, f *Flow, run *Run, lang string) (string, error) {
	tm := t.en
	if catalog.Lang(lang) == "zh" {
		tm = t.zh
	}
	if tm == nil {
		return "", assist.Errorf(assist.EINTERNAL, "flow %q: text not compiled", f.Name)
	}
	return execute(tm, templateData(f, run, lang))
}

func execute(t *template.Template, data map[string]any) (string, error) {
	if tenant, _ := data["tenant"].(string); tenant != "" {
		// The run's shop may word statuses and days its own way.
		lang, _ := data["lang"].(string)
		if c, err := t.Clone(); err == nil {
			t = c.Funcs(funcsFor(tenant, lang))
		}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", assist.Wrap(assist.EINTERNAL, err, "flow template "+t.Name())
	}
	// A missing key of an interface-valued map prints "<no value>" even
	// with missingkey=zero.
	return strings.TrimSpace(strings.ReplaceAll(b.String(), "<no value>", "")), nil
}

// partner returns the slot that answers the same question as n (through
// Slot.Or, in either direction), or "".
func (f *Flow) partner(n string) string {
	if s := f.Slots[n]; s != nil && s.Or != "" {
		return s.Or
	}
	for m, s := range f.Slots {
		if s.Or == n {
			return m
		}
	}
	return ""
}
