package notice

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// page005 returns "status message" of each PAGE-005 finding of a page.
func page005(t *testing.T, dir, name, head, body string) []string {
	t.Helper()
	p := writeFile(t, dir, name, "<!DOCTYPE html><html><head>"+head+"</head><body>"+body+
		`<footer><a href="m.html">Mentions d'information</a></footer></body></html>`)
	var out []string
	for _, f := range CheckPage(testEnv(""), p) {
		if f.Rule == "PAGE-005" {
			out = append(out, string(f.Status)+" "+f.Message)
		}
	}
	return out
}

// TestTrackerSnippets checks the trackers that inline snippets and
// <noscript> pixels load, in the shapes their vendors publish and real
// public sites use: a Matomo snippet sending to a server of another
// domain (beta.gouv.fr sends to stats.data.gouv.fr), Matomo Cloud, Google
// Tag Manager and gtag.js, analytics.js, AT Internet, Hotjar, the Meta
// pixel, and <noscript> pixels (matomo.php, /collect, Tag Manager's frame).
func TestTrackerSnippets(t *testing.T) {
	dir := t.TempDir()
	const own = `<link rel="canonical" href="https://ent.college-fictif.example/connexion">`
	cases := []struct {
		name, head, body string
		want             []string
	}{
		{"matomo self-hosted on another domain", own, `<script type="text/javascript">
  var _paq = _paq || [];
  _paq.push(['trackPageView']);
  _paq.push(['enableLinkTracking']);
  (function() {
    var u="//stats.data.gouv.fr/";
    _paq.push(['setTrackerUrl', u+'piwik.php']);
    _paq.push(['setSiteId', '21']);
    var d=document, g=d.createElement('script'), s=d.getElementsByTagName('script')[0];
    g.type='text/javascript'; g.async=true; g.defer=true; g.src=u+'piwik.js'; s.parentNode.insertBefore(g,s);
  })();
</script>`, []string{"fail Traceur Matomo (serveur auto-hébergé sur un autre domaine) chargé avant connexion : stats.data.gouv.fr (script en ligne)."}},
		{"matomo on the page's own domain", own, `<script>var _paq = window._paq = window._paq || [];(function(){var u="https://stats.college-fictif.example/";_paq.push(['setTrackerUrl', u+'matomo.php']);})();</script>`, []string{"pass Aucune ressource tierce ni traceur chargé avant connexion."}},
		{"matomo by relative path", own, `<script>var _paq = window._paq || [];(function(){var u="/matomo/";_paq.push(['setTrackerUrl', u+'matomo.php']);})();</script>`, []string{"pass Aucune ressource tierce ni traceur chargé avant connexion."}},
		{"matomo cloud", own, `<script>var _paq = window._paq = window._paq || [];(function(){var u="https://fictif.matomo.cloud/";_paq.push(['setTrackerUrl', u+'matomo.php']);var g=document.createElement('script');g.src='https://cdn.matomo.cloud/fictif.matomo.cloud/matomo.js';})();</script>`,
			[]string{"fail Traceur Matomo Cloud chargé avant connexion : cdn.matomo.cloud (script en ligne).", "fail Traceur Matomo Cloud chargé avant connexion : fictif.matomo.cloud (script en ligne)."}},
		{"matomo of a page whose domain is unknown", "", `<script>var _paq = window._paq || [];(function(){var u="https://stats.editeur-fictif.example/";_paq.push(['setTrackerUrl', u+'matomo.php']);})();</script>`,
			[]string{"warn Ressource tierce chargée avant connexion : stats.editeur-fictif.example (script en ligne Matomo, domaine de la page inconnu) ; la justifier ou l'héberger sur le domaine de l'ENT."}},
		{"gtag config without any address", own, `<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-FICTIF0001');</script>`,
			[]string{"fail Traceur Google Tag Manager chargé avant connexion : www.googletagmanager.com (script en ligne)."}},
		{"google tag manager container", own, `<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-FICT123');</script>`,
			[]string{"fail Traceur Google Tag Manager chargé avant connexion : www.googletagmanager.com (script en ligne)."}},
		{"analytics.js", own, `<script>(function(i,s,o,g,r,a,m){i['GoogleAnalyticsObject']=r;i[r]=i[r]||function(){(i[r].q=i[r].q||[]).push(arguments)},i[r].l=1*new Date();a=s.createElement(o),m=s.getElementsByTagName(o)[0];a.async=1;a.src=g;m.parentNode.insertBefore(a,m)})(window,document,'script','https://www.google-analytics.com/analytics.js','ga');ga('create', 'UA-000000-1', 'auto');ga('send', 'pageview');</script>`,
			[]string{"fail Traceur Google Analytics chargé avant connexion : www.google-analytics.com (script en ligne)."}},
		{"at internet xtcore", own, `<script>xtnv = document; xtsd = "https://logs1234"; xtsite = "123456"; xtn2 = "1"; xtpage = "connexion";</script><script src="/js/xtcore.js"></script>`,
			[]string{"fail Traceur AT Internet (Xiti) chargé avant connexion : xiti.com (script en ligne)."}},
		{"hotjar", own, `<script>(function(h,o,t,j,a,r){h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};h._hjSettings={hjid:1234567,hjsv:6};a=o.getElementsByTagName('head')[0];r=o.createElement('script');r.async=1;r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;a.appendChild(r);})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');</script>`,
			[]string{"fail Traceur Hotjar chargé avant connexion : static.hotjar.com (script en ligne)."}},
		{"meta pixel and its noscript image", own, `<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?n.callMethod.apply(n,arguments):n.queue.push(arguments)};t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window, document,'script','https://connect.facebook.net/en_US/fbevents.js');fbq('init', '000000000000000');fbq('track', 'PageView');</script>
<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id=000000000000000&ev=PageView&noscript=1"/></noscript>`,
			[]string{"fail Traceur Facebook Pixel chargé avant connexion : connect.facebook.net (script en ligne).", "fail Traceur Facebook chargé avant connexion : www.facebook.com (pixel <noscript>)."}},
		{"matomo noscript pixel", own, `<noscript><p><img referrerpolicy="no-referrer-when-downgrade" src="https://stats.autre-domaine.example/matomo.php?idsite=3&amp;rec=1" style="border:0;" alt="" /></p></noscript>`,
			[]string{"fail Traceur Matomo (serveur auto-hébergé sur un autre domaine) chargé avant connexion : stats.autre-domaine.example (pixel <noscript>)."}},
		{"piwik noscript pixel on the own domain", own, `<noscript><img src="https://stats.college-fictif.example/piwik.php?idsite=3" alt=""></noscript>`, []string{"pass Aucune ressource tierce ni traceur chargé avant connexion."}},
		{"tag manager noscript frame", own, `<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-FICT123" height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>`,
			[]string{"fail Traceur Google Tag Manager chargé avant connexion : www.googletagmanager.com (pixel <noscript>)."}},
		{"collect pixel of an unknown server", own, `<noscript><img src="https://mesure.autre-domaine.example/g/collect?v=2&tid=G-FICT" alt=""></noscript>`,
			[]string{"fail Traceur pixel de mesure d'audience (/collect) chargé avant connexion : mesure.autre-domaine.example (pixel <noscript>)."}},
		{"matomo image tracker", own, `<img src="https://stats.autre-domaine.example/matomo.php?idsite=3&amp;rec=1&amp;action_name=Connexion" style="border:0" alt="">`,
			[]string{"fail Traceur Matomo (serveur auto-hébergé sur un autre domaine) chargé avant connexion : stats.autre-domaine.example (img)."}},
		{"ordinary third-party image", own, `<img src="https://cdn.autre-domaine.example/logo.png" alt="">`,
			[]string{"warn Ressource tierce chargée avant connexion : cdn.autre-domaine.example (img) ; la justifier ou l'héberger sur le domaine de l'ENT."}},
		{"snippet held back by the consent manager", own, `<script type="text/plain" data-cookiecategory="analytics">var _paq = window._paq || [];(function(){var u="https://stats.data.gouv.fr/";_paq.push(['setTrackerUrl', u+'matomo.php']);})();</script>`,
			[]string{"pass Aucune ressource tierce ni traceur chargé avant connexion."}},
		{"tag manager named by the consent manager only", own, `<script>tarteaucitron.init({"privacyUrl": "/mentions-information.html"}); tarteaucitron.user.googletagmanagerId = 'GTM-FICT123'; (tarteaucitron.job = tarteaucitron.job || []).push('googletagmanager');</script>`,
			[]string{"warn Traceur Google Tag Manager nommé par le gestionnaire de consentement (chargé seulement si l'usager accepte) : www.googletagmanager.com ; vérifier avec --render que rien n'est chargé avant consentement."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := page005(t, dir, strings.ReplaceAll(c.name, " ", "-")+".html", c.head, c.body)
			if d := cmp.Diff(c.want, got); d != "" {
				t.Errorf("PAGE-005 (-want +got):\n%s", d)
			}
		})
	}
}
