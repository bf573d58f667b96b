// Package static holds the embedded front-end assets: the built Tailwind
// CSS, the vendored htmx files and the small scripts under js/. They are
// served under /static/ and need no CDN.
package static

import "embed"

// FS holds css/app.css, vendor/htmx.min.js, vendor/sse.min.js, js/*.js
// (forms and dialogs, live rows, the stream's life, keys, columns) and
// img/favicon.svg.
// css/input.css (the Tailwind source) is embedded too; it is small.
//
//go:embed css vendor js img
var FS embed.FS
