package api_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assistd/assist/api"
	"github.com/assistd/assist/eval/report"
)

func TestEvalReports(t *testing.T) {
	dir := t.TempDir()
	r := report.New("intent", "default model <b>bold</b>")
	r.Add("accuracy", 0.95, report.Higher)
	if err := r.WriteDir(filepath.Join(dir, "intent")); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(o *envOptions) { o.cfg.ReportsDir = dir })
	s := e.newShop("reports")

	list := decode[api.EvalReportsResponse](t, e.get("/v1/eval/reports", s.Knowledge), http.StatusOK)
	if len(list.Reports) != 1 || list.Reports[0].Name != "intent" || len(list.Reports[0].Metrics) != 1 || list.Reports[0].Metrics[0].Value != 0.95 {
		t.Fatalf("listing %+v", list)
	}
	page := e.get("/v1/eval/reports/intent", s.Knowledge)
	if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "0.9500") || strings.Contains(string(page.Body), "<b>bold</b>") {
		t.Fatalf("page %d: %.300s", page.Status, page.Body)
	}
	if page.Header.Get("X-Content-Type-Options") != "nosniff" || page.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("report page headers %v: want nosniff and no framing", page.Header)
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if js := e.get("/v1/eval/reports/intent?format=json", s.Knowledge); js.Status != http.StatusOK || !strings.Contains(string(js.Body), `"suite": "intent"`) {
		t.Errorf("json %d %.200s", js.Status, js.Body)
	}
	for _, name := range []string{"nothing", "..%2F..%2Fetc", "%2E%2E"} {
		if r := e.get("/v1/eval/reports/"+name, s.Knowledge); r.Status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", name, r.Status)
		}
	}
	// Agents do not read the reports; customers even less.
	wantError(t, e.get("/v1/eval/reports", s.Agent), http.StatusForbidden, "forbidden", "")

	// No folder configured: 503; a folder not written yet: an empty list.
	e2 := newEnv(t)
	s2 := e2.newShop("none")
	wantError(t, e2.get("/v1/eval/reports", s2.Knowledge), http.StatusServiceUnavailable, "unavailable", "eval.reports_dir")
	e3 := newEnv(t, func(o *envOptions) { o.cfg.ReportsDir = filepath.Join(dir, "not-yet") })
	s3 := e3.newShop("empty")
	if l := decode[api.EvalReportsResponse](t, e3.get("/v1/eval/reports", s3.Knowledge), http.StatusOK); len(l.Reports) != 0 {
		t.Errorf("empty folder: %+v", l)
	}
}
