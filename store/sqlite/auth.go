package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/assistd/assist"
	"github.com/assistd/assist/auth"
)

// AuthStore is the auth.Store of a DB.
type AuthStore struct {
	db *DB
}

var _ auth.Store = (*AuthStore)(nil)

// NewAuthStore returns the auth store of db.
func NewAuthStore(db *DB) *AuthStore { return &AuthStore{db: db} }

// exec runs one write statement in a transaction of its own.
func (s *AuthStore) exec(ctx context.Context, query string, args ...any) error {
	return s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	})
}

// CreateTenant stores t. A duplicate ID or slug returns ECONFLICT.
func (s *AuthStore) CreateTenant(ctx context.Context, t *assist.Tenant) error {
	if t.ID == "" || t.Slug == "" {
		return fmt.Errorf("create tenant: %w", invalid("tenant id and slug are required"))
	}
	err := s.exec(ctx, `INSERT INTO tenants (id, slug, name, created_at) VALUES (?, ?, ?, ?)`,
		t.ID, t.Slug, t.Name, formatTime(t.CreatedAt))
	if isDuplicate(err) {
		err = assist.Wrap(assist.ECONFLICT, err, "a shop with this name already exists")
	}
	if err != nil {
		return fmt.Errorf("create tenant %s: %w", t.Slug, err)
	}
	return nil
}

const tenantColumns = `id, slug, name, created_at`

func (s *AuthStore) tenant(ctx context.Context, where string, arg any) (*assist.Tenant, error) {
	var t assist.Tenant
	err := s.db.read.QueryRowContext(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE `+where, arg).
		Scan(&t.ID, &t.Slug, &t.Name, timeCol{&t.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("shop")
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Tenant returns the tenant with the id.
func (s *AuthStore) Tenant(ctx context.Context, id string) (*assist.Tenant, error) {
	t, err := s.tenant(ctx, `id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: %w", id, err)
	}
	return t, nil
}

// ListTenants returns every tenant, by slug.
func (s *AuthStore) ListTenants(ctx context.Context) ([]*assist.Tenant, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+tenantColumns+` FROM tenants ORDER BY slug`)
	if err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	defer rows.Close()
	var list []*assist.Tenant
	for rows.Next() {
		var t assist.Tenant
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name, timeCol{&t.CreatedAt}); err != nil {
			return nil, fmt.Errorf("list tenants: %w", err)
		}
		list = append(list, &t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tenants: %w", err)
	}
	return list, nil
}

// RotateCustomerSecret stores sec and retires the tenant's other secrets
// at retireAt.
func (s *AuthStore) RotateCustomerSecret(ctx context.Context, sec *auth.CustomerSecret, retireAt time.Time) error {
	if sec.ID == "" || sec.TenantID == "" || len(sec.Secret) == 0 {
		return fmt.Errorf("rotate customer secret: %w", invalid("secret id, tenant and secret are required"))
	}
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM tenants WHERE id = ?`, sec.TenantID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("shop")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE customer_secrets SET expires_at = ?
			WHERE tenant_id = ? AND (expires_at IS NULL OR expires_at > ?)`,
			formatTime(retireAt), sec.TenantID, formatTime(retireAt)); err != nil {
			return err
		}
		var exp any
		if !sec.ExpiresAt.IsZero() {
			exp = formatTime(sec.ExpiresAt)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO customer_secrets (id, tenant_id, secret, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			sec.ID, sec.TenantID, sec.Secret, formatTime(sec.CreatedAt), exp)
		return err
	})
	if isDuplicate(err) {
		err = assist.Wrap(assist.ECONFLICT, err, "a secret with this id exists")
	}
	if err != nil {
		return fmt.Errorf("rotate customer secret: %w", err)
	}
	return nil
}

// CustomerSecrets returns the tenant's secrets unexpired at now, newest
// first.
func (s *AuthStore) CustomerSecrets(ctx context.Context, tenantID string, now time.Time) ([]*auth.CustomerSecret, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, tenant_id, secret, created_at, expires_at FROM customer_secrets
		WHERE tenant_id = ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC, id DESC`, tenantID, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("customer secrets: %w", err)
	}
	defer rows.Close()
	var list []*auth.CustomerSecret
	for rows.Next() {
		var c auth.CustomerSecret
		var exp sql.NullString
		if err := rows.Scan(&c.ID, &c.TenantID, &c.Secret, timeCol{&c.CreatedAt}, &exp); err != nil {
			return nil, fmt.Errorf("customer secrets: %w", err)
		}
		if exp.Valid {
			if err := (timeCol{&c.ExpiresAt}).Scan(exp.String); err != nil {
				return nil, fmt.Errorf("customer secrets: %w", err)
			}
		}
		list = append(list, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("customer secrets: %w", err)
	}
	return list, nil
}

// TenantBySlug returns the tenant with the slug (matched exactly).
func (s *AuthStore) TenantBySlug(ctx context.Context, slug string) (*assist.Tenant, error) {
	t, err := s.tenant(ctx, `slug = ?`, slug)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: %w", slug, err)
	}
	return t, nil
}

// emailKey is the form of an e-mail address that UserByEmail matches on.
func emailKey(email string) string { return strings.ToLower(email) }

// CreateUser stores u. A duplicate ID or e-mail (ignoring case) in the
// tenant returns ECONFLICT; an unknown tenant returns ENOTFOUND.
func (s *AuthStore) CreateUser(ctx context.Context, u *assist.User) error {
	if u.ID == "" || u.TenantID == "" || u.Email == "" {
		return fmt.Errorf("create user: %w", invalid("user id, tenant and e-mail are required"))
	}
	if !u.Role.Staff() {
		return fmt.Errorf("create user %s: %w", u.ID, invalid("%q is not a staff role", u.Role))
	}
	err := s.exec(ctx, `INSERT INTO users (id, tenant_id, email, email_key, name, role, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.TenantID, u.Email, emailKey(u.Email), u.Name, string(u.Role), u.PasswordHash, formatTime(u.CreatedAt))
	switch {
	case isDuplicate(err):
		err = assist.Wrap(assist.ECONFLICT, err, "a user with this e-mail already exists")
	case isMissingParent(err):
		err = assist.Wrap(assist.ENOTFOUND, err, "shop not found")
	}
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.ID, err)
	}
	return nil
}

const userColumns = `id, tenant_id, email, name, role, password_hash, created_at`

func scanUser(s scanner) (*assist.User, error) {
	var u assist.User
	err := s.Scan(&u.ID, &u.TenantID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, timeCol{&u.CreatedAt})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// User returns one user of the tenant.
func (s *AuthStore) User(ctx context.Context, tenantID, id string) (*assist.User, error) {
	u, err := scanUser(s.db.read.QueryRowContext(ctx,
		`SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if errors.Is(err, sql.ErrNoRows) {
		err = notFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("user %s: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the tenant's user with the e-mail, ignoring case
// (Unicode lower case, not only ASCII).
func (s *AuthStore) UserByEmail(ctx context.Context, tenantID, email string) (*assist.User, error) {
	u, err := scanUser(s.db.read.QueryRowContext(ctx,
		`SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND email_key = ?`, tenantID, emailKey(email)))
	if errors.Is(err, sql.ErrNoRows) {
		err = notFound("user")
	}
	if err != nil {
		// No address in the error: it is customer-adjacent personal data.
		return nil, fmt.Errorf("user by e-mail: %w", err)
	}
	return u, nil
}

// ListUsers returns the tenant's users ordered by e-mail.
func (s *AuthStore) ListUsers(ctx context.Context, tenantID string) ([]*assist.User, error) {
	rows, err := s.db.read.QueryContext(ctx,
		`SELECT `+userColumns+` FROM users WHERE tenant_id = ? ORDER BY email_key, id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var list []*assist.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		list = append(list, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return list, nil
}

// CreateAPIKey stores k. A duplicate ID or hash returns ECONFLICT; a user
// the tenant does not have returns ENOTFOUND.
func (s *AuthStore) CreateAPIKey(ctx context.Context, k *auth.APIKey) error {
	if k.ID == "" || k.TenantID == "" || k.UserID == "" || len(k.Hash) == 0 {
		return fmt.Errorf("create api key: %w", invalid("key id, tenant, user and hash are required"))
	}
	err := s.exec(ctx, `INSERT INTO api_keys (id, tenant_id, user_id, name, role, hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.TenantID, k.UserID, k.Name, string(k.Role), k.Hash, formatTime(k.CreatedAt))
	switch {
	case isDuplicate(err):
		err = assist.Wrap(assist.ECONFLICT, err, "api key already exists")
	case isMissingParent(err):
		err = assist.Wrap(assist.ENOTFOUND, err, "user not found")
	}
	if err != nil {
		return fmt.Errorf("create api key %s: %w", k.ID, err)
	}
	return nil
}

// APIKeyByHash returns the key with the hash, of any tenant.
func (s *AuthStore) APIKeyByHash(ctx context.Context, hash []byte) (*auth.APIKey, error) {
	var k auth.APIKey
	err := s.db.read.QueryRowContext(ctx, `SELECT id, tenant_id, user_id, name, role, hash, created_at
		FROM api_keys WHERE hash = ?`, hash).
		Scan(&k.ID, &k.TenantID, &k.UserID, &k.Name, &k.Role, &k.Hash, timeCol{&k.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		err = notFound("api key")
	}
	if err != nil {
		return nil, fmt.Errorf("api key by hash: %w", err)
	}
	return &k, nil
}

// CreateSession stores sess. A duplicate hash returns ECONFLICT; a user the
// tenant does not have returns ENOTFOUND.
func (s *AuthStore) CreateSession(ctx context.Context, sess *auth.Session) error {
	if len(sess.Hash) == 0 || sess.TenantID == "" || sess.UserID == "" {
		return fmt.Errorf("create session: %w", invalid("session hash, tenant and user are required"))
	}
	err := s.exec(ctx, `INSERT INTO sessions (hash, tenant_id, user_id, role, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		sess.Hash, sess.TenantID, sess.UserID, string(sess.Role), formatTime(sess.CreatedAt), formatTime(sess.ExpiresAt))
	switch {
	case isDuplicate(err):
		err = assist.Wrap(assist.ECONFLICT, err, "session already exists")
	case isMissingParent(err):
		err = assist.Wrap(assist.ENOTFOUND, err, "user not found")
	}
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash returns the session with the hash, expired or not.
func (s *AuthStore) SessionByHash(ctx context.Context, hash []byte) (*auth.Session, error) {
	var sess auth.Session
	err := s.db.read.QueryRowContext(ctx, `SELECT hash, tenant_id, user_id, role, created_at, expires_at
		FROM sessions WHERE hash = ?`, hash).
		Scan(&sess.Hash, &sess.TenantID, &sess.UserID, &sess.Role, timeCol{&sess.CreatedAt}, timeCol{&sess.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		err = notFound("session")
	}
	if err != nil {
		return nil, fmt.Errorf("session by hash: %w", err)
	}
	return &sess, nil
}

// DeleteSession deletes the session with the hash; none returns ENOTFOUND.
func (s *AuthStore) DeleteSession(ctx context.Context, hash []byte) error {
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound("session")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions deletes every session of the user in the tenant.
func (s *AuthStore) DeleteUserSessions(ctx context.Context, tenantID, userID string) (int, error) {
	var n int64
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete user sessions: %w", err)
	}
	return int(n), nil
}

// DeleteExpiredSessions deletes the sessions that expired at or before
// before.
func (s *AuthStore) DeleteExpiredSessions(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return int(n), nil
}
