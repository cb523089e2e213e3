package org

import (
	"giaoban/internal/platform/web"
)

// Handler serves the organisation pages and API.
type Handler struct {
	Store  *Store
	Render *web.Renderer
}

// Routes registers the organisation routes.
func (h *Handler) Routes(rt *web.Router) {}
