package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/debrief-dev/debrief/internal/apperr"
)

// metadata is the part of the provider's discovery document Debrief uses.
type metadata struct {
	Issuer                string   `json:"issuer"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	TokenEndpoint         string   `json:"token_endpoint"`
	JWKSURI               string   `json:"jwks_uri"`
	TokenAuthMethods      []string `json:"token_endpoint_auth_methods_supported"`
	SigningAlgs           []string `json:"id_token_signing_alg_values_supported"`

	// keys are the provider's signing keys, from JWKSURI.
	keys *keySet
}

// maxDocument bounds what is read from the provider.
const maxDocument = 1 << 20

// metadata returns the discovery document, fetching it on first use and
// again once a day. A failed refresh keeps the document already known.
func (rp *RelyingParty) metadata(ctx context.Context) (*metadata, error) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	if rp.meta != nil && rp.now().Sub(rp.fetchedAt) < metadataTTL {
		return rp.meta, nil
	}
	m, err := rp.discover(ctx)
	if err != nil {
		if rp.meta != nil {
			return rp.meta, nil
		}
		return nil, apperr.Wrap(apperr.Unavailable, err, "could not reach %s; try again in a minute", rp.name)
	}
	if rp.meta != nil && rp.meta.JWKSURI == m.JWKSURI {
		m.keys = rp.meta.keys // keep the cached keys
	} else {
		m.keys = newKeySet(m.JWKSURI, rp.client, rp.now, rp.keyRefresh)
	}
	rp.meta, rp.fetchedAt = m, rp.now()
	return m, nil
}

func (rp *RelyingParty) discover(ctx context.Context) (*metadata, error) {
	u := strings.TrimSuffix(rp.cfg.Issuer, "/") + "/.well-known/openid-configuration"
	var m metadata
	if err := getJSON(ctx, rp.client, u, &m); err != nil {
		return nil, fmt.Errorf("discovery: %w", err)
	}
	// The document must be the issuer's own (OpenID Connect Discovery
	// 1.0, section 4.3); a trailing slash is the one difference forgiven.
	if strings.TrimSuffix(m.Issuer, "/") != strings.TrimSuffix(rp.cfg.Issuer, "/") {
		return nil, fmt.Errorf("discovery: the document is for issuer %q, not %q", m.Issuer, rp.cfg.Issuer)
	}
	issuerHTTPS := strings.HasPrefix(rp.cfg.Issuer, "https://")
	for name, v := range map[string]string{"authorization_endpoint": m.AuthorizationEndpoint,
		"token_endpoint": m.TokenEndpoint, "jwks_uri": m.JWKSURI} {
		p, err := url.Parse(v)
		if v == "" || err != nil || p.Host == "" || (p.Scheme != "https" && (issuerHTTPS || p.Scheme != "http")) {
			return nil, fmt.Errorf("discovery: %s %q is not a usable URL", name, v)
		}
	}
	if len(m.SigningAlgs) > 0 && !contains(m.SigningAlgs, "RS256") {
		return nil, fmt.Errorf("discovery: the provider signs ID tokens with %v; Debrief verifies RS256 only", m.SigningAlgs)
	}
	return &m, nil
}

// getJSON fetches a JSON document of bounded size.
func getJSON(ctx context.Context, client *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, res.StatusCode)
	}
	if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt != "" && mt != "application/json" &&
		!strings.HasSuffix(mt, "+json") {
		return fmt.Errorf("GET %s: content type %q is not JSON", u, mt)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxDocument+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	if len(body) > maxDocument {
		return errors.New("GET " + u + ": the document is too large")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	return nil
}
