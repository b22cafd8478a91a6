package sentiment

import "testing"

func TestPrepare(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Where is my package", "where is my package"},
		{"  我的订单什么时候发货？ ", "我的订单什么时候发货?"},
		{"thanks!", "thanks! xexcl"},
		{"退钱！！！", "退钱!!! xexcl xbang"},
		{"are you serious??", "are you serious?? xqq"},
		{"still waiting...", "still waiting... xdots"},
		{"唉…", "唉... xdots"},
		{"WHERE IS MY ORDER", "where is my order xshout"},
		{"Order DD202611030001 from UPS", "order dd202611030001 from ups"},
		{"not here :(", "not here :( xfrown"},
		{"got it :)", "got it :) xsmile"},
		{"好评👍", "好评👍 xe1f44d"},
		{"😡😡", "😡😡 xe1f621 xe1f621"},
		{"😡", "😡 xe1f621"},
	} {
		if got := Prepare(tc.in); got != tc.want {
			t.Errorf("Prepare(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPrepareBoundsEmoji(t *testing.T) {
	got := Prepare("😡😡😡😡😡😡😡😡😡😡😡😡")
	if n := len(got) - len("😡")*12 - 1; n != maxEmoji*len("xe1f621")+(maxEmoji-1) {
		t.Errorf("Prepare of 12 emoji = %q: want %d cues", got, maxEmoji)
	}
}
