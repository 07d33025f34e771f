package calconn

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// boxVersion prefixes every sealed value. A later format (another cipher,
// a rotated key) gets another prefix, so old values stay readable.
const boxVersion = "v1:"

// boxInfo is the HKDF context: the key that seals calendar credentials is
// derived for this use only, so it is not the key anything else derives
// from DEBRIEF_SECRET_KEY.
const boxInfo = "debrief/calconn/v1 aes-256-gcm credentials"

// MinSecretKeyLength matches what internal/config accepts for
// DEBRIEF_SECRET_KEY.
const MinSecretKeyLength = 32

// ErrSecretKey means a sealed value could not be opened: it was changed,
// it belongs to another purpose, or it was sealed under another
// DEBRIEF_SECRET_KEY.
var ErrSecretKey = errors.New("stored credentials cannot be decrypted; was DEBRIEF_SECRET_KEY changed?")

// Box seals secrets at rest with AES-256-GCM under a key derived from
// DEBRIEF_SECRET_KEY with HKDF-SHA256. A sealed value is "v1:" followed by
// base64url(nonce || ciphertext || tag), with a random 96-bit nonce per
// value. Each value is bound to a purpose string (GCM's additional data),
// so a value copied into another field or another connection's record
// does not open there. Safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// NewBox derives the sealing key from secretKey.
func NewBox(secretKey string) (*Box, error) {
	if len(secretKey) < MinSecretKeyLength {
		return nil, fmt.Errorf("calconn: DEBRIEF_SECRET_KEY must be at least %d characters to encrypt stored credentials", MinSecretKeyLength)
	}
	key, err := hkdf.Key(sha256.New, []byte(secretKey), nil, boxInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("calconn: derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("calconn: cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("calconn: gcm: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext for purpose.
func (b *Box) Seal(plaintext []byte, purpose string) (string, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plaintext)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("calconn: nonce: %w", err)
	}
	out := b.aead.Seal(nonce, nonce, plaintext, []byte(purpose))
	return boxVersion + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a value sealed for purpose. Any failure is ErrSecretKey
// (wrapped), never the plaintext or the key.
func (b *Box) Open(sealed, purpose string) ([]byte, error) {
	rest, ok := strings.CutPrefix(sealed, boxVersion)
	if !ok {
		return nil, fmt.Errorf("%w (unknown format)", ErrSecretKey)
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < b.aead.NonceSize()+b.aead.Overhead() {
		return nil, fmt.Errorf("%w (malformed value)", ErrSecretKey)
	}
	n := b.aead.NonceSize()
	pt, err := b.aead.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return nil, ErrSecretKey
	}
	return pt, nil
}
