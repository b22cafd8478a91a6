package flow

import (
	"context"
	"io/fs"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/nlu"
)

// FuzzParse feeds flow files to the loader: a file is a flow or an
// EINVALID/ETOOLARGE error naming it, never a panic.
func FuzzParse(f *testing.F) {
	sub, _ := fs.Sub(builtin, "flows")
	files, _ := fs.ReadDir(sub, ".")
	for _, e := range files {
		b, _ := fs.ReadFile(sub, e.Name())
		f.Add(b)
	}
	f.Add([]byte("name: x\nsteps: [{id: a, say: {zh: '{{.slots.x', en: y}}]\n"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fl, err := Parse("f.yaml", data)
		if err != nil {
			if code := assist.ErrorCode(err); code != assist.EINVALID && code != assist.ETOOLARGE {
				t.Fatalf("Parse: code %s: %v", code, err)
			}
			return
		}
		if fl == nil || fl.Name == "" {
			t.Fatalf("Parse accepted a flow without a name: %+v", fl)
		}
	})
}

// FuzzReplies feeds customer replies to every shipped flow at every
// question it asks: the engine answers, asks again, hands off or ends,
// never panics and never errors on what a customer writes.
func FuzzReplies(f *testing.F) {
	for _, s := range []string{"DD202611030001", "是的", "no", "不对，是 DD202611050002", "跳过", "地址改成上海市浦东新区世纪大道 100 号", "", "\xff", "1", "第二个"} {
		f.Add(s, uint8(0), uint8(0))
	}
	flows, err := Builtin()
	if err != nil {
		f.Fatal(err)
	}
	e, err := NewEngine(flows, newFakeShop())
	if err != nil {
		f.Fatal(err)
	}
	names := e.Flows()
	f.Fuzz(func(t *testing.T, reply string, which, turns uint8) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		name := names[int(which)%len(names)]
		in := func(text string) Input {
			return Input{Text: text, Lang: "zh", Intent: nlu.Intent{Label: "", Confidence: 0}, Entities: extractor.Extract(text),
				TenantID: "t", ConversationID: "c", CustomerRef: "c1", Turn: 1}
		}
		run, out, err := e.Start(ctx, name, in("我要办理"), nil)
		if err != nil {
			t.Fatalf("start %s: %v", name, err)
		}
		for i := 0; i <= int(turns%4) && !out.Done && run != nil; i++ {
			e.Accepts(run, in(reply))
			if out, err = e.Continue(ctx, run, in(reply)); err != nil {
				t.Fatalf("%s: reply %q: %v", name, reply, err)
			}
			_ = e.Reprompt(run, "en")
		}
	})
}
