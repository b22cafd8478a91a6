package assist_test

import (
	"math"
	"testing"

	"github.com/assistd/assist"
)

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in    string
		minor int64
		cur   string
		out   string
	}{
		{"599.00 CNY", 59900, "CNY", "599.00 CNY"},
		{"599 CNY", 59900, "CNY", "599.00 CNY"},
		{"0.1 USD", 10, "USD", "0.10 USD"},
		{"0.07 EUR", 7, "EUR", "0.07 EUR"},
		{"-3.5 USD", -350, "USD", "-3.50 USD"},
		{"1200 JPY", 1200, "JPY", "1200 JPY"},
		{"92233720368547758.07 CNY", math.MaxInt64, "CNY", "92233720368547758.07 CNY"},
	} {
		m, err := assist.ParseMoney(tc.in)
		if err != nil {
			t.Errorf("ParseMoney(%q): %v", tc.in, err)
			continue
		}
		if m.Minor != tc.minor || m.Currency != tc.cur || m.String() != tc.out {
			t.Errorf("ParseMoney(%q) = %d %s %q, want %d %s %q", tc.in, m.Minor, m.Currency, m, tc.minor, tc.cur, tc.out)
		}
	}
	for _, in := range []string{"", "599", "599.001 CNY", "1.5 JPY", "5.00 cny", "1e3 USD", "0x10 USD", "NaN USD", "92233720368547758.08 CNY", "1. USD", ".5 USD", "1,000.00 CNY"} {
		if m, err := assist.ParseMoney(in); err == nil || assist.ErrorCode(err) != assist.EINVALID {
			t.Errorf("ParseMoney(%q) = %v, %v; want EINVALID", in, m, err)
		}
	}
}

// A tenth and a fifth make three tenths exactly, as a shop expects: the
// float64 sum is 0.30000000000000004.
func TestMoneyArithmeticIsExact(t *testing.T) {
	a, _ := assist.ParseMoney("0.10 CNY")
	b, _ := assist.ParseMoney("0.20 CNY")
	sum, err := a.Add(b)
	if err != nil || sum.String() != "0.30 CNY" {
		t.Fatalf("0.10 + 0.20 = %v, %v", sum, err)
	}
	if c, err := sum.Cmp(assist.Money{Minor: 30, Currency: "CNY"}); err != nil || c != 0 {
		t.Fatalf("0.30 cmp 0.30 = %d, %v", c, err)
	}
	three, err := a.Times(3)
	if err != nil || three != sum {
		t.Fatalf("0.10 × 3 = %v, %v", three, err)
	}
	if _, err := a.Add(assist.Money{Minor: 1, Currency: "USD"}); err == nil {
		t.Error("CNY + USD added")
	}
	if _, err := (assist.Money{Minor: math.MaxInt64, Currency: "CNY"}).Add(a); err == nil {
		t.Error("overflowing sum accepted")
	}
	if _, err := (assist.Money{Minor: math.MaxInt64 / 2, Currency: "CNY"}).Times(3); err == nil {
		t.Error("overflowing product accepted")
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"599.00 CNY", "-0.01 USD", "1200 JPY", "1.234 KWD", "x", "9999999999999999999 CNY"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := assist.ParseMoney(s)
		if err != nil {
			return
		}
		back, err := assist.ParseMoney(m.String())
		if err != nil || back != m {
			t.Fatalf("%q -> %v -> %q -> %v, %v", s, m, m.String(), back, err)
		}
	})
}
