package conversation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
)

// FuzzVerifyCustomer feeds signatures to the customer check: only the
// shop's own signature of the same tenant and reference, not expired,
// passes; anything else is EINVALID or EFORBIDDEN, never a panic.
func FuzzVerifyCustomer(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	f.Add("acme", "cust-1", "", int64(3600), false)
	f.Add("acme", "cust-1", "zz", int64(-1), true)
	f.Add("a\nb", "c\nd", strings.Repeat("0", 64), int64(1), true)
	secret := []byte("cs.a-secret-for-the-fuzzer-only-0123456789")
	f.Fuzz(func(t *testing.T, tenant, ref, sig string, ttl int64, forge bool) {
		exp := now.Add(time.Duration(ttl%int64(48*time.Hour/time.Second)) * time.Second)
		cs := conversation.CustomerSignature{Sig: sig, Expires: exp.Unix()}
		if !forge {
			cs.Sig = conversation.SignCustomer(secret, tenant, ref, exp)
		}
		err := conversation.VerifyCustomer(secret, tenant, ref, cs, now)
		if err != nil {
			if code := assist.ErrorCode(err); code != assist.EINVALID && code != assist.EFORBIDDEN {
				t.Fatalf("code %s: %v", code, err)
			}
			if strings.Contains(err.Error(), string(secret)) || sig != "" && strings.Contains(err.Error(), sig) && len(sig) > 8 {
				t.Fatalf("the error shows the secret or the signature: %v", err)
			}
			return
		}
		good := conversation.SignCustomer(secret, tenant, ref, exp)
		if cs.Sig != good && !strings.EqualFold(cs.Sig, good) {
			t.Fatalf("a signature that is not the shop's passed: %q", cs.Sig)
		}
		if !now.Before(exp) || exp.Sub(now) > conversation.MaxCustomerTTL+conversation.CustomerClockSkew {
			t.Fatalf("a signature outside its validity passed (expires %s)", exp)
		}
		// Another tenant or reference never passes with it.
		if conversation.VerifyCustomer(secret, tenant+"x", ref, cs, now) == nil || conversation.VerifyCustomer(secret, tenant, ref+"x", cs, now) == nil {
			t.Fatal("the signature passed for another tenant or reference")
		}
	})
}

// FuzzAuthorize feeds customer tokens to the conversation check: a
// made-up token is EUNAUTHORIZED or ENOTFOUND, never a panic and never a
// principal.
func FuzzAuthorize(f *testing.F) {
	s, _, _ := newService(nil)
	c, _ := start(&testing.T{}, s, conversation.NewConversation{Channel: "web"})
	f.Add(c.ID, "ct.")
	f.Add(c.ID, "ct."+tenant+".xyz")
	f.Add("", "ct..")
	f.Fuzz(func(t *testing.T, id, token string) {
		p, err := s.Authorize(context.Background(), id, token)
		if err == nil {
			t.Fatalf("made-up token %q authorised %+v", token, p)
		}
		if code := assist.ErrorCode(err); code != assist.EUNAUTHORIZED && code != assist.ENOTFOUND && code != assist.EINVALID {
			t.Fatalf("code %s: %v", code, err)
		}
	})
}
