package handlers

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/internal/eni"
	"enidash/internal/inventory"
)

// exportPageSize is the largest page DescribeNetworkInterfaces serves.
const exportPageSize = 500

// ExportENIs serves GET /enis.csv and /enis.json: every page of a view.
// Rows stream out page by page; if the cloud fails after the first page,
// the connection is cut so the download is visibly incomplete rather than
// silently short.
func (h *Handler) ExportENIs(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		vw, errs := eni.ParseView(c.QueryParams())
		if vw.Region == "" {
			vw.Region = h.DefaultRegion
		}
		if len(errs) == 0 && len(vw.Trail) > 0 {
			errs = eni.FieldErrors{{Field: eni.KeyToken, Message: "does not apply: an export always covers every page of the view"}}
		}
		if len(errs) == 0 && vw.Page > 0 {
			errs = eni.FieldErrors{{Field: eni.KeyPage, Message: "does not apply: an export always covers every page of the view"}}
		}
		if len(errs) == 0 {
			errs = regionError(ctx, h.Lookups, vw.Region)
		}
		if len(errs) > 0 {
			return echo.NewHTTPError(http.StatusBadRequest, errs.Error())
		}
		f := vw.Filter
		f.Size = exportPageSize
		name := fmt.Sprintf("enis-%s-%s.%s", f.Region, h.Now().UTC().Format("20060102T150405Z"), format)
		if h.Inventory != nil {
			region, release := h.Inventory.Acquire(vw.Region)
			defer release()
			if region.Progress().Ready {
				// The whole view from the snapshot, in the view's order.
				opts := inventory.Options{Now: h.Now()}
				if vw.Search != "" {
					opts.Names = h.Lookups.Names(ctx, vw.Region).Instances
				}
				enis := region.Store().Select(vw, opts)
				w := startExport(c, format, name)
				for _, e := range enis {
					if err := w.write(e); err != nil {
						return nil // the client went away
					}
				}
				return w.close()
			}
		}
		if needsIndex(vw) {
			return echo.NewHTTPError(http.StatusServiceUnavailable, "The index of "+vw.Region+
				" is still being built; search, sort, zone and age are answered from it. Try again in a moment.")
		}

		first, err := h.exportPage(ctx, f, "")
		if err != nil {
			ce, status := describeFailure("DescribeNetworkInterfaces", err)
			return echo.NewHTTPError(status, fmt.Sprintf("%s: %s (RequestId %s)", ce.Code, ce.Message, ce.RequestID))
		}
		w := startExport(c, format, name)

		page := first
		for {
			for _, e := range page.ENIs {
				if err := w.write(e); err != nil {
					return nil // the client went away
				}
			}
			if page.NextToken == "" {
				break
			}
			token := page.NextToken
			page, err = h.exportPage(ctx, f, token)
			if err != nil {
				h.Logger.ErrorContext(ctx, "export cut short", "view", f.Query(), "err", err)
				panic(http.ErrAbortHandler)
			}
		}
		return w.close()
	}
}

// startExport writes the download's head and returns its writer.
func startExport(c echo.Context, format, name string) exportWriter {
	w := newExportWriter(format, c.Response())
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, w.contentType())
	hd.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	hd.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	return w
}

func (h *Handler) exportPage(ctx context.Context, f eni.Filter, token string) (eni.Page, error) {
	ctx, cancel := context.WithTimeout(ctx, h.CallTimeout)
	defer cancel()
	return h.Cloud.ListENIs(ctx, eni.ListQuery{Filter: f, NextToken: token})
}

type exportWriter interface {
	contentType() string
	write(eni.ENI) error
	close() error
}

func newExportWriter(format string, w http.ResponseWriter) exportWriter {
	if format == "json" {
		return &jsonExport{w: w}
	}
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	return &csvExport{w: cw}
}

var csvHeader = []string{"id", "name", "status", "type", "region", "zone", "vpc", "vswitch", "instance",
	"primary_ip", "secondary_ips", "ipv6", "ipv4_prefixes", "ipv6_prefixes", "security_groups", "mac",
	"tags", "resource_group", "service_managed", "delete_on_release", "traffic_mode", "queue_number",
	"created_at", "description", "source_dest_check"}

type csvExport struct{ w *csv.Writer }

func (x *csvExport) contentType() string { return "text/csv; charset=utf-8" }

func (x *csvExport) write(e eni.ENI) error {
	tags := make([]string, len(e.Tags))
	for i, t := range e.Tags {
		tags[i] = t.Key + "=" + t.Value
	}
	row := []string{e.ID, e.Name, string(e.Status), string(e.Type), e.RegionID, e.ZoneID, e.VpcID, e.VSwitchID,
		e.InstanceID, e.PrimaryIP, strings.Join(e.SecondaryIPs(), " "), strings.Join(e.IPv6, " "),
		strings.Join(e.IPv4Prefixes, " "), strings.Join(e.IPv6Prefixes, " "), strings.Join(e.SecurityGroups, " "),
		e.MAC, strings.Join(tags, ";"), e.ResourceGroupID, strconv.FormatBool(e.ServiceManaged),
		strconv.FormatBool(e.DeleteOnRelease), e.TrafficMode, strconv.Itoa(e.QueueNumber),
		formatTime(e.CreatedAt), e.Description, strconv.FormatBool(e.SourceDestCheck)}
	for i, s := range row {
		row[i] = defuseFormula(eni.ScrubControls(s))
	}
	x.w.Write(row)
	x.w.Flush()
	return x.w.Error()
}

func (x *csvExport) close() error { x.w.Flush(); return nil }

// defuseFormula keeps a spreadsheet from running a cell that starts like a
// formula: names and tags come from anyone with cloud access. Cells are
// scrubbed of control characters first (eni.ScrubControls), so a NUL or a
// line break never reaches the file raw.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type jsonExport struct {
	w     http.ResponseWriter
	count int
}

func (x *jsonExport) contentType() string { return "application/json" }

func (x *jsonExport) write(e eni.ENI) error {
	sep := ",\n"
	if x.count == 0 {
		sep = "[\n"
	}
	x.count++
	b, err := json.Marshal(toExport(e))
	if err != nil {
		return err
	}
	_, err = x.w.Write(append([]byte(sep), b...))
	return err
}

func (x *jsonExport) close() error {
	end := "\n]\n"
	if x.count == 0 {
		end = "[]\n"
	}
	_, err := x.w.Write([]byte(end))
	return err
}

// exportENI is the JSON shape of one ENI in an export; field names are
// the stable contract of the JSON export.
type exportENI struct {
	ID              string            `json:"id"`
	Name            string            `json:"name"`
	Description     string            `json:"description"`
	Status          eni.Status        `json:"status"`
	Type            eni.Type          `json:"type"`
	Region          string            `json:"region"`
	Zone            string            `json:"zone"`
	VPC             string            `json:"vpc"`
	VSwitch         string            `json:"vswitch"`
	Instance        string            `json:"instance,omitempty"`
	MAC             string            `json:"mac"`
	PrimaryIP       string            `json:"primaryIp"`
	SecondaryIPs    []string          `json:"secondaryIps"`
	IPv6            []string          `json:"ipv6"`
	IPv4Prefixes    []string          `json:"ipv4Prefixes"`
	IPv6Prefixes    []string          `json:"ipv6Prefixes"`
	SecurityGroups  []string          `json:"securityGroups"`
	Tags            map[string]string `json:"tags"`
	ResourceGroup   string            `json:"resourceGroup,omitempty"`
	ServiceManaged  bool              `json:"serviceManaged"`
	DeleteOnRelease bool              `json:"deleteOnRelease"`
	TrafficMode     string            `json:"trafficMode,omitempty"`
	QueueNumber     int               `json:"queueNumber,omitempty"`
	SourceDestCheck bool              `json:"sourceDestCheck"`
	CreatedAt       string            `json:"createdAt"`
}

// toExport shapes e for the JSON export. Its free text (name,
// description, tags) may hold control characters set by another tool;
// they are exported as visible pictures, as in the CSV export.
func toExport(e eni.ENI) exportENI {
	tags := make(map[string]string, len(e.Tags))
	for _, t := range e.Tags {
		tags[eni.ScrubControls(t.Key)] = eni.ScrubControls(t.Value)
	}
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return exportENI{ID: e.ID, Name: eni.ScrubControls(e.Name), Description: eni.ScrubControls(e.Description), Status: e.Status, Type: e.Type,
		Region: e.RegionID, Zone: e.ZoneID, VPC: e.VpcID, VSwitch: e.VSwitchID, Instance: e.InstanceID,
		MAC: e.MAC, PrimaryIP: e.PrimaryIP, SecondaryIPs: nonNil(e.SecondaryIPs()), IPv6: nonNil(e.IPv6),
		IPv4Prefixes: nonNil(e.IPv4Prefixes), IPv6Prefixes: nonNil(e.IPv6Prefixes),
		SecurityGroups: nonNil(e.SecurityGroups), Tags: tags, ResourceGroup: e.ResourceGroupID,
		ServiceManaged: e.ServiceManaged, DeleteOnRelease: e.DeleteOnRelease, TrafficMode: e.TrafficMode,
		QueueNumber: e.QueueNumber, SourceDestCheck: e.SourceDestCheck, CreatedAt: formatTime(e.CreatedAt)}
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
