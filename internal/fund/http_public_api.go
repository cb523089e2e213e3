package fund

import (
	"net/http"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/web"
)

// publicCheckpoint is the JSON of the checkpoint endpoint.
type publicCheckpoint struct {
	Fund       string `json:"fund"`
	Size       int64  `json:"size"`
	Root       string `json:"root"`
	Checkpoint string `json:"checkpoint"`
	PublicKey  string `json:"public_key"`
	CreatedAt  string `json:"created_at"`
	Statement  string `json:"statement_url"`
}

func queryInt(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, apperr.Field(name, "err.not_a_number", truncate(s, 40))
	}
	return n, nil
}

func (h *Handler) apiCheckpoint(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := h.Store.PublicFund(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	size, err := queryInt(r, "size")
	if err != nil {
		return err
	}
	var c *Checkpoint
	if size > 0 {
		c, err = h.Store.CheckpointAt(ctx, f.ID, size)
	} else {
		c, err = h.Store.LatestCheckpoint(ctx, f.ID)
	}
	if err != nil {
		return err
	}
	vkey, err := h.Store.PublicKey(ctx)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, publicCheckpoint{Fund: f.Code, Size: c.Size, Root: c.Root, Checkpoint: c.Note, PublicKey: vkey,
		CreatedAt: c.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), Statement: "/api/v1/public/funds/" + f.Code + "/statement.csv?size=" + strconv.FormatInt(c.Size, 10)})
}

func (h *Handler) apiInclusion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := h.Store.PublicFund(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	seq, err := queryInt(r, "seq")
	if err != nil {
		return err
	}
	size, err := queryInt(r, "size")
	if err != nil {
		return err
	}
	if seq == 0 {
		return apperr.Field("seq", "err.required")
	}
	inc, err := h.Store.ProveInclusion(ctx, f.ID, seq, size)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, inc)
}

func (h *Handler) apiConsistency(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := h.Store.PublicFund(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	from, err := queryInt(r, "from")
	if err != nil {
		return err
	}
	to, err := queryInt(r, "to")
	if err != nil {
		return err
	}
	c, err := h.Store.ProveConsistency(ctx, f.ID, from, to)
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, c)
}

func (h *Handler) apiStatement(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := h.Store.PublicFund(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	size, err := queryInt(r, "size")
	if err != nil {
		return err
	}
	if size > 0 {
		if _, err := h.Store.CheckpointAt(ctx, f.ID, size); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+f.Code+`-statement.csv"`)
	w.Header().Set("Cache-Control", "public, max-age=60")
	_, err = h.Store.WriteStatement(ctx, w, f.ID, size)
	return err
}
