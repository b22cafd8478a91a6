package rag_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/assistd/assist/rag"
)

// listingIndex is a memIndex that lists documents with their source and
// their chunks, as the SQLite index does.
type listingIndex struct{ memIndex }

func (l *listingIndex) Chunks(_ context.Context, key rag.DocKey) ([]rag.Chunk, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]rag.Chunk(nil), l.chunks[key]...), nil
}

func (l *listingIndex) Documents(ctx context.Context, f rag.Filter) ([]rag.DocInfo, error) {
	ds, err := l.memIndex.Documents(ctx, f)
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range ds {
		if cs := l.chunks[ds[i].DocKey]; len(cs) > 0 {
			ds[i].Title, ds[i].Source = cs[0].Title, cs[0].Source
		}
	}
	return ds, err
}

// shopWithArticles is a help center of a few articles and FAQ entries,
// none about inviting friends, packaging or power banks on planes.
func shopWithArticles(t *testing.T) *rag.Service {
	t.Helper()
	s := &rag.Service{Index: &listingIndex{}, Config: rag.Config{Threshold: 0.2}}
	key := func(doc string) rag.DocKey { return rag.DocKey{TenantID: tenant, KB: "help", Doc: doc} }
	docs := []rag.Document{
		{DocKey: key("en-shipping.md"), Title: "Shipping and Delivery", Source: "en-shipping.md", Chunks: []rag.Chunk{
			{Text: "We ship to every province. Standard shipping is free over ¥99, otherwise ¥8. Orders ship within 48 hours."},
			{Text: "Track your parcel in My Orders with the tracking number from your shipping notice."}}},
		{DocKey: key("en-coupons.md"), Title: "Coupons", Source: "en-coupons.md", Chunks: []rag.Chunk{
			{Text: "One coupon per order. Coupons cannot be combined with the member-day discount. New customers get a ¥10 coupon."}}},
		{DocKey: key("en-warranty.md"), Title: "Warranty", Source: "en-warranty.md", Chunks: []rag.Chunk{
			{Text: "Electronics such as power banks and lamps have a one-year warranty against defects. A broken item under warranty is repaired or replaced."}}},
		{DocKey: key("en-faq.jsonl"), Title: "FAQ", Source: "en-faq.jsonl", Chunks: []rag.Chunk{
			{Question: "Which payment methods do you accept?", Answer: "Alipay, WeChat Pay and bank cards.", Text: "Alipay, WeChat Pay and bank cards."}}},
	}
	for _, d := range docs {
		if _, err := s.Ingest(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// publish adds a gap-report FAQ entry as the gap package does: one chunk
// per question, each with the answer.
func publish(t *testing.T, s *rag.Service, doc, answer string, questions ...string) {
	t.Helper()
	d := rag.Document{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: doc}, Title: questions[0], Source: rag.PublishedSource, Lang: "en"}
	for _, q := range questions {
		d.Chunks = append(d.Chunks, rag.Chunk{Question: q, Answer: answer, Text: answer})
	}
	if _, err := s.Ingest(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

const referAnswer = "Yes: under Me → Invite friends you get a personal link. When a friend places their first order through it, they get ¥20 off and you receive a ¥20 coupon once it is delivered."

func ask(t *testing.T, s *rag.Service, q string) rag.Answer {
	t.Helper()
	a, err := s.Answer(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: "en"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A customer asking again in their own words gets the answer a knowledge
// manager published, from the moment it is published, rather than an
// article or "I don't know"; before publishing, the same question is not
// answered from it.
func TestPublishedAnswerFoundForParaphrase(t *testing.T) {
	s := shopWithArticles(t)
	ctx := context.Background()
	req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: "if i invite my friend do i get anything", Lang: "en"}
	if _, ok, err := s.MatchPublished(ctx, req); err != nil || ok {
		t.Fatalf("before publishing: matched %v, err %v", ok, err)
	}
	publish(t, s, "gap-1", referAnswer, "Do you have a refer-a-friend program?")
	a, ok, err := s.MatchPublished(ctx, req)
	if err != nil || !ok {
		t.Fatalf("after publishing: matched %v, err %v", ok, err)
	}
	if !strings.HasPrefix(a.Text, "Yes: under Me") || len(a.Sources) != 1 || a.Sources[0].Doc != "gap-1" || !a.Known {
		t.Fatalf("answer %+v", a)
	}
	if got := ask(t, s, req.Question); !got.Known || got.Sources[0].Doc != "gap-1" {
		t.Fatalf("Answer: %q from %+v, want the published answer", got.Text, got.Sources)
	}
	// Deleting the entry forgets it.
	if err := s.Delete(ctx, rag.DocKey{TenantID: tenant, KB: "help", Doc: "gap-1"}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.MatchPublished(ctx, req); ok {
		t.Fatal("matched a deleted entry")
	}
}

// Questions that only name what an entry is about, or that an article
// answers, are not answered from the entry.
func TestPublishedAnswerNotForOtherQuestions(t *testing.T) {
	s := shopWithArticles(t)
	publish(t, s, "gap-1", referAnswer, "Do you have a refer-a-friend program?")
	publish(t, s, "gap-2", "Yes, the PowerGo 20000mAh is rated about 74Wh, under the common 100Wh limit, so most airlines allow it in carry-on luggage.",
		"Can I take the PowerGo power bank on a plane?")
	for _, q := range []string{
		"where is my PowerGo",                            // one word of the entry: a topic, not its question
		"my power bank is broken, is it under warranty?", // the warranty article's
		"how much is shipping",
		"cool",
		"which payment methods do you accept",
	} {
		a, ok, err := s.MatchPublished(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			t.Errorf("%q answered from %s: %q", q, a.Sources[0].Doc, a.Text)
		}
		if got := ask(t, s, q); got.Known && strings.HasPrefix(got.Sources[0].Doc, "gap-") {
			t.Errorf("Answer(%q) quoted the published %s", q, got.Sources[0].Doc)
		}
	}
	if _, ok, _ := s.MatchPublished(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"},
		Question: "is my 20000mah power bank allowed on a plane in carry-on?", Lang: "en"}); !ok {
		t.Error("a paraphrase of the power bank entry was not matched")
	}
}

// A customer asking in other words than the published question, or in
// the other language, still gets the published answer: swatch for sample,
// present for gift, 小孩 for 儿童, a Chinese question for an English entry.
func TestPublishedAnswerFoundInOtherWords(t *testing.T) {
	s := shopWithArticles(t)
	publish(t, s, "gap-sample", "We don't send fabric samples, but the product page has close-up photos of every colour.",
		"Can I get a fabric sample of the linen sofa cover?")
	publish(t, s, "gap-wrap", "Yes, tick 'Gift wrap' at checkout: ¥10 per order, packed in a box with a ribbon and a card.",
		"Do you offer gift wrapping?")
	publish(t, s, "gap-boots", "儿童雨靴建议按脚长加 1 厘米选码，冬天穿厚袜子再加半码。", "儿童雨靴尺码怎么选？")
	for q, want := range map[string]string{
		"do u mail swatches of the sofa cover":    "gap-sample",
		"could you wrap my order as a present":    "gap-wrap",
		"小孩平时穿30码，雨靴拿多大的":                         "gap-boots",
		"沙发套能先寄一块样品看看颜色吗":                         "gap-sample",
		"my daughter is 6, what size rain boots?": "gap-boots",
	} {
		a, ok, err := s.MatchPublished(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if !ok || a.Sources[0].Doc != want {
			t.Errorf("%q: matched %v %+v, want %s", q, ok, a.Sources, want)
		}
	}
}

// The same answer published twice (two clusters of one question, in one
// language or two) is one answer: a question close to both gets it. Two
// different answers close to a question give it neither.
func TestPublishedSameAnswerTwice(t *testing.T) {
	s := shopWithArticles(t)
	publish(t, s, "gap-jobs-1", "Open positions, customer service included, are on our careers page; send your CV to jobs@shop.example.",
		"Are you hiring?")
	publish(t, s, "gap-jobs-2", "Our open positions are listed on the careers page, and CVs go to jobs@shop.example.",
		"Any job vacancies?")
	req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: "are you hiring? any open positions", Lang: "en"}
	if a, ok, err := s.MatchPublished(context.Background(), req); err != nil || !ok || !strings.HasPrefix(a.Sources[0].Doc, "gap-jobs") {
		t.Fatalf("matched %v %+v, err %v; want a jobs answer", ok, a.Sources, err)
	}
	publish(t, s, "gap-interns", "We take summer interns in the warehouse only; applications open in March.", "Do you take interns?")
	req.Question = "are you hiring interns"
	if a, ok, _ := s.MatchPublished(context.Background(), req); ok {
		t.Errorf("%q answered from %s, between the jobs and the interns answers", req.Question, a.Sources[0].Doc)
	}
}

func TestMatchPublishedRefusesBadFilter(t *testing.T) {
	s := shopWithArticles(t)
	if _, _, err := s.MatchPublished(context.Background(), rag.AnswerRequest{Question: "hi"}); err == nil {
		t.Fatal("no error for an empty tenant")
	}
}

// countingIndex counts the chunks listed: loading a base's published
// entries reads every chunk of it.
type countingIndex struct {
	listingIndex
	listed int
}

func (c *countingIndex) Chunks(ctx context.Context, key rag.DocKey) ([]rag.Chunk, error) {
	c.mu.Lock()
	c.listed++
	c.mu.Unlock()
	return c.listingIndex.Chunks(ctx, key)
}

// An entry another process published (`assist` on the same database) is
// matched once the cache's lifetime is over; a base nobody changed is not
// read again when that lifetime ends, and a question asked several times
// in a turn is matched once.
func TestPublishedScopeReloadsOnlyWhenChanged(t *testing.T) {
	// In a synctest bubble the clock moves only when every goroutine
	// waits: the cache's lifetime ends exactly when the test sleeps past it.
	synctest.Test(t, func(t *testing.T) {
		defer rag.SetCacheTTL(30 * time.Millisecond)()
		ix := &countingIndex{}
		s := &rag.Service{Index: ix, Config: rag.Config{Threshold: 0.2}}
		publish(t, s, "gap-1", referAnswer, "Do you have a refer-a-friend program?")
		ctx := context.Background()
		req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: "if i invite my friend do i get anything", Lang: "en"}
		if _, ok, err := s.MatchPublished(ctx, req); err != nil || !ok {
			t.Fatalf("matched %v, err %v", ok, err)
		}
		// A question no entry answers is not searched for in the articles:
		// only loading the entries would list chunks.
		other := rag.AnswerRequest{Filter: req.Filter, Question: "which payment methods do you accept", Lang: "en"}
		loaded := ix.listed
		time.Sleep(40 * time.Millisecond)
		if _, ok, _ := s.MatchPublished(ctx, other); ok || ix.listed != loaded {
			t.Errorf("unchanged base: matched %v, chunks listed %d more times", ok, ix.listed-loaded)
		}
		// Another process: its own Service on the same data.
		proc := &rag.Service{Index: &otherListing{ix}, Config: s.Config}
		publish(t, proc, "gap-2", "Yes: tick 'Gift wrap' at checkout, ¥10 per order.", "Do you offer gift wrapping?")
		req.Question = "could you wrap my order as a present"
		time.Sleep(40 * time.Millisecond) // past the cache's lifetime
		a, ok, err := s.MatchPublished(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if !ok || a.Sources[0].Doc != "gap-2" {
			t.Fatalf("the other process's entry is still unseen: %v %+v", ok, a.Sources)
		}
	})
}

// otherListing is another handle on a countingIndex's data: a cache keyed
// by index does not see it as the same.
type otherListing struct{ *countingIndex }

// An entry the help center's search finds among the articles is quoted
// only for a question it asks, or covers at least as well as the articles
// found with it: an entry about taking the power bank on a plane is not
// the answer to whether it is under warranty (the warranty article is),
// nor an entry about family accounts to a question sharing none of its
// words.
func TestPublishedEntryFoundBySearch(t *testing.T) {
	s := shopWithArticles(t)
	ix := s.Index.(*listingIndex)
	publish(t, s, "gap-family", "You can log in to one account on several devices, but we don't offer shared family accounts; points and balance belong to the account holder.",
		"Can my family use one account together?")
	publish(t, s, "gap-plane", "Yes, the PowerGo 20000mAh is about 74Wh, under the 100Wh limit, so it can go in your carry-on, never in checked luggage.",
		"Can I take the PowerGo power bank on a plane?")
	publish(t, s, "gap-wash", "Yes, the Merino Crew Sweater can go in the machine on a cold wool cycle; dry it flat.",
		"Can I machine wash the Merino Crew Sweater?")
	publish(t, s, "gap-wrap", "Yes, tick 'Gift wrap' at checkout: ¥10 per order, packed in a box with a ribbon and a card.",
		"Do you offer gift wrapping?")
	hit := func(doc string) rag.Hit {
		cs, err := ix.Chunks(context.Background(), rag.DocKey{TenantID: tenant, KB: "help", Doc: doc})
		if err != nil || len(cs) == 0 {
			t.Fatalf("chunks of %s: %v", doc, err)
		}
		return rag.Hit{Chunk: cs[0]}
	}
	for _, c := range []struct {
		q    string
		hits []string
		want []string
	}{
		{"is my 20000mah power bank ok in carry-on luggage", []string{"gap-plane", "gap-family", "en-warranty.md"}, []string{"gap-plane", "en-warranty.md"}},
		{"my power bank stopped charging, is it covered by the warranty?", []string{"gap-plane", "en-warranty.md"}, []string{"en-warranty.md"}},
		{"which payment methods do you accept", []string{"gap-family", "en-faq.jsonl"}, []string{"en-faq.jsonl"}},
		{"do you offer shared family accounts", []string{"en-coupons.md", "gap-family"}, []string{"en-coupons.md", "gap-family"}},
		{"I'm ordering a merino sweater for my mum's birthday, is there an option to have it nicely wrapped in gift paper?", []string{"gap-wash", "en-shipping.md"}, []string{"en-shipping.md"}},
	} {
		var hits []rag.Hit
		for _, d := range c.hits {
			hits = append(hits, hit(d))
		}
		got, err := s.AskedEntries(context.Background(), c.q, hits)
		if err != nil {
			t.Fatal(err)
		}
		var docs []string
		for _, h := range got {
			docs = append(docs, h.Chunk.Doc)
		}
		if !slices.Equal(docs, c.want) {
			t.Errorf("%q: kept %v, want %v", c.q, docs, c.want)
		}
	}
}

// On an index that cannot list chunks (Qdrant), a published entry the
// search finds is not quoted (the entries cannot be read to match it),
// and a customer whose question finds one still gets the article's
// answer, not an error.
func TestPublishedEntryOnIndexWithoutChunkListing(t *testing.T) {
	s := &rag.Service{Index: &memIndex{}, Config: rag.Config{Threshold: 0.2}}
	if _, err := s.Ingest(context.Background(), rag.Document{DocKey: rag.DocKey{TenantID: tenant, KB: "help", Doc: "en-warranty.md"}, Title: "Warranty", Source: "en-warranty.md",
		Chunks: []rag.Chunk{{Text: "Electronics such as power banks and lamps have a one-year warranty against defects. A broken item under warranty is repaired or replaced."}}}); err != nil {
		t.Fatal(err)
	}
	publish(t, s, "gap-plane", "Yes, the PowerGo 20000mAh is about 74Wh, under the 100Wh limit, so it can go in your carry-on.",
		"Can I take the PowerGo power bank on a plane?")
	a := ask(t, s, "my power bank broke, is it under warranty?")
	for _, src := range a.Sources {
		if src.Doc == "gap-plane" {
			t.Errorf("quoted the entry it cannot match: %q from %+v", a.Text, a.Sources)
		}
	}
	if !a.Known || !strings.Contains(a.Text, "one-year warranty") {
		t.Errorf("answer %q (known %v), want the warranty article's", a.Text, a.Known)
	}
}

// A closed index is forgotten: what was cached for it is loaded again
// (nothing of it stays reachable from the package's caches).
func TestForgetIndexDropsItsCaches(t *testing.T) {
	ix := &countingIndex{}
	s := &rag.Service{Index: ix, Config: rag.Config{Threshold: 0.2}}
	publish(t, s, "gap-1", referAnswer, "Do you have a refer-a-friend program?")
	ctx := context.Background()
	req := rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: "if i invite my friend do i get anything", Lang: "en"}
	if _, ok, err := s.MatchPublished(ctx, req); err != nil || !ok {
		t.Fatalf("matched %v, err %v", ok, err)
	}
	other := rag.AnswerRequest{Filter: req.Filter, Question: "which payment methods do you accept", Lang: "en"}
	loaded := ix.listed
	if _, _, err := s.MatchPublished(ctx, other); err != nil || ix.listed != loaded {
		t.Fatalf("cached scope listed again (%d more), err %v", ix.listed-loaded, err)
	}
	rag.ForgetIndex(&countingIndex{}) // another index: this one's scope stays
	if _, _, err := s.MatchPublished(ctx, other); err != nil || ix.listed != loaded {
		t.Fatalf("forgetting another index dropped this one's scope (%d more), err %v", ix.listed-loaded, err)
	}
	rag.ForgetIndex(ix)
	if _, _, err := s.MatchPublished(ctx, other); err != nil || ix.listed == loaded {
		t.Errorf("after ForgetIndex: the scope was not loaded again, err %v", err)
	}
}

// General shop vocabulary (rag/paraphrase.tsv, by category) lets a
// question in words its entry never uses reach it: sign-up and guest
// checkout, signing for a parcel and the front desk, unsubscribing from
// promo texts, genuine and counterfeit, a wishlist and a bookmark, in
// either language. The entries and questions are written for this test.
func TestPublishedShopVocabulary(t *testing.T) {
	s := shopWithArticles(t)
	publish(t, s, "gap-account", "An account is needed to order: tracking and after-sales are tied to it. Registering takes a minute with a phone number.",
		"Do I have to register before I can order?")
	publish(t, s, "gap-sign", "Yes, anyone at the address may sign for the parcel; once signed for it counts as delivered.",
		"Can my neighbour sign for my parcel?")
	publish(t, s, "gap-sms", "Reply TD to any promotional SMS, or switch off Promotions under Me → Settings → Notifications.",
		"How do I stop your promotional SMS?")
	publish(t, s, "gap-genuine", "Everything we sell comes from the brands or their authorised distributors; each product page shows the brand's authorisation.",
		"Are your products genuine?")
	publish(t, s, "gap-wishlist", "Tap the heart on a product page to add it to your wishlist; find it under Me → Wishlist.",
		"Can I save products to a wishlist?")
	for q, want := range map[string]string{
		"can I order as a guest":                            "gap-account",
		"不注册能直接下单吗":                                         "gap-account",
		"can I order without signing up":                    "gap-account",
		"can the front desk at my office take the package":  "gap-sign",
		"快递能让门卫代收吗":                                         "gap-sign",
		"is it ok if someone else signs for it":             "gap-sign",
		"unsubscribe me from the marketing texts":           "gap-sms",
		"不想收广告短信了怎么退订":                                      "gap-sms",
		"is this a knockoff or the authentic brand":         "gap-genuine",
		"你们家的商品是正品吗，会不会是高仿":                                 "gap-genuine",
		"worried about counterfeits, is your stuff legit":   "gap-genuine",
		"how do i bookmark an item for later":               "gap-wishlist",
		"商品能加收藏吗":                                           "gap-wishlist",
		"where are my favourites, i want to save a product": "gap-wishlist",
	} {
		a, ok, err := s.MatchPublished(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if !ok || a.Sources[0].Doc != want {
			t.Errorf("%q: matched %v %+v, want %s", q, ok, a.Sources, want)
		}
	}
}

// More of the vocabulary: orders shipped together, goods already opened,
// an account someone else got into.
func TestPublishedShopVocabularyOrdersAndSafety(t *testing.T) {
	s := shopWithArticles(t)
	publish(t, s, "gap-combine", "Orders placed within an hour to the same address are packed together; later ones ship on their own.",
		"Can you combine my two orders into one parcel?")
	publish(t, s, "gap-opened", "An unsealed item can still be returned within 7 days if it is complete and undamaged.",
		"Can I return something I've already opened?")
	publish(t, s, "gap-hacked", "Change your password at once under Account security and sign out of all devices; we freeze the account on request.",
		"What do I do if my account was hacked?")
	for q, want := range map[string]string{
		"i placed 2 orders, can you ship them together":              "gap-combine",
		"两个订单能合并发货吗":                                                 "gap-combine",
		"please merge orders so they come in one package":            "gap-combine",
		"the box is unsealed already, is a return still ok":          "gap-opened",
		"已经拆封了还能退货吗":                                                 "gap-opened",
		"i tried it on and took the tags off, can i still return it": "gap-opened",
		"someone logged in to my account, what do i do":              "gap-hacked",
		"账号好像被盗了怎么办":                                                 "gap-hacked",
		"my account is compromised, help":                            "gap-hacked",
	} {
		a, ok, err := s.MatchPublished(context.Background(), rag.AnswerRequest{Filter: rag.Filter{TenantID: tenant, KB: "help"}, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if !ok || a.Sources[0].Doc != want {
			t.Errorf("%q: matched %v %+v, want %s", q, ok, a.Sources, want)
		}
	}
}
