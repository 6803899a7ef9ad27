package codec

import (
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Keyring holds the payload keys: the newest encrypts, every one decrypts,
// so a rotation adds a key and keeps the old ones until no history needs
// them.
type Keyring struct {
	ids   []string // in the order given: the last is the newest
	aeads map[string]cipher.AEAD
}

// keyID is how a key is named in a payload's metadata.
var keyID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// KeySize is the length of an AES-256 key.
const KeySize = 32

// ParseKeys reads keys written one per line or separated by commas, each
// "<id>:<base64 of 32 random bytes>", oldest first: the last encrypts.
// Blank lines and lines starting with # are skipped. Errors never show a
// key.
func ParseKeys(text string) (*Keyring, error) {
	k := &Keyring{aeads: map[string]cipher.AEAD{}}
	for _, entry := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ',' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" || strings.HasPrefix(entry, "#") {
			continue
		}
		id, encoded, found := strings.Cut(entry, ":")
		if !found || !keyID.MatchString(id) {
			return nil, errors.New(`a payload key is not "<id>:<base64 key>" with an id of letters, digits, '.', '_' or '-'`)
		}
		if _, twice := k.aeads[id]; twice {
			return nil, fmt.Errorf("the payload key id %q is given twice", id)
		}
		secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
		if err != nil || len(secret) != KeySize {
			return nil, fmt.Errorf("the payload key %q is not %d bytes in base64 (openssl rand -base64 32)", id, KeySize)
		}
		aead, err := newAEAD(secret)
		if err != nil {
			return nil, fmt.Errorf("the payload key %q: %w", id, err)
		}
		k.ids, k.aeads[id] = append(k.ids, id), aead
	}
	if len(k.ids) == 0 {
		return nil, errors.New("no payload key is given")
	}
	return k, nil
}

// Newest is the id of the key that encrypts.
func (k *Keyring) Newest() string { return k.ids[len(k.ids)-1] }

func (k *Keyring) newest() (string, cipher.AEAD) {
	id := k.Newest()
	return id, k.aeads[id]
}

func (k *Keyring) byID(id string) (cipher.AEAD, bool) {
	aead, ok := k.aeads[id]
	return aead, ok
}
