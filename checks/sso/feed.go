package sso

import (
	"sort"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/garfeed"
)

// person is what the GAR feed says of one GARPersonIdentifiant.
type person struct {
	uais     map[string]bool
	profiles map[string]bool
}

// feedIndex maps GARPersonIdentifiant to the person's establishments and
// profiles. It holds no name, birth date or other personal field.
type feedIndex map[string]*person

// loadFeed indexes the GAR feed src once per run (through the cache; the
// archive itself is extracted once for every area).
func loadFeed(env *checks.Env, src string) (feedIndex, error) {
	v, _, err := env.Cache.Get("sso-feed-index:"+src, func() (any, func(), error) {
		idx := feedIndex{}
		err := garfeed.ScanRecords(env.Context(), env.Loader, env.Cache, src, func(r garfeed.FlatRecord) {
			ids := r.Fields["GARPersonIdentifiant"]
			if len(ids) == 0 || (r.Name != "GAREleve" && r.Name != "GAREnseignant") {
				return
			}
			p := idx[ids[0]]
			if p == nil {
				p = &person{uais: map[string]bool{}, profiles: map[string]bool{}}
				idx[ids[0]] = p
			}
			for _, k := range []string{"GARPersonProfils/GARStructureUAI", "GARPersonEtab", "GARPersonStructRattach"} {
				for _, u := range r.Fields[k] {
					p.uais[u] = true
				}
			}
			for _, pr := range r.Fields["GARPersonProfils/GARPersonProfil"] {
				p.profiles[pr] = true
			}
		})
		if err != nil {
			return nil, nil, err
		}
		return idx, nil, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(feedIndex), nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
