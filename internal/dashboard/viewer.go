package dashboard

import (
	"context"
	"slices"

	"github.com/alexedwards/scs/v2"

	"github.com/scoreflow/scoreflow/internal/config"
)

// Viewer is who is signed in: a person of a directory, known by the
// directory's id (tid) and their object id (oid), never by e-mail address.
type Viewer struct {
	DirectoryID string
	ObjectID    string
	Name        string
	MSP         bool // the MSP's staff: every tenant
}

// The session's keys.
const (
	keyDirectory = "viewer.tid"
	keyObject    = "viewer.oid"
	keyName      = "viewer.name"
	keyMSP       = "viewer.msp"
)

// viewerOf reads who is signed in from the request's session.
func viewerOf(ctx context.Context, sessions *scs.SessionManager) (Viewer, bool) {
	v := Viewer{DirectoryID: sessions.GetString(ctx, keyDirectory), ObjectID: sessions.GetString(ctx, keyObject),
		Name: sessions.GetString(ctx, keyName), MSP: sessions.GetBool(ctx, keyMSP)}
	return v, v.DirectoryID != "" && v.ObjectID != ""
}

func (v Viewer) save(ctx context.Context, sessions *scs.SessionManager) {
	sessions.Put(ctx, keyDirectory, v.DirectoryID)
	sessions.Put(ctx, keyObject, v.ObjectID)
	sessions.Put(ctx, keyName, v.Name)
	sessions.Put(ctx, keyMSP, v.MSP)
}

// CanSee reports whether the viewer may see a tenant: the MSP's staff see
// every tenant, a customer's people their own (only its viewers, if it names any).
func (v Viewer) CanSee(t config.Tenant) bool {
	if v.MSP {
		return true
	}
	return v.DirectoryID == t.AzureTenantID && (len(t.Viewers) == 0 || slices.Contains(t.Viewers, v.ObjectID))
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
func identify(d config.Dashboard, tenants []config.Tenant, c idClaims) (Viewer, bool) {
	v := Viewer{DirectoryID: c.TenantID, ObjectID: c.ObjectID, Name: c.Name}
	if d.MSPTenantID != "" && c.TenantID == d.MSPTenantID {
		if (d.MSPGroup == "" || slices.Contains(c.Groups, d.MSPGroup)) && (d.MSPRole == "" || slices.Contains(c.Roles, d.MSPRole)) {
			v.MSP = true
			return v, true
		}
	}
	for _, t := range tenants {
		if v.CanSee(t) {
			return v, true
		}
	}
	return Viewer{}, false
}
