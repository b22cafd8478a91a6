package rag

import (
	"strings"
	"testing"
)

// paying is the hits a search might return for a question about an
// article on payments: first the section headed first, then four of other
// articles, then the section headed second, which the search did not
// find (added to read the whole article). The sections are as the index
// stores them (table rows as cells joined by " · ").
func paying(first, missed string) []Hit {
	sections := map[string]string{
		"Delivery options":                "Option · Mainland · Islands · Courier\nStandard · 2-4 working days · 4-6 working days · Parcelwise\nExpress · next working day · 1-2 working days · QuickDrop Express\n\nOrders paid before 1 pm on a working day leave the warehouse the same day.",
		"Charges":                         "Standard delivery is £3.95, and free on orders over £40. Express to the mainland is £9.50 and to the islands £14, whatever the order is worth.",
		"Changing your mind after paying": "You can cancel an order on your own within 2 hours of paying, as long as it has not been packed. Later, ask our team by chat.",
		"When a card payment fails":       "1. Check that the card is enabled for online payments.\n2. After 4 failed attempts within an hour, card payments on that order are paused for 20 minutes. Another payment method still works.\n3. A bank transfer takes a working day to reach us.",
	}
	sec := func(h string, score float64) Hit {
		return Hit{Score: score, Chunk: Chunk{DocKey: DocKey{Doc: "en-payments.md"}, ID: h, Title: "Payments", Lang: "en",
			HeadingPath: []string{"Payments", h}, Text: sections[h]}}
	}
	hits := []Hit{sec(first, 0.05)}
	for i, text := range []string{"Gift vouchers never expire.", "We deliver to the islands twice a week.", "Our team answers by chat every day.", "Returns are free within 30 days."} {
		hits = append(hits, Hit{Score: 0.04 - float64(i)*0.005, Chunk: Chunk{DocKey: DocKey{Doc: "other.md"}, ID: text, Title: "Other", Lang: "en", Text: text}})
	}
	return append(hits, sec(missed, 0))
}

// The reply holds the kind of figure asked for, whichever section the
// search put first: "how long" is not answered by "as long as", "what does
// it cost" not by the delivery times of the service named.
func TestReplyHoldsTheKindAsked(t *testing.T) {
	for _, tc := range []struct {
		q       string
		hits    []Hit
		want    string
		notWant string
	}{
		{"my payment is paused, how long now", paying("Changing your mind after paying", "When a card payment fails"), "20 minutes", "as long as"},
		{"what does express delivery to the islands cost", paying("Delivery options", "Charges"), "£14", "1-2 working days"},
		{"how much is express to the mainland", paying("Delivery options", "Charges"), "£9.50", "next working day"},
	} {
		reply, _, _ := extract(tc.hits, tc.q, tc.q, Bigrams{})
		if !strings.Contains(reply, tc.want) || strings.Contains(reply, tc.notWant) {
			t.Errorf("%s:\n%s\nwant %q, not %q", tc.q, reply, tc.want, tc.notWant)
		}
	}
}
