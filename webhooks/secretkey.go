package webhooks

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// KeySize is the length of a secret key: AES-256.
const KeySize = 32

// sealedPrefix starts a stored secret sealed under a SecretKey; anything else
// in the column is a secret stored in plain text by an earlier release.
const sealedPrefix = "aes-gcm:"

// sealContext is authenticated with each sealed secret, so a value sealed
// under the same key for another purpose does not open as a webhook secret.
var sealContext = []byte("council-components-registry webhook secret")

// SecretKey seals webhook secrets for the database with AES-256-GCM, so a copy
// of the database without the key yields none of them.
type SecretKey struct {
	aead cipher.AEAD
}

// NewSecretKey makes a SecretKey of KeySize bytes.
func NewSecretKey(key []byte) (*SecretKey, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("a secret key is %d bytes, not %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &SecretKey{aead: aead}, nil
}

// Seal is secret as stored: "aes-gcm:" and the base64 of a random nonce and the ciphertext.
func (k *SecretKey) Seal(secret string) (string, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return sealedPrefix + base64.StdEncoding.EncodeToString(k.aead.Seal(nonce, nonce, []byte(secret), sealContext)), nil
}

// errNotSealed and errWrongKey say why a stored secret does not open.
var (
	errNoKey     = errors.New("the stored secret cannot be opened: this server has no secret key")
	errNotSealed = errors.New("the stored secret is not sealed")
	errWrongKey  = errors.New("the stored secret does not open under this key: it was sealed under another")
)

// Open is the secret a value from Seal holds. A nil key opens nothing.
func (k *SecretKey) Open(stored string) (string, error) {
	if k == nil {
		return "", errNoKey
	}
	if !IsSealed(stored) {
		return "", errNotSealed
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(stored, sealedPrefix))
	if err != nil || len(raw) < k.aead.NonceSize() {
		return "", errWrongKey
	}
	plain, err := k.aead.Open(nil, raw[:k.aead.NonceSize()], raw[k.aead.NonceSize():], sealContext)
	if err != nil {
		return "", errWrongKey
	}
	return string(plain), nil
}

// IsSealed reports whether a stored secret was sealed (rather than kept in plain text).
func IsSealed(stored string) bool { return strings.HasPrefix(stored, sealedPrefix) }

// ReadKeyFile reads a key file: exactly KeySize bytes, e.g. from `head -c 32 /dev/urandom`.
func ReadKeyFile(path string) (*SecretKey, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret key file: %w", err)
	}
	k, err := NewSecretKey(raw)
	if err != nil {
		return nil, fmt.Errorf("secret key file %s: %w", path, err)
	}
	return k, nil
}

// ReadOrCreateKeyFile reads the key file at path, first writing a random key
// there (mode 0600) when there is none, and reports whether it did.
func ReadOrCreateKeyFile(path string) (*SecretKey, bool, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		k, err := ReadKeyFile(path)
		return k, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("secret key file: %w", err)
	}
	key := make([]byte, KeySize)
	_, err = rand.Read(key)
	if err == nil {
		_, err = f.Write(key)
	}
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		os.Remove(path) // a part-written key would stop the next start
		return nil, false, fmt.Errorf("secret key file: %w", err)
	}
	k, err := NewSecretKey(key)
	return k, true, err
}
