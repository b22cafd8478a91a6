package conversation_test

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/conversation"
)

var customerSecret = []byte("shop-secret-0123456789")

// TestSignCustomerVector pins the signed text, tenant + "\n" + ref + "\n" +
// expires, to a value computed outside Go (Python's hmac module), so a
// shop following the README gets the same signature.
func TestSignCustomerVector(t *testing.T) {
	exp := t0.Add(time.Hour) // 1740825000
	const want = "e41445f8968b43882cbd4ce11ab392c5eec65a281f6aad14e4a216658bfe4ee4"
	if got := conversation.SignCustomer(customerSecret, "demo", "demo-customer-1", exp); got != want {
		t.Errorf("SignCustomer = %s, want %s", got, want)
	}
}

func TestCreateCustomerRef(t *testing.T) {
	const slug = "demo"
	const ref = "demo-customer-1"
	exp := t0.Add(time.Hour)
	sig := func(secret []byte, tenant, ref string, exp time.Time) conversation.CustomerSignature {
		return conversation.CustomerSignature{Sig: conversation.SignCustomer(secret, tenant, ref, exp), Expires: exp.Unix()}
	}
	good := sig(customerSecret, slug, ref, exp)
	tests := []struct {
		name     string
		secret   []byte // nil: customerSecret
		in       conversation.NewConversation
		wantCode string
		wantMsg  string
		wantRef  string
	}{
		{name: "valid signature", in: conversation.NewConversation{CustomerRef: ref, Signature: good}, wantRef: ref},
		{name: "valid signature in upper case", in: conversation.NewConversation{CustomerRef: ref,
			Signature: conversation.CustomerSignature{Sig: strings.ToUpper(good.Sig), Expires: good.Expires}}, wantRef: ref},
		{name: "valid until the last 24 h plus skew", in: conversation.NewConversation{CustomerRef: ref,
			Signature: sig(customerSecret, slug, ref, t0.Add(conversation.MaxCustomerTTL+conversation.CustomerClockSkew))}, wantRef: ref},
		{name: "wrong secret", in: conversation.NewConversation{CustomerRef: ref, Signature: sig([]byte("another-secret"), slug, ref, exp)},
			wantCode: assist.EFORBIDDEN, wantMsg: "does not match"},
		{name: "wrong tenant", in: conversation.NewConversation{CustomerRef: ref, Signature: sig(customerSecret, "other-shop", ref, exp)},
			wantCode: assist.EFORBIDDEN, wantMsg: "does not match"},
		{name: "tampered ref", in: conversation.NewConversation{CustomerRef: "demo-customer-2", Signature: good},
			wantCode: assist.EFORBIDDEN, wantMsg: "does not match"},
		{name: "tampered expiry", in: conversation.NewConversation{CustomerRef: ref,
			Signature: conversation.CustomerSignature{Sig: good.Sig, Expires: good.Expires + 60}},
			wantCode: assist.EFORBIDDEN, wantMsg: "does not match"},
		{name: "expired", in: conversation.NewConversation{CustomerRef: ref, Signature: sig(customerSecret, slug, ref, t0.Add(-time.Second))},
			wantCode: assist.EFORBIDDEN, wantMsg: "expired"},
		{name: "expires now", in: conversation.NewConversation{CustomerRef: ref, Signature: sig(customerSecret, slug, ref, t0)},
			wantCode: assist.EFORBIDDEN, wantMsg: "expired"},
		{name: "too far in the future", in: conversation.NewConversation{CustomerRef: ref, Signature: sig(customerSecret, slug, ref, t0.Add(25*time.Hour))},
			wantCode: assist.EFORBIDDEN, wantMsg: "more than 24h0m0s ahead"},
		{name: "malformed hex", in: conversation.NewConversation{CustomerRef: ref,
			Signature: conversation.CustomerSignature{Sig: "zz" + good.Sig[2:], Expires: good.Expires}},
			wantCode: assist.EINVALID, wantMsg: "64 hex digits"},
		{name: "short signature", in: conversation.NewConversation{CustomerRef: ref,
			Signature: conversation.CustomerSignature{Sig: good.Sig[:62], Expires: good.Expires}},
			wantCode: assist.EINVALID, wantMsg: "64 hex digits"},
		{name: "signature without expiry", in: conversation.NewConversation{CustomerRef: ref,
			Signature: conversation.CustomerSignature{Sig: good.Sig}},
			wantCode: assist.EINVALID, wantMsg: "go together"},
		{name: "signature without a ref", in: conversation.NewConversation{Signature: good},
			wantCode: assist.EINVALID, wantMsg: "without a customer_ref"},
		{name: "no secret configured", secret: []byte{}, in: conversation.NewConversation{CustomerRef: ref, Signature: good},
			wantCode: assist.EFORBIDDEN, wantMsg: "auth.customer_secret"},
		{name: "unsigned ref", in: conversation.NewConversation{CustomerRef: ref},
			wantCode: assist.EFORBIDDEN, wantMsg: "customer_ref must be signed by the shop (customer_sig) or sent with a staff or API key token"},
		{name: "customer principal is no staff", in: conversation.NewConversation{CustomerRef: ref,
			By: assist.Principal{TenantID: tenant, Role: assist.RoleCustomer, ConversationID: "c1"}},
			wantCode: assist.EFORBIDDEN, wantMsg: "must be signed"},
		{name: "staff-created", in: conversation.NewConversation{CustomerRef: ref, By: staff(assist.RoleAgent)}, wantRef: ref},
		{name: "API-key-created", in: conversation.NewConversation{CustomerRef: ref,
			By: assist.Principal{TenantID: tenant, UserID: "user-shop-backend", Role: assist.RoleAdmin}}, wantRef: ref},
		{name: "staff with a bad signature", in: conversation.NewConversation{CustomerRef: ref, By: staff(assist.RoleAdmin),
			Signature: sig([]byte("another-secret"), slug, ref, exp)}, wantRef: ref},
		{name: "staff of another tenant", in: conversation.NewConversation{CustomerRef: ref,
			By: assist.Principal{TenantID: "tenant-2", UserID: "u", Role: assist.RoleAdmin}},
			wantCode: assist.EFORBIDDEN, wantMsg: "another tenant"},
		{name: "anonymous without ref", in: conversation.NewConversation{Lang: "en"}},
		{name: "staff without ref", in: conversation.NewConversation{By: staff(assist.RoleAgent)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, store, _ := newService(echo)
			var logs bytes.Buffer
			s.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			s.CustomerSecret = customerSecret
			if tt.secret != nil {
				s.CustomerSecret = tt.secret
			}
			tt.in.TenantSlug = slug
			c, _, err := s.Create(context.Background(), tenant, tt.in)
			if strings.Contains(logs.String(), string(customerSecret)) || good.Sig != "" && strings.Contains(strings.ToLower(logs.String()), good.Sig) {
				t.Errorf("the log holds the secret or the signature:\n%s", logs.String())
			}
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				if msg := assist.ErrorMessage(err); !strings.Contains(msg, tt.wantMsg) {
					t.Errorf("message %q, want it to say %q", msg, tt.wantMsg)
				}
				if strings.Contains(err.Error(), good.Sig) || strings.Contains(err.Error(), string(customerSecret)) {
					t.Errorf("error %q holds the signature or the secret", err)
				}
				if len(store.convs) != 0 {
					t.Errorf("a refused conversation was stored")
				}
				return
			}
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if c.CustomerRef != tt.wantRef {
				t.Errorf("CustomerRef = %q, want %q", c.CustomerRef, tt.wantRef)
			}
		})
	}
}

func TestCreateSignatureNeedsTheSlug(t *testing.T) {
	s, _, _ := newService(echo)
	s.CustomerSecret = customerSecret
	exp := t0.Add(time.Hour)
	in := conversation.NewConversation{CustomerRef: "r", Signature: conversation.CustomerSignature{
		Sig: conversation.SignCustomer(customerSecret, "", "r", exp), Expires: exp.Unix()}}
	_, _, err := s.Create(context.Background(), tenant, in)
	wantCode(t, err, assist.EINVALID)
}

func TestCreateTrusted(t *testing.T) {
	s, _, _ := newService(echo)
	c, _, err := s.CreateTrusted(context.Background(), tenant, conversation.NewConversation{Channel: "eval", CustomerRef: "demo-customer-2"})
	if err != nil {
		t.Fatalf("CreateTrusted: %v", err)
	}
	if c.CustomerRef != "demo-customer-2" {
		t.Errorf("CustomerRef = %q", c.CustomerRef)
	}
	// It still validates the input.
	_, _, err = s.CreateTrusted(context.Background(), tenant, conversation.NewConversation{CustomerRef: "\xff"})
	wantCode(t, err, assist.EINVALID)
}

func TestVerifyCustomerIgnoresNothingSigned(t *testing.T) {
	// Every part of the signed text matters: changing any one byte of the
	// tenant, the reference or the expiry breaks the signature.
	exp := t0.Add(time.Hour)
	sig := conversation.SignCustomer(customerSecret, "demo", "c-1", exp)
	for _, tc := range []struct{ tenant, ref, exp string }{
		{"demo", "c-1", strconv.FormatInt(exp.Unix(), 10)},
		{"demp", "c-1", strconv.FormatInt(exp.Unix(), 10)},
		{"demo", "c-2", strconv.FormatInt(exp.Unix(), 10)},
		{"demo\nc-1", "", strconv.FormatInt(exp.Unix(), 10)},
		{"demo", "c-1", strconv.FormatInt(exp.Unix()-1, 10)},
	} {
		e, _ := strconv.ParseInt(tc.exp, 10, 64)
		err := conversation.VerifyCustomer(customerSecret, tc.tenant, tc.ref, conversation.CustomerSignature{Sig: sig, Expires: e}, t0)
		first := tc.tenant == "demo" && tc.ref == "c-1" && e == exp.Unix()
		if first && err != nil {
			t.Errorf("the signed values: %v", err)
		}
		if !first && assist.ErrorCode(err) != assist.EFORBIDDEN {
			t.Errorf("%q %q %d: error %v, want EFORBIDDEN", tc.tenant, tc.ref, e, err)
		}
	}
}
