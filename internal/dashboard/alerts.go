package dashboard

import (
	"net/http"
	"time"

	"github.com/scoreflow/scoreflow/internal/config"
)

// acknowledgeAlert records that the MSP's staff saw a tenant's score-drop
// alert of a day (POST /tenants/{tenant}/alerts/{day}/acknowledge): it no
// longer shows. A customer may not: the alert is the MSP's to act on.
func (s *Server) acknowledgeAlert(w http.ResponseWriter, r *http.Request, v Viewer, t config.Tenant) {
	if !v.MSP {
		s.refuse(w, r, v, http.StatusForbidden, "only the MSP's staff acknowledge an alert")
		return
	}
	day, err := time.Parse(time.DateOnly, r.PathValue("day"))
	if err != nil {
		s.refuse(w, r, v, http.StatusBadRequest, "want a day such as 2026-12-07")
		return
	}
	if err := s.data.AcknowledgeAlert(r.Context(), t.ID, day, v.Name, s.now()); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tenants/"+t.ID, http.StatusSeeOther)
}
