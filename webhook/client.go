package webhook

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"log/slog"

	"github.com/assistd/assist"
	"github.com/assistd/assist/dialog/flow"
)

// MaxResponseBytes bounds the answer Client reads.
const MaxResponseBytes = 1 << 20

// Defaults for a zero Client.
const (
	DefaultTimeout = 3 * time.Second
	DefaultBackoff = 200 * time.Millisecond
	maxBackoff     = 5 * time.Second
)

// Client is a flow.Backend that calls a shop's webhook (see the package
// documentation for the contract). The zero value needs only URL; it is
// safe for concurrent use.
type Client struct {
	URL        string        // the base URL; actions are at URL + "/actions/{action}"
	Secret     string        // HMAC-SHA256 key; empty: requests are not signed
	Timeout    time.Duration // per attempt; 0: DefaultTimeout
	Retries    int           // extra attempts after a network error, a timeout, a 5xx or a 429
	Backoff    time.Duration // the first retry's wait (doubled each time, jittered); 0: DefaultBackoff
	HTTPClient *http.Client  // nil: a client that does not follow redirects
	Logger     *slog.Logger  // nil discards

	now func() time.Time // the clock for timestamps; nil: time.Now
}

var _ flow.Backend = (*Client)(nil)

// Call sends the action to the shop and returns its answer. Every attempt
// carries the same idempotency key (the request's, or a random one when
// it has none). Errors: EINVALID for a malformed action name or a 400,
// ENOTFOUND for a 404 (the shop does not know the action), ECONFLICT for
// a 409, EUNAVAILABLE when the shop cannot be reached, times out, keeps
// failing, refuses the signature or answers outside the contract.
func (c *Client) Call(ctx context.Context, req flow.Request) (flow.Result, error) {
	if !validAction(req.Action) {
		return flow.Result{}, assist.Errorf(assist.EINVALID, "webhook: malformed action name")
	}
	if req.IdempotencyKey == "" {
		var b [16]byte
		rand.Read(b[:])
		req.IdempotencyKey = hex.EncodeToString(b[:])
	}
	body, err := json.Marshal(req)
	if err != nil {
		return flow.Result{}, assist.Wrap(assist.EINVALID, err, "webhook: the request is not JSON")
	}
	if pu, err := url.Parse(c.URL); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return flow.Result{}, assist.Errorf(assist.EUNAVAILABLE, "webhook %s: the shop backend's URL is not an http(s) URL", req.Action)
	}
	u := strings.TrimRight(c.URL, "/") + "/actions/" + url.PathEscape(req.Action)
	retries := max(c.Retries, 0)
	var lastErr error
	for attempt := 0; attempt <= retries; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, c.backoff(attempt)); err != nil {
				break
			}
		}
		res, retry, err := c.attempt(ctx, u, req, body)
		if err == nil {
			return res, nil
		}
		lastErr = err
		c.log().LogAttrs(ctx, slog.LevelWarn, "webhook attempt failed",
			slog.String("action", req.Action), slog.String("conversation", req.ConversationID),
			slog.Int("attempt", attempt+1), slog.Bool("retry", retry && attempt < retries), slog.Any("err", err))
		if !retry || ctx.Err() != nil {
			return flow.Result{}, err
		}
	}
	if ctx.Err() != nil {
		return flow.Result{}, assist.Wrap(assist.EUNAVAILABLE, ctx.Err(), "the shop backend did not answer in time")
	}
	return flow.Result{}, lastErr
}

// attempt makes one request. retry says whether another attempt may help.
func (c *Client) attempt(ctx context.Context, u string, req flow.Request, body []byte) (res flow.Result, retry bool, err error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return res, false, assist.Errorf(assist.EUNAVAILABLE, "webhook %s: the configured URL is not usable", req.Action)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", "assist-webhook/1")
	hreq.Header.Set(HeaderIdempotencyKey, req.IdempotencyKey)
	if c.Secret != "" {
		now := time.Now
		if c.now != nil {
			now = c.now
		}
		ts := now().Unix()
		hreq.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
		hreq.Header.Set(HeaderSignature, Sign(c.Secret, ts, body))
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = noRedirects
	}
	resp, err := hc.Do(hreq)
	if err != nil {
		// url.Error repeats the URL, which may hold a token: keep the cause only.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if actx.Err() != nil && ctx.Err() == nil {
			return res, true, assist.Wrap(assist.EUNAVAILABLE, err, fmt.Sprintf("webhook %s: no answer within %s", req.Action, timeout))
		}
		return res, true, assist.Wrap(assist.EUNAVAILABLE, err, fmt.Sprintf("webhook %s: the shop backend is unreachable", req.Action))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return res, true, assist.Wrap(assist.EUNAVAILABLE, err, fmt.Sprintf("webhook %s: reading the answer failed", req.Action))
	}
	switch st := resp.StatusCode; {
	case st == http.StatusOK:
	case st == http.StatusTooManyRequests || st >= 500:
		return res, true, assist.Errorf(assist.EUNAVAILABLE, "webhook %s: the shop backend answered HTTP %d", req.Action, st)
	case st == http.StatusBadRequest:
		return res, false, assist.Errorf(assist.EINVALID, "webhook %s: the shop backend refused the parameters (HTTP 400)", req.Action)
	case st == http.StatusNotFound:
		return res, false, assist.Errorf(assist.ENOTFOUND, "webhook %s: the shop backend does not know the action (HTTP 404)", req.Action)
	case st == http.StatusConflict:
		return res, false, assist.Errorf(assist.ECONFLICT, "webhook %s: the idempotency key was used for another call (HTTP 409)", req.Action)
	case st == http.StatusUnauthorized || st == http.StatusForbidden:
		return res, false, assist.Errorf(assist.EUNAVAILABLE, "webhook %s: the shop backend refused the request's signature (HTTP %d)", req.Action, st)
	default:
		return res, false, assist.Errorf(assist.EUNAVAILABLE, "webhook %s: unexpected HTTP %d from the shop backend", req.Action, st)
	}
	if len(b) > MaxResponseBytes {
		return res, false, assist.Errorf(assist.EUNAVAILABLE, "webhook %s: the answer is over %d bytes", req.Action, MaxResponseBytes)
	}
	res, err = decodeResult(b)
	if err != nil {
		return res, false, assist.Wrap(assist.EUNAVAILABLE, err, fmt.Sprintf("webhook %s: the answer is not an action result", req.Action))
	}
	return res, false, nil
}

// decodeResult decodes an answer strictly: one JSON object with a valid
// status, an optional data object and nothing else.
func decodeResult(b []byte) (flow.Result, error) {
	var res flow.Result
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber() // numbers keep their exact decimal text: no float rounding
	if err := dec.Decode(&res); err != nil {
		return flow.Result{}, fmt.Errorf("decode: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return flow.Result{}, errors.New("decode: data after the result")
	}
	if !validStatus(res.Status) {
		return flow.Result{}, errors.New("missing or malformed status")
	}
	return res, nil
}

// validAction: 1 to 64 lower-case letters, digits and underscores.
func validAction(s string) bool { return validStatus(s) }

// validStatus: 1 to 64 lower-case letters, digits and underscores.
func validStatus(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if b := s[i]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_') {
			return false
		}
	}
	return true
}

// backoff returns the wait before the attempt-th retry (1-based):
// Backoff·2^(attempt-1), capped, with "equal jitter" (half fixed, half
// random) so retries of many conversations spread out.
func (c *Client) backoff(attempt int) time.Duration {
	base := c.Backoff
	if base <= 0 {
		base = DefaultBackoff
	}
	d := base << min(attempt-1, 20)
	if d > maxBackoff || d <= 0 {
		d = maxBackoff
	}
	half := d / 2
	return half + mrand.N(half+1)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *Client) log() *slog.Logger {
	if c.Logger == nil {
		return discard
	}
	return c.Logger
}

var discard = slog.New(slog.DiscardHandler)

// noRedirects is the default HTTP client: a redirect is an answer outside
// the contract (a POST must not turn into a GET elsewhere).
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
