// Package webui signs in to the Temporal Web UI as a browser does, for
// tests of its sign-in: through the UI server's own OpenID Connect flow, on
// a simulated Entra ID's login page.
package webui

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strings"
	"time"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
)

// SignIn picks the user-th account on the simulator's login page for the
// UI at ui (its transport trusting the simulator) and returns the ID token
// the UI server keeps for the browser in its user cookies, as the UI's pages
// send it with each API call.
func SignIn(transport http.RoundTripper, ui string, user int) (string, error) {
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Transport: transport, Timeout: 10 * time.Second}
	callback, err := entrasim.PickAccount(browser, ui+"/auth/sso", user)
	if err != nil {
		return "", err
	}
	noFollow := *browser
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	answer, err := noFollow.Get(callback)
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(answer.Body)
	answer.Body.Close()
	if answer.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("the UI's callback answered %d: %s", answer.StatusCode, body)
	}
	base, _ := url.Parse(ui)
	var parts []*http.Cookie
	for _, c := range jar.Cookies(base) {
		if strings.HasPrefix(c.Name, "user") {
			parts = append(parts, c)
		}
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i].Name < parts[j].Name })
	var joined strings.Builder
	for _, c := range parts {
		joined.WriteString(c.Value)
	}
	raw, err := base64.StdEncoding.DecodeString(joined.String())
	if err != nil {
		return "", fmt.Errorf("the UI's user cookie: %w", err)
	}
	var signedIn struct{ IDToken string }
	if err := json.Unmarshal(raw, &signedIn); err != nil || signedIn.IDToken == "" {
		return "", fmt.Errorf("the UI's user cookie holds no ID token (%v)", err)
	}
	return signedIn.IDToken, nil
}

// Call asks the UI's API as its pages do, the ID token in
// Authorization-Extras beside the bearer token, and returns the status.
func Call(api, idToken string) (int, error) {
	request, err := http.NewRequest(http.MethodGet, api, nil)
	if err != nil {
		return 0, err
	}
	if idToken != "" {
		request.Header.Set("Authorization", "Bearer "+idToken)
		request.Header.Set("Authorization-Extras", idToken)
	}
	response, err := http.DefaultClient.Do(request)
	if err != nil {
		return 0, err
	}
	response.Body.Close()
	return response.StatusCode, nil
}
