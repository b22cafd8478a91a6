package demoshop_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/demoshop"
	"github.com/assistd/assist/dialog/flow"
	"github.com/assistd/assist/nlu/entity"
	"github.com/assistd/assist/webhook"
)

// TestNLUExtractsSeedIDs: the NLU's entity extractor finds every seeded
// order id and tracking number as a customer would type them.
func TestNLUExtractsSeedIDs(t *testing.T) {
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	f, err := demoshop.ParseSeed(b)
	if err != nil {
		t.Fatal(err)
	}
	x, err := entity.New(entity.Config{})
	if err != nil {
		t.Fatal(err)
	}
	find := func(text, typ, want string) {
		t.Helper()
		for _, e := range x.Extract(text) {
			if e.Type == typ && e.Value == want {
				return
			}
		}
		t.Errorf("%q: no %s %s in %v", text, typ, want, x.Extract(text))
	}
	keyword := map[string]string{"SF": "顺丰单号", "JD": "京东快递单号", "ZTO": "中通快递单号", "YTO": "圆通运单号"}
	for _, o := range f.Orders {
		find("我的订单"+o.OrderID+"到哪了？", entity.OrderID, o.OrderID)
		find("where is my order "+o.OrderID+"?", entity.OrderID, o.OrderID)
		if sh := o.Shipment; sh != nil {
			find(keyword[sh.Carrier]+" "+sh.TrackingNumber, entity.TrackingNumber, sh.TrackingNumber)
			find("tracking number "+sh.TrackingNumber+" please", entity.TrackingNumber, sh.TrackingNumber)
		}
	}
}

// TestWebhookConformance calls the demo shop in process and through
// webhook.Client against demoshop.Handler with a secret: the answers and
// the error codes must be the same.
func TestWebhookConformance(t *testing.T) {
	local, _ := openSeeded(t)
	remote, _ := openSeeded(t)
	srv := httptest.NewServer(demoshop.Handler(remote, "s3cret", nil))
	defer srv.Close()
	client := &webhook.Client{URL: srv.URL + "/", Secret: "s3cret", Retries: 1}

	reqs := []flow.Request{
		{Action: "get_order", CustomerRef: c1, Lang: "en", Params: order("DD202611030001")},
		{Action: "get_order", CustomerRef: c2, Params: order("DD202611030001")},
		{Action: "list_orders", CustomerRef: c1, Lang: "zh"},
		{Action: "track_shipment", CustomerRef: c2, Params: map[string]string{"tracking_number": "JDVA12345678901"}},
		{Action: "cancel_order", CustomerRef: c1, Params: order("DD202611050002"), IdempotencyKey: "k-cancel"},
		{Action: "cancel_order", CustomerRef: c1, Params: order("DD202611050002"), IdempotencyKey: "k-cancel"},
		{Action: "cancel_order", CustomerRef: c1, Params: order("DD202611050002"), IdempotencyKey: "k-cancel-2"},
		{Action: "change_address", CustomerRef: "demo-customer-3", Params: map[string]string{"order_id": "DD202611070010", "address": "广州市海珠区新港中路 397 号"}, IdempotencyKey: "k-addr"},
		{Action: "create_return", CustomerRef: c1, Params: map[string]string{"order_id": "DD202611010003", "reason": "尺码不合适", "photos": "no"}, IdempotencyKey: "k-ret"},
		{Action: "get_refund", CustomerRef: c1, Params: order("DD202611010003")},
		{Action: "get_member", CustomerRef: c2},
		// Errors.
		{Action: "no_such_action", CustomerRef: c1},
		{Action: "get_order", CustomerRef: c1},
		{Action: "cancel_order", CustomerRef: c1, Params: order("DD202611030001"), IdempotencyKey: "k-cancel"},
	}
	ctx := context.Background()
	for _, req := range reqs {
		req.TenantID, req.ConversationID = tenant, "conv-1"
		want, werr := local.Call(ctx, req)
		got, gerr := client.Call(ctx, req)
		if assist.ErrorCode(werr) != assist.ErrorCode(gerr) {
			t.Errorf("%s %v: error %v over the webhook, %v in process", req.Action, req.Params, gerr, werr)
			continue
		}
		if !reflect.DeepEqual(jsonOf(t, got), jsonOf(t, want)) {
			t.Errorf("%s %v:\nwebhook    %v\nin process %v", req.Action, req.Params, got, want)
		}
	}

	// Unsigned and badly signed requests are refused, and the client says
	// why without retrying into a business outcome.
	for _, c := range []*webhook.Client{{URL: srv.URL}, {URL: srv.URL, Secret: "wrong"}} {
		_, err := c.Call(ctx, flow.Request{Action: "get_member", TenantID: tenant, CustomerRef: c1})
		if assist.ErrorCode(err) != assist.EUNAVAILABLE {
			t.Errorf("secret %q: %v, want EUNAVAILABLE", c.Secret, err)
		}
	}
}

func TestHandlerHTTP(t *testing.T) {
	s, _ := openSeeded(t)
	srv := httptest.NewServer(demoshop.Handler(s, "", nil))
	defer srv.Close()
	tests := []struct {
		method, path, body string
		status             int
	}{
		{"POST", "/actions/get_member", `{"tenant_id":"t-demo","customer_ref":"demo-customer-1"}`, 200},
		{"POST", "/actions/get_member", `{"tenant_id":"t-demo","customer_ref":"nobody"}`, 200}, // not_found is a business outcome
		{"POST", "/actions/nope", `{"tenant_id":"t-demo"}`, 404},
		{"POST", "/actions/get_order", `{"tenant_id":"t-demo"}`, 400},
		{"POST", "/actions/get_order", `{"tenant_id":`, 400},
		{"POST", "/actions/get_order", `{"action":"cancel_order","tenant_id":"t-demo","params":{"order_id":"DD202611050002"}}`, 400},
		{"GET", "/actions/get_order", ``, 405},
		{"POST", "/elsewhere", `{}`, 404},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s %s = %d, want %d", tt.method, tt.path, tt.body, resp.StatusCode, tt.status)
		}
	}
	// The mismatched action did not cancel anything.
	if st := call(t, s, "get_order", "", order("DD202611050002")).Data["status"]; st != "paid" {
		t.Errorf("order status = %v after refused requests", st)
	}
}

// BenchmarkWebhookCall: get_order through webhook.Client and the demo
// shop's handler over loopback, signed.
func BenchmarkWebhookCall(b *testing.B) {
	s, _ := openSeeded(b)
	srv := httptest.NewServer(demoshop.Handler(s, "k", nil))
	defer srv.Close()
	c := &webhook.Client{URL: srv.URL, Secret: "k"}
	req := flow.Request{Action: "get_order", TenantID: tenant, CustomerRef: c1, Lang: "zh", Params: order("DD202611030001")}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.Call(ctx, req)
		if err != nil || res.Status != "ok" {
			b.Fatal(res, err)
		}
	}
}
