package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"

	"github.com/labstack/echo/v4"

	"enidash/static"
)

// staticHandler serves the embedded assets with a content hash as ETag, so
// browsers revalidate cheaply and never run a stale script after an upgrade.
func staticHandler() echo.HandlerFunc {
	type asset struct {
		body []byte
		etag string
	}
	assets := map[string]asset{}
	fs.WalkDir(static.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static.FS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		assets[p] = asset{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return func(c echo.Context) error {
		a, ok := assets[path.Clean(c.Param("*"))]
		if !ok {
			return echo.NewHTTPError(http.StatusNotFound)
		}
		h := c.Response().Header()
		h.Set("ETag", a.etag)
		h.Set("Cache-Control", "no-cache")
		http.ServeContent(c.Response(), c.Request(), c.Param("*"), time.Time{}, bytes.NewReader(a.body))
		return nil
	}
}
