package oidc

import "time"

// SetKeyRefresh changes the least time between two fetches of the signing
// keys, so a test can rotate keys without waiting.
func SetKeyRefresh(rp *RelyingParty, d time.Duration) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	rp.keyRefresh = d
	if rp.meta != nil {
		rp.meta.keys.mu.Lock()
		rp.meta.keys.minRefresh = d
		rp.meta.keys.mu.Unlock()
	}
}
