package workflows

import (
	"testing"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/scoreflow/scoreflow/activities"
	"github.com/scoreflow/scoreflow/internal/lifecycle"
)

// On the digest's day the customer gets the meeting report's link even with
// no decision waiting: the digest goes to the chat, which posts the link
// alone (or nothing, without a dashboard).
func TestTheDigestGoesOutWithNoDecisionWaiting(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	digest, chat, mail := &activities.Digest{}, &activities.Chat{}, &activities.Mail{}
	env.RegisterActivity(digest)
	env.RegisterActivity(chat)
	env.RegisterActivity(mail)
	env.OnActivity(digest.OpenDecisions, mock.Anything, "contoso").Return([]lifecycle.DigestItem(nil), nil).Once()
	var posted []lifecycle.DigestRequest
	env.OnActivity(chat.PostDigest, mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		posted = append(posted, args.Get(1).(lifecycle.DigestRequest))
	}).Return(lifecycle.MessageRef{}, nil).Once()
	var mailed []lifecycle.DigestRequest
	env.OnActivity(mail.MailDigest, mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		mailed = append(mailed, args.Get(1).(lifecycle.DigestRequest))
	}).Return(nil).Once()

	env.ExecuteWorkflow(TenantDigest, "contoso")
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if len(posted) != 1 || posted[0].TenantID != "contoso" || len(posted[0].Items) != 0 {
		t.Errorf("the digest posted %+v, want one with no item", posted)
	}
	if len(mailed) != 1 || mailed[0].TenantID != "contoso" {
		t.Errorf("the digest mailed %+v, want the same one", mailed)
	}
}
