package oidc

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/debrief-dev/debrief/internal/apperr"
)

// ID tokens are verified here with the standard library rather than a JOSE
// library: Debrief accepts exactly one algorithm, RS256 (what Google and
// every OpenID provider must support), so the header's alg is compared
// with that constant and never chooses the verification method — the
// "alg: none" and RS/HS confusion attacks have nothing to work with.

const (
	// maxTokenBytes bounds an ID token; real ones are about 1 KiB.
	maxTokenBytes = 16 << 10
	// keysMaxAge is how long fetched signing keys are trusted before they
	// are fetched again (so a key the provider withdrew stops working).
	keysMaxAge = time.Hour
	// keysMinRefresh stops a stream of tokens naming unknown keys from
	// turning into a stream of requests to the provider.
	keysMinRefresh = 10 * time.Second
)

// keySet caches the provider's RSA signing keys. When a token names a key
// the cache lacks, the set is fetched again: that is how a rotation by the
// provider is picked up without a restart.
type keySet struct {
	uri        string
	client     *http.Client
	now        func() time.Time
	minRefresh time.Duration

	mu      sync.Mutex
	keys    []publicKey
	fetched time.Time
}

type publicKey struct {
	kid string
	key *rsa.PublicKey
}

func newKeySet(uri string, client *http.Client, now func() time.Time, minRefresh time.Duration) *keySet {
	return &keySet{uri: uri, client: client, now: now, minRefresh: minRefresh}
}

// candidates returns the keys that may have signed a token with this kid:
// the one with that id (or, failing that, keys published without an id),
// or every key when the token names none.
func (k *keySet) candidates(ctx context.Context, kid string) ([]*rsa.PublicKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var fetchErr error
	if k.fetched.IsZero() || k.now().Sub(k.fetched) > keysMaxAge {
		fetchErr = k.refresh(ctx) // on failure, keys already known still serve
	}
	found := k.match(kid)
	if len(found) == 0 && fetchErr == nil && k.now().Sub(k.fetched) >= k.minRefresh {
		fetchErr = k.refresh(ctx)
		found = k.match(kid)
	}
	if len(found) == 0 {
		if fetchErr != nil {
			return nil, fetchErr
		}
		return nil, fmt.Errorf("no signing key %q among the provider's keys", kid)
	}
	return found, nil
}

func (k *keySet) match(kid string) []*rsa.PublicKey {
	var named, unnamed []*rsa.PublicKey
	for _, pk := range k.keys {
		switch {
		case kid == "" || pk.kid == kid:
			named = append(named, pk.key)
		case pk.kid == "":
			unnamed = append(unnamed, pk.key)
		}
	}
	if len(named) > 0 {
		return named
	}
	return unnamed
}

type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

func (k *keySet) refresh(ctx context.Context) error {
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	if err := getJSON(ctx, k.client, k.uri, &doc); err != nil {
		return fmt.Errorf("signing keys: %w", err)
	}
	var keys []publicKey
	for _, j := range doc.Keys {
		if j.Kty != "RSA" || (j.Use != "" && j.Use != "sig") || (j.Alg != "" && j.Alg != "RS256") {
			continue // keys for other purposes or algorithms
		}
		pub, err := rsaKey(j)
		if err != nil {
			return fmt.Errorf("signing key %q: %w", j.Kid, err)
		}
		keys = append(keys, publicKey{kid: j.Kid, key: pub})
	}
	k.keys, k.fetched = keys, k.now()
	return nil
}

func rsaKey(j jwk) (*rsa.PublicKey, error) {
	nb, err := base64.RawURLEncoding.DecodeString(j.N)
	if err != nil {
		return nil, errors.New("the modulus is not base64url")
	}
	eb, err := base64.RawURLEncoding.DecodeString(j.E)
	if err != nil || len(eb) == 0 || len(eb) > 4 {
		return nil, errors.New("the exponent is not a small base64url number")
	}
	n := new(big.Int).SetBytes(nb)
	if n.BitLen() < 2048 {
		return nil, fmt.Errorf("the key has %d bits; at least 2048 are required", n.BitLen())
	}
	e := new(big.Int).SetBytes(eb).Int64()
	if e < 3 || e > math.MaxInt32 || e%2 == 0 {
		return nil, fmt.Errorf("exponent %d is not acceptable", e)
	}
	return &rsa.PublicKey{N: n, E: int(e)}, nil
}

// claims are the ID token claims Debrief checks.
type claims struct {
	Issuer        string      `json:"iss"`
	Subject       string      `json:"sub"`
	Audience      audience    `json:"aud"`
	AuthorizedBy  string      `json:"azp"`
	Expires       numericDate `json:"exp"`
	IssuedAt      numericDate `json:"iat"`
	NotBefore     numericDate `json:"nbf"`
	Nonce         string      `json:"nonce"`
	Email         string      `json:"email"`
	EmailVerified flexBool    `json:"email_verified"`
	HostedDomain  string      `json:"hd"`
	Name          string      `json:"name"`
}

// verify checks the ID token and returns who it names. Every refusal is an
// Unauthenticated *apperr.Error with a message for the person signing in.
func (rp *RelyingParty) verify(ctx context.Context, meta *metadata, raw, nonce string) (Identity, error) {
	unverified := func(err error) error {
		return apperr.Wrap(apperr.Unauthenticated, err, "%s's answer could not be verified; try again", rp.name)
	}
	c, err := verifySignature(ctx, meta.keys, raw)
	if err != nil {
		return Identity{}, unverified(err)
	}
	now := rp.now()
	switch {
	case c.Issuer != meta.Issuer:
		return Identity{}, unverified(fmt.Errorf("iss %q is not %q", c.Issuer, meta.Issuer))
	case !c.Audience.contains(rp.cfg.ClientID):
		return Identity{}, unverified(fmt.Errorf("aud %q does not include this client", c.Audience))
	case (len(c.Audience) > 1 || c.AuthorizedBy != "") && c.AuthorizedBy != rp.cfg.ClientID:
		// OpenID Connect Core 1.0, 3.1.3.7, items 4 and 5.
		return Identity{}, unverified(fmt.Errorf("azp %q is not this client", c.AuthorizedBy))
	case c.Expires.IsZero() || !now.Before(c.Expires.Add(clockSkew)):
		return Identity{}, unverified(fmt.Errorf("the token expired at %s", c.Expires.UTC().Format(time.RFC3339)))
	case c.IssuedAt.IsZero() || c.IssuedAt.After(now.Add(clockSkew)) || now.Sub(c.IssuedAt.Time) > maxTokenAge:
		return Identity{}, unverified(fmt.Errorf("issued at %s, which is not just now", c.IssuedAt.UTC().Format(time.RFC3339)))
	case !c.NotBefore.IsZero() && c.NotBefore.After(now.Add(clockSkew)):
		return Identity{}, unverified(fmt.Errorf("not valid before %s", c.NotBefore.UTC().Format(time.RFC3339)))
	case c.Nonce == "" || !equal(c.Nonce, nonce):
		return Identity{}, unverified(errors.New("the nonce does not match this sign-in"))
	case c.Subject == "" || len(c.Subject) > 255:
		return Identity{}, unverified(errors.New("the token names no subject"))
	case c.Email == "":
		return Identity{}, apperr.New(apperr.Unauthenticated,
			"%s did not share an email address; allow Debrief to see your email and try again", rp.name)
	case !bool(c.EmailVerified):
		return Identity{}, apperr.New(apperr.Unauthenticated,
			"%s has not verified the email address %s; verify it there first", rp.name, c.Email)
	}
	hd := strings.ToLower(c.HostedDomain)
	if rp.domains != nil && !rp.domains[hd] {
		if hd == "" {
			return Identity{}, apperr.New(apperr.Forbidden,
				"only accounts of %s can sign in to Debrief, and %s is not one; sign in with your organization's account",
				rp.domainList(), c.Email)
		}
		return Identity{}, apperr.New(apperr.Forbidden,
			"accounts of %s cannot sign in to Debrief; use an account of %s", hd, rp.domainList())
	}
	return Identity{Email: c.Email, Subject: c.Subject, HostedDomain: hd, Name: c.Name}, nil
}

func (rp *RelyingParty) domainList() string {
	var out []string
	for _, d := range rp.cfg.AllowedDomains {
		out = append(out, strings.ToLower(strings.TrimSpace(d)))
	}
	return strings.Join(out, " or ")
}

// verifySignature checks the JWS compact serialization's RS256 signature
// and decodes the claims.
func verifySignature(ctx context.Context, keys *keySet, raw string) (claims, error) {
	if len(raw) > maxTokenBytes {
		return claims{}, errors.New("the token is too large")
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return claims{}, errors.New("the token is not a signed JWT")
	}
	var header struct {
		Alg  string          `json:"alg"`
		Kid  string          `json:"kid"`
		Crit json.RawMessage `json:"crit"`
	}
	if err := decodeSegment(parts[0], &header); err != nil {
		return claims{}, fmt.Errorf("header: %w", err)
	}
	if header.Alg != "RS256" {
		return claims{}, fmt.Errorf("alg %q is not RS256", header.Alg)
	}
	if header.Crit != nil {
		return claims{}, errors.New("the token has critical header extensions")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return claims{}, errors.New("the signature is not base64url")
	}
	candidates, err := keys.candidates(ctx, header.Kid)
	if err != nil {
		return claims{}, err
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	verified := false
	for _, k := range candidates {
		if rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig) == nil {
			verified = true
			break
		}
	}
	if !verified {
		return claims{}, errors.New("the signature does not verify")
	}
	var c claims
	if err := decodeSegment(parts[1], &c); err != nil {
		return claims{}, fmt.Errorf("claims: %w", err)
	}
	return c, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return errors.New("not base64url")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

// equal compares secrets in constant time.
func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// audience is the aud claim: one string or an array of them.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("aud is neither a string nor an array of strings")
	}
	*a = many
	return nil
}

func (a audience) contains(s string) bool { return contains(a, s) }

// numericDate is a JWT time: seconds since the epoch, possibly fractional.
type numericDate struct{ time.Time }

func (d *numericDate) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("a time claim is not a number")
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e11 {
		return errors.New("a time claim is out of range")
	}
	sec, frac := math.Modf(f)
	d.Time = time.Unix(int64(sec), int64(frac*1e9))
	return nil
}

// flexBool reads true and "true" as true: some providers send
// email_verified as a string.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", `"true"`:
		*f = true
	default:
		*f = false
	}
	return nil
}
