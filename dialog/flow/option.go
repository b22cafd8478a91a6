package flow

// Option returns the value of the option of choice slot slot in flow name
// that text names by its value, label or synonyms ("耳机没声音了" names the
// return flow's reason "quality"), the way the flow itself would read it
// from the message; "" when it names none, two tie, or there is no such
// flow or choice slot. The dialog reads a message with it before any flow
// runs, so the words stay in the flow file, in one place.
func (e *Engine) Option(name, slot, text string) string {
	f, ok := e.flows[name]
	if !ok {
		return ""
	}
	s := f.Slots[slot]
	if s == nil || s.Type != "choice" {
		return ""
	}
	v, ok := s.choose(fold(text))
	if !ok {
		return ""
	}
	return v
}

// option reports whether v is the value of one of choice slot s's options.
func (s *Slot) option(v string) bool {
	for _, o := range s.Options {
		if o.Value == v {
			return true
		}
	}
	return false
}
