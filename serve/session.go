package serve

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"
)

// sessions are the web page's signed-in browsers, in memory (a restart
// signs everyone out).
type sessions struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*session
}

type session struct {
	p       Principal
	csrf    string
	expires time.Time
}

// sessionTTL is how long a sign-in lasts.
const sessionTTL = 8 * time.Hour

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, m: map[string]*session{}}
}

func randomToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (ss *sessions) create(p Principal) (id string, s *session) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	now := ss.now()
	for k, v := range ss.m {
		if now.After(v.expires) {
			delete(ss.m, k)
		}
	}
	id = randomToken()
	s = &session{p: p, csrf: randomToken(), expires: now.Add(sessionTTL)}
	ss.m[id] = s
	return id, s
}

func (ss *sessions) get(id string) (*session, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[id]
	if !ok || ss.now().After(s.expires) {
		delete(ss.m, id)
		return nil, false
	}
	return s, true
}

func (ss *sessions) remove(id string) {
	ss.mu.Lock()
	delete(ss.m, id)
	ss.mu.Unlock()
}
