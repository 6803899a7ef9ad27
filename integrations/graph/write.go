package graph

import (
	"context"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// vendorInformation is required in every PATCH of a control profile; Graph
// identifies Secure Score's own controls with these values (Graph docs,
// "Update secureScoreControlProfile").
func vendorInformation() models.SecurityVendorInformationable {
	v := models.NewSecurityVendorInformation()
	provider, vendor := "SecureScore", "Microsoft"
	v.SetProvider(&provider)
	v.SetVendorEscaped(&vendor) // the SDK generator escapes the property name "vendor"
	return v
}

// SetState records a decision on a control: its state and a comment saying
// who decided what and where (the Jira ticket, the Slack approver).
// Writing the same state and comment twice leaves Graph as once.
func (c *Client) SetState(ctx context.Context, controlID string, state ControlState, comment string) error {
	body := models.NewSecureScoreControlProfile()
	body.SetVendorInformation(vendorInformation())
	// state and comment are not typed properties of the SDK's model: they are
	// what Graph's update operation takes, so they travel as additional data.
	body.SetAdditionalData(map[string]any{"state": string(state), "comment": comment})
	_, err := c.service.Security().SecureScoreControlProfiles().BySecureScoreControlProfileId(controlID).Patch(ctx, body, nil)
	return classify("updating control "+controlID, err)
}
