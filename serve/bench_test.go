package serve

import (
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// peakRSS is the process's peak resident memory (VmHWM), in bytes.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkLoopback: 20 concurrent uploads of the sample dossier on
// loopback, all of which must complete; meanwhile GET /api/v1/audits/{id}
// is polled, and its p95 latency reported with the wall time of the 20
// audits and the peak memory (docs/serve.md has the figures):
//
//	go test ./serve -run '^$' -bench Loopback -benchtime 1x
func BenchmarkLoopback(b *testing.B) {
	const uploads = 20
	for i := 0; i < b.N; i++ {
		h := newHarness(b, Config{Workers: runtime.NumCPU(), Queue: uploads, PerToken: uploads, Rate: 1000, Burst: 1000})
		archive := tarGz(b, conforme, "conforme/")
		start := time.Now()
		ids := make([]string, uploads)
		var wg sync.WaitGroup
		for k := 0; k < uploads; k++ {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				body, ctype := multipartBody(b, "dossier", "conforme.tar.gz", archive)
				resp := h.raw("POST", "/api/v1/audits", "tok-poitiers-0123456789abcdef0123456789", body, ctype)
				if resp.status != 202 {
					b.Errorf("upload %d: %d %s", k, resp.status, resp.body)
					return
				}
				ids[k] = jsonField(resp.body, "id")
			}(k)
		}
		wg.Wait()
		var lat []time.Duration
		done := map[string]bool{}
		for len(done) < uploads && time.Since(start) < 10*time.Minute {
			for _, id := range ids {
				if id == "" || done[id] {
					continue
				}
				t0 := time.Now()
				resp := h.raw("GET", "/api/v1/audits/"+id, "tok-poitiers-0123456789abcdef0123456789", nil, "")
				lat = append(lat, time.Since(t0))
				switch jsonField(resp.body, "status") {
				case StatusDone:
					done[id] = true
				case StatusFailed:
					b.Fatalf("audit %s failed: %s", id, resp.body)
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		if len(done) != uploads {
			b.Fatalf("%d of %d audits done", len(done), uploads)
		}
		wall := time.Since(start)
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		p95 := lat[len(lat)*95/100]
		b.ReportMetric(float64(p95.Microseconds())/1000, "p95-GET-ms")
		b.ReportMetric(wall.Seconds(), "s/20-audits")
		b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
		b.ReportMetric(float64(len(lat)), "GETs")
	}
}
