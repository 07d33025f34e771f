package oidc

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// The state of a sign-in in progress — the state parameter, the nonce, the
// PKCE verifier, the redirect URI and where to go afterwards — is kept in a
// cookie in the browser that started it, sealed with AES-256-GCM under a
// key derived from DEBRIEF_SECRET_KEY, rather than in a database table:
//
//   - it binds the flow to that browser: a callback URL carried to another
//     browser (login CSRF, a stolen or injected code) finds no cookie there;
//     a server-side row would still need such a cookie to be safe;
//   - every serve process shares the secret key, so any of them can finish
//     a sign-in another one started, with no shared memory and no write to
//     the database for an anonymous GET (no table to fill or clean up);
//   - GCM both hides the verifier and nonce and makes any change to the
//     cookie fail to open; the payload carries its own expiry.
//
// The code itself is single-use at the provider, and the handler deletes the
// cookie at the callback, so a flow cannot be finished twice.

// flowState is what the sealed cookie carries.
type flowState struct {
	State       string `json:"s"`
	Nonce       string `json:"n"`
	Verifier    string `json:"v"`
	RedirectURI string `json:"r"`
	Next        string `json:"x"`
	Expires     int64  `json:"e"`
}

// sealContext is authenticated with every cookie so that a value sealed
// under the same key for another purpose can never be taken for this one.
var sealContext = []byte("debrief oidc flow v1")

type sealer struct{ aead cipher.AEAD }

func newSealer(secret []byte) sealer {
	// Derive a key for this purpose alone: the secret key also encrypts
	// stored credentials.
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("debrief/oidc/state-cookie"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		panic(fmt.Sprintf("aes: %v", err)) // a 32-byte key cannot fail
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(fmt.Sprintf("gcm: %v", err))
	}
	return sealer{aead: aead}
}

func (s sealer) seal(st flowState) (string, error) {
	plain, err := json.Marshal(st)
	if err != nil {
		return "", fmt.Errorf("encode sign-in state: %w", err)
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("sign-in state nonce: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, sealContext)), nil
}

func (s sealer) open(v string) (flowState, error) {
	if v == "" {
		return flowState{}, errors.New("no sign-in state cookie")
	}
	if len(v) > 4096 {
		return flowState{}, errors.New("the sign-in state cookie is too large")
	}
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(b) < s.aead.NonceSize()+s.aead.Overhead() {
		return flowState{}, errors.New("the sign-in state cookie is malformed")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:n], b[n:], sealContext)
	if err != nil {
		return flowState{}, errors.New("the sign-in state cookie was not sealed by this server")
	}
	var st flowState
	if err := json.Unmarshal(plain, &st); err != nil {
		return flowState{}, fmt.Errorf("decode sign-in state: %w", err)
	}
	return st, nil
}
