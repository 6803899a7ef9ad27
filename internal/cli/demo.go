//go:build !nodemo

package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/scoreflow/scoreflow/internal/demo"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

const demoUsage = "usage: starter demo [--tenant ID] move CONTROL STATUS | click CONTROL DECISION [--reason TEXT] | detect CONTROL | mail | env"

// runDemo asks the running demo to act as the specialist in Jira, the
// customer in Slack, or Microsoft detecting a change; the simulators then
// send the signed webhook or interaction to the gateway.
//
//	starter demo move CONTROL STATUS
//	starter demo click CONTROL approve|accept_risk|alternative [--reason TEXT]
//	starter demo detect CONTROL
//	starter demo mail   (the mails the MSP's mailbox sent, as customers received them)
//	starter demo env    (the simulators' credentials, as export lines)
//
// --tenant names the demo tenant (contoso, the default, or vandijk).
func runDemo(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && args[0] == "env" {
		secrets := demo.Secrets()
		for _, name := range slices.Sorted(maps.Keys(secrets)) {
			fmt.Fprintf(stdout, "export %s='%s'\n", name, secrets[name])
		}
		return 0
	}
	if len(args) == 1 && args[0] == "mail" {
		mails, err := demo.Mails()
		if err != nil {
			fmt.Fprintln(stderr, "starter:", err)
			return 1
		}
		fmt.Fprint(stdout, mails)
		return 0
	}
	fs := flagsFor("demo")
	reason := fs.String("reason", "", "with click accept_risk: the reason to give")
	tenant := fs.String("tenant", "contoso", "the demo tenant: contoso, or vandijk (Dutch)")
	positional, err := positionalArgs(fs, args)
	if err != nil || len(positional) < 2 {
		fmt.Fprintln(stderr, demoUsage)
		return 2
	}
	verb, action := positional[0], demo.Action{Tenant: *tenant, Control: positional[1]}
	switch {
	case verb == "move" && len(positional) == 3:
		action.Status = positional[2]
	case verb == "click" && len(positional) == 3 && lifecycle.Decision(positional[2]).Valid():
		action.Decision, action.Reason = lifecycle.Decision(positional[2]), *reason
	case verb == "detect" && len(positional) == 2:
	default:
		fmt.Fprintf(stderr, "%s\n(decisions: %v)\n", demoUsage, lifecycle.Decisions())
		return 2
	}
	said, err := demo.Send(verb, action)
	if err != nil {
		fmt.Fprintln(stderr, "starter:", err)
		return 1
	}
	fmt.Fprint(stdout, said)
	return 0
}
