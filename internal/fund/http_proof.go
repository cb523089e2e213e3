package fund

import (
	_ "embed"
	"net/http"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

// proofJS checks an inclusion proof in the visitor's browser (the public
// verification page loads it).
//
//go:embed static/proof.js
var proofJS []byte

// ProofScriptPath is where proof.js is served.
const ProofScriptPath = "/quy/kiem-tra.js"

func (h *Handler) proofRoutes(rt *web.Router) {
	rt.HandleRaw("GET", ProofScriptPath, auth.PermPublic, http.HandlerFunc(serveProofJS))
}

func serveProofJS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(proofJS)
}
