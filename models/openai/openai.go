package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
	"github.com/assistd/assist/nlu/llmintent"
	"github.com/assistd/assist/nlu/pii"
)

// The Client is the LLM intent classifier's chat model.
var _ llmintent.ChatModel = (*Client)(nil)

// Defaults for the zero values of Config.
const (
	DefaultBaseURL      = "https://api.openai.com/v1"
	DefaultTimeout      = 30 * time.Second
	DefaultEmbedBatch   = 64
	DefaultRetryBackoff = 500 * time.Millisecond
)

// Config configures a Client. Suggested config keys: llm.base_url,
// llm.api_key (secret), llm.chat_model, llm.embed_model, llm.timeout,
// llm.max_retries.
type Config struct {
	BaseURL    string // e.g. https://api.openai.com/v1; "" means DefaultBaseURL
	APIKey     string // secret: never logged, never in an error
	ChatModel  string // model for Chat and ChatStream
	EmbedModel string // model for Embed
	// Timeout bounds each attempt of Chat and Embed, and each wait for the
	// next piece of a stream in ChatStream. 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxRetries is how many times a transient failure (EUNAVAILABLE,
	// ERATELIMITED) is retried; 0 means no retry. A stream is retried only
	// before its first delta.
	MaxRetries int
	// RetryBackoff is the wait before the first retry, doubled for each
	// further one. 0 means DefaultRetryBackoff.
	RetryBackoff time.Duration
	// EmbedBatch is how many texts one embeddings request carries. 0 means
	// DefaultEmbedBatch.
	EmbedBatch int
	// HTTPClient, when set, sends the requests (proxies, TLS settings).
	HTTPClient *http.Client
}

// Client talks to one OpenAI-compatible endpoint. It is safe for concurrent
// use.
type Client struct {
	cfg Config
	api *goopenai.Client
}

var schemaName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// New returns a Client for cfg. It fails with EINVALID when the base URL
// is not an http(s) URL or a number is negative; it does not contact the
// server.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, assist.Errorf(assist.EINVALID, "llm base URL must be an http or https URL")
	}
	if cfg.Timeout < 0 || cfg.MaxRetries < 0 || cfg.RetryBackoff < 0 || cfg.EmbedBatch < 0 {
		return nil, assist.Errorf(assist.EINVALID, "llm timeout, max retries, retry backoff and embed batch must not be negative")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.RetryBackoff == 0 {
		cfg.RetryBackoff = DefaultRetryBackoff
	}
	if cfg.EmbedBatch == 0 {
		cfg.EmbedBatch = DefaultEmbedBatch
	}
	oc := goopenai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.HTTPClient != nil {
		oc.HTTPClient = cfg.HTTPClient
	}
	return &Client{cfg: cfg, api: goopenai.NewClientWithConfig(oc)}, nil
}

// String describes the client without its key.
func (c *Client) String() string {
	return fmt.Sprintf("openai(%s, chat=%s, embed=%s)", c.cfg.BaseURL, c.cfg.ChatModel, c.cfg.EmbedModel)
}

// request builds the API request of req with its personal data masked
// (phone numbers, e-mails, ID and card numbers become [PHONE_1]...: they
// never leave the process), and returns the vault that unmasks the
// model's answer.
func (c *Client) request(req models.ChatRequest, stream bool) (goopenai.ChatCompletionRequest, *pii.Vault, error) {
	vault := pii.NewVault()
	if len(req.Messages) == 0 {
		return goopenai.ChatCompletionRequest{}, vault, assist.Errorf(assist.EINVALID, "chat request has no messages")
	}
	if c.cfg.ChatModel == "" {
		return goopenai.ChatCompletionRequest{}, vault, assist.Errorf(assist.EINVALID, "no chat model configured")
	}
	out := goopenai.ChatCompletionRequest{
		Model:       c.cfg.ChatModel,
		MaxTokens:   req.MaxTokens,
		Temperature: req.Temperature,
		Stream:      stream,
		Messages:    make([]goopenai.ChatCompletionMessage, len(req.Messages)),
	}
	for i, m := range req.Messages {
		switch m.Role {
		case models.ChatSystem, models.ChatUser, models.ChatAssistant:
		default:
			return out, vault, assist.Errorf(assist.EINVALID, "chat message %d: unknown role %q", i, m.Role)
		}
		out.Messages[i] = goopenai.ChatCompletionMessage{Role: string(m.Role), Content: vault.Mask(m.Content)}
	}
	if len(req.JSONSchema) > 0 {
		if !json.Valid(req.JSONSchema) {
			return out, vault, assist.Errorf(assist.EINVALID, "chat request: JSON schema is not valid JSON")
		}
		name := req.SchemaName
		if name == "" {
			name = "answer"
		}
		if !schemaName.MatchString(name) {
			return out, vault, assist.Errorf(assist.EINVALID, "chat request: schema name must be 1-64 letters, digits, _ or -")
		}
		out.ResponseFormat = &goopenai.ChatCompletionResponseFormat{
			Type: goopenai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &goopenai.ChatCompletionResponseFormatJSONSchema{
				Name:   name,
				Schema: json.RawMessage(req.JSONSchema),
				Strict: true,
			},
		}
	}
	return out, vault, nil
}

// Chat sends req to the chat model and returns the answer's text.
//
// Errors: EINVALID for a request without messages, with an unknown role,
// an invalid JSON schema, or no chat model configured; otherwise the codes
// of the package documentation. When ctx ends first, the error wraps
// ctx.Err().
func (c *Client) Chat(ctx context.Context, req models.ChatRequest) (string, error) {
	creq, vault, err := c.request(req, false)
	if err != nil {
		return "", err
	}
	var answer string
	err = c.retry(ctx, "chat", func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
		resp, err := c.api.CreateChatCompletion(ctx, creq)
		if err != nil {
			return err
		}
		if len(resp.Choices) == 0 {
			return assist.Errorf(assist.EUNAVAILABLE, "chat: the model returned no answer")
		}
		msg := resp.Choices[0].Message
		if msg.Content == "" && msg.Refusal != "" {
			return assist.Errorf(assist.EUNAVAILABLE, "chat: the model refused to answer")
		}
		answer = vault.Unmask(msg.Content)
		return nil
	})
	return answer, err
}

// ChatStream sends req to the chat model with streaming on and calls fn
// with each non-empty piece of the answer as it arrives. An error from fn
// stops the stream and is returned as is. Config.Timeout bounds each wait
// for the next piece, not the whole answer.
//
// Errors: as Chat; a stream that breaks off is EUNAVAILABLE.
func (c *Client) ChatStream(ctx context.Context, req models.ChatRequest, fn func(delta string) error) error {
	creq, vault, err := c.request(req, true)
	if err != nil {
		return err
	}
	delivered := false
	var fnErr error
	err = c.retry(ctx, "chat stream", func(ctx context.Context) error {
		ctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		idle := time.AfterFunc(c.cfg.Timeout, func() { cancel(context.DeadlineExceeded) })
		defer idle.Stop()

		stream, err := c.api.CreateChatCompletionStream(ctx, creq)
		if err != nil {
			return timeoutCause(ctx, err)
		}
		defer stream.Close()
		unmask := vault.Stream()
		for {
			idle.Reset(c.cfg.Timeout)
			chunk, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				if rest := unmask.Flush(); rest != "" {
					delivered = true
					if err := fn(rest); err != nil {
						fnErr = err
						return permanent{err}
					}
				}
				return nil
			}
			if err != nil {
				err = timeoutCause(ctx, err)
				if delivered {
					return permanent{err}
				}
				return err
			}
			for _, ch := range chunk.Choices {
				if ch.Index != 0 || ch.Delta.Content == "" {
					continue
				}
				delivered = true
				d := unmask.Next(ch.Delta.Content)
				if d == "" {
					continue
				}
				if err := fn(d); err != nil {
					fnErr = err
					return permanent{err}
				}
			}
		}
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}

// timeoutCause turns the cancellation of an idle-timed-out stream into a
// deadline error, so it maps to EUNAVAILABLE "timed out".
func timeoutCause(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
	}
	return err
}

// Embed returns one vector per text, in order, sending at most
// Config.EmbedBatch texts per request. No texts gives no vectors.
//
// Errors: EINVALID when no embedding model is configured or the server's
// answer does not match the request (EUNAVAILABLE); otherwise the codes of
// the package documentation.
func (c *Client) Embed(ctx context.Context, texts []string) ([]models.Embedding, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	if c.cfg.EmbedModel == "" {
		return nil, assist.Errorf(assist.EINVALID, "no embedding model configured")
	}
	out := make([]models.Embedding, 0, len(texts))
	for start := 0; start < len(texts); start += c.cfg.EmbedBatch {
		batch := texts[start:min(start+c.cfg.EmbedBatch, len(texts))]
		masked := make([]string, len(batch))
		for i, t := range batch {
			masked[i] = pii.Mask(t) // personal data never leaves the process
		}
		var vecs []models.Embedding
		err := c.retry(ctx, "embed", func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
			defer cancel()
			resp, err := c.api.CreateEmbeddings(ctx, goopenai.EmbeddingRequestStrings{
				Input: masked,
				Model: goopenai.EmbeddingModel(c.cfg.EmbedModel),
			})
			if err != nil {
				return err
			}
			if len(resp.Data) != len(batch) {
				return assist.Errorf(assist.EUNAVAILABLE, "embed: asked for %d vectors, got %d", len(batch), len(resp.Data))
			}
			sort.SliceStable(resp.Data, func(i, j int) bool { return resp.Data[i].Index < resp.Data[j].Index })
			vecs = make([]models.Embedding, len(batch))
			dim := len(resp.Data[0].Embedding)
			for i, d := range resp.Data {
				if d.Index != i || len(d.Embedding) == 0 || len(d.Embedding) != dim {
					return assist.Errorf(assist.EUNAVAILABLE, "embed: malformed answer (indexes or dimensions do not match)")
				}
				vecs[i] = models.Embedding(d.Embedding)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, vecs...)
	}
	return out, nil
}

// permanent marks an error that must not be retried.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// retry runs attempt until it succeeds, fails for good, or MaxRetries
// transient failures were retried. It returns the mapped error.
func (c *Client) retry(ctx context.Context, op string, attempt func(context.Context) error) error {
	wait := c.cfg.RetryBackoff
	for i := 0; ; i++ {
		err := attempt(ctx)
		if err == nil {
			return nil
		}
		var p permanent
		isPermanent := errors.As(err, &p)
		mapped := mapError(ctx, op, err)
		code := mapped.Code
		if isPermanent || i >= c.cfg.MaxRetries || ctx.Err() != nil || (code != assist.EUNAVAILABLE && code != assist.ERATELIMITED) {
			return mapped
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return mapError(ctx, op, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}

// mapError turns an error of go-openai or the network into an *assist.Error
// whose message and cause carry no key, prompt or server free text.
func mapError(ctx context.Context, op string, err error) *assist.Error {
	var ae *assist.Error
	if errors.As(err, &ae) {
		return ae
	}
	if ctx.Err() != nil {
		// The caller's context ended: keep ctx.Err() in the chain.
		return assist.Wrap(assist.EUNAVAILABLE, ctx.Err(), "llm "+op+" cancelled")
	}
	var apiErr *goopenai.APIError
	if errors.As(err, &apiErr) {
		cause := fmt.Errorf("status %d, type %q, code %v", apiErr.HTTPStatusCode, apiErr.Type, apiErr.Code)
		if apiErr.HTTPStatusCode == 0 {
			// An error event inside a stream.
			return assist.Wrap(assist.EUNAVAILABLE, cause, "llm "+op+" failed mid-stream")
		}
		return statusError(op, apiErr.HTTPStatusCode, cause)
	}
	var reqErr *goopenai.RequestError
	if errors.As(err, &reqErr) {
		return statusError(op, reqErr.HTTPStatusCode, fmt.Errorf("status %d", reqErr.HTTPStatusCode))
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return assist.Wrap(assist.EUNAVAILABLE, context.DeadlineExceeded, "llm "+op+" timed out")
	}
	var netErr net.Error
	var urlErr *url.Error
	if errors.As(err, &netErr) || errors.As(err, &urlErr) || errors.Is(err, io.ErrUnexpectedEOF) {
		// url.Error's text names the URL only; the cause below is generic
		// so nothing of the request leaks.
		return assist.Wrap(assist.EUNAVAILABLE, errors.New(netKind(err)), "llm "+op+": cannot reach the server")
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return assist.Wrap(assist.EUNAVAILABLE, errors.New("malformed JSON from the server"), "llm "+op+": bad answer")
	}
	return assist.Wrap(assist.EUNAVAILABLE, errors.New("unexpected failure"), "llm "+op+" failed")
}

func netKind(err error) string {
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Op + " failed"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "connection closed early"
	}
	return "network error"
}

func statusError(op string, status int, cause error) *assist.Error {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return assist.Wrap(assist.EUNAUTHORIZED, cause, "llm "+op+": the server refused the credentials")
	case status == http.StatusTooManyRequests:
		return assist.Wrap(assist.ERATELIMITED, cause, "llm "+op+": rate limited")
	case status == http.StatusRequestEntityTooLarge:
		return assist.Wrap(assist.ETOOLARGE, cause, "llm "+op+": request too large")
	case status == http.StatusRequestTimeout || status >= 500:
		return assist.Wrap(assist.EUNAVAILABLE, cause, "llm "+op+": server unavailable")
	case status >= 400:
		return assist.Wrap(assist.EINVALID, cause, "llm "+op+": the server rejected the request")
	}
	return assist.Wrap(assist.EUNAVAILABLE, cause, "llm "+op+": unexpected status")
}
