package codec_test

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/internal/identity"
	"github.com/scoreflow/scoreflow/internal/temporal/codec"
)

const (
	mspDirectory = "99999999-9999-9999-9999-999999999999"
	uiApp        = "temporal-ui-app"
	uiOrigin     = "https://temporal.msp.example"
)

var (
	sam   = entrasim.User{TenantID: mspDirectory, ObjectID: "oid-sam", Name: "Sam Specialist", Groups: []string{"staff"}}
	nora  = entrasim.User{TenantID: mspDirectory, ObjectID: "oid-nora", Name: "Nora Notstaff"}
	greta = entrasim.User{TenantID: mspDirectory, ObjectID: "oid-greta", Name: "Greta Guest", Groups: []string{"staff"},
		HomeTenantID: "11111111-1111-1111-1111-111111111111"}
	chris = entrasim.User{TenantID: "11111111-1111-1111-1111-111111111111", ObjectID: "oid-chris", Name: "Chris Customer"}
)

// The codec endpoint decodes for the MSP's signed-in staff, from the Web
// UI's origin only; anyone else gets 401 (no or a bad token) or 403 (a
// good token of someone who is not staff), and no plain text.
func TestTheCodecEndpointDecodesForStaffOnly(t *testing.T) {
	entra := entrasim.New(entrasim.Client{ID: uiApp, Secret: "secret"})
	t.Cleanup(entra.Close)
	key := make([]byte, codec.KeySize)
	_, _ = rand.Read(key)
	keys, err := codec.ParseKeys("k1:" + base64.StdEncoding.EncodeToString(key))
	if err != nil {
		t.Fatal(err)
	}
	payloads := codec.New(keys)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsTrusting(entra)}}
	staff := identity.NewStaffVerifier(entra.Authority(), uiApp, identity.Staff{TenantID: mspDirectory, Group: "staff"}, client)
	handler := &codec.Handler{Codec: payloads, Namespace: "default", Origin: uiOrigin, Authorize: staff.Authorize}
	mux := http.NewServeMux()
	for pattern, h := range handler.Routes() {
		mux.Handle(pattern, h)
	}
	server := httptest.NewServer(mux)
	t.Cleanup(server.Close)

	reason := "the payroll tooling of 2009 cannot do MFA"
	plain, _ := converter.GetDefaultDataConverter().ToPayload(reason)
	encrypted, _ := payloads.Encode([]*commonpb.Payload{plain})
	body, _ := protojson.Marshal(&commonpb.Payloads{Payloads: encrypted})
	token := func(client string, user entrasim.User) string {
		raw, err := entra.IssueIDToken(client, user)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	decode := func(path, origin, idToken string) (int, string) {
		request, _ := http.NewRequest(http.MethodPost, server.URL+path, bytes.NewReader(body))
		request.Header.Set("Content-Type", "application/json")
		if origin != "" {
			request.Header.Set("Origin", origin)
		}
		if idToken != "" {
			request.Header.Set("Authorization", "Bearer graph-access-token")
			request.Header.Set("Authorization-Extras", idToken)
		}
		response, err := http.DefaultClient.Do(request)
		if err != nil {
			t.Fatal(err)
		}
		defer response.Body.Close()
		answer, _ := io.ReadAll(response.Body)
		return response.StatusCode, string(answer)
	}

	status, answer := decode("/codec/default/decode", uiOrigin, token(uiApp, sam))
	if status != http.StatusOK || !strings.Contains(answer, base64.StdEncoding.EncodeToString(plain.Data)) {
		t.Errorf("staff: %d %s", status, answer)
	}
	for name, c := range map[string]struct {
		path, origin, token string
		want                int
	}{
		"no sign-in":             {"/codec/default/decode", uiOrigin, "", http.StatusUnauthorized},
		"a forged token":         {"/codec/default/decode", uiOrigin, token(uiApp, sam)[:40] + "x.y", http.StatusUnauthorized},
		"another app's token":    {"/codec/default/decode", uiOrigin, token("another-app", sam), http.StatusUnauthorized},
		"a customer":             {"/codec/default/decode", uiOrigin, token(uiApp, chris), http.StatusUnauthorized},
		"a guest in staff group": {"/codec/default/decode", uiOrigin, token(uiApp, greta), http.StatusForbidden},
		"a member, not staff":    {"/codec/default/decode", uiOrigin, token(uiApp, nora), http.StatusForbidden},
		"another origin":         {"/codec/default/decode", "https://evil.example", token(uiApp, sam), http.StatusForbidden},
		"another namespace":      {"/codec/other/decode", uiOrigin, token(uiApp, sam), http.StatusNotFound},
	} {
		status, answer := decode(c.path, c.origin, c.token)
		if status != c.want {
			t.Errorf("%s: %d, want %d", name, status, c.want)
		}
		if strings.Contains(answer, base64.StdEncoding.EncodeToString(plain.Data)) {
			t.Errorf("%s was given the plain text", name)
		}
	}

	// Over http the UI sends no token, and the browser sends the UI's own
	// cookies instead, which the UI server splits into user0, user1, ….
	cookie := base64.StdEncoding.EncodeToString([]byte(`{"AccessToken":"graph","IDToken":"` + token(uiApp, sam) + `"}`))
	request, _ := http.NewRequest(http.MethodPost, server.URL+"/codec/default/decode", bytes.NewReader(body))
	request.Header.Set("Origin", uiOrigin)
	request.AddCookie(&http.Cookie{Name: "user0", Value: cookie[:100]})
	request.AddCookie(&http.Cookie{Name: "user1", Value: cookie[100:]})
	if response, err := http.DefaultClient.Do(request); err != nil || response.StatusCode != http.StatusOK {
		t.Errorf("staff with the UI's cookies: %v %v", response.StatusCode, err)
	} else {
		response.Body.Close()
	}

	// The browser's preflight from the UI is answered without a token.
	preflight, _ := http.NewRequest(http.MethodOptions, server.URL+"/codec/default/decode", nil)
	preflight.Header.Set("Origin", uiOrigin)
	preflight.Header.Set("Access-Control-Request-Method", "POST")
	response, err := http.DefaultClient.Do(preflight)
	if err != nil {
		t.Fatal(err)
	}
	response.Body.Close()
	if response.StatusCode != http.StatusNoContent || response.Header.Get("Access-Control-Allow-Origin") != uiOrigin ||
		!strings.Contains(response.Header.Get("Access-Control-Allow-Headers"), "Authorization-Extras") {
		t.Errorf("preflight: %d %v", response.StatusCode, response.Header)
	}
}

func tlsTrusting(entra *entrasim.Server) *tls.Config {
	return &tls.Config{RootCAs: entra.CertPool(), MinVersion: tls.VersionTLS12}
}
