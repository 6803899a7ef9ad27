package operator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// DemoControlURL is the demo's control endpoint (worker --demo).
const DemoControlURL = "http://127.0.0.1:8089"

// runDemo asks the demo's simulators to act as the specialist in Jira or the
// customer in Slack; they send the signed webhook or interaction to the gateway.
//
//	starter demo move CONTROL STATUS
//	starter demo click CONTROL approve|accept_risk|alternative [--reason TEXT]
//	starter demo detect CONTROL
func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := flagsFor("demo")
	reason := fs.String("reason", "", "with click accept_risk: the reason to give")
	positional, err := positionalArgs(fs, args)
	if err != nil || len(positional) < 2 {
		fmt.Fprintln(stderr, "usage: starter demo move CONTROL STATUS | click CONTROL ACTION [--reason TEXT] | detect CONTROL")
		return 2
	}
	verb, action := positional[0], map[string]any{"control": positional[1]}
	switch {
	case verb == "move" && len(positional) == 3:
		action["status"] = positional[2]
	case verb == "click" && len(positional) == 3:
		action["action"], action["reason"] = positional[2], *reason
	case verb == "detect" && len(positional) == 2:
	default:
		fmt.Fprintln(stderr, "usage: starter demo move CONTROL STATUS | click CONTROL ACTION [--reason TEXT] | detect CONTROL")
		return 2
	}
	body, _ := json.Marshal(action)
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Post(DemoControlURL+"/demo/"+verb, "application/json", bytes.NewReader(body))
	if err != nil {
		fmt.Fprintln(stderr, "starter: the demo is not running (go run ./worker --demo):", err)
		return 1
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "starter: %s", answer)
		return 1
	}
	fmt.Fprintf(stdout, "%s", answer)
	return 0
}
