package gar

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// A run stopped while an archive is extracted stops extracting (a 16 GiB
// archive takes minutes) and says so, not that the archive is corrupt.
func TestOpenArchiveCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ld := &input.Loader{Base: "../../fixtures/gar"}
	f, err := openFeed(ctx, ld, "good-tar", DefaultLimits)
	if f != nil {
		f.cleanup()
		t.Fatal("archive extracted after cancellation")
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stop reading") {
		t.Errorf("error %v, want the cancellation", err)
	}
}
