package ecsemu

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
)

// Shared pieces of the actions: documented errors, region look-up, bounded
// lists and the two paging modes.

func newAPIErr(status int, code, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func errParamMissing(name string) error {
	return newAPIErr(http.StatusBadRequest, "MissingParameter",
		"The input parameter %q that is mandatory for processing this request is not supplied.", name)
}

func errParamInvalid(name string) error {
	return newAPIErr(http.StatusBadRequest, "InvalidParameter", "The specified parameter %q is not valid.", name)
}

func errParamConflict(a, b string) error {
	return newAPIErr(http.StatusBadRequest, "InvalidParameter.Conflict",
		"The specified parameters %q and %q cannot be specified at the same time.", a, b)
}

// regionOf resolves the request's RegionId.
func (w *World) regionOf(r *Request) (*region, error) {
	id := r.RegionID
	if id == "" {
		id = r.String("RegionId")
	}
	if id == "" { // the protocol layer answers this first; kept for direct callers
		return nil, newAPIErr(http.StatusBadRequest, "MissingRegionId", "RegionId is mandatory for this action.")
	}
	reg, ok := w.regionByID[id]
	if !ok {
		return nil, newAPIErr(http.StatusBadRequest, "InvalidRegionId.MalFormed", "The specified parameter RegionId is not valid.")
	}
	return reg, nil
}

// listParam returns prefix.1..prefix.N in number order, rejecting any N
// beyond maxN as the cloud does.
func listParam(r *Request, prefix string, maxN int) ([]string, error) {
	head := prefix + "."
	for k := range r.Params {
		rest, ok := strings.CutPrefix(k, head)
		if !ok || strings.Contains(rest, ".") {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && (n < 1 || n > maxN) {
			return nil, errParamInvalid(k)
		}
	}
	return r.List(prefix), nil
}

// tagsParam returns the Tag.N pairs; tooMany reports an N beyond maxN.
func tagsParam(r *Request, maxN int) (tags []TagParam, tooMany bool) {
	for k := range r.Params {
		rest, ok := strings.CutPrefix(k, "Tag.")
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		if n, err := strconv.Atoi(num); err == nil && (n < 1 || n > maxN) {
			return nil, true
		}
	}
	return r.Tags(), false
}

// intParam is r.Int that also enforces an inclusive range.
func intParam(r *Request, name string, def, lo, hi int) (int, error) {
	n, err := r.Int(name, def)
	if err != nil {
		return 0, err
	}
	if r.String(name) != "" && (n < lo || n > hi) {
		return 0, errParamInvalid(name)
	}
	return n, nil
}

// paging is one request's choice of the two paging modes.
type paging struct {
	token bool   // NextToken/MaxResults
	after uint64 // token mode: key of the first entry to return
	limit int    // MaxResults or PageSize
	page  int    // PageNumber
}

type pagingRules struct {
	kind        string // binds tokens to one listing
	pageSizeMax int
	maxMin      int // MaxResults is clamped into [maxMin, maxMax]
	maxMax      int
	maxDefault  int
}

// parsePaging reads NextToken/MaxResults (used when either is given) or
// PageNumber/PageSize (1-based, default 10).
func parsePaging(r *Request, rules pagingRules) (paging, error) {
	if r.String("NextToken") != "" || r.String("MaxResults") != "" {
		n, err := r.Int("MaxResults", rules.maxDefault)
		if err != nil {
			return paging{}, err
		}
		n = min(max(n, rules.maxMin), rules.maxMax)
		p := paging{token: true, limit: n}
		if t := r.String("NextToken"); t != "" {
			key, ok := decodeToken(rules.kind, t)
			if !ok {
				return paging{}, newAPIErr(http.StatusBadRequest, "InvalidParameter",
					"The specified parameter \"NextToken\" is not valid.")
			}
			p.after = key
		}
		return p, nil
	}
	page, err := intParam(r, "PageNumber", 1, 1, 1<<30)
	if err != nil {
		return paging{}, err
	}
	size, err := intParam(r, "PageSize", 10, 1, rules.pageSizeMax)
	if err != nil {
		return paging{}, err
	}
	return paging{page: page, limit: size}, nil
}

// encodeToken makes an opaque NextToken for the listing kind.
func encodeToken(kind string, key uint64) string {
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], key)
	binary.BigEndian.PutUint32(b[8:], tokenSum(kind, b[:8]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func decodeToken(kind, t string) (uint64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil || len(b) != 12 || binary.BigEndian.Uint32(b[8:]) != tokenSum(kind, b[:8]) {
		return 0, false
	}
	return binary.BigEndian.Uint64(b[:8]), true
}

func tokenSum(kind string, key []byte) uint32 {
	h := fnv.New32a()
	h.Write([]byte("ecsemu/" + kind + "/"))
	h.Write(key)
	return h.Sum32()
}

// pageOf walks items (sorted by key ascending) once and returns the
// matching entries of the requested page, the number of matches (at most
// cap when cap > 0) and, in token mode, the token of the next page ("" on
// the last one).
func pageOf[T any](items []T, key func(int) uint64, match func(T) bool, pg paging, cap int, kind string) (out []T, total int, next string) {
	first := (pg.page - 1) * pg.limit
	for i, it := range items {
		if !match(it) {
			continue
		}
		if cap > 0 && total >= cap {
			break
		}
		total++
		if pg.token {
			k := key(i)
			if k < pg.after {
				continue
			}
			if len(out) < pg.limit {
				out = append(out, it)
			} else if next == "" {
				next = encodeToken(kind, k)
			}
			continue
		}
		if m := total - 1; m >= first && m < first+pg.limit {
			out = append(out, it)
		}
	}
	return out, total, next
}

// pageMeta is the paging part of a listing's response.
type pageMeta struct {
	NextToken  *string `json:"NextToken,omitempty"`
	PageSize   int     `json:"PageSize,omitempty"`
	PageNumber int     `json:"PageNumber,omitempty"`
	TotalCount int     `json:"TotalCount"`
}

func metaOf(pg paging, total int, next string) pageMeta {
	if pg.token {
		return pageMeta{NextToken: &next, TotalCount: total}
	}
	return pageMeta{PageNumber: pg.page, PageSize: pg.limit, TotalCount: total}
}
