// Package codec encrypts what workflows carry (their inputs, results,
// Updates, signals and memos: decision reasons, names, advice, ticket
// text) before it leaves the worker, so the Temporal database, wherever it
// runs, holds none of it in plain text. It is a Temporal PayloadCodec:
// AES-256-GCM, the key's id in each payload's metadata, several keys for
// rotation. Search attributes do not pass through it and stay readable for
// filtering. Handler serves the same decoding to the Web UI.
package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// The metadata of an encrypted payload, as Temporal's samples name it: the
// Web UI shows such a payload as binary until a codec decodes it.
const (
	metadataEncoding  = "encoding"
	encodingEncrypted = "binary/encrypted"
	metadataKeyID     = "encryption-key-id"
	metadataCipher    = "encryption-cipher"
	cipherAES256GCM   = "AES256-GCM"
)

// Codec encrypts payloads with the keyring's newest key and decrypts them
// with whichever key their metadata names.
type Codec struct{ keys *Keyring }

var _ converter.PayloadCodec = (*Codec)(nil)

// New is the codec of a keyring.
func New(keys *Keyring) *Codec { return &Codec{keys: keys} }

// DataConverter is Temporal's default converter with this codec after it.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// Encode encrypts each payload whole (its metadata too) into a new one.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	id, aead := c.keys.newest()
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("encrypting a payload: %w", err)
		}
		nonce := make([]byte, aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, fmt.Errorf("encrypting a payload: %w", err)
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				metadataEncoding: []byte(encodingEncrypted),
				metadataKeyID:    []byte(id),
				metadataCipher:   []byte(cipherAES256GCM),
			},
			Data: aead.Seal(nonce, nonce, plain, []byte(id)),
		}
	}
	return out, nil
}

// Decode decrypts the payloads this codec encrypted and passes every other
// one as it is: histories written before encryption was on stay readable.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[metadataEncoding]) != encodingEncrypted {
			out[i] = p
			continue
		}
		id := string(p.Metadata[metadataKeyID])
		if cipherName := string(p.Metadata[metadataCipher]); cipherName != cipherAES256GCM {
			return nil, fmt.Errorf("a payload encrypted with %q, which scoreflow does not know", cipherName)
		}
		aead, known := c.keys.byID(id)
		if !known {
			return nil, fmt.Errorf("a payload encrypted with the key %q, which the keyring lacks: add it back to decrypt", id)
		}
		if len(p.Data) < aead.NonceSize() {
			return nil, fmt.Errorf("a payload encrypted with the key %q is too short", id)
		}
		nonce, sealed := p.Data[:aead.NonceSize()], p.Data[aead.NonceSize():]
		plain, err := aead.Open(nil, nonce, sealed, []byte(id))
		if err != nil {
			return nil, fmt.Errorf("a payload encrypted with the key %q does not decrypt: %w", id, err)
		}
		decoded := &commonpb.Payload{}
		if err := proto.Unmarshal(plain, decoded); err != nil {
			return nil, fmt.Errorf("a payload encrypted with the key %q: %w", id, err)
		}
		out[i] = decoded
	}
	return out, nil
}

func newAEAD(secret []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(secret)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
