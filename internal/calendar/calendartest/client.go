package calendartest

import "net/http"

// BearerClient returns an HTTP client that sends "Authorization: Bearer
// token" with every request, for use with option.WithHTTPClient when a test
// does not care about the OAuth flow (calendar calls without a token get
// 401). It has its own connection pool.
func BearerClient(token string) *http.Client {
	base := &http.Transport{}
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		base = t.Clone()
	}
	return &http.Client{Transport: bearerTransport{token: token, base: base}}
}

type bearerTransport struct {
	token string
	base  http.RoundTripper
}

func (t bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	// A RoundTripper must not change the caller's request.
	r2 := r.Clone(r.Context())
	r2.Header.Set("Authorization", "Bearer "+t.token)
	return t.base.RoundTrip(r2)
}
