// Package metrics holds the program's Prometheus instruments and serves
// them at /metrics in the Prometheus text format.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"enidash/internal/live"
)

// Registry is every instrument of one running dashboard. It is its own
// registry, not the library's global one, so tests can run several.
type Registry struct {
	reg        *prometheus.Registry
	cloudCalls *prometheus.CounterVec
	// signInLimited counts sign-ins refused by the limits per account or address.
	signInLimited prometheus.Counter
	// Live are the instruments of the live-update hub.
	Live live.Metrics
}

// New builds the instruments, with the Go runtime's and the process's.
func New() *Registry {
	r := &Registry{reg: prometheus.NewRegistry()}
	r.cloudCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "enidash_cloud_calls_total",
		Help: "Cloud API calls (each attempt), by API action and outcome: ok, throttled, client_error, server_error, timeout, canceled (the caller left first) or failed.",
	}, []string{"action", "outcome"})
	r.Live = live.Metrics{
		Pollers: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "enidash_live_pollers",
			Help: "Pollers running, one per distinct view watched.",
		}),
		Subscribers: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "enidash_live_subscribers",
			Help: "Browsers subscribed to live updates.",
		}),
		Dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "enidash_live_subscribers_dropped_total",
			Help: "Subscribers dropped because they fell too far behind.",
		}),
		Events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "enidash_live_events_total",
			Help: "Live update events published, by kind: row, added, gone, status, reset.",
		}, []string{"kind"}),
		Paused: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "enidash_live_views_paused",
			Help: "Views watched but not polled, because the cap on pollers (--live-max-pollers) was reached.",
		}),
		Refused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "enidash_live_pollers_refused_total",
			Help: "Pollers not started because the cap on pollers (--live-max-pollers) was reached.",
		}),
	}
	r.signInLimited = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "enidash_signin_rate_limited_total",
		Help: "Sign-in attempts refused by the limit per account or per address, before any password check or audit write.",
	})
	r.reg.MustRegister(r.cloudCalls, r.signInLimited, r.Live.Pollers, r.Live.Subscribers, r.Live.Dropped, r.Live.Events,
		r.Live.Paused, r.Live.Refused,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// CloudCall counts one attempt at a cloud call; it is the cloud client's
// OnCall.
func (r *Registry) CloudCall(action, outcome string) {
	r.cloudCalls.WithLabelValues(action, outcome).Inc()
}

// SignInRateLimited counts one sign-in refused by the limits; it is the
// sign-in service's OnRateLimited.
func (r *Registry) SignInRateLimited() { r.signInLimited.Inc() }

// Handler serves the instruments in the Prometheus text format.
func (r *Registry) Handler() http.Handler {
	// The server compresses responses already.
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{Registry: r.reg, DisableCompression: true})
}
