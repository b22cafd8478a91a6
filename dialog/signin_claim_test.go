package dialog

import "testing"

// A customer who says who they are insists on the order; one who is unsure,
// still waiting, or no longer wants the item says nothing about who they are.
func TestIdentityClaimIsWhoTheCustomerIs(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"我就是王芳 手机尾号5603 你查下嘛", true},
		{"it's my order, I'm the account holder, just check it", true},
		{"是我本人下的单", true},
		{"尾号是 8812 的那个手机号就是我", true},
		{"i am not sure which one it was", false},
		{"i am still waiting for it", false},
		{"本人不想要了", false},
		{"订单尾号几位我忘了", false},
	} {
		if got := identityClaim.MatchString(tc.text); got != tc.want {
			t.Errorf("identityClaim(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
