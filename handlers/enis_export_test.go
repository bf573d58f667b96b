package handlers_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// TestExportCoversEveryPage exports a view larger than one cloud page
// (500) and checks every ENI of the view is in it once.
func TestExportCoversEveryPage(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{World: ecsemu.WorldConfig{ExtraENIs: 3000}})
	var want []string
	for _, e := range allENIs(t, env, "cn-hangzhou") {
		if e.Status == eni.StatusAvailable {
			want = append(want, e.ID)
		}
	}
	if len(want) <= 500 {
		t.Fatalf("only %d Available ENIs; the view must span several cloud pages", len(want))
	}
	slices.Sort(want)

	t.Run("csv", func(t *testing.T) {
		p := get(t, env.URL+"/enis.csv?region=cn-hangzhou&status=Available")
		if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("status %d, type %q", p.status, p.header.Get("Content-Type"))
		}
		if !strings.Contains(p.header.Get("Content-Disposition"), "attachment") {
			t.Error("not offered as a download")
		}
		rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != "id" || rows[0][2] != "status" {
			t.Fatalf("header = %v", rows[0])
		}
		var got []string
		for _, r := range rows[1:] {
			if r[2] != "Available" {
				t.Fatalf("row %v is not Available", r)
			}
			got = append(got, r[0])
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("CSV has %d ENIs, want %d", len(got), len(want))
		}
	})
	t.Run("json", func(t *testing.T) {
		p := get(t, env.URL+"/enis.json?region=cn-hangzhou&status=Available")
		if p.status != http.StatusOK {
			t.Fatalf("status %d", p.status)
		}
		var items []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		if err := json.Unmarshal([]byte(p.body), &items); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("JSON has %d ENIs, want %d", len(got), len(want))
		}
	})
	t.Run("empty view is an empty array", func(t *testing.T) {
		p := get(t, env.URL+"/enis.json?region=cn-hangzhou&name=no-such-eni")
		if p.status != http.StatusOK || strings.TrimSpace(p.body) != "[]" {
			t.Errorf("status %d body %q", p.status, p.body)
		}
	})
	t.Run("bad parameters are refused", func(t *testing.T) {
		p := get(t, env.URL+"/enis.csv?region=cn-hangzhou&status=Nope")
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "status") {
			t.Errorf("status %d body %q", p.status, p.body)
		}
	})
}

func TestHealthzNeedsNoCloud(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	env.Emulator.SetFaults(ecsemu.Faults{ErrorRate: 1})
	p := get(t, env.URL+"/healthz")
	if p.status != http.StatusOK || p.body != "ok\n" {
		t.Errorf("status %d body %q", p.status, p.body)
	}
}
