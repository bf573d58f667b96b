package views

import (
	"bytes"
	"context"
	"io"
	"sync"
	"weak"

	"github.com/a-h/templ"
)

// The filter form offers each region's VPCs, vSwitches, security groups
// and instances as <datalist> suggestions: thousands of options rendered
// on every full page load, the same bytes for as long as the lookup cache
// holds the same answer. They are rendered once per answer and kept here.
//
// An answer is known by a weak pointer to its first element (and its
// length): a new answer from the cloud is a new slice, and a dropped one
// is neither kept alive nor mistaken for a later slice at its address.

type datalistKey struct {
	id    string
	first any // weak.Pointer to the answer's first element
	n     int
}

// datalistCacheMax bounds the kept lists; past it the cache starts over,
// which costs one render per list.
const datalistCacheMax = 256

var datalistCache struct {
	sync.Mutex
	html map[datalistKey][]byte
}

// cachedDatalist is the <datalist id=id> of items' options, rendered once
// per answer.
func cachedDatalist[T any](id string, items []T, options func([]T) []option) templ.Component {
	if len(items) == 0 {
		return datalist(id, nil)
	}
	key := datalistKey{id: id, first: weak.Make(&items[0]), n: len(items)}
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		datalistCache.Lock()
		html, ok := datalistCache.html[key]
		datalistCache.Unlock()
		if !ok {
			var buf bytes.Buffer
			if err := datalist(id, options(items)).Render(ctx, &buf); err != nil {
				return err
			}
			html = buf.Bytes()
			datalistCache.Lock()
			if datalistCache.html == nil || len(datalistCache.html) >= datalistCacheMax {
				datalistCache.html = make(map[datalistKey][]byte)
			}
			datalistCache.html[key] = html
			datalistCache.Unlock()
		}
		_, err := w.Write(html)
		return err
	})
}
