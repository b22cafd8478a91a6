package main

import (
	"encoding/json"
	"fmt"
	"github.com/assistd/assist/eval/report"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/confmap"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/providers/structs"
	"github.com/knadh/koanf/v2"

	"github.com/assistd/assist/routing"
)

// Config is every setting of the binary. It is read, in order of
// precedence from low to high, from the defaults, a YAML file (--config or
// ASSIST_CONFIG), ASSIST_* environment variables (the key in upper case
// with dots as underscores: http.addr is ASSIST_HTTP_ADDR) and flags
// (--set key=value, and the flags of each command). Fields tagged
// secret:"true" are printed as "***".
type Config struct {
	HTTP struct {
		Addr            string        `koanf:"addr" json:"addr"`
		MaxBodyBytes    int64         `koanf:"max_body_bytes" json:"max_body_bytes"`
		RateLimit       float64       `koanf:"rate_limit" json:"rate_limit"`
		RateBurst       int           `koanf:"rate_burst" json:"rate_burst"`
		IPRateLimit     float64       `koanf:"ip_rate_limit" json:"ip_rate_limit"`
		IPRateBurst     int           `koanf:"ip_rate_burst" json:"ip_rate_burst"`
		LoginRateLimit  float64       `koanf:"login_rate_limit" json:"login_rate_limit"`
		LoginRateBurst  int           `koanf:"login_rate_burst" json:"login_rate_burst"`
		AllowedOrigins  []string      `koanf:"allowed_origins" json:"allowed_origins"`
		TrustedProxies  []string      `koanf:"trusted_proxies" json:"trusted_proxies"`
		ShutdownTimeout time.Duration `koanf:"shutdown_timeout" json:"shutdown_timeout"`
		// MetricsToken, as a Bearer token, adds each shop's business
		// numbers to /metrics; without it they are not served.
		MetricsToken string `koanf:"metrics_token" json:"metrics_token" secret:"true"`
	} `koanf:"http" json:"http"`
	Store struct {
		Path        string `koanf:"path" json:"path"`
		Synchronous string `koanf:"synchronous" json:"synchronous"`
	} `koanf:"store" json:"store"`
	ONNX struct {
		Library string `koanf:"library" json:"library"`
		Threads int    `koanf:"threads" json:"threads"`
	} `koanf:"onnx" json:"onnx"`
	Conversation struct {
		MaxMessageChars int           `koanf:"max_message_chars" json:"max_message_chars"`
		TurnTimeout     time.Duration `koanf:"turn_timeout" json:"turn_timeout"`
	} `koanf:"conversation" json:"conversation"`
	Auth struct {
		SessionTTL time.Duration `koanf:"session_ttl" json:"session_ttl"`
		BcryptCost int           `koanf:"bcrypt_cost" json:"bcrypt_cost"`
		// CustomerSecret checks the shop's signatures of customer_ref
		// (customer_sig); empty: only staff and API key tokens may set a
		// customer_ref (with --demo: a random one, in demo-credentials.json).
		CustomerSecret string `koanf:"customer_secret" json:"customer_secret" secret:"true"`
		// OperatorToken is the platform operator's Bearer token for
		// /v1/platform (create shops, rotate their secrets); empty: off.
		OperatorToken string `koanf:"operator_token" json:"operator_token" secret:"true"`
	} `koanf:"auth" json:"auth"`
	Demo struct {
		Seed    bool   `koanf:"seed" json:"seed"`
		Tenant  string `koanf:"tenant" json:"tenant"`
		Catalog string `koanf:"catalog" json:"catalog"` // the demo shop's products, used when nlu.catalog is empty
		Shop    string `koanf:"shop" json:"shop"`       // the demo shop's customers, orders, shipments and refunds (JSON)
		// Clock is the clock of the shop and of the bot's dates (see
		// Config.clock): empty or "now" the real one; an RFC 3339 moment or
		// "shop" (the demo.shop file's written_at) a clock that starts there
		// and runs on in real time. The whole-bot evals default to "shop".
		Clock string `koanf:"clock" json:"clock"`
	} `koanf:"demo" json:"demo"`
	KB struct {
		Backend        string `koanf:"backend" json:"backend"`                   // sqlite or qdrant
		Path           string `koanf:"path" json:"path"`                         // the embedded index file; empty: kb.db next to store.path
		MaxUploadBytes int64  `koanf:"max_upload_bytes" json:"max_upload_bytes"` // knowledge-console upload cap
		ChunkZH        int    `koanf:"chunk_zh" json:"chunk_zh"`                 // chunk size, Chinese characters
		ChunkEN        int    `koanf:"chunk_en" json:"chunk_en"`                 // chunk size, characters of other text
		DemoKB         string `koanf:"demo_kb" json:"demo_kb"`                   // kb the demo help center is seeded into
		DemoDir        string `koanf:"demo_dir" json:"demo_dir"`                 // the demo help center's files
	} `koanf:"kb" json:"kb"`
	RAG struct {
		Analyzer      string  `koanf:"analyzer" json:"analyzer"` // Chinese terms: bigram or gse
		Embedder      string  `koanf:"embedder" json:"embedder"` // none, hash, openai or onnx
		HashDim       int     `koanf:"hash_dim" json:"hash_dim"`
		KeywordWeight float64 `koanf:"keyword_weight" json:"keyword_weight"`
		DenseWeight   float64 `koanf:"dense_weight" json:"dense_weight"`
		Threshold     float64 `koanf:"threshold" json:"threshold"` // answers below this confidence abstain; 0: the answer-confidence model's
		TopK          int     `koanf:"top_k" json:"top_k"`
		ContextChunks int     `koanf:"context_chunks" json:"context_chunks"`
		EmbedDim      int     `koanf:"embed_dim" json:"embed_dim"` // vector size of the openai embedder
		ONNXDir       string  `koanf:"onnx_dir" json:"onnx_dir"`   // sentence-embedding model folder of the onnx embedder
		// ParaphraseModel is the question encoder's folder (`assist train
		// paraphrase`) that matches published answers to questions asked in
		// other words; empty: matched by their words only.
		ParaphraseModel string `koanf:"paraphrase_model" json:"paraphrase_model"`
		// SearchCacheTTL is how long a search is remembered per knowledge
		// base (another process's ingest is seen after at most this); 0
		// remembers none.
		SearchCacheTTL time.Duration `koanf:"search_cache_ttl" json:"search_cache_ttl"`
	} `koanf:"rag" json:"rag"`
	LLM struct {
		BaseURL    string        `koanf:"base_url" json:"base_url"` // OpenAI-compatible endpoint; empty: no LLM
		APIKey     string        `koanf:"api_key" json:"api_key" secret:"true"`
		ChatModel  string        `koanf:"chat_model" json:"chat_model"`
		EmbedModel string        `koanf:"embed_model" json:"embed_model"`
		Timeout    time.Duration `koanf:"timeout" json:"timeout"`
	} `koanf:"llm" json:"llm"`
	Qdrant struct {
		URL        string `koanf:"url" json:"url"` // gRPC endpoint, e.g. localhost:6334
		APIKey     string `koanf:"api_key" json:"api_key" secret:"true"`
		Collection string `koanf:"collection" json:"collection"`
	} `koanf:"qdrant" json:"qdrant"`
	Ticket struct {
		// SLA targets by priority, in business time; 0 disables a timer.
		SLA struct {
			Low    SLATargets `koanf:"low" json:"low"`
			Normal SLATargets `koanf:"normal" json:"normal"`
			High   SLATargets `koanf:"high" json:"high"`
			Urgent SLATargets `koanf:"urgent" json:"urgent"`
		} `koanf:"sla" json:"sla"`
		WarnFraction float64       `koanf:"warn_fraction" json:"warn_fraction"` // warn when this share of a target has passed (0: off)
		WarnBefore   time.Duration `koanf:"warn_before" json:"warn_before"`     // or this long before the breach (wins when set)
	} `koanf:"ticket" json:"ticket"`
	Routing struct {
		IntentSkills        []string      `koanf:"intent_skills" json:"intent_skills"` // "intent=skill"
		ReasonSkills        []string      `koanf:"reason_skills" json:"reason_skills"` // "reason=skill"; wins over the intent
		DefaultSkill        string        `koanf:"default_skill" json:"default_skill"`
		OfferTimeout        time.Duration `koanf:"offer_timeout" json:"offer_timeout"`                 // an offer not accepted in time is requeued
		MaxMissedOffers     int           `koanf:"max_missed_offers" json:"max_missed_offers"`         // then the agent is set away
		OverflowWait        time.Duration `koanf:"overflow_wait" json:"overflow_wait"`                 // then the fallback team may take it
		FallbackTeam        string        `koanf:"fallback_team" json:"fallback_team"`                 // "": no overflow
		CustomerIdleTimeout time.Duration `koanf:"customer_idle_timeout" json:"customer_idle_timeout"` // 0: never close
		AgingPerMinute      float64       `koanf:"aging_per_minute" json:"aging_per_minute"`
		VIPWeight           float64       `koanf:"vip_weight" json:"vip_weight"`
		DefaultCapacity     int           `koanf:"default_capacity" json:"default_capacity"`
	} `koanf:"routing" json:"routing"`
	NLU struct {
		ModelDir    string        `koanf:"model_dir" json:"model_dir"`       // the intent model directory (model.onnx, model.json)
		Strategy    string        `koanf:"strategy" json:"strategy"`         // onnx, llm, or onnx+llm (the LLM when the model is unsure)
		Threshold   float64       `koanf:"threshold" json:"threshold"`       // > 0 overrides the model's out-of-scope threshold
		Margin      float64       `koanf:"margin" json:"margin"`             // > 0 overrides the model's ambiguity margin
		LLMTimeout  time.Duration `koanf:"llm_timeout" json:"llm_timeout"`   // an LLM intent call slower than this falls back to the model
		LLMFallback bool          `koanf:"llm_fallback" json:"llm_fallback"` // with strategy onnx: ask the LLM when unsure (= onnx+llm)
		Catalog     string        `koanf:"catalog" json:"catalog"`           // product catalogue (JSON) for product entities; empty: none
	} `koanf:"nlu" json:"nlu"`
	Dialog struct {
		Policy   string `koanf:"policy" json:"policy"`       // assistant (NLU + knowledge base) or handoff (every conversation to a person)
		KB       string `koanf:"kb" json:"kb"`               // the knowledge base the bot answers from
		FlowsDir string `koanf:"flows_dir" json:"flows_dir"` // task flow YAML files; empty: the built-in flows
		Backend  string `koanf:"backend" json:"backend"`     // the shop backend flows call: demo (built-in demo shop), webhook, or none
		// UTCOffset is the shop's calendar: the day a customer's "yesterday"
		// or 上周 names, the day an order was placed and the day a parcel
		// is due are all counted at this offset from UTC (the demo shop's
		// China Standard Time by default).
		UTCOffset time.Duration `koanf:"utc_offset" json:"utc_offset"`
		Webhook   struct {
			URL     string        `koanf:"url" json:"url"`                     // the shop's action endpoint
			Secret  string        `koanf:"secret" json:"secret" secret:"true"` // HMAC-SHA256 signing key for requests
			Timeout time.Duration `koanf:"timeout" json:"timeout"`             // per attempt
			Retries int           `koanf:"retries" json:"retries"`             // extra attempts after a failure
		} `koanf:"webhook" json:"webhook"`
		Escalation struct {
			Anger         float64  `koanf:"anger" json:"anger"`                   // a message angrier than this escalates (0..1)
			AngerAtOnce   float64  `koanf:"anger_at_once" json:"anger_at_once"`   // ... at once from this anger on; below it a concrete question is answered first (0: always at once)
			NegativeLast  float64  `koanf:"negative_last" json:"negative_last"`   // negative_trend needs the newest message's polarity ≤ this (0: any negative message)
			NegativeTrend float64  `koanf:"negative_trend" json:"negative_trend"` // the sentiment trend below this ...
			NegativeTurns int      `koanf:"negative_turns" json:"negative_turns"` // ... after this many negative messages in a row escalates
			Fallbacks     int      `koanf:"fallbacks" json:"fallbacks"`           // this many fallbacks in a row escalate
			VIPTiers      []string `koanf:"vip_tiers" json:"vip_tiers"`           // member tiers whose complaints go straight to a person
			Goodwill      []string `koanf:"goodwill" json:"goodwill"`             // escalation reasons that offer a goodwill coupon (issue_coupon)
		} `koanf:"escalation" json:"escalation"`
	} `koanf:"dialog" json:"dialog"`
	Sentiment struct {
		ModelDir string  `koanf:"model_dir" json:"model_dir"` // the sentiment model directory (model.onnx, model.json)
		Alpha    float64 `koanf:"alpha" json:"alpha"`         // weight of the newest message in the trend (0..1]
	} `koanf:"sentiment" json:"sentiment"`
	Log struct {
		Level  string `koanf:"level" json:"level"`
		Format string `koanf:"format" json:"format"`
	} `koanf:"log" json:"log"`
	Gaps struct {
		// TrainingData is the JSON Lines file published gap questions are
		// appended to, labelled with their intent, for `assist train
		// intent --data`; "": gap-training.jsonl next to the database.
		TrainingData string  `koanf:"training_data" json:"training_data"`
		Threshold    float64 `koanf:"threshold" json:"threshold"` // cosine to join a cluster; 0: gap.DefaultThreshold
	} `koanf:"gaps" json:"gaps"`
	Eval struct {
		ReportsDir string `koanf:"reports_dir" json:"reports_dir"` // where `make eval` writes reports; the console lists them
		// Tolerances of the --baseline gate: an absolute drop for
		// higher-is-better metrics, a relative rise for lower-is-better
		// ones (latency).
		Tolerances report.Tolerances `koanf:"tolerances" json:"tolerances"`
	} `koanf:"eval" json:"eval"`
	Runtime struct {
		// HeapFloorMB: the Go heap grows to at least this many MB before
		// a collection (heapfloor.go); 0: Go's default GOGC=100. A GOGC
		// in the environment wins.
		HeapFloorMB int `koanf:"heap_floor_mb" json:"heap_floor_mb"`
	} `koanf:"runtime" json:"runtime"`
}

// SLATargets are the SLA targets of one ticket priority (ticket.sla.*).
type SLATargets struct {
	FirstResponse time.Duration `koanf:"first_response" json:"first_response"`
	NextResponse  time.Duration `koanf:"next_response" json:"next_response"`
	Resolution    time.Duration `koanf:"resolution" json:"resolution"`
}

func (t SLATargets) valid() bool {
	for _, d := range []time.Duration{t.FirstResponse, t.NextResponse, t.Resolution} {
		if d < 0 || d > 8760*time.Hour {
			return false
		}
	}
	return true
}

// DefaultConfig returns the settings used when nothing else is given: the
// embedded defaults, listening on :8080 with a SQLite database under data/.
func DefaultConfig() Config {
	var c Config
	c.HTTP.Addr = ":8080"
	c.HTTP.MaxBodyBytes = 64 << 10
	c.HTTP.RateLimit = 20
	c.HTTP.RateBurst = 40
	c.HTTP.IPRateLimit = 200
	c.HTTP.IPRateBurst = 400
	c.HTTP.LoginRateLimit = 1
	c.HTTP.LoginRateBurst = 10
	c.HTTP.ShutdownTimeout = 15 * time.Second
	c.Store.Path = "data/assist.db"
	c.Store.Synchronous = "full"
	c.ONNX.Threads = 1
	c.Conversation.MaxMessageChars = 4000
	c.Conversation.TurnTimeout = 30 * time.Second
	c.Auth.SessionTTL = 12 * time.Hour
	c.Auth.BcryptCost = 10
	c.Demo.Tenant = "demo"
	c.Eval.ReportsDir = "data/eval-reports"
	c.Eval.Tolerances = report.Tolerances{Default: 0.01, PerMetric: map[string]float64{
		"latency.*": 1.0, // timings vary with the machine: gate only on a doubling
		"lang.*":    0.02,
		"class.*":   0.03,
		"intent.*":  0.05, // one intent's F1 moves with a handful of examples
		"ece":       0.5,
	}}
	c.KB.Backend = "sqlite"
	c.KB.MaxUploadBytes = 16 << 20
	c.KB.ChunkZH = 350
	c.KB.ChunkEN = 1200
	c.KB.DemoKB = "help"
	c.KB.DemoDir = "data/kb/demo"
	c.RAG.Analyzer = "bigram"
	c.RAG.Embedder = "none"
	c.RAG.HashDim = 256
	c.RAG.KeywordWeight = 1
	c.RAG.DenseWeight = 1
	c.RAG.TopK = 5
	c.RAG.ContextChunks = 4
	c.RAG.SearchCacheTTL = 10 * time.Second
	c.Ticket.SLA.Low = SLATargets{FirstResponse: 24 * time.Hour, NextResponse: 48 * time.Hour, Resolution: 120 * time.Hour}
	c.Ticket.SLA.Normal = SLATargets{FirstResponse: 8 * time.Hour, NextResponse: 24 * time.Hour, Resolution: 72 * time.Hour}
	c.Ticket.SLA.High = SLATargets{FirstResponse: 4 * time.Hour, NextResponse: 8 * time.Hour, Resolution: 24 * time.Hour}
	c.Ticket.SLA.Urgent = SLATargets{FirstResponse: time.Hour, NextResponse: 2 * time.Hour, Resolution: 8 * time.Hour}
	c.Ticket.WarnFraction = 0.8
	rc := routing.DefaultConfig()
	c.Routing.IntentSkills = skillPairs(rc.IntentSkills)
	c.Routing.ReasonSkills = skillPairs(rc.ReasonSkills)
	c.Routing.DefaultSkill = rc.DefaultSkill
	c.Routing.OfferTimeout = rc.OfferTimeout
	c.Routing.MaxMissedOffers = rc.MaxMissedOffers
	c.Routing.OverflowWait = rc.OverflowWait
	c.Routing.FallbackTeam = "tier2"
	c.Routing.CustomerIdleTimeout = rc.CustomerIdleTimeout
	c.Routing.AgingPerMinute = rc.AgingPerMinute
	c.Routing.VIPWeight = rc.VIPWeight
	c.Routing.DefaultCapacity = rc.DefaultCapacity
	c.NLU.ModelDir = ".cache/models/intent"
	c.NLU.Strategy = "onnx"
	c.Demo.Catalog = "data/demo/catalog.json"
	c.Dialog.Policy = "assistant"
	c.Dialog.KB = "help"
	c.Dialog.Backend = "demo"
	c.Dialog.UTCOffset = 8 * time.Hour
	c.Dialog.Webhook.Timeout = 3 * time.Second
	c.Dialog.Webhook.Retries = 2
	c.Dialog.Escalation.Anger = 0.5       // chosen on data/eval/escalation/dev.yaml with the sentiment model of data/sentiment (0.5: P 0.74 R 0.67; 0.7: P 0.72 R 0.60)
	c.Dialog.Escalation.AngerAtOnce = 0.8 // chosen on data/eval/escalation/dev.yaml and data/eval/stories-dev (README "Escalation")
	c.Dialog.Escalation.NegativeTrend = -0.4
	c.Dialog.Escalation.NegativeLast = -0.7 // the same
	c.Dialog.Escalation.NegativeTurns = 2
	c.Dialog.Escalation.Fallbacks = 2
	c.Dialog.Escalation.VIPTiers = []string{"gold", "platinum"}
	c.Dialog.Escalation.Goodwill = []string{"negative_trend", "vip_complaint"}
	c.Sentiment.ModelDir = ".cache/models/sentiment"
	c.Sentiment.Alpha = 0.5
	c.Demo.Shop = "data/demo/shop.json"
	c.NLU.LLMTimeout = 3 * time.Second
	c.Log.Level = "info"
	c.Log.Format = "json"
	c.Runtime.HeapFloorMB = 64
	return c
}

// LoadConfig resolves the configuration from defaults, file, environment
// (env lists "KEY=value" pairs, as os.Environ) and flag overrides.
func LoadConfig(path string, env []string, overrides map[string]string) (Config, error) {
	cfg := DefaultConfig()
	k := koanf.New(".")
	if err := k.Load(structs.Provider(cfg, "koanf"), nil); err != nil {
		return cfg, fmt.Errorf("config defaults: %w", err)
	}
	known := map[string]bool{}
	for _, key := range k.Keys() {
		known[key] = true
	}
	if path != "" {
		if err := k.Load(file.Provider(path), yaml.Parser()); err != nil {
			return cfg, fmt.Errorf("config file %s: %w", path, err)
		}
		for _, key := range k.Keys() {
			if !known[key] {
				return cfg, fmt.Errorf("config file %s: unknown setting %q", path, key)
			}
		}
	}
	envMap := map[string]string{}
	for _, kv := range env {
		if name, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(name, "ASSIST_") {
			envMap[name] = v
		}
	}
	fromEnv := map[string]any{}
	for key := range known {
		if v, ok := envMap[EnvName(key)]; ok {
			fromEnv[key] = listOrScalar(k, key, v)
		}
	}
	if err := k.Load(confmap.Provider(fromEnv, "."), nil); err != nil {
		return cfg, fmt.Errorf("config environment: %w", err)
	}
	fromFlags := map[string]any{}
	for key, v := range overrides {
		if !known[key] {
			return cfg, fmt.Errorf("unknown setting %q (known: %s)", key, strings.Join(sortedKeys(known), ", "))
		}
		fromFlags[key] = listOrScalar(k, key, v)
	}
	if err := k.Load(confmap.Provider(fromFlags, "."), nil); err != nil {
		return cfg, fmt.Errorf("config flags: %w", err)
	}
	if err := k.UnmarshalWithConf("", &cfg, koanf.UnmarshalConf{Tag: "koanf"}); err != nil {
		return cfg, fmt.Errorf("config: %w", err)
	}
	return cfg, cfg.Validate()
}

// EnvName is the environment variable of a setting key.
func EnvName(key string) string {
	return "ASSIST_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

func listOrScalar(k *koanf.Koanf, key, v string) any {
	if _, isList := k.Get(key).([]any); isList || strings.HasSuffix(key, "origins") || strings.HasSuffix(key, "proxies") || strings.HasSuffix(key, "_skills") {
		if strings.TrimSpace(v) == "" {
			return []string{}
		}
		parts := strings.Split(v, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	return v
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Validate checks settings that would otherwise fail later and obscurely.
func (c Config) Validate() error {
	switch {
	case c.HTTP.Addr == "":
		return fmt.Errorf("config: http.addr is empty")
	case c.HTTP.MaxBodyBytes < 1024:
		return fmt.Errorf("config: http.max_body_bytes must be at least 1024")
	case c.HTTP.RateLimit < 0 || c.HTTP.IPRateLimit < 0 || c.HTTP.LoginRateLimit < 0:
		return fmt.Errorf("config: http.rate_limit, http.ip_rate_limit and http.login_rate_limit must be >= 0 (0 disables them)")
	case c.Store.Path == "":
		return fmt.Errorf("config: store.path is empty")
	case c.Store.Synchronous != "full" && c.Store.Synchronous != "normal":
		return fmt.Errorf("config: store.synchronous must be full or normal")
	case c.Conversation.MaxMessageChars < 1:
		return fmt.Errorf("config: conversation.max_message_chars must be positive")
	case c.Auth.BcryptCost < 4 || c.Auth.BcryptCost > 31:
		return fmt.Errorf("config: auth.bcrypt_cost must be between 4 and 31")
	case c.Auth.CustomerSecret != "" && len(c.Auth.CustomerSecret) < 32:
		return fmt.Errorf("config: auth.customer_secret must be at least 32 characters (e.g. openssl rand -hex 32)")
	case c.Auth.OperatorToken != "" && len(c.Auth.OperatorToken) < 32:
		return fmt.Errorf("config: auth.operator_token must be at least 32 characters (e.g. openssl rand -hex 32)")
	case c.HTTP.MetricsToken != "" && len(c.HTTP.MetricsToken) < 32:
		return fmt.Errorf("config: http.metrics_token must be at least 32 characters (e.g. openssl rand -hex 32)")
	case c.KB.Backend != "sqlite" && c.KB.Backend != "qdrant":
		return fmt.Errorf("config: kb.backend must be sqlite or qdrant")
	case c.KB.MaxUploadBytes < 1024:
		return fmt.Errorf("config: kb.max_upload_bytes must be at least 1024")
	case c.RAG.Analyzer != "bigram" && c.RAG.Analyzer != "gse":
		return fmt.Errorf("config: rag.analyzer must be bigram or gse")
	case c.RAG.Embedder != "none" && c.RAG.Embedder != "hash" && c.RAG.Embedder != "openai" && c.RAG.Embedder != "onnx":
		return fmt.Errorf("config: rag.embedder must be none, hash, openai or onnx")
	case c.RAG.Embedder == "onnx" && c.RAG.ONNXDir == "":
		return fmt.Errorf("rag.embedder onnx needs rag.onnx_dir: a folder with model.onnx, vocab.txt and its pooling config")
	case c.RAG.Embedder == "openai" && (c.LLM.BaseURL == "" || c.RAG.EmbedDim <= 0):
		return fmt.Errorf("config: rag.embedder openai needs llm.base_url and rag.embed_dim")
	case c.RAG.KeywordWeight < 0 || c.RAG.DenseWeight < 0:
		return fmt.Errorf("config: rag.keyword_weight and rag.dense_weight must be >= 0")
	case c.RAG.Threshold < 0 || c.RAG.Threshold > 1:
		return fmt.Errorf("config: rag.threshold must be between 0 and 1")
	case c.RAG.SearchCacheTTL < 0:
		return fmt.Errorf("config: rag.search_cache_ttl must not be negative")
	case c.Ticket.WarnFraction < 0 || c.Ticket.WarnFraction >= 1 || c.Ticket.WarnBefore < 0:
		return fmt.Errorf("config: ticket.warn_fraction must be in [0, 1) and ticket.warn_before >= 0")
	case !c.Ticket.SLA.Low.valid() || !c.Ticket.SLA.Normal.valid() || !c.Ticket.SLA.High.valid() || !c.Ticket.SLA.Urgent.valid():
		return fmt.Errorf("config: ticket.sla targets must be between 0 and 8760h")
	case c.Dialog.Policy != "assistant" && c.Dialog.Policy != "handoff":
		return fmt.Errorf("config: dialog.policy %q: want assistant or handoff", c.Dialog.Policy)
	case c.Dialog.KB == "":
		return fmt.Errorf("config: dialog.kb is empty: name the knowledge base the bot answers from")
	case c.Dialog.Backend != "demo" && c.Dialog.Backend != "webhook" && c.Dialog.Backend != "none":
		return fmt.Errorf("config: dialog.backend %q: want demo, webhook or none", c.Dialog.Backend)
	case c.Dialog.Backend == "webhook" && c.Dialog.Webhook.URL == "":
		return fmt.Errorf("config: dialog.backend is webhook but dialog.webhook.url is empty")
	case c.Dialog.UTCOffset < -12*time.Hour || c.Dialog.UTCOffset > 14*time.Hour || c.Dialog.UTCOffset%time.Minute != 0:
		return fmt.Errorf("config: dialog.utc_offset must be whole minutes between -12h and 14h")
	case c.Dialog.Webhook.Timeout <= 0 || c.Dialog.Webhook.Retries < 0 || c.Dialog.Webhook.Retries > 10:
		return fmt.Errorf("config: dialog.webhook.timeout must be > 0 and retries 0-10")
	case c.Dialog.Escalation.Anger <= 0 || c.Dialog.Escalation.Anger > 1:
		return fmt.Errorf("config: dialog.escalation.anger must be in (0, 1]")
	case c.Dialog.Escalation.AngerAtOnce < 0 || c.Dialog.Escalation.AngerAtOnce > 1:
		return fmt.Errorf("config: dialog.escalation.anger_at_once must be in [0, 1]")
	case c.Dialog.Escalation.NegativeLast < -1 || c.Dialog.Escalation.NegativeLast > 0:
		return fmt.Errorf("config: dialog.escalation.negative_last must be in [-1, 0]")
	case c.Dialog.Escalation.NegativeTrend < -1 || c.Dialog.Escalation.NegativeTrend >= 0:
		return fmt.Errorf("config: dialog.escalation.negative_trend must be in [-1, 0)")
	case c.Dialog.Escalation.NegativeTurns < 1 || c.Dialog.Escalation.Fallbacks < 1:
		return fmt.Errorf("config: dialog.escalation.negative_turns and fallbacks must be at least 1")
	case !(c.Sentiment.Alpha > 0 && c.Sentiment.Alpha <= 1):
		return fmt.Errorf("config: sentiment.alpha must be in (0, 1]")
	case c.NLU.Strategy != "onnx" && c.NLU.Strategy != "llm" && c.NLU.Strategy != "onnx+llm":
		return fmt.Errorf("config: nlu.strategy must be onnx, llm or onnx+llm")
	case c.NLU.Threshold < 0 || c.NLU.Threshold > 1 || c.NLU.Margin < 0 || c.NLU.Margin > 1:
		return fmt.Errorf("config: nlu.threshold and nlu.margin must be between 0 and 1 (0: the model's)")
	case c.NLU.LLMTimeout < 0:
		return fmt.Errorf("config: nlu.llm_timeout must be >= 0")
	case c.Log.Format != "json" && c.Log.Format != "text":
		return fmt.Errorf("config: log.format must be json or text")
	case c.Runtime.HeapFloorMB < 0:
		return fmt.Errorf("config: runtime.heap_floor_mb must be >= 0")
	case !validClock(c.Demo.Clock):
		return fmt.Errorf("config: demo.clock %q: want empty or now (the real clock), shop (the demo.shop file's written_at) or an RFC 3339 moment", c.Demo.Clock)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log.level must be debug, info, warn or error")
	}
	if c.Routing.OfferTimeout < time.Second || c.Routing.MaxMissedOffers < 1 || c.Routing.OverflowWait < 0 || c.Routing.CustomerIdleTimeout < 0 || c.Routing.DefaultCapacity < 1 {
		return fmt.Errorf("config: routing.offer_timeout must be at least 1s, routing.max_missed_offers and routing.default_capacity at least 1, the other routing waits >= 0")
	}
	if _, err := routingConfig(c); err != nil {
		return err
	}
	return nil
}

// Redacted returns the configuration as JSON with every secret field
// replaced by "***" (or "" when unset).
func (c Config) Redacted() string {
	redactValue(&c)
	b, _ := json.Marshal(readable(reflect.ValueOf(c)))
	return string(b)
}

// readable turns a config value into JSON-ready data keyed by the json
// tags, with durations written as "15s" rather than nanoseconds.
func readable(v reflect.Value) any {
	if v.Type() == reflect.TypeFor[time.Duration]() {
		return time.Duration(v.Int()).String()
	}
	switch v.Kind() {
	case reflect.Struct:
		out := make(map[string]any, v.NumField())
		for i := 0; i < v.NumField(); i++ {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				name = v.Type().Field(i).Name
			}
			out[name] = readable(v.Field(i))
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = readable(v.Index(i))
		}
		return out
	}
	return v.Interface()
}

// redactValue blanks the secret string fields of the struct ptr points to.
func redactValue(ptr any) { redact(reflect.ValueOf(ptr).Elem()) }

func redact(v reflect.Value) {
	t := v.Type()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.Struct:
			redact(f)
		case t.Field(i).Tag.Get("secret") == "true" && f.Kind() == reflect.String && f.String() != "":
			f.SetString("***")
		}
	}
}

// environ is os.Environ, replaceable in tests.
var environ = os.Environ

// shopZone is the shop's calendar (dialog.utc_offset): the demo shop
// shows its days in it, the NLU reads "yesterday" and "上周" in it, and
// the flows compare the two in it.
func (c Config) shopZone() *time.Location {
	return time.FixedZone("shop", int(c.Dialog.UTCOffset/time.Second))
}
