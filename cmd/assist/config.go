package main

import (
	"encoding/json"
	"fmt"
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
	} `koanf:"auth" json:"auth"`
	Demo struct {
		Seed   bool   `koanf:"seed" json:"seed"`
		Tenant string `koanf:"tenant" json:"tenant"`
	} `koanf:"demo" json:"demo"`
	Log struct {
		Level  string `koanf:"level" json:"level"`
		Format string `koanf:"format" json:"format"`
	} `koanf:"log" json:"log"`
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
	c.Log.Level = "info"
	c.Log.Format = "json"
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
	if _, isList := k.Get(key).([]any); isList || strings.HasSuffix(key, "origins") || strings.HasSuffix(key, "proxies") {
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
	case c.Log.Format != "json" && c.Log.Format != "text":
		return fmt.Errorf("config: log.format must be json or text")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log.level must be debug, info, warn or error")
	}
	return nil
}

// Redacted returns the configuration as JSON with every secret field
// replaced by "***" (or "" when unset).
func (c Config) Redacted() string {
	redactValue(&c)
	b, _ := json.Marshal(c)
	return string(b)
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
