package checks

import (
	"errors"
	"testing"
	"time"
)

// An opener may use the cache itself (an index built from a feed the
// cache extracts): nested Gets must not deadlock, and each key opens once.
func TestCacheNestedGet(t *testing.T) {
	c := NewCache()
	defer c.Close()
	opened := map[string]int{}
	inner := func() (any, func(), error) { opened["inner"]++; return 1, nil, nil }
	outer := func() (any, func(), error) {
		opened["outer"]++
		v, _, err := c.Get("inner", inner)
		return v.(int) + 1, nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 3; i++ {
			if v, _, err := c.Get("outer", outer); err != nil || v != 2 {
				t.Errorf("Get = %v, %v", v, err)
			}
		}
		c.Get("inner", inner)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("nested Get deadlocked")
	}
	if opened["outer"] != 1 || opened["inner"] != 1 {
		t.Errorf("opened %v, want each key once", opened)
	}
	// Errors are not cached.
	n := 0
	fail := func() (any, func(), error) { n++; return nil, nil, errors.New("x") }
	c.Get("e", fail)
	c.Get("e", fail)
	if n != 2 {
		t.Errorf("a failed open was cached (%d opens)", n)
	}
}
