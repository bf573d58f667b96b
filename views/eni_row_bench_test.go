package views

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"enidash/internal/eni"
)

// BenchmarkENIRows renders the table of 100 rows of a list page as an
// operator sees them (actions, names, a page to come back to): the bulk of
// the list page's rendering.
func BenchmarkENIRows(b *testing.B) {
	enis := make([]eni.ENI, 100)
	for i := range enis {
		e := sampleENI()
		e.ID = "eni-bp1" + strconv.Itoa(100000+i)
		if i%2 == 0 {
			e.Status, e.InstanceID, e.Attachment = eni.StatusAvailable, "", nil
		}
		enis[i] = e
	}
	names := map[string]string{"vpc-bp1vpc0001": "prod", "i-bp1inst0001": "web-01"}
	rc := RowContext{Region: "cn-hangzhou", Now: testNow, CanAct: true,
		Back:  "/enis?region=cn-hangzhou&sort=-created&status=Available",
		Names: func(id string) string { return names[id] }}
	var buf bytes.Buffer
	ctx := context.Background()
	for b.Loop() {
		buf.Reset()
		if err := ENITable(enis, rc).Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
