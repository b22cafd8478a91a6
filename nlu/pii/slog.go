package pii

import (
	"context"
	"log/slog"
)

// ReplaceAttr masks personal data in string attributes, for
// slog.HandlerOptions.ReplaceAttr:
//
//	slog.NewJSONHandler(w, &slog.HandlerOptions{ReplaceAttr: pii.ReplaceAttr})
//
// It does not see the record's message; wrap the handler with NewHandler
// to cover that too.
func ReplaceAttr(_ []string, a slog.Attr) slog.Attr {
	return redact(a)
}

func redact(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Mask(v.String()))
	case slog.KindGroup:
		attrs := v.Group()
		out := make([]slog.Attr, len(attrs))
		for i, g := range attrs {
			out[i] = redact(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, Mask(x.Error()))
		case interface{ String() string }:
			return slog.String(a.Key, Mask(x.String()))
		case []byte:
			return slog.String(a.Key, Mask(string(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// Handler wraps a slog.Handler and masks personal data in each record's
// message and string attributes (also errors, Stringers, groups and
// attributes added with WithAttrs) before passing it on.
type Handler struct{ next slog.Handler }

// NewHandler returns a Handler in front of next.
func NewHandler(next slog.Handler) *Handler { return &Handler{next: next} }

var _ slog.Handler = (*Handler)(nil)

// Enabled implements slog.Handler.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle implements slog.Handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Mask(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redact(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = redact(a)
	}
	return &Handler{next: h.next.WithAttrs(out)}
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name)}
}
