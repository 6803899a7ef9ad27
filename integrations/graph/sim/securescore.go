package sim

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// secureScores serves Graph's daily entries, newest first: today's from the
// tenant's scores, the 89 days before from its story. $top takes the newest
// entries only; otherwise the list comes in pages of ScorePageSize, with an
// absolute @odata.nextLink as Graph gives it.
func (s *Server) secureScores(w http.ResponseWriter, r *http.Request, t *Tenant) {
	query := r.URL.Query()
	start, _ := strconv.Atoi(query.Get("$skiptoken"))
	end := HistoryDays
	if top, err := strconv.Atoi(query.Get("$top")); err == nil && top > 0 {
		end = min(top, HistoryDays)
	} else {
		end = min(start+s.ScorePageSize, HistoryDays)
	}
	if start < 0 || start > end {
		graphError(w, http.StatusBadRequest, "BadRequest", "Invalid $skiptoken.")
		return
	}
	var entries []map[string]any
	for daysAgo := start; daysAgo < end; daysAgo++ {
		entries = append(entries, s.scoreEntry(t, daysAgo))
	}
	body := map[string]any{"@odata.context": s.GraphURL() + "/$metadata#security/secureScores", "value": entries}
	if query.Get("$top") == "" && end < HistoryDays {
		body["@odata.nextLink"] = s.GraphURL() + "/security/secureScores?$skiptoken=" + strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, body)
}

// The averages every simulated tenant is compared with: over all tenants,
// and over tenants of its seat count (1 to 100).
const (
	AllTenantsAverage = 52.86
	TotalSeatsAverage = 48.1
)

// scoreEntry is the secureScores entry of the day daysAgo days ago.
func (s *Server) scoreEntry(t *Tenant, daysAgo int) map[string]any {
	scores := t.ScoresOn(daysAgo)
	if daysAgo == 0 {
		scores = t.Scores
	}
	current, maximum := t.Totals(scores)
	var controlScores []map[string]any
	for _, p := range t.Profiles {
		controlScores = append(controlScores, map[string]any{
			"controlCategory": p.ControlCategory, "controlName": p.ID, "description": p.Title, "score": scores[p.ID],
		})
	}
	day := s.now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -daysAgo)
	return map[string]any{
		"id":                t.AzureTenantID + "_" + day.Format("2006-01-02"),
		"azureTenantId":     t.AzureTenantID,
		"activeUserCount":   35,
		"licensedUserCount": 35,
		"createdDateTime":   day.Format(time.RFC3339),
		"currentScore":      current,
		"maxScore":          maximum,
		"enabledServices":   t.EnabledServices,
		"controlScores":     controlScores,
		"averageComparativeScores": []map[string]any{
			{"basis": "AllTenants", "averageScore": AllTenantsAverage},
			{"basis": "TotalSeats", "averageScore": TotalSeatsAverage, "SeatSizeRangeLowerValue": "1", "SeatSizeRangeUpperValue": "100"},
		},
		"vendorInformation": Vendor{Provider: "SecureScore", Vendor: "Microsoft"},
	}
}

// controlProfiles pages with $skiptoken and an absolute @odata.nextLink, as Graph does.
func (s *Server) controlProfiles(w http.ResponseWriter, r *http.Request, t *Tenant) {
	start, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
	if start < 0 || start > len(t.Profiles) {
		graphError(w, http.StatusBadRequest, "BadRequest", "Invalid $skiptoken.")
		return
	}
	end := min(start+s.PageSize, len(t.Profiles))
	body := map[string]any{
		"@odata.context": s.GraphURL() + "/$metadata#security/secureScoreControlProfiles",
		"value":          t.Profiles[start:end],
	}
	if end < len(t.Profiles) {
		body["@odata.nextLink"] = s.GraphURL() + "/security/secureScoreControlProfiles?$skiptoken=" + strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) controlProfile(w http.ResponseWriter, r *http.Request, t *Tenant) {
	p := s.profile(t.AzureTenantID, r.PathValue("id"))
	if p == nil {
		graphError(w, http.StatusNotFound, "ResourceNotFound", "Control profile not found.")
		return
	}
	writeJSON(w, http.StatusOK, p)
}

var validStates = map[string]bool{"Default": true, "Ignored": true, "ThirdParty": true, "Reviewed": true}

// updateControlProfile takes state, comment and the required vendorInformation;
// msgraph-sdk-go gzips request bodies, so Content-Encoding is honoured.
func (s *Server) updateControlProfile(w http.ResponseWriter, r *http.Request, t *Tenant) {
	s.patches[t.AzureTenantID]++
	var update struct {
		State             string  `json:"state"`
		Comment           string  `json:"comment"`
		AssignedTo        string  `json:"assignedTo"`
		VendorInformation *Vendor `json:"vendorInformation"`
	}
	if !readJSON(w, r, &update) {
		return
	}
	if update.VendorInformation == nil || update.VendorInformation.Provider == "" || update.VendorInformation.Vendor == "" {
		graphError(w, http.StatusBadRequest, "BadRequest", "vendorInformation with provider and vendor is required.")
		return
	}
	if !validStates[update.State] {
		graphError(w, http.StatusBadRequest, "BadRequest", "Invalid state "+strconv.Quote(update.State)+".")
		return
	}
	p := s.profile(t.AzureTenantID, r.PathValue("id"))
	if p == nil {
		graphError(w, http.StatusNotFound, "ResourceNotFound", "Control profile not found.")
		return
	}
	if status, refused := s.refused[t.AzureTenantID+"/"+p.ID]; refused || strings.HasPrefix(p.ID, "scid_") {
		if !refused {
			status = http.StatusBadRequest
		}
		graphError(w, status, graphErrorCode(status), "The state of control "+p.ID+" cannot be updated.")
		return
	}
	if s.dropped[t.AzureTenantID+"/"+p.ID] { // accepted, never shown: a write that does not stick
		w.WriteHeader(http.StatusNoContent)
		return
	}
	p.ControlStateUpdates = append(p.ControlStateUpdates, StateUpdate{
		AssignedTo: update.AssignedTo, Comment: update.Comment, State: update.State,
		UpdatedBy: t.ClientID, UpdatedDateTime: s.now().UTC().Format(time.RFC3339Nano),
	})
	if s.AfterPatch != nil {
		s.AfterPatch(p.ID)
	}
	w.WriteHeader(http.StatusNoContent)
}

// readJSON decodes a request's JSON body, which msgraph-sdk-go gzips, so
// Content-Encoding is honoured; a body it cannot read is answered as Graph does.
func readJSON(w http.ResponseWriter, r *http.Request, into any) bool {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			graphError(w, http.StatusBadRequest, "BadRequest", "Invalid gzip body.")
			return false
		}
		defer gz.Close()
		body = gz
	}
	if err := json.NewDecoder(io.LimitReader(body, 1<<20)).Decode(into); err != nil {
		graphError(w, http.StatusBadRequest, "BadRequest", "Unable to read JSON request payload.")
		return false
	}
	return true
}
