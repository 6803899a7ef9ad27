// Package webui signs in to the Temporal Web UI as a browser does, for
// tests of its sign-in: through the UI server's own OpenID Connect flow, on
// a simulated Entra ID's login page.
package webui

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"time"

	entrasim "github.com/scoreflow/scoreflow/integrations/entra/sim"
	"github.com/scoreflow/scoreflow/internal/identity"
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
	// The browser's next request to the UI carries the cookies the UI set.
	next, err := http.NewRequest(http.MethodGet, ui, nil)
	if err != nil {
		return "", err
	}
	for _, c := range jar.Cookies(next.URL) {
		next.AddCookie(c)
	}
	token := identity.WebUIToken(next)
	if token == "" {
		return "", fmt.Errorf("the UI's user cookies hold no ID token")
	}
	return token, nil
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
