package demoshop

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/assistd/assist"
)

// SeedFile is the demo shop's data as written in data/demo/shop.json.
// Times are offsets from the moment of seeding ("-3d", "-1d4h", "+2d",
// "0"), so a seeded shop is always fresh: an order delivered "-2d" is
// still returnable.
type SeedFile struct {
	// WrittenAt is the moment the offsets were written against: the order
	// numbers (DD20261108…), the notes and whoever writes conversations
	// about the shop read "today" as its day. A clock started there
	// (demo.clock shop, the evals' default) shows the shop as written;
	// zero when the file does not say.
	WrittenAt time.Time      `json:"written_at,omitzero"`
	Currency  string         `json:"currency"`
	Customers []SeedCustomer `json:"customers"`
	Orders    []SeedOrder    `json:"orders"`
}

// SeedCustomer is one member of the shop.
type SeedCustomer struct {
	Ref  string `json:"ref"`
	Name string `json:"name"`
	Tier string `json:"tier"`
}

// SeedOrder is one order with its shipment, refund and return.
type SeedOrder struct {
	OrderID  string        `json:"order_id"`
	Customer string        `json:"customer"`
	Status   string        `json:"status"`
	Created  string        `json:"created"`
	Address  string        `json:"address"`
	Items    []SeedItem    `json:"items"`
	Shipment *SeedShipment `json:"shipment,omitempty"`
	Refund   *SeedRefund   `json:"refund,omitempty"`
	Return   *SeedReturn   `json:"return,omitempty"`
	Note     string        `json:"note,omitempty"` // what the order is for in the demo
}

// SeedItem is one line of an order; Price is the unit price ("199.00").
type SeedItem struct {
	SKU     string `json:"sku"`
	Name    string `json:"name"`
	NameZh  string `json:"name_zh"`
	Options string `json:"options,omitempty"`
	Qty     int    `json:"qty"`
	Price   string `json:"price"`
}

// SeedShipment is an order's parcel.
type SeedShipment struct {
	Carrier        string      `json:"carrier"`
	TrackingNumber string      `json:"tracking_number"`
	Status         string      `json:"status"`
	ETA            string      `json:"eta,omitempty"`
	Delivered      string      `json:"delivered,omitempty"`
	Events         []SeedEvent `json:"events"`
}

// SeedEvent is one step of a parcel's journey.
type SeedEvent struct {
	At string `json:"at"`
	Zh string `json:"zh"`
	En string `json:"en"`
}

// SeedRefund is an order's refund, always of the order's total.
type SeedRefund struct {
	Status  string `json:"status"`
	Created string `json:"created"`
	ETA     string `json:"eta,omitempty"`
	Done    string `json:"done,omitempty"`
}

// SeedReturn is an order's return.
type SeedReturn struct {
	Reason  string `json:"reason"`
	Photos  bool   `json:"photos,omitempty"`
	Status  string `json:"status"`
	Created string `json:"created"`
}

// Seed loads the seed file at path into the shop for the tenant. It is
// cheap to run at every start: when the tenant was already seeded today
// (in the shop's zone) from the same file, it does nothing, so what the
// demo changed (a cancelled order, a return) survives a restart. When the
// file changed or the last seed is from an earlier day, the file's
// customers and orders are reset to the seed with dates relative to now
// (orders not in the file are left alone), so the demo's dates stay fresh.
// It reports whether it (re)seeded.
func Seed(ctx context.Context, s *Shop, tenantID, path string) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("demo shop seed: %w", err)
	}
	f, err := ParseSeed(b)
	if err != nil {
		return false, fmt.Errorf("demo shop seed %s: %w", path, err)
	}
	sum := sha256.Sum256(b)
	return s.seed(ctx, tenantID, f, hex.EncodeToString(sum[:]))
}

// WrittenAt returns the written_at moment of the seed file at path.
// Errors: the file does not read or parse, or has no written_at.
func WrittenAt(path string) (time.Time, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return time.Time{}, fmt.Errorf("demo shop seed: %w", err)
	}
	f, err := ParseSeed(b)
	if err != nil {
		return time.Time{}, fmt.Errorf("demo shop seed %s: %w", path, err)
	}
	if f.WrittenAt.IsZero() {
		return time.Time{}, fmt.Errorf("demo shop seed %s: no written_at", path)
	}
	return f.WrittenAt, nil
}

// ParseSeed decodes and checks a seed file.
func ParseSeed(b []byte) (*SeedFile, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f SeedFile
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if f.Currency == "" {
		f.Currency = "CNY"
	}
	refs := map[string]bool{}
	for _, c := range f.Customers {
		if c.Ref == "" || c.Name == "" {
			return nil, fmt.Errorf("a customer needs a ref and a name")
		}
		if _, ok := tierTexts[c.Tier]; !ok {
			return nil, fmt.Errorf("customer %s: unknown tier %q", c.Ref, c.Tier)
		}
		refs[c.Ref] = true
	}
	ids := map[string]bool{}
	for _, o := range f.Orders {
		if !validOrderID(o.OrderID) || ids[o.OrderID] {
			return nil, fmt.Errorf("order %q: invalid or repeated order id", o.OrderID)
		}
		ids[o.OrderID] = true
		if !refs[o.Customer] {
			return nil, fmt.Errorf("order %s: unknown customer %q", o.OrderID, o.Customer)
		}
		if _, ok := orderTexts[o.Status]; !ok {
			return nil, fmt.Errorf("order %s: unknown status %q", o.OrderID, o.Status)
		}
		if len(o.Items) == 0 || o.Address == "" {
			return nil, fmt.Errorf("order %s: needs items and an address", o.OrderID)
		}
		offsets := []string{o.Created}
		for _, it := range o.Items {
			if it.Qty < 1 || it.Name == "" || it.NameZh == "" {
				return nil, fmt.Errorf("order %s item %s: needs names, a quantity and a price", o.OrderID, it.SKU)
			}
		}
		if _, _, err := orderItems(o.Items, f.Currency); err != nil {
			return nil, fmt.Errorf("order %s: %w", o.OrderID, err)
		}
		if sh := o.Shipment; sh != nil {
			if _, ok := shipmentTexts[sh.Status]; !ok || sh.Carrier == "" || sh.TrackingNumber == "" {
				return nil, fmt.Errorf("order %s: shipment needs a carrier, a tracking number and a known status", o.OrderID)
			}
			offsets = append(offsets, sh.ETA, sh.Delivered)
			for _, e := range sh.Events {
				offsets = append(offsets, e.At)
			}
		}
		if r := o.Refund; r != nil {
			if _, ok := refundTexts[r.Status]; !ok {
				return nil, fmt.Errorf("order %s: unknown refund status %q", o.OrderID, r.Status)
			}
			offsets = append(offsets, r.Created, r.ETA, r.Done)
		}
		if r := o.Return; r != nil {
			offsets = append(offsets, r.Created)
		}
		for i, off := range offsets {
			if off == "" && i > 0 {
				continue
			}
			if _, err := parseOffset(off); err != nil {
				return nil, fmt.Errorf("order %s: %w", o.OrderID, err)
			}
		}
	}
	return &f, nil
}

func (s *Shop) seed(ctx context.Context, tenant string, f *SeedFile, digest string) (seeded bool, err error) {
	if tenant == "" {
		return false, fmt.Errorf("demo shop seed: no tenant")
	}
	now := s.now()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			err = fmt.Errorf("demo shop seed: %w", err)
		}
	}()
	var at, was string
	err = tx.QueryRowContext(ctx, `SELECT seeded_at, digest FROM seeds WHERE tenant_id = ?`, tenant).Scan(&at, &was)
	switch {
	case err == nil:
		t, perr := parseTime(at)
		if perr == nil && was == digest && s.date(t) == s.date(now) {
			return false, tx.Rollback()
		}
	case !errors.Is(err, sql.ErrNoRows):
		return false, err
	}
	exec := func(q string, args ...any) {
		if err == nil {
			_, err = tx.ExecContext(ctx, q, args...)
		}
	}
	err = nil
	// Reset: the file's orders go (with their shipments, refunds and
	// returns), and the idempotency keys of the tenant's earlier calls.
	exec(`DELETE FROM idempotency WHERE tenant_id = ?`, tenant)
	exec(`DELETE FROM coupons WHERE tenant_id = ?`, tenant)
	for _, c := range f.Customers {
		exec(`INSERT INTO members (tenant_id, customer_ref, name, tier) VALUES (?, ?, ?, ?)
			ON CONFLICT (tenant_id, customer_ref) DO UPDATE SET name = excluded.name, tier = excluded.tier`,
			tenant, c.Ref, c.Name, c.Tier)
	}
	t := func(off string) any { // offsets were checked by ParseSeed
		if off == "" {
			return nil
		}
		d, _ := parseOffset(off)
		return formatTime(now.Add(d))
	}
	for _, o := range f.Orders {
		exec(`DELETE FROM orders WHERE tenant_id = ? AND order_id = ?`, tenant, o.OrderID)
		items, total, _ := orderItems(o.Items, f.Currency) // checked by ParseSeed
		ib, _ := json.Marshal(items)
		exec(`INSERT INTO orders (tenant_id, order_id, customer_ref, status, created_at, updated_at, total_cents, currency, items, address)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenant, o.OrderID, o.Customer, o.Status, t(o.Created), t(o.Created), total.Minor, total.Currency, string(ib), o.Address)
		if sh := o.Shipment; sh != nil {
			events := make([]Event, len(sh.Events))
			for i, e := range sh.Events {
				d, _ := parseOffset(e.At)
				events[i] = Event{At: now.Add(d).UTC(), Zh: e.Zh, En: e.En}
			}
			eb, _ := json.Marshal(events)
			exec(`INSERT INTO shipments (tenant_id, order_id, carrier, tracking_number, status, eta, delivered_at, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				tenant, o.OrderID, sh.Carrier, sh.TrackingNumber, sh.Status, t(sh.ETA), t(sh.Delivered), string(eb))
		}
		if r := o.Refund; r != nil {
			exec(`INSERT INTO refunds (tenant_id, refund_id, order_id, status, amount_cents, currency, created_at, eta, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				tenant, "RF"+strings.TrimPrefix(o.OrderID, "DD"), o.OrderID, r.Status, total.Minor, total.Currency, t(r.Created), t(r.ETA), t(r.Done))
		}
		if r := o.Return; r != nil {
			exec(`INSERT INTO returns (tenant_id, return_id, order_id, reason, photos, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				tenant, "RT"+strings.TrimPrefix(o.OrderID, "DD"), o.OrderID, r.Reason, r.Photos, r.Status, t(r.Created))
		}
	}
	exec(`INSERT INTO seeds (tenant_id, seeded_at, digest) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET seeded_at = excluded.seeded_at, digest = excluded.digest`,
		tenant, formatTime(now), digest)
	if err != nil {
		return false, err
	}
	if err = tx.Commit(); err != nil {
		return false, err
	}
	s.log.Info("demo shop seeded", "tenant", tenant, "customers", len(f.Customers), "orders", len(f.Orders))
	return true, nil
}

var offsetRE = regexp.MustCompile(`^[+-]?(\d+[dhm])+$`)
var offsetPart = regexp.MustCompile(`(\d+)([dhm])`)

// parseOffset reads "-3d", "+1d4h", "-30m" or "0".
func parseOffset(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	if !offsetRE.MatchString(s) {
		return 0, fmt.Errorf("time offset %q: want e.g. -3d, +1d4h, -30m or 0", s)
	}
	var d time.Duration
	for _, m := range offsetPart.FindAllStringSubmatch(s, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 10000 {
			return 0, fmt.Errorf("time offset %q: too large", s)
		}
		unit := map[string]time.Duration{"d": 24 * time.Hour, "h": time.Hour, "m": time.Minute}[m[2]]
		d += time.Duration(n) * unit
	}
	if strings.HasPrefix(s, "-") {
		d = -d
	}
	return d, nil
}

// orderItems reads an order's seed items, their prices ("199.00", "59")
// in currency, and their total, in integer minor units.
func orderItems(seed []SeedItem, currency string) ([]Item, assist.Money, error) {
	total := assist.Money{Currency: currency}
	items := make([]Item, len(seed))
	for i, it := range seed {
		p, err := assist.ParseAmount(it.Price, currency)
		if err != nil || p.Minor < 0 {
			return nil, total, fmt.Errorf("item %s: price %q", it.SKU, it.Price)
		}
		line, err := p.Times(int64(it.Qty))
		if err == nil {
			total, err = total.Add(line)
		}
		if err != nil {
			return nil, total, fmt.Errorf("item %s: %w", it.SKU, err)
		}
		items[i] = Item{SKU: it.SKU, Name: it.Name, NameZh: it.NameZh, Options: it.Options, Qty: it.Qty, Price: p.Minor}
	}
	return items, total, nil
}
