// Package webhook signs webhook deliveries the Standard Webhooks way
// (standardwebhooks.com), verifies them as a receiver would, and guards
// where a webhook may point: https only, and never an address inside the
// network smsadmin runs in, checked when the webhook is registered and
// again at every connection.
//
// A delivery carries three headers: webhook-id, webhook-timestamp (unix
// seconds) and webhook-signature, a space-separated list of "v1,<base64
// HMAC-SHA256>" entries, one per secret, so that a receiver keeps
// verifying while a secret is rotated.
package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of a delivery.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// Tolerance is how far a delivery's timestamp may be from the receiver's
// clock, either way, before Verify refuses it as a possible replay.
const Tolerance = 5 * time.Minute

// secretPrefix marks a secret as a Standard Webhooks one, so that a person
// pasting it somewhere can tell it from other keys.
const secretPrefix = "whsec_"

// minKey is the spec's lower bound on a secret's length, in bytes.
const minKey = 24

// Errors that Verify wraps.
var (
	// ErrMissingHeader means the delivery lacks one of the three headers.
	ErrMissingHeader = errors.New("webhook: missing header")
	// ErrTimestamp means the delivery's timestamp is unreadable or
	// further than Tolerance from now.
	ErrTimestamp = errors.New("webhook: timestamp out of tolerance")
	// ErrSignature means no v1 signature matches the secret.
	ErrSignature = errors.New("webhook: no matching signature")
)

// NewSecret returns a new secret: "whsec_" and the standard base64 of 32
// random bytes.
func NewSecret() (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("webhook: new secret: %w", err)
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// ParseSecret returns the key a secret encodes. It accepts only the form
// NewSecret returns: "whsec_" followed by the standard base64 of at least
// 24 bytes.
func ParseSecret(s string) ([]byte, error) {
	b64, ok := strings.CutPrefix(s, secretPrefix)
	if !ok {
		return nil, errors.New("webhook: secret must start with \"whsec_\"")
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("webhook: secret is not valid base64 after \"whsec_\": %w", err)
	}
	if len(key) < minKey {
		return nil, fmt.Errorf("webhook: secret is %d bytes, want at least %d", len(key), minKey)
	}
	return key, nil
}

// Sign returns the signature of a delivery under one secret:
// "v1," and the base64 of HMAC-SHA256(key, id + "." + unix seconds + "." +
// body).
func Sign(secret, id string, timestamp time.Time, body []byte) (string, error) {
	key, err := ParseSecret(secret)
	if err != nil {
		return "", err
	}
	ts := strconv.FormatInt(timestamp.Unix(), 10)
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, ts, body)), nil
}

// Headers returns the headers of a delivery signed with each of secrets,
// in order. During a rotation the deliverer passes both the old and the new
// secret, so that a receiver holding either one accepts the delivery.
func Headers(secrets []string, id string, timestamp time.Time, body []byte) (http.Header, error) {
	if len(secrets) == 0 {
		return nil, errors.New("webhook: headers: no secret")
	}
	if err := checkID(id); err != nil {
		return nil, err
	}
	sigs := make([]string, len(secrets))
	for i, s := range secrets {
		sig, err := Sign(s, id, timestamp, body)
		if err != nil {
			return nil, fmt.Errorf("webhook: headers: secret %d: %w", i, err)
		}
		sigs[i] = sig
	}
	h := make(http.Header, 3)
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(timestamp.Unix(), 10))
	h.Set(HeaderSignature, strings.Join(sigs, " "))
	return h, nil
}

// checkID refuses an id that would not survive as a header value or that
// a receiver could not use as a deduplication key.
func checkID(id string) error {
	if id == "" {
		return errors.New("webhook: empty id")
	}
	for _, c := range []byte(id) {
		if c <= ' ' || c >= 0x7f {
			return fmt.Errorf("webhook: id %q has a character other than visible ASCII", id)
		}
	}
	return nil
}

// Verify checks a delivery as a receiver holding secret does: the three
// headers are present, the timestamp is within Tolerance of now, and at
// least one v1 signature matches. Signatures of other versions are
// ignored. The errors wrap ErrMissingHeader, ErrTimestamp or ErrSignature;
// any other error means the secret itself is malformed.
func Verify(secret string, h http.Header, body []byte, now time.Time) error {
	key, err := ParseSecret(secret)
	if err != nil {
		return err
	}
	for _, name := range []string{HeaderID, HeaderTimestamp, HeaderSignature} {
		if h.Get(name) == "" {
			return fmt.Errorf("%w %s", ErrMissingHeader, name)
		}
	}
	id, ts := h.Get(HeaderID), h.Get(HeaderTimestamp)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s %q is not unix seconds", ErrTimestamp, HeaderTimestamp, ts)
	}
	// Comparing seconds, not time.Time, keeps a hostile timestamp from
	// overflowing.
	tol, n := int64(Tolerance/time.Second), now.Unix()
	if sec < n-tol || sec > n+tol {
		return fmt.Errorf("%w: %s is %s, now is %d", ErrTimestamp, HeaderTimestamp, ts, n)
	}
	want := mac(key, id, ts, body)
	for _, v := range h.Values(HeaderSignature) {
		for _, sig := range strings.Fields(v) {
			b64, ok := strings.CutPrefix(sig, "v1,")
			if !ok {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(b64)
			if err == nil && hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return ErrSignature
}

// mac takes the timestamp as text so that Verify signs exactly what the
// sender put in the header.
func mac(key []byte, id, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	return m.Sum(nil)
}
