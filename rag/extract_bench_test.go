package rag

import "testing"

// BenchmarkExtract extracts the answer from five hits, four of them
// sections of one article (as the index stores them: table rows as cells
// joined by " · "): the work a help-center turn adds to the search.
func BenchmarkExtract(b *testing.B) {
	doc := func(heading, text string) Hit {
		return Hit{Chunk: Chunk{DocKey: DocKey{Doc: "en-holidays.md"}, Title: "Holiday Schedule", Lang: "en",
			HeadingPath: []string{"Holiday Schedule", heading}, Text: text}}
	}
	hits := []Hit{
		doc("Hong Kong and Singapore", "Couriers do not deliver on public holidays in Hong Kong or Singapore. Parcels in transit simply arrive one business day later."),
		{Chunk: Chunk{DocKey: DocKey{Doc: "en-faq.jsonl"}, Question: "Can you deliver to a PO box?", Answer: "No, couriers need a street address.", Text: "No, couriers need a street address."}},
		doc("Christmas and New Year", "Destination · Last standard order for delivery by 25 December · Last express order\nHong Kong · 15 December · 20 December\nSingapore · 12 December · 18 December\n\nThere are no deliveries to Hong Kong or Singapore on 25 December or 1 January."),
		doc("Mainland China holidays", "Holiday · Warehouse closed · Last order for dispatch before the break · Customer service\nSpring Festival · 15-23 February · 10 February, 16:00 · Live chat only, 10:00-16:00\nLabour Day · 1-5 May · 29 April, 16:00 · Normal hours\nNational Day · 1-7 October · 29 September, 16:00 · Live chat only, 10:00-16:00\n\nOrders placed while the warehouse is closed are dispatched in the order they were received. Expect an extra 2-3 days for the backlog."),
		doc("Returns during holidays", "If your return window ends while our warehouse is closed, it is automatically extended by the number of days the warehouse was closed."),
	}
	qs := []string{"do couriers deliver on new years day in hk", "how many days is the warehouse closed for national day", "when is the last express order to singapore for christmas"}
	a := Bigrams{}
	b.ResetTimer()
	for i := range b.N {
		q := qs[i%len(qs)]
		extract(hits, q, q, "", a)
	}
}
