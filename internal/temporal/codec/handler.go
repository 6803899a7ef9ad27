package codec

import (
	"net/http"

	"go.temporal.io/sdk/converter"
)

// Handler serves the codec to the Temporal Web UI, as Temporal's codec
// server does: POST /codec/{namespace}/decode (and /encode, for what the
// UI sends), so the MSP's staff read histories in plain text while the
// database holds none. Only the UI's origin may call it from a browser,
// and only with a sign-in Authorize accepts.
type Handler struct {
	Codec     *Codec
	Namespace string
	// Origin is the Web UI's origin (scheme://host:port), the one CORS allows.
	Origin string
	// Authorize returns 0 for a request from the MSP's staff, else the
	// status to refuse it with (401 not signed in, 403 not staff).
	Authorize func(*http.Request) (int, error)
}

// Routes are the gateway's routes to the handler.
func (h *Handler) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"POST /codec/{namespace}/decode":         h,
		"POST /codec/{namespace}/encode":         h,
		"OPTIONS /codec/{namespace}/{operation}": h,
	}
}

// corsHeaders are the headers the Web UI sends to a codec server.
const corsHeaders = "Content-Type, X-Namespace, Authorization, Authorization-Extras"

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" {
		if origin != h.Origin {
			http.Error(w, "this origin may not use the codec", http.StatusForbidden)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Add("Vary", "Origin")
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		w.Header().Set("Access-Control-Allow-Headers", corsHeaders)
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if r.PathValue("namespace") != h.Namespace {
		http.NotFound(w, r)
		return
	}
	if status, err := h.Authorize(r); status != 0 {
		http.Error(w, err.Error(), status)
		return
	}
	converter.NewPayloadCodecHTTPHandler(h.Codec).ServeHTTP(w, r)
}
