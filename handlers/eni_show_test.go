package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"enidash/internal/ecsemu"
	"enidash/web/webtest"
)

func TestShowENI(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	all := allENIs(t, env, "cn-hangzhou")
	var e = all[0]
	for _, x := range all {
		if x.InstanceID != "" && len(x.SecondaryIPs()) > 0 && len(x.Tags) > 0 {
			e = x
			break
		}
	}
	p := get(t, env.URL+"/enis/"+e.ID+"?region=cn-hangzhou")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	text := p.doc.Text()
	for _, want := range append([]string{e.ID, e.MAC, e.PrimaryIP, e.VpcID, e.VSwitchID, e.ZoneID}, e.SecondaryIPs()...) {
		if !strings.Contains(text, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	instanceLink := "/enis?region=cn-hangzhou&instance=" + e.InstanceID
	if p.doc.Find(`a[href="`+instanceLink+`"]`).Length() == 0 {
		t.Errorf("no link from the instance to all its ENIs (%s)", instanceLink)
	}
}

func TestShowENIRejectsAndMisses(t *testing.T) {
	env := webtest.Start(t, ecsemu.Config{})
	tests := []struct {
		path   string
		status int
		text   string
	}{
		{"/enis/eni-bp1doesnotexist?region=cn-hangzhou", http.StatusNotFound, "does not exist"},
		{"/enis/not-an-eni?region=cn-hangzhou", http.StatusBadRequest, "not an ENI ID"},
		{"/enis/eni-bp1aaaa?region=Hangzhou", http.StatusBadRequest, "not a region ID"},
		{"/enis/eni-bp1aaaa?region=xx-nowhere-9", http.StatusBadRequest, "not a region of this account"},
		{"/enis/eni-bp1aaaa?region=cn-hangzhou&colour=red", http.StatusBadRequest, "not a parameter"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p := get(t, env.URL+tt.path)
			if p.status != tt.status || !strings.Contains(p.doc.Text(), tt.text) {
				t.Errorf("status %d, want %d with %q", p.status, tt.status, tt.text)
			}
		})
	}
	p := get(t, env.URL+"/enis/eni-bp1aaaa")
	if p.status != http.StatusFound || p.header.Get("Location") != "/enis/eni-bp1aaaa?region=cn-hangzhou" {
		t.Errorf("no region: status %d Location %q", p.status, p.header.Get("Location"))
	}
}
