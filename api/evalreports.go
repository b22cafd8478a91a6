package api

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/assistd/assist"
	"github.com/assistd/assist/eval/report"
)

// evalReaders may read the evaluation reports: knowledge managers (the
// console) and supervisors.
var evalReaders = []assist.Role{assist.RoleKnowledge, assist.RoleSupervisor, assist.RoleAdmin}

// evalReports lists the reports under Config.ReportsDir (what `make eval`
// or `assist eval … --out` wrote), with their headline numbers.
func (s *Server) evalReports(c *gin.Context) {
	sums, err := s.scanReports()
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toEvalReports(sums))
}

// evalReport serves one report: its HTML page (inline SVG and CSS, no
// script), or its JSON with ?format=json. Only a name the listing holds is
// served, so no path reaches outside the folder.
func (s *Server) evalReport(c *gin.Context) {
	sums, err := s.scanReports()
	if err != nil {
		s.writeError(c, err)
		return
	}
	name := c.Param("name")
	if !slices.ContainsFunc(sums, func(x report.Summary) bool { return x.Name == name }) {
		s.writeError(c, assist.Errorf(assist.ENOTFOUND, "no report %q", name))
		return
	}
	file, ctype := report.HTMLFile, "text/html; charset=utf-8"
	if c.Query("format") == "json" {
		file, ctype = report.JSONFile, "application/json"
	}
	b, err := os.ReadFile(filepath.Join(s.cfg.ReportsDir, name, file))
	if err != nil {
		s.writeError(c, assist.Wrap(assist.ENOTFOUND, err, "report file missing"))
		return
	}
	// The page carries its own CSS and SVG; nothing in it may run.
	// Nor may another site frame it.
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'none'")
	c.Header("X-Frame-Options", "DENY")
	c.Data(http.StatusOK, ctype, b)
}

func (s *Server) scanReports() ([]report.Summary, error) {
	if s.cfg.ReportsDir == "" {
		return nil, assist.Errorf(assist.EUNAVAILABLE, "no reports folder configured (eval.reports_dir)")
	}
	if _, err := os.Stat(s.cfg.ReportsDir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil // nothing evaluated yet
	}
	return report.Scan(s.cfg.ReportsDir)
}
