package dashboard

import (
	"context"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/scoreflow/scoreflow/internal/config"
	"github.com/scoreflow/scoreflow/internal/identity"
)

// Viewer is who is signed in: a person of a directory, known by the
// directory's id (tid) and their object id (oid), never by e-mail address.
type Viewer struct {
	DirectoryID string
	ObjectID    string
	Name        string
	MSP         bool // the MSP's staff: every tenant
	Guest       bool // a guest of their directory: its pages only if it allows guests
	SignedIn    time.Time
}

// The session's keys.
const (
	keyDirectory = "viewer.tid"
	keyObject    = "viewer.oid"
	keyName      = "viewer.name"
	keyMSP       = "viewer.msp"
	keyGuest     = "viewer.guest"
	keySignedIn  = "viewer.signed_in"
)

// viewerOf reads who is signed in from the request's session.
func viewerOf(ctx context.Context, sessions *scs.SessionManager) (Viewer, bool) {
	v := Viewer{DirectoryID: sessions.GetString(ctx, keyDirectory), ObjectID: sessions.GetString(ctx, keyObject),
		Name: sessions.GetString(ctx, keyName), MSP: sessions.GetBool(ctx, keyMSP), Guest: sessions.GetBool(ctx, keyGuest),
		SignedIn: time.Unix(sessions.GetInt64(ctx, keySignedIn), 0)}
	return v, v.DirectoryID != "" && v.ObjectID != ""
}

func (v Viewer) save(ctx context.Context, sessions *scs.SessionManager) {
	sessions.Put(ctx, keyDirectory, v.DirectoryID)
	sessions.Put(ctx, keyObject, v.ObjectID)
	sessions.Put(ctx, keyName, v.Name)
	sessions.Put(ctx, keyMSP, v.MSP)
	sessions.Put(ctx, keyGuest, v.Guest)
	sessions.Put(ctx, keySignedIn, v.SignedIn.Unix()) // gob, the sessions' encoding, knows int64, not time.Time
}

// CanSee reports whether the viewer may see a tenant: the MSP's staff see
// every tenant, a customer's people their own (only its viewers, if it
// names any, and its guests only if it allows them).
func (v Viewer) CanSee(t config.Tenant) bool {
	if v.MSP {
		return true
	}
	return v.DirectoryID == t.AzureTenantID && (!v.Guest || t.AllowGuests) &&
		(len(t.Viewers) == 0 || slices.Contains(t.Viewers, v.ObjectID))
}

// Tenants are the configured tenants the viewer may see.
func (v Viewer) Tenants(cfg *config.Config) []config.Tenant {
	var visible []config.Tenant
	for _, t := range cfg.Tenants {
		if v.CanSee(t) {
			visible = append(visible, t)
		}
	}
	return visible
}

// identify says who the claims of a verified ID token are to scoreflow: the
// MSP's staff, a configured tenant's person, or no one it serves.
func identify(d config.Dashboard, tenants []config.Tenant, c identity.Claims, now time.Time) (Viewer, bool) {
	v := Viewer{DirectoryID: c.TenantID, ObjectID: c.ObjectID, Name: c.Name, Guest: c.Guest(), SignedIn: now}
	if staff(d).Includes(c) {
		v.MSP = true
		return v, true
	}
	for _, t := range tenants {
		if v.CanSee(t) {
			return v, true
		}
	}
	return Viewer{}, false
}

// staff is who the config says the MSP's staff are.
func staff(d config.Dashboard) identity.Staff {
	return identity.Staff{TenantID: d.MSPTenantID, Group: d.MSPGroup, Role: d.MSPRole}
}

// mustSignInAgain reports whether a staff member's sign-in is older than
// dashboard.staff_recheck: signing in again reads their groups and roles
// anew, so a removal from the staff group holds within that time.
func (v Viewer) mustSignInAgain(d config.Dashboard, now time.Time) bool {
	return v.MSP && now.Sub(v.SignedIn) > d.StaffRecheck.D()
}
