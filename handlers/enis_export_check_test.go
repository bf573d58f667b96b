package handlers_test

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/internal/eni"
	"enidash/web/webtest"
)

// Both exports carry every attribute the edit form changes, the
// source/destination check and the queue number included, as the cloud has them.
func TestExportsCarrySourceDestCheck(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	enis := allENIs(t, env, "cn-hangzhou")
	byID := map[string]eni.ENI{}
	var on, off int
	for _, e := range enis {
		byID[e.ID] = e
		if e.SourceDestCheck {
			on++
		} else {
			off++
		}
	}
	rows, err := csv.NewReader(strings.NewReader(get(t, env.URL+"/enis.csv?region=cn-hangzhou&size=500").body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[0], "source_dest_check")
	if col < 0 {
		t.Fatalf("CSV header %v has no source_dest_check", rows[0])
	}
	for _, r := range rows[1:] {
		if want := strconv.FormatBool(byID[r[0]].SourceDestCheck); r[col] != want {
			t.Errorf("CSV: %s source_dest_check %q, want %q", r[0], r[col], want)
		}
	}
	var items []struct {
		ID              string `json:"id"`
		SourceDestCheck *bool  `json:"sourceDestCheck"`
	}
	if err := json.Unmarshal([]byte(get(t, env.URL+"/enis.json?region=cn-hangzhou&size=500").body), &items); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.SourceDestCheck == nil || *it.SourceDestCheck != byID[it.ID].SourceDestCheck {
			t.Errorf("JSON: %s sourceDestCheck %v, want %v", it.ID, it.SourceDestCheck, byID[it.ID].SourceDestCheck)
		}
	}
	t.Logf("%d ENIs with the check on, %d off", on, off)
}
