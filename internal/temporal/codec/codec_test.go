package codec

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

func newKey(t testing.TB, id string) string {
	t.Helper()
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	return id + ":" + base64.StdEncoding.EncodeToString(key)
}

func mustKeys(t testing.TB, text string) *Keyring {
	t.Helper()
	keys, err := ParseKeys(text)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func payloadOf(t *testing.T, v any) *commonpb.Payload {
	t.Helper()
	p, err := converter.GetDefaultDataConverter().ToPayload(v)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEncryptedPayloadsHideTheirTextAndComeBackWhole(t *testing.T) {
	c := New(mustKeys(t, newKey(t, "k1")))
	reason := "the payroll tooling of 2009 cannot do MFA"
	encoded, err := c.Encode([]*commonpb.Payload{payloadOf(t, reason)})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(encoded[0].Data, []byte(reason)) || string(encoded[0].Metadata["encryption-key-id"]) != "k1" {
		t.Fatalf("encoded %+v", encoded[0])
	}
	decoded, err := c.Decode(encoded)
	if err != nil {
		t.Fatal(err)
	}
	var back string
	if err := converter.GetDefaultDataConverter().FromPayload(decoded[0], &back); err != nil || back != reason {
		t.Errorf("decoded %q, %v", back, err)
	}
	// A payload written before encryption was on passes as it is.
	plain := payloadOf(t, "written in plain text")
	if out, err := c.Decode([]*commonpb.Payload{plain}); err != nil || out[0] != plain {
		t.Errorf("a plain payload: %v", err)
	}
}

// A rotation adds a key: the newest encrypts, every key decrypts, and a
// payload whose key was removed says which key to add back.
func TestAKeyRotationKeepsOldHistoriesReadable(t *testing.T) {
	first, second := newKey(t, "2026-01"), newKey(t, "2026-07")
	old, err := New(mustKeys(t, first)).Encode([]*commonpb.Payload{payloadOf(t, "decided in January")})
	if err != nil {
		t.Fatal(err)
	}
	rotated := New(mustKeys(t, first+"\n"+second))
	if _, err := rotated.Decode(old); err != nil {
		t.Errorf("after the rotation an old payload does not decode: %v", err)
	}
	fresh, _ := rotated.Encode([]*commonpb.Payload{payloadOf(t, "decided in July")})
	if id := string(fresh[0].Metadata["encryption-key-id"]); id != "2026-07" {
		t.Errorf("the rotated keyring encrypts with %q, want the newest", id)
	}
	_, err = New(mustKeys(t, second)).Decode(old)
	if err == nil || !strings.Contains(err.Error(), "2026-01") {
		t.Errorf("without the old key: %v", err)
	}
}

func TestTamperedPayloadsAndBadKeysAreRefused(t *testing.T) {
	c := New(mustKeys(t, newKey(t, "k1")))
	encoded, _ := c.Encode([]*commonpb.Payload{payloadOf(t, "advice")})
	encoded[0].Data[len(encoded[0].Data)-1] ^= 1
	if _, err := c.Decode(encoded); err == nil {
		t.Error("a changed payload decoded")
	}
	for _, bad := range []string{"", "no-colon", "k1:not-base64!", "k1:" + base64.StdEncoding.EncodeToString([]byte("short")),
		newKey(t, "k1") + "," + newKey(t, "k1"), newKey(t, "bad id")} {
		if _, err := ParseKeys(bad); err == nil {
			t.Errorf("the keys %q were taken", bad)
		} else if strings.Contains(err.Error(), strings.TrimPrefix(bad, "k1:")) && len(bad) > 20 {
			t.Errorf("an error shows the key: %v", err)
		}
	}
}
