package assist

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is a sum of money in integer minor units of its currency (fen,
// cents), so that sums and comparisons are exact: never a float. Its text
// form, which the shop backend contract and the entity extractor use, is
// the decimal amount and the ISO 4217 code: "599.00 CNY", "1200 JPY".
type Money struct {
	Minor    int64  // the amount in the currency's minor unit: 59900 is 599.00 CNY
	Currency string // ISO 4217 code, upper case
}

// minorDigits lists the currencies whose minor unit is not a hundredth.
var minorDigits = map[string]int{"JPY": 0, "KRW": 0, "VND": 0, "BHD": 3, "KWD": 3, "JOD": 3, "OMR": 3, "TND": 3}

// MinorDigits is the number of decimals of currency's minor unit: 2 for
// CNY, USD, EUR and most others, 0 for JPY.
func MinorDigits(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

// validCurrency: three upper-case ASCII letters.
func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// ParseMoney reads the text form "599.00 CNY" (the decimals may be fewer
// than the currency's, "599 CNY"; never more). EINVALID otherwise.
func ParseMoney(s string) (Money, error) {
	amount, cur, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return Money{}, Errorf(EINVALID, "money %q: want an amount and a currency, like \"599.00 CNY\"", s)
	}
	return ParseAmount(amount, strings.TrimSpace(cur))
}

// ParseAmount reads a decimal amount ("199.00", "59", "-3.5") in
// currency. EINVALID for anything else, more decimals than the currency
// has, or an amount over what int64 minor units hold.
func ParseAmount(amount, currency string) (Money, error) {
	bad := func() (Money, error) {
		return Money{}, Errorf(EINVALID, "money %q %q: want a decimal amount and an ISO 4217 currency", amount, currency)
	}
	if !validCurrency(currency) {
		return bad()
	}
	digits := MinorDigits(currency)
	neg := strings.HasPrefix(amount, "-")
	whole, frac, dot := strings.Cut(strings.TrimPrefix(amount, "-"), ".")
	if whole == "" || len(frac) > digits || dot && frac == "" || !allDigits(whole) || !allDigits(frac) {
		return bad()
	}
	frac += strings.Repeat("0", digits-len(frac))
	minor, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return bad()
	}
	if neg {
		minor = -minor
	}
	return Money{Minor: minor, Currency: currency}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String is the text form: "599.00 CNY", "-3.50 USD", "1200 JPY".
func (m Money) String() string {
	digits := MinorDigits(m.Currency)
	sign, v := "", uint64(m.Minor)
	if m.Minor < 0 {
		sign, v = "-", uint64(-(m.Minor+1))+1 // exact for math.MinInt64 too
	}
	s := strconv.FormatUint(v, 10)
	if digits == 0 {
		return sign + s + " " + m.Currency
	}
	if len(s) <= digits {
		s = strings.Repeat("0", digits-len(s)+1) + s
	}
	return sign + s[:len(s)-digits] + "." + s[len(s)-digits:] + " " + m.Currency
}

// Add returns m + o. EINVALID when the currencies differ or the sum
// overflows.
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, Errorf(EINVALID, "adding %s to %s: currencies differ", o.Currency, m.Currency)
	}
	s := m.Minor + o.Minor
	if (o.Minor > 0 && s < m.Minor) || (o.Minor < 0 && s > m.Minor) {
		return Money{}, Errorf(EINVALID, "adding %s to %s: too large", o, m)
	}
	return Money{Minor: s, Currency: m.Currency}, nil
}

// Times returns m × n (a unit price times a quantity). EINVALID on
// overflow.
func (m Money) Times(n int64) (Money, error) {
	p := m.Minor * n
	if m.Minor != 0 && (p/m.Minor != n || m.Minor == -1 && n == math.MinInt64 || n == -1 && m.Minor == math.MinInt64) {
		return Money{}, Errorf(EINVALID, "%s × %d: too large", m, n)
	}
	return Money{Minor: p, Currency: m.Currency}, nil
}

// Cmp compares m and o of the same currency: -1, 0 or +1. EINVALID when
// the currencies differ.
func (m Money) Cmp(o Money) (int, error) {
	if m.Currency != o.Currency {
		return 0, Errorf(EINVALID, "comparing %s with %s: currencies differ", m.Currency, o.Currency)
	}
	switch {
	case m.Minor < o.Minor:
		return -1, nil
	case m.Minor > o.Minor:
		return 1, nil
	}
	return 0, nil
}

// MarshalText writes the text form, so Money is a JSON string.
func (m Money) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads the text form.
func (m *Money) UnmarshalText(b []byte) error {
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

var _ fmt.Stringer = Money{}
