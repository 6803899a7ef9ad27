package sim

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// PickAccount walks a browser's way into a sign-in with the simulator,
// wherever it runs: it starts at signInURL (the dashboard's /signin), which
// must send it to a login page of the simulator, picks the user-th account
// there, and returns the URL the simulator sends the browser back to, with
// the code, not yet visited: a test may visit it, replay it or alter it.
// The client's cookies carry the sign-in's state; it must trust the
// simulator's certificate.
func PickAccount(client *http.Client, signInURL string, user int) (callback string, err error) {
	noFollow := *client
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	start, err := visit(&noFollow, signInURL, http.StatusFound, http.StatusSeeOther)
	if err != nil {
		return "", err
	}
	login := start.Header.Get("Location")
	page, err := visit(&noFollow, login, http.StatusOK)
	if err != nil {
		return "", err
	}
	body, err := io.ReadAll(page.Body)
	if err != nil || !strings.Contains(string(body), "Pick an account") {
		return "", fmt.Errorf("%s is not the simulator's login page (%v)", login, err)
	}
	form := page.Request.URL.Query()
	form.Set("user", fmt.Sprint(user))
	answer, err := noFollow.PostForm(login, form)
	if err != nil {
		return "", err
	}
	_ = answer.Body.Close()
	if answer.StatusCode != http.StatusFound {
		return "", fmt.Errorf("the login page answered the pick with %s", answer.Status)
	}
	return answer.Header.Get("Location"), nil
}

// visit GETs a URL and wants one of the statuses; the body is read to its end.
func visit(client *http.Client, url string, statuses ...int) (*http.Response, error) {
	response, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		return nil, err
	}
	for _, status := range statuses {
		if response.StatusCode == status {
			response.Body = io.NopCloser(strings.NewReader(string(body)))
			return response, nil
		}
	}
	return nil, fmt.Errorf("GET %s: %s, want %v", url, response.Status, statuses)
}
