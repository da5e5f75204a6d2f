package checks

import "sync"

// Cache shares, within one run, what several checks open from the same
// input (e.g. a GAR archive extracted once): each input is opened once per
// run, and what opening left behind (temporary files) is removed by Close
// at the end of the run. A nil *Cache opens every time.
type Cache struct {
	mu       sync.Mutex
	m        map[string]any
	cleanups []func()
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[string]any{}} }

// Get returns the value cached under key, or calls open, caches its value
// and keeps its cleanup for Close. Errors are not cached. With a nil
// cache, open's value is returned and the caller owns the cleanup.
func (c *Cache) Get(key string, open func() (any, func(), error)) (v any, cleanup func(), err error) {
	if c == nil {
		return open()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[key]; ok {
		return v, func() {}, nil
	}
	v, done, err := open()
	if err != nil {
		return nil, nil, err
	}
	c.m[key] = v
	if done != nil {
		c.cleanups = append(c.cleanups, done)
	}
	return v, func() {}, nil
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
	c.cleanups, c.m = nil, map[string]any{}
}
