package checks

import "sync"

// Cache shares, within one run, what several checks open from the same
// input (e.g. a GAR archive extracted once): each input is opened once per
// run, and what opening left behind (temporary files) is removed by Close
// at the end of the run. A nil *Cache opens every time.
//
// An opener may itself use the cache (an index built from a feed the
// cache extracts): the lock is not held while opening, and concurrent
// callers of the same key wait for the first opener.
type Cache struct {
	mu       sync.Mutex
	m        map[string]*cacheEntry
	cleanups []func()
}

type cacheEntry struct {
	done chan struct{}
	v    any
	err  error
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[string]*cacheEntry{}} }

// Get returns the value cached under key, or calls open, caches its value
// and keeps its cleanup for Close. Errors are not cached. With a nil
// cache, open's value is returned and the caller owns the cleanup.
func (c *Cache) Get(key string, open func() (any, func(), error)) (v any, cleanup func(), err error) {
	if c == nil {
		return open()
	}
	for {
		c.mu.Lock()
		e, ok := c.m[key]
		if !ok {
			e = &cacheEntry{done: make(chan struct{})}
			c.m[key] = e
			c.mu.Unlock()
			v, done, err := open()
			c.mu.Lock()
			if err != nil {
				delete(c.m, key)
			} else {
				e.v = v
				if done != nil {
					c.cleanups = append(c.cleanups, done)
				}
			}
			e.err = err
			close(e.done)
			c.mu.Unlock()
			if err != nil {
				return nil, nil, err
			}
			return v, func() {}, nil
		}
		c.mu.Unlock()
		<-e.done
		if e.err == nil {
			return e.v, func() {}, nil
		}
		// The opener failed (errors are not cached): try again.
	}
}

// Close runs the cleanups in reverse order and empties the cache.
func (c *Cache) Close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.cleanups) - 1; i >= 0; i-- {
		c.cleanups[i]()
	}
	c.cleanups, c.m = nil, map[string]*cacheEntry{}
}
