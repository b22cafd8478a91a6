package conversation

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/assistd/assist"
)

// A customer_ref names a shop customer, and the bot reads that customer's
// orders, membership and refunds, so it is only believed when the shop
// vouches for it: either the shop's server creates the conversation with a
// staff or API key token of the tenant, or it signs the reference for its
// logged-in customer and the browser sends the signature along
// (CustomerSignature).

// Customer signature limits.
const (
	// MaxCustomerTTL is how far ahead a customer signature may expire.
	MaxCustomerTTL = 24 * time.Hour
	// CustomerClockSkew is the leeway on MaxCustomerTTL for a shop whose
	// clock runs ahead of ours.
	CustomerClockSkew = 5 * time.Minute
)

// CustomerSignature is the shop's assertion that its logged-in customer is
// the conversation's CustomerRef: Sig is the lowercase hex
// HMAC-SHA256(secret, tenant slug + "\n" + CustomerRef + "\n" + Expires),
// made by the shop's server with the secret it shares with Assist
// (auth.customer_secret), as SignCustomer does.
type CustomerSignature struct {
	Sig     string // customer_sig
	Expires int64  // customer_expires, unix seconds; at most MaxCustomerTTL ahead
}

// IsZero reports whether no signature was sent.
func (cs CustomerSignature) IsZero() bool { return cs.Sig == "" && cs.Expires == 0 }

// SignCustomer returns the customer_sig of customerRef in the tenant with
// the slug tenant, valid until expires (truncated to the second).
func SignCustomer(secret []byte, tenant, customerRef string, expires time.Time) string {
	return hex.EncodeToString(customerMAC(secret, tenant, customerRef, expires.Unix()))
}

func customerMAC(secret []byte, tenant, customerRef string, expires int64) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(tenant + "\n" + customerRef + "\n" + strconv.FormatInt(expires, 10)))
	return m.Sum(nil)
}

// VerifyCustomer checks that cs signs customerRef in the tenant with the
// slug tenant at time now. A signature that is malformed or sent without
// its expiry is EINVALID; one that does not match (another secret, tenant
// or reference), has expired or expires more than MaxCustomerTTL (plus
// CustomerClockSkew) ahead is EFORBIDDEN, as is any signature when secret
// is empty. The comparison takes constant time. Error messages never hold
// the signature or the secret.
func VerifyCustomer(secret []byte, tenant, customerRef string, cs CustomerSignature, now time.Time) error {
	if cs.Sig == "" || cs.Expires == 0 {
		return assist.Errorf(assist.EINVALID, "customer_sig and customer_expires go together")
	}
	got, err := hex.DecodeString(cs.Sig)
	if err != nil || len(got) != sha256.Size {
		return assist.Errorf(assist.EINVALID, "customer_sig must be %d hex digits", 2*sha256.Size)
	}
	if len(secret) == 0 {
		return assist.Errorf(assist.EFORBIDDEN, "this server checks no customer signatures (auth.customer_secret is not set); create the conversation with a staff or API key token")
	}
	exp := time.Unix(cs.Expires, 0)
	if !now.Before(exp) {
		return assist.Errorf(assist.EFORBIDDEN, "customer_sig has expired (customer_expires is in the past)")
	}
	if exp.Sub(now) > MaxCustomerTTL+CustomerClockSkew {
		return assist.Errorf(assist.EFORBIDDEN, "customer_expires is more than %s ahead", MaxCustomerTTL)
	}
	if !hmac.Equal(got, customerMAC(secret, tenant, customerRef, cs.Expires)) {
		return assist.Errorf(assist.EFORBIDDEN, "customer_sig does not match this tenant and customer_ref")
	}
	return nil
}

// vouch decides whether the customer_ref of in may be believed in the
// tenant (see Create) and says who vouched for it, for the log: "" (no
// reference), "staff" or "signature".
func (s *Service) vouch(ctx context.Context, tenantID string, in NewConversation) (string, error) {
	if in.CustomerRef == "" {
		if !in.Signature.IsZero() {
			return "", assist.Errorf(assist.EINVALID, "customer_sig without a customer_ref")
		}
		return "", nil
	}
	if in.By.Role.Staff() {
		if in.By.TenantID != tenantID {
			return "", assist.Errorf(assist.EFORBIDDEN, "your token is of another tenant")
		}
		return "staff", nil
	}
	if in.Signature.IsZero() {
		return "", assist.Errorf(assist.EFORBIDDEN, "customer_ref must be signed by the shop (customer_sig) or sent with a staff or API key token")
	}
	if in.TenantSlug == "" {
		return "", assist.Errorf(assist.EINVALID, "the tenant's slug is needed to check customer_sig")
	}
	// A tenant with secrets of its own accepts only those; the
	// installation's secret covers only the tenants that have none, so
	// whoever holds it cannot sign customers of a shop with its own.
	secrets := [][]byte{}
	if s.Secrets != nil {
		own, err := s.Secrets.CustomerSecrets(ctx, tenantID)
		if err != nil {
			return "", err
		}
		secrets = append(secrets, own...)
	}
	if len(secrets) == 0 && len(s.CustomerSecret) > 0 {
		secrets = append(secrets, s.CustomerSecret)
	}
	if len(secrets) == 0 {
		secrets = append(secrets, nil) // VerifyCustomer says no secret is set
	}
	var err error
	for _, secret := range secrets {
		if err = VerifyCustomer(secret, in.TenantSlug, in.CustomerRef, in.Signature, s.now()); err == nil {
			return "signature", nil
		}
	}
	return "", err
}

// CustomerSecrets gives the secrets a tenant's customer signatures are
// checked with (auth.Service implements it); a signature made with any of
// them is accepted.
type CustomerSecrets interface {
	CustomerSecrets(ctx context.Context, tenantID string) ([][]byte, error)
}
