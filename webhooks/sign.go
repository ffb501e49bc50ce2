package webhooks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// The Standard Webhooks headers (https://www.standardwebhooks.com): the
// message's id (the same on every retry), the Unix time it was signed at, and
// its signature, so a receiver can refuse a replayed delivery by its age.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// secretPrefix starts a signing secret in the spec's form: "whsec_" and the base64 of the key.
const secretPrefix = "whsec_"

// NewSecret is a fresh signing secret: "whsec_" and the base64 of 32 random bytes.
func NewSecret() (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// Sign is the webhook-signature value of a message: "v1," and the base64
// HMAC-SHA256 of "id.timestamp.body" under the key the secret carries.
func Sign(secret, id string, at time.Time, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil {
		return "", fmt.Errorf("the webhook's secret is not whsec_ and base64: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, at.Unix())
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}
