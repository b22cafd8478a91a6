package pii_test

import (
	"strings"
	"testing"

	"github.com/assistd/assist/nlu/pii"
)

// However a streamed answer is cut into pieces, the unmasked pieces put
// together are the unmasked answer.
func FuzzStreamUnmasker(f *testing.F) {
	f.Add("call [PHONE_1] or mail [EMAIL_1] about [ID_1]; [X] [PHONE_", uint8(3))
	f.Add("[[[PHONE_1]]] [CARD_12", uint8(1))
	f.Fuzz(func(t *testing.T, answer string, size uint8) {
		v := pii.NewVault()
		v.Mask("13812345678 a@b.example 11010519491231002X 6222020200112233445")
		n := int(size%16) + 1
		u := v.Stream()
		var b strings.Builder
		for i := 0; i < len(answer); i += n {
			b.WriteString(u.Next(answer[i:min(i+n, len(answer))]))
		}
		b.WriteString(u.Flush())
		if want := v.Unmask(answer); b.String() != want {
			t.Fatalf("streamed %q in pieces of %d: %q, want %q", answer, n, b.String(), want)
		}
	})
}

func TestStreamUnmaskerHoldsSplitPlaceholders(t *testing.T) {
	v := pii.NewVault()
	masked := v.Mask("my phone is 13812345678")
	u := v.Stream()
	var got []string
	for _, piece := range []string{masked[:14], masked[14:17], masked[17:]} {
		got = append(got, u.Next(piece))
	}
	got = append(got, u.Flush())
	if strings.Join(got, "") != "my phone is 13812345678" {
		t.Fatalf("pieces %q", got)
	}
	for _, g := range got {
		if strings.Contains(g, "[") {
			t.Errorf("piece %q shows part of a placeholder", g)
		}
	}
}
