package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/scoreflow/scoreflow/internal/lifecycle"
	"github.com/scoreflow/scoreflow/internal/logging"
)

// A bulk verdict from the control's page: the MSP's staff choose a verdict
// and tenants, see which recommendations take it and which are skipped and
// why, then start the BulkVerdict workflow, whose outcomes the control's
// page shows (?bulk=<id>).

// Bulk previews, starts and follows bulk verdicts (internal/delivery's Client).
type Bulk interface {
	PreviewBulkVerdict(ctx context.Context, controlID string, verdict lifecycle.Verdict, tenantIDs []string) ([]lifecycle.BulkOutcome, error)
	StartBulkVerdict(ctx context.Context, taskQueue string, in lifecycle.BulkVerdictInput) error
	BulkOutcomes(ctx context.Context, bulkID string) ([]lifecycle.BulkOutcome, error)
}

// bulkForm reads a bulk verdict's form: the verdict and the tenants, each
// of them configured; ok is false when the request was answered.
func (s *Server) bulkForm(w http.ResponseWriter, r *http.Request, v Viewer) (verdict lifecycle.Verdict, tenants []string, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		s.refuse(w, r, v, http.StatusBadRequest, "the form could not be read")
		return "", nil, false
	}
	verdict = lifecycle.Verdict(r.PostForm.Get("verdict"))
	tenants = r.PostForm["tenant"]
	for _, id := range tenants {
		if _, known := s.cfg.Tenant(id); !known {
			s.refuse(w, r, v, http.StatusBadRequest, fmt.Sprintf("no tenant %q", id))
			return "", nil, false
		}
	}
	switch {
	case !verdict.Valid():
		s.refuse(w, r, v, http.StatusBadRequest, fmt.Sprintf("choose a verdict: one of %v", lifecycle.Verdicts()))
	case len(tenants) == 0:
		s.refuse(w, r, v, http.StatusBadRequest, "choose at least one tenant")
	case s.bulk == nil:
		s.refuse(w, r, v, http.StatusServiceUnavailable, "bulk verdicts cannot be given on this dashboard")
	default:
		return verdict, tenants, true
	}
	return "", nil, false
}

// previewBulk shows which of the chosen tenants' recommendations take the
// verdict now, and a form to deliver it to them.
func (s *Server) previewBulk(w http.ResponseWriter, r *http.Request, v Viewer) {
	verdict, tenants, ok := s.bulkForm(w, r, v)
	if !ok {
		return
	}
	controlID := r.PathValue("control")
	preview, err := s.bulk.PreviewBulkVerdict(r.Context(), controlID, verdict, tenants)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var takers []string
	for _, o := range preview {
		if o.Outcome == lifecycle.BulkToDeliver {
			takers = append(takers, o.TenantID)
		}
	}
	s.render(w, r, http.StatusOK, "bulk_preview", pageData{Title: "Bulk verdict: " + string(verdict), Viewer: &v, Content: struct {
		ControlID string
		Verdict   lifecycle.Verdict
		Outcomes  []lifecycle.BulkOutcome
		Takers    []string
		Advice    string
	}{controlID, verdict, preview, takers, r.PostForm.Get("advice")}})
}

// startBulk starts the bulk verdict for the tenants the preview showed,
// named by who started it, and goes to the control's page, which follows it.
func (s *Server) startBulk(w http.ResponseWriter, r *http.Request, v Viewer) {
	verdict, tenants, ok := s.bulkForm(w, r, v)
	if !ok {
		return
	}
	token := r.PostForm.Get(fieldToken)
	if !formToken.MatchString(token) {
		s.refuse(w, r, v, http.StatusBadRequest, "this form did not come from scoreflow's page")
		return
	}
	controlID := r.PathValue("control")
	// The form's token names the bulk verdict: sent twice, it starts once.
	in := lifecycle.BulkVerdictInput{BulkID: token, ControlID: controlID, Verdict: verdict, TenantIDs: slices.Compact(slices.Sorted(slices.Values(tenants))),
		By: lifecycle.Person{ID: v.ObjectID, Name: v.Name}, Advice: r.PostForm.Get("advice")}
	if err := s.bulk.StartBulkVerdict(r.Context(), s.cfg.Temporal.TaskQueue, in); err != nil {
		logging.Write(s.logger.Warn().Err(err).Str("control", controlID), "log.dashboard.request_failed")
		s.refuse(w, r, v, http.StatusServiceUnavailable, "the bulk verdict could not be started; please try again")
		return
	}
	http.Redirect(w, r, "/controls/"+controlID+"?bulk="+token, http.StatusSeeOther)
}

// refuse answers a request the dashboard did not carry out, saying why.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, v Viewer, status int, message string) {
	s.render(w, r, status, "unavailable", pageData{Title: "Not done", Viewer: &v, Message: message})
}
