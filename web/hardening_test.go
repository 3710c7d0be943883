package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSignInNextIsACleanPath: the redirect after sign-in is a path on this
// site, nothing a browser could read as another host (issue 18 row 11).
func TestSignInNextIsACleanPath(t *testing.T) {
	e := newEnv(t, envOpts{})
	for _, tc := range []struct{ next, want string }{
		{"/reports", "/reports"},
		{"/reports?guide=behavioral-core&cursor=a-b_c", "/reports?guide=behavioral-core&cursor=a-b_c"},
		{"/reports/r-1%2F2", "/reports/r-1%2F2"},
		{"//evil.example/x", "/"},
		{"/\t/evil.example/x", "/"},
		{"/\v/evil.example/x", "/"},
		{"/\\evil.example/x", "/"},
		{"/x\\y", "/"},
		{"/a//evil.example", "/"},
		{"/\x00x", "/"},
		{"/\x7fx", "/"},
		{"/\u0085x", "/"},
		{"/\u2028x", "/"},
		{"/ x", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"/signin?next=/x", "/"},
		{"", "/"},
	} {
		u := e.user()
		u.get("/signin")
		p := u.post("/signin", url.Values{"csrf": {u.csrf}, "key": {acmeKey}, "next": {tc.next}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != tc.want {
			t.Errorf("next %q: %d to %q, want 303 to %q", tc.next, p.status, p.header.Get("Location"), tc.want)
		}
		// The sign-in page's hidden field gets the same treatment.
		p = u.get("/signin?next=" + url.QueryEscape(tc.next))
		if want := `name="next" value="` + tc.want + `"`; tc.want == "/" && !strings.Contains(p.body, want) {
			t.Errorf("GET /signin?next=%q: the form does not carry %s", tc.next, want)
		}
	}
}
