package handlers

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/internal/audit"
	"enidash/internal/eni"
)

// auditExportPage is how many entries each read of an export takes.
const auditExportPage = 500

var auditCSVHeader = []string{"time", "id", "actor", "auth_method", "source_ip", "user_agent", "action", "api",
	"region", "eni", "instance", "bulk", "outcome", "error_code", "error_message", "request_id", "duration_ms", "params"}

// AuditExport serves GET /audit.csv: every entry of an audit view, newest
// first, read and written page by page. If the log fails after the first
// page the connection is cut, so the download is visibly incomplete
// rather than silently short.
func (h *Handler) AuditExport(c echo.Context) error {
	ctx := c.Request().Context()
	f, errs := audit.ParseFilter(c.QueryParams())
	if len(errs) == 0 && f.Before != "" {
		errs = eni.FieldErrors{{Field: audit.KeyBefore, Message: "does not apply: an export always covers every page of the view"}}
	}
	if len(errs) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, errs.Error())
	}
	q := f.LogQuery()
	q.Limit = auditExportPage

	page, err := h.auditExportPage(ctx, q)
	if err != nil {
		h.Logger.ErrorContext(ctx, "audit export failed", "view", f.Encode(), "err", err)
		return echo.NewHTTPError(http.StatusInternalServerError, "the audit log could not be read")
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	hd.Set(echo.HeaderContentDisposition, `attachment; filename="audit-`+h.Now().UTC().Format("20060102T150405Z")+`.csv"`)
	hd.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	w.Write(auditCSVHeader)
	for {
		for _, e := range page.Entries {
			w.Write(auditCSVRow(e))
		}
		w.Flush()
		if w.Error() != nil {
			return nil // the client went away
		}
		if page.Next == "" {
			return nil
		}
		q.Before = page.Next
		if page, err = h.auditExportPage(ctx, q); err != nil {
			h.Logger.ErrorContext(ctx, "audit export cut short", "view", f.Encode(), "err", err)
			panic(http.ErrAbortHandler)
		}
	}
}

func (h *Handler) auditExportPage(ctx context.Context, q audit.Query) (audit.Page, error) {
	ctx, cancel := context.WithTimeout(ctx, h.CallTimeout)
	defer cancel()
	return h.Audit.Query(ctx, q)
}

// auditCSVRow is one entry as a CSV row; every cell is scrubbed of
// control characters and defused, since actors, user agents and messages
// come from outside.
func auditCSVRow(e audit.Entry) []string {
	params := ""
	if len(e.Params) > 0 {
		// Entries written before the log scrubbed its text may still
		// hold control characters.
		clean := make(map[string]string, len(e.Params))
		for k, v := range e.Params {
			clean[eni.ScrubControls(k)] = eni.ScrubControls(v)
		}
		b, _ := json.Marshal(clean) // a map of strings always encodes
		params = string(b)
	}
	dur := ""
	if e.Outcome != audit.OutcomePending {
		dur = strconv.FormatFloat(float64(e.Duration)/float64(time.Millisecond), 'f', 3, 64)
	}
	row := []string{e.Time.UTC().Format(time.RFC3339Nano), e.ID, e.Actor, e.AuthMethod, e.SourceIP, e.UserAgent,
		e.Action, e.API, e.Region, e.ENIID, e.InstanceID, e.Bulk, auditOutcomeWord(e.Outcome), e.ErrorCode,
		e.ErrorMsg, e.RequestID, dur, params}
	for i, s := range row {
		row[i] = defuseFormula(eni.ScrubControls(s))
	}
	return row
}

// auditOutcomeWord is the outcome as the page and its URL say it.
func auditOutcomeWord(o audit.Outcome) string {
	if w := audit.URLOutcome(o); w != "" {
		return w
	}
	return string(o)
}
