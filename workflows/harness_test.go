package workflows

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/integrations/graph"
	"github.com/scoreflow/scoreflow/internal/assessment"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/store"
)

// The fakes below stand in for Jira, Slack and Graph behind the activities'
// interfaces, and record what the workflow asked of them.

type fakeTickets struct {
	mu sync.Mutex
	// down is how many requests to open a ticket fail before Jira answers.
	down     int
	opened   []lifecycle.TicketRequest
	rfcs     []lifecycle.RFCRequest
	notes    []lifecycle.TicketNote
	closures []lifecycle.TicketClosure
}

func (f *fakeTickets) OpenRecommendationTicket(_ context.Context, req lifecycle.TicketRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down > 0 {
		f.down--
		return "", fmt.Errorf("jira: 503 Service Unavailable")
	}
	f.opened = append(f.opened, req)
	return "CON-1", nil
}

func (f *fakeTickets) OpenRFCTicket(_ context.Context, req lifecycle.RFCRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rfcs = append(f.rfcs, req)
	return fmt.Sprintf("CON-%d", 100+req.Attempt), nil
}

func (f *fakeTickets) AddNote(_ context.Context, note lifecycle.TicketNote) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notes = append(f.notes, note)
	return nil
}

func (f *fakeTickets) Close(_ context.Context, closure lifecycle.TicketClosure) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closures = append(f.closures, closure)
	return nil
}

type fakeChat struct {
	mu       sync.Mutex
	requests []lifecycle.DecisionRequest
	replies  []lifecycle.ThreadReply
	outcomes []lifecycle.DecisionOutcome
	env      *testsuite.TestWorkflowEnvironment
	replyAt  []time.Duration // when each reply was posted, from the workflow's start
	start    time.Time
	// downFor fails showing a decision until this long after the start.
	downFor time.Duration
}

func (f *fakeChat) RequestDecision(_ context.Context, req lifecycle.DecisionRequest) (lifecycle.MessageRef, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, req)
	return lifecycle.MessageRef{Channel: "C0CONTOSO", TS: "1763800000.000100"}, nil
}

func (f *fakeChat) ReplyInThread(_ context.Context, reply lifecycle.ThreadReply) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.replies = append(f.replies, reply)
	f.replyAt = append(f.replyAt, f.env.Now().Sub(f.start))
	return nil
}

// fakeMail records what would be mailed, with each mail's key.
type fakeMail struct {
	mu          sync.Mutex
	decisions   []lifecycle.DecisionRequest
	escalations []lifecycle.ThreadReply
	keys        []string
}

func (f *fakeMail) Decision(_ context.Context, req lifecycle.DecisionRequest, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.decisions, f.keys = append(f.decisions, req), append(f.keys, key)
	return nil
}

func (f *fakeMail) Digest(context.Context, lifecycle.DigestRequest, string) error { return nil }

func (f *fakeMail) Escalation(_ context.Context, reply lifecycle.ThreadReply, key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.escalations, f.keys = append(f.escalations, reply), append(f.keys, key)
	return nil
}

func (f *fakeChat) RecordDecision(_ context.Context, outcome lifecycle.DecisionOutcome) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.env.Now().Sub(f.start) < f.downFor {
		return fmt.Errorf("slack: 503 Service Unavailable")
	}
	f.outcomes = append(f.outcomes, outcome)
	return nil
}

func (f *fakeChat) PostDigest(context.Context, lifecycle.DigestRequest) (lifecycle.MessageRef, error) {
	return lifecycle.MessageRef{}, fmt.Errorf("a recommendation workflow does not post digests")
}

type fakeGraph struct {
	mu      sync.Mutex
	latest  map[string]graph.StateUpdate
	patches []lifecycle.ControlStateChange
	// refuse answers a PATCH with this status (400, 403) instead of storing it.
	refuse int
	// drop accepts a PATCH without storing it: a write that does not stick.
	drop bool
}

func (f *fakeGraph) For(string) (activities.GraphAPI, error) { return f, nil }
func (f *fakeGraph) Snapshot(context.Context) (graph.Snapshot, error) {
	return graph.Snapshot{}, fmt.Errorf("a recommendation workflow must not read Graph")
}

func (f *fakeGraph) ScoreHistory(context.Context) ([]graph.Score, error) {
	return nil, fmt.Errorf("a recommendation workflow must not read Graph")
}

func (f *fakeGraph) LatestStateUpdate(_ context.Context, controlID string) (graph.StateUpdate, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.latest[controlID], nil
}

func (f *fakeGraph) SetState(_ context.Context, controlID string, state graph.ControlState, comment string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuse != 0 {
		return &graph.StatusError{Status: f.refuse, Op: "updating control " + controlID, Err: fmt.Errorf("Forbidden")}
	}
	f.patches = append(f.patches, lifecycle.ControlStateChange{ControlID: controlID, State: string(state), Comment: comment})
	if !f.drop {
		f.latest[controlID] = graph.StateUpdate{State: state, Comment: comment}
	}
	return nil
}

// fakeStore stands in for the database behind the history activities: it
// keeps each step once by its key, and counts every write.
type fakeStore struct {
	mu     sync.Mutex
	down   bool // every write fails, as a store that does not answer
	steps  map[string]lifecycle.TransitionRecord
	writes int
}

func (f *fakeStore) RecordTransitions(_ context.Context, steps []lifecycle.TransitionRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return fmt.Errorf("store: connection refused")
	}
	f.writes++
	for _, s := range steps {
		f.steps[fmt.Sprintf("%s/%s/%d", s.WorkflowID, s.ChainID, s.Seq)] = s
	}
	return nil
}

func (f *fakeStore) RecordDays(context.Context, string, []store.TenantDay, []store.ControlDay, []store.StateUpdate) error {
	return fmt.Errorf("a recommendation workflow records no days")
}
func (f *fakeStore) HasScores(context.Context, string) (bool, error) { return false, nil }
func (f *fakeStore) Prune(context.Context, time.Time, int) (int, error) {
	return 0, nil
}

func (f *fakeStore) setDown(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.down = down
}

// recordedSteps are the steps the store holds, in chain order.
func (f *fakeStore) recordedSteps() []lifecycle.TransitionRecord {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []lifecycle.TransitionRecord
	for _, s := range f.steps {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b lifecycle.TransitionRecord) int { return a.Seq - b.Seq })
	return out
}

// harness runs one RecommendationWorkflow with time skipping.
type harness struct {
	t       *testing.T
	env     *testsuite.TestWorkflowEnvironment
	tickets *fakeTickets
	chat    *fakeChat
	mail    *fakeMail
	graph   *fakeGraph
	store   *fakeStore
	start   time.Time
	// controlID is the control of the workflow run, whose Graph state observations show.
	controlID string
}

var specialist = lifecycle.Person{ID: "557058:jane", Name: "Jane Specialist"}
var customer = lifecycle.Person{ID: "U0CUSTOMER1", Name: "Chris Customer"}

func newHarness(t *testing.T) *harness {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	h := &harness{t: t, env: env, tickets: &fakeTickets{}, chat: &fakeChat{env: env, start: env.Now()}, mail: &fakeMail{},
		graph: &fakeGraph{latest: map[string]graph.StateUpdate{}}, store: &fakeStore{steps: map[string]lifecycle.TransitionRecord{}},
		start: env.Now(), controlID: adminMFA.ControlID}
	env.RegisterWorkflowWithOptions(RecommendationWorkflow, workflow.RegisterOptions{Name: lifecycle.RecommendationWorkflowType})
	env.RegisterActivity(&activities.Tickets{System: h.tickets})
	env.RegisterActivity(&activities.Chat{System: h.chat})
	env.RegisterActivity(&activities.Mail{Mailer: h.mail})
	env.RegisterActivity(&activities.SecureScore{Clients: h.graph})
	env.RegisterActivity(&activities.History{Store: h.store})
	return h
}

// adminMFA is AdminMFAV2's input as the sweep starts it: with the rules'
// pre-assessment and the observation that found it.
var adminMFA = swept(lifecycle.RecommendationInput{
	TenantID: "contoso", TenantName: "Contoso", ControlID: "AdminMFAV2", ControlTitle: "Require MFA for administrative roles",
	Facts: lifecycle.ControlFacts{Category: "Identity", Service: "AzureAD", Tier: "Core", UserImpact: "Low",
		ImplementationCost: "Low", MaxScore: 10, Threats: []string{"Account Breach"}, EnabledServices: []string{"HasAADP2"}},
})

func swept(input lifecycle.RecommendationInput) lifecycle.RecommendationInput {
	rules, err := assessment.Default()
	if err != nil {
		panic(err)
	}
	input.PreAssessment, input.Observation = rules.Assess(input.ControlID, input.Facts), observation("onboarding", 0, "Default")
	input.RecordsHistory = true
	return input
}

// at runs fn when the workflow's clock reaches start+d.
func (h *harness) at(d time.Duration, fn func()) { h.env.RegisterDelayedCallback(fn, d) }

// verdict sends a specialist's verdict and expects it accepted (or rejected when wantErr).
func (h *harness) verdict(d time.Duration, eventID string, verdict lifecycle.Verdict, ticket string, wantErr bool) {
	h.at(d, func() {
		v := lifecycle.SpecialistVerdict{EventID: eventID, Verdict: verdict, TicketKey: ticket, By: specialist, Source: lifecycle.SourceJiraWebhook}
		h.env.UpdateWorkflow(lifecycle.UpdateSpecialistVerdict, eventID, &updateCheck{t: h.t, what: string(verdict), wantErr: wantErr}, v)
	})
}

func (h *harness) decide(d time.Duration, eventID string, decision lifecycle.Decision, reason string, wantErr bool) {
	h.at(d, func() {
		c := lifecycle.CustomerDecision{EventID: eventID, Decision: decision, Reason: reason, By: customer, Source: lifecycle.SourceSlack}
		h.env.UpdateWorkflow(lifecycle.UpdateCustomerDecision, eventID, &updateCheck{t: h.t, what: string(decision), wantErr: wantErr}, c)
	})
}

// observe delivers a sweep's observation at start+d. Like Graph, it shows
// the comment of the latest state update when its state is the one the fake
// Graph holds.
func (h *harness) observe(d time.Duration, o lifecycle.ControlObservation) {
	h.at(d, func() {
		h.graph.mu.Lock()
		if latest, ok := h.graph.latest[h.controlID]; ok && latest.State.Is(graph.ControlState(o.State)) && o.StateComment == "" {
			o.StateComment = latest.Comment
		}
		h.graph.mu.Unlock()
		h.env.SignalWorkflow(lifecycle.SignalObservation, o)
	})
}

// stageAt records the stage at start+d into *into.
func (h *harness) stageAt(d time.Duration, into *lifecycle.Stage) {
	h.at(d, func() { *into = h.state().Stage })
}

// observationAt records the last observation the state shows at start+d into *into.
func (h *harness) observationAt(d time.Duration, into **lifecycle.ControlObservation) {
	h.at(d, func() { *into = h.state().LastObservation })
}

// localActivities records the type of each local activity the workflow starts, in order.
func (h *harness) localActivities() *[]string {
	var names []string
	h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []any) {
		names = append(names, info.ActivityType.Name)
	})
	return &names
}

func (h *harness) state() lifecycle.RecommendationState {
	value, err := h.env.QueryWorkflow(lifecycle.QueryState)
	if err != nil {
		h.t.Fatal(err)
	}
	var s lifecycle.RecommendationState
	if err := value.Get(&s); err != nil {
		h.t.Fatal(err)
	}
	return s
}

// run executes the workflow and returns its final state.
func (h *harness) run(input lifecycle.RecommendationInput) lifecycle.RecommendationState {
	h.controlID = input.ControlID
	h.env.ExecuteWorkflow(lifecycle.RecommendationWorkflowType, input)
	if !h.env.IsWorkflowCompleted() {
		h.t.Fatal("the workflow did not complete")
	}
	var final lifecycle.RecommendationState
	if err := h.env.GetWorkflowResult(&final); err != nil {
		h.t.Fatal(err)
	}
	return final
}

type updateCheck struct {
	t       *testing.T
	what    string
	wantErr bool
}

func (u *updateCheck) Accept() {
	if u.wantErr {
		u.t.Errorf("%s was accepted, want it rejected", u.what)
	}
}
func (u *updateCheck) Reject(err error) {
	if !u.wantErr {
		u.t.Errorf("%s was rejected: %v", u.what, err)
	}
}
func (u *updateCheck) Complete(_ any, err error) {
	if err != nil && !u.wantErr {
		u.t.Errorf("%s failed: %v", u.what, err)
	}
}

func observation(sweep string, score float64, state string) lifecycle.ControlObservation {
	return lifecycle.ControlObservation{SweepID: sweep, Present: true, Score: score, MaxScore: 10, State: state, Open: score < 10 && state == "Default"}
}
