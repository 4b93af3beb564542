package smsadmin

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

// crockford is the Crockford base-32 alphabet: no I, L, O, U, and it sorts
// in the same order as the values it encodes.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewID returns an opaque identifier: prefix, an underscore and 26
// characters that sort by creation time (48 bits of milliseconds) followed by
// 80 random bits. IDs sort by time, which lets lists page by "after this ID".
func NewID(prefix string, now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic("smsadmin: crypto/rand failed: " + err.Error())
	}
	hi := binary.BigEndian.Uint64(b[:8])
	lo := binary.BigEndian.Uint64(b[8:])
	out := make([]byte, 0, len(prefix)+27)
	out = append(out, prefix...)
	out = append(out, '_')
	// 128 bits as 26 base-32 digits: the first digit carries the top 3 bits.
	var digits [26]byte
	for i := 25; i >= 0; i-- {
		digits[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(append(out, digits[:]...))
}
