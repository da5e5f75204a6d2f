package garfeed

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
	f, err := Open(ctx, ld, "good-tar", DefaultLimits)
	if f != nil {
		f.Cleanup()
		t.Fatal("archive extracted after cancellation")
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stop reading") {
		t.Errorf("error %v, want the cancellation", err)
	}
}

// A run stopped while the mapping's sample verification reads the feed
// (ScanRecords, AddKeyMaterial) says which file was not read, in each
// language, rather than the bare "context canceled" of Go.
func TestScanRecordsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ld := &input.Loader{Base: "../../fixtures/gar"}
	err := ScanRecords(ctx, ld, nil, "good", func(FlatRecord) {})
	e, ok := input.AsError(err)
	if !ok || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v (%T), want an *input.Error of the cancellation", err, err)
	}
	if !strings.HasPrefix(e.Source, "good/") || !strings.Contains(err.Error(), "stop reading") || !strings.Contains(input.French(err), "lecture interrompue") {
		t.Errorf("error %q / %q, want the file and the interruption", err, input.French(err))
	}
}
