package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

var requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
	Name:    "giaoban_http_request_duration_seconds",
	Help:    "Server time of HTTP requests, by route pattern, method and status.",
	Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
}, []string{"route", "method", "code"})

func init() { prometheus.MustRegister(requestDuration) }

func observeRequest(route, method string, status int, d time.Duration) {
	requestDuration.WithLabelValues(route, method, strconv.Itoa(status)).Observe(d.Seconds())
}

// MetricsHandler serves the Prometheus metrics.
func MetricsHandler() http.Handler { return promhttp.Handler() }
