package sso

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
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

// inFeed is SSO-012: the identifier is a person of the GAR feed, in the
// establishment the assertion names (when it names one).
func (a *auditor) inFeed(r *response, attrs []attribute, id string) result.Finding {
	masked := a.maskID(id)
	switch {
	case a.env.Opts.GARDir == "":
		return a.mk(result.NotEvaluated, rules.SSO012, r, "non évalué : alimentation GAR non fournie (--gar ou evidence.gar_feed).", "not evaluated: GAR feed not supplied (--gar or evidence.gar_feed).")
	case a.feedEr != nil:
		return checks.Errorf(rules.SSO012, a.feedEr)
	}
	p := a.feed[id]
	if p == nil {
		return a.mk(result.Fail, rules.SSO012, r,
			fmt.Sprintf("GARPersonIdentifiant %s absent de l'alimentation GAR (%d personnes) : le GAR ne reconnaîtra pas l'utilisateur (parent, compte de test ou personne non exportée ?).", masked, len(a.feed)),
			fmt.Sprintf("GARPersonIdentifiant %s is not in the GAR feed (%d people): the GAR will not recognise the user (parent, test account or person not exported?).", masked, len(a.feed)))
	}
	var uais []string
	for _, x := range attrs {
		if uaiNames[x.key] {
			uais = append(uais, x.values...)
		}
	}
	var foreign []string
	for _, u := range uais {
		if !p.uais[u] {
			foreign = append(foreign, clip(u))
		}
	}
	profiles := strings.Join(sortedKeys(p.profiles), ", ")
	if len(foreign) > 0 {
		return a.mk(result.Fail, rules.SSO012, r,
			fmt.Sprintf("GARPersonIdentifiant %s figure dans l'alimentation, mais pas dans l'établissement %s que l'assertion indique (alimentation : %s).", masked, strings.Join(foreign, ", "), strings.Join(sortedKeys(p.uais), ", ")),
			fmt.Sprintf("GARPersonIdentifiant %s is in the feed, but not under establishment %s the assertion names (feed: %s).", masked, strings.Join(foreign, ", "), strings.Join(sortedKeys(p.uais), ", ")))
	}
	where, whereEN := "", ""
	if len(uais) > 0 {
		where, whereEN = ", dans l'établissement indiqué par l'assertion", ", under the establishment the assertion names"
	}
	return a.mk(result.Pass, rules.SSO012, r,
		fmt.Sprintf("GARPersonIdentifiant %s présent dans l'alimentation GAR (profil %s)%s.", masked, profiles, where),
		fmt.Sprintf("GARPersonIdentifiant %s is in the GAR feed (profile %s)%s.", masked, profiles, whereEN))
}
