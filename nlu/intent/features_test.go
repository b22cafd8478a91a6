package intent

import (
	"slices"
	"strings"
	"testing"

	"github.com/assistd/assist/nlu/text"
)

func TestFeaturize(t *testing.T) {
	c := FeatureConfig{Buckets: 1 << 20, Unigrams: true, Bigrams: true, HanTrigrams: true, CharMin: 3, CharMax: 4}
	tests := []struct {
		in   string
		want int // number of features
	}{
		{"", 0},
		{"!!!", 0},
		// "hi": uni; char 3-grams of "<hi>": <hi, hi>; 4-gram "<hi>" is the
		// whole word, skipped.
		{"hi", 3},
		// "我的快递": 4 uni, 3 bi, 2 tri.
		{"我的快递", 9},
		// "my 快递": my (1 uni, char "<my", "my>" = 2), 快 (uni, bi my|快),
		// 递 (uni, bi 快|递) → 7.
		{"my 快递", 7},
	}
	for _, tt := range tests {
		got := c.Featurize(nil, tt.in)
		if len(got) != tt.want {
			t.Errorf("Featurize(%q): %d features, want %d", tt.in, len(got), tt.want)
		}
		for _, id := range got {
			if id < 0 || int(id) >= c.Buckets {
				t.Errorf("Featurize(%q): id %d out of range", tt.in, id)
			}
		}
		if again := c.Featurize(nil, tt.in); !slices.Equal(got, again) {
			t.Errorf("Featurize(%q) not deterministic", tt.in)
		}
	}
}

func TestFeaturizeKindsDiffer(t *testing.T) {
	only := func(c FeatureConfig) []int32 { c.Buckets = 1 << 20; return c.Featurize(nil, "abc") }
	uni := only(FeatureConfig{Unigrams: true})
	ch := only(FeatureConfig{CharMin: 3, CharMax: 3}) // "<ab", "abc", "bc>"
	if len(uni) != 1 || len(ch) != 3 {
		t.Fatalf("uni %v, char %v", uni, ch)
	}
	if slices.Contains(ch, uni[0]) {
		t.Errorf("the char 3-gram abc and the word abc share a bucket: kinds are not kept apart")
	}
}

func TestFeaturizeHanBigrams(t *testing.T) {
	// "my 快递": only 快|递 is a Han bigram; my|快 is not.
	han := FeatureConfig{Buckets: 1 << 20, HanBigrams: true}
	all := FeatureConfig{Buckets: 1 << 20, Bigrams: true}
	if got := han.Featurize(nil, "my 快递 ok"); len(got) != 1 {
		t.Errorf("han bigrams: %d features, want 1", len(got))
	}
	if got := all.Featurize(nil, "my 快递 ok"); len(got) != 3 {
		t.Errorf("all bigrams: %d features, want 3", len(got))
	}
}

func TestFeaturizeCap(t *testing.T) {
	c := DefaultFeatures
	c.MaxFeatures = 10
	long := text.Normalize(strings.Repeat("where is my parcel 快递 ", 50))
	if got := c.Featurize(nil, long); len(got) != 10 {
		t.Errorf("%d features, want the cap of 10", len(got))
	}
	c.MaxFeatures = 0
	if got := c.Featurize(nil, long); len(got) != DefaultMaxFeatures {
		t.Errorf("%d features, want the default cap %d", len(got), DefaultMaxFeatures)
	}
}

func TestFeatureConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		c    FeatureConfig
		ok   bool
	}{
		{"default", DefaultFeatures, true},
		{"too few buckets", FeatureConfig{Buckets: 4, Unigrams: true}, false},
		{"nothing enabled", FeatureConfig{Buckets: 1024}, false},
		{"char range reversed", FeatureConfig{Buckets: 1024, CharMin: 4, CharMax: 3}, false},
		{"char max alone", FeatureConfig{Buckets: 1024, Unigrams: true, CharMax: 3}, false},
		{"negative cap", FeatureConfig{Buckets: 1024, Unigrams: true, MaxFeatures: -1}, false},
	}
	for _, tt := range tests {
		if err := tt.c.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v", tt.name, err)
		}
	}
}

func BenchmarkFeaturize(b *testing.B) {
	msgs := []string{text.Normalize("Hi, where is my parcel? I ordered 3 days ago and tracking shows nothing"), text.Normalize("我的快递怎么还没到啊，都三天了，帮我查一下物流")}
	var buf []int32
	for i := 0; b.Loop(); i++ {
		buf = DefaultFeatures.Featurize(buf[:0], msgs[i%2])
	}
}
