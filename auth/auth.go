package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/assistd/assist"
)

// Token prefixes tell the kinds of staff secret apart.
const (
	APIKeyPrefix  = "ak."
	SessionPrefix = "st."
)

// MinPasswordLen is the shortest password accepted for a user.
const MinPasswordLen = 10

// Service manages and checks staff credentials.
type Service struct {
	Store      Store
	Now        func() time.Time
	SessionTTL time.Duration // 0: 12 hours
	BcryptCost int           // 0: bcrypt.DefaultCost

	dummyOnce sync.Once
	dummy     []byte
	watches   watchers
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) cost() int {
	if s.BcryptCost == 0 {
		return bcrypt.DefaultCost
	}
	return s.BcryptCost
}

func newSecret(prefix string) (string, []byte, error) {
	var b [32]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		return "", nil, fmt.Errorf("new secret: %w", err)
	}
	tok := prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return tok, HashToken(tok), nil
}

// HashToken returns the SHA-256 of a token, the form in which it is stored.
func HashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// EnsureTenant returns the tenant with the slug, creating it if needed.
func (s *Service) EnsureTenant(ctx context.Context, slug, name string) (*assist.Tenant, bool, error) {
	if !validSlug(slug) {
		return nil, false, assist.Errorf(assist.EINVALID, "tenant slug must be 1-64 lowercase letters, digits or '-'")
	}
	t, err := s.Store.TenantBySlug(ctx, slug)
	if err == nil {
		return t, false, nil
	}
	if assist.ErrorCode(err) != assist.ENOTFOUND {
		return nil, false, err
	}
	t = &assist.Tenant{ID: uuid.Must(uuid.NewV7()).String(), Slug: slug, Name: name, CreatedAt: s.now()}
	if err := s.Store.CreateTenant(ctx, t); err != nil {
		return nil, false, fmt.Errorf("ensure tenant %s: %w", slug, err)
	}
	return t, true, nil
}

// NewUser is what an admin gives to create a staff member.
type NewUser struct {
	Email    string
	Name     string
	Role     assist.Role
	Password string
}

// CreateUser adds a staff member to a tenant.
func (s *Service) CreateUser(ctx context.Context, tenantID string, in NewUser) (*assist.User, error) {
	addr, err := mail.ParseAddress(in.Email)
	if err != nil || addr.Address != strings.TrimSpace(in.Email) || len(in.Email) > 254 {
		return nil, assist.Errorf(assist.EINVALID, "email is not a valid address")
	}
	if !in.Role.Staff() {
		return nil, assist.Errorf(assist.EINVALID, "role must be one of agent, supervisor, knowledge_manager, admin")
	}
	if !utf8.ValidString(in.Name) || utf8.RuneCountInString(in.Name) > 100 {
		return nil, assist.Errorf(assist.EINVALID, "name must be valid UTF-8 of at most 100 characters")
	}
	if utf8.RuneCountInString(in.Password) < MinPasswordLen || len(in.Password) > 72 {
		return nil, assist.Errorf(assist.EINVALID, "password must have %d to 72 characters", MinPasswordLen)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.cost())
	if err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	u := &assist.User{
		ID:           uuid.Must(uuid.NewV7()).String(),
		TenantID:     tenantID,
		Email:        strings.ToLower(addr.Address),
		Name:         in.Name,
		Role:         in.Role,
		PasswordHash: string(hash),
		CreatedAt:    s.now(),
	}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// dummyHash returns a bcrypt hash at the service's cost, compared against
// when the user does not exist, so a login takes as long for an unknown
// e-mail as for a wrong password.
func (s *Service) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		s.dummy, _ = bcrypt.GenerateFromPassword([]byte("not a real password"), s.cost())
	})
	return s.dummy
}

// Login checks a staff member's password and opens a session. It returns
// the session token (shown once) and the session.
func (s *Service) Login(ctx context.Context, tenantSlug, email, password string) (string, *Session, *assist.User, error) {
	bad := assist.Errorf(assist.EUNAUTHORIZED, "wrong tenant, e-mail or password")
	t, err := s.Store.TenantBySlug(ctx, tenantSlug)
	if err != nil {
		if assist.ErrorCode(err) == assist.ENOTFOUND {
			_ = bcrypt.CompareHashAndPassword(s.dummyHash(), []byte(password))
			return "", nil, nil, bad
		}
		return "", nil, nil, err
	}
	u, err := s.Store.UserByEmail(ctx, t.ID, strings.TrimSpace(email))
	if err != nil {
		if assist.ErrorCode(err) == assist.ENOTFOUND {
			_ = bcrypt.CompareHashAndPassword(s.dummyHash(), []byte(password))
			return "", nil, nil, bad
		}
		return "", nil, nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return "", nil, nil, bad
	}
	tok, hash, err := newSecret(SessionPrefix)
	if err != nil {
		return "", nil, nil, err
	}
	ttl := s.SessionTTL
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	now := s.now()
	sess := &Session{Hash: hash, TenantID: t.ID, UserID: u.ID, Role: u.Role, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return "", nil, nil, fmt.Errorf("login: %w", err)
	}
	return tok, sess, u, nil
}

// Logout ends the session of a session token. Unknown tokens are ignored.
func (s *Service) Logout(ctx context.Context, token string) error {
	if !strings.HasPrefix(token, SessionPrefix) {
		return assist.Errorf(assist.EINVALID, "not a session token")
	}
	hash := HashToken(token)
	err := s.Store.DeleteSession(ctx, hash)
	if assist.ErrorCode(err) == assist.ENOTFOUND {
		err = nil
	}
	if err == nil {
		s.watches.end(hex.EncodeToString(hash))
	}
	return err
}

// CreateAPIKey issues an API key acting as a user with the user's role. It
// returns the key (shown once) and its record.
func (s *Service) CreateAPIKey(ctx context.Context, tenantID, userID, name string) (string, *APIKey, error) {
	u, err := s.Store.User(ctx, tenantID, userID)
	if err != nil {
		return "", nil, err
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 100 {
		return "", nil, assist.Errorf(assist.EINVALID, "name must be valid UTF-8 of at most 100 characters")
	}
	tok, hash, err := newSecret(APIKeyPrefix)
	if err != nil {
		return "", nil, err
	}
	k := &APIKey{ID: uuid.Must(uuid.NewV7()).String(), TenantID: tenantID, UserID: u.ID, Name: name, Role: u.Role, Hash: hash, CreatedAt: s.now()}
	if err := s.Store.CreateAPIKey(ctx, k); err != nil {
		return "", nil, fmt.Errorf("create api key: %w", err)
	}
	return tok, k, nil
}

// Authenticate returns the staff principal of an API key or session token.
// Anything else, an unknown or expired token, is EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, token string) (assist.Principal, error) {
	bad := assist.Errorf(assist.EUNAUTHORIZED, "invalid or expired credentials")
	switch {
	case strings.HasPrefix(token, APIKeyPrefix):
		k, err := s.Store.APIKeyByHash(ctx, HashToken(token))
		if err != nil {
			if assist.ErrorCode(err) == assist.ENOTFOUND {
				return assist.Principal{}, bad
			}
			return assist.Principal{}, err
		}
		return assist.Principal{TenantID: k.TenantID, UserID: k.UserID, Role: k.Role}, nil
	case strings.HasPrefix(token, SessionPrefix):
		sess, err := s.Store.SessionByHash(ctx, HashToken(token))
		if err != nil {
			if assist.ErrorCode(err) == assist.ENOTFOUND {
				return assist.Principal{}, bad
			}
			return assist.Principal{}, err
		}
		if !s.now().Before(sess.ExpiresAt) {
			return assist.Principal{}, bad
		}
		return assist.Principal{TenantID: sess.TenantID, UserID: sess.UserID, Role: sess.Role}, nil
	}
	return assist.Principal{}, bad
}

func validSlug(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// PurgeExpiredSessions deletes the sessions that have expired.
func (s *Service) PurgeExpiredSessions(ctx context.Context) (int, error) {
	return s.Store.DeleteExpiredSessions(ctx, s.now())
}
