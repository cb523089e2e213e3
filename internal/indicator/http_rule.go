package indicator

import (
	"net/http"
	"net/url"
	"strconv"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/platform/web"
)

func (h *Handler) ruleList(w http.ResponseWriter, r *http.Request) error {
	rules, err := h.Store.AllRules(r.Context())
	if err != nil {
		return err
	}
	return h.Render.Render(w, r, "indicator/rules.html", "indicator.rules.title", map[string]any{"Rules": rules, "CanEdit": canConfigure(r)})
}

// ruleTestRow is an indicator of a rule with the sample value typed for
// trying the rule out.
type ruleTestRow struct {
	Ind   Indicator
	Value string
	Err   string
}

type rulePage struct {
	Rule      *Rule
	CanEdit   bool
	Operators []string
	Lang      string
	V         map[string]string
	Active    bool
	// Trying the rule with sample numbers (GET ?test=1&v_CODE=…).
	Tested     bool
	TestRows   []ruleTestRow
	Violations []Violation
}

func (h *Handler) renderRule(w http.ResponseWriter, r *http.Request, rule *Rule, formErr error) error {
	d := rulePage{Rule: rule, CanEdit: canConfigure(r), Operators: Operators, Lang: web.Lang(r),
		V: map[string]string{"operator": "<=", "severity": string(Warning)}, Active: true}
	if formErr != nil && r.PostForm.Has("message_vi") {
		d.Active = r.PostFormValue("active") != ""
	}
	if rule != nil {
		d.V = map[string]string{"code": rule.Code, "left": rule.Left, "operator": rule.Operator, "right": rule.Right,
			"severity": string(rule.Severity), "message_vi": rule.MessageVI, "message_en": rule.MessageEN}
		if formErr == nil || !r.PostForm.Has("message_vi") {
			d.Active = rule.Active
		}
		q := r.URL.Query()
		d.Tested = q.Get("test") != ""
		nums := map[string]int64{}
		inds := make([]Indicator, 0, 4)
		for _, code := range rule.Codes() {
			ind, err := h.Store.IndicatorByCode(r.Context(), code)
			if err != nil {
				continue
			}
			row := ruleTestRow{Ind: *ind, Value: q.Get("v_" + code)}
			if num, _, err := ParseValue(*ind, row.Value); err != nil {
				row.Err = err.Error()
			} else if num != nil {
				nums[code] = *num
			}
			d.TestRows = append(d.TestRows, row)
			inds = append(inds, *ind)
		}
		if d.Tested {
			try := *rule
			try.Active = true
			d.Violations = CheckLang(&Form{Indicators: inds}, nums, []Rule{try}, d.Lang)
		}
	}
	titleKey, title := "indicator.rules.new", ""
	if rule != nil {
		titleKey, title = "", rule.Code
	}
	return h.page(w, r, "indicator/rule.html", titleKey, title, d, formErr)
}

func ruleInputFromForm(r *http.Request) RuleInput {
	return RuleInput{
		Code: r.PostFormValue("code"), Left: r.PostFormValue("left"), Operator: r.PostFormValue("operator"),
		Right: r.PostFormValue("right"), Severity: Severity(r.PostFormValue("severity")),
		MessageVI: r.PostFormValue("message_vi"), MessageEN: r.PostFormValue("message_en"), Active: formBool(r, "active"),
	}
}

func (h *Handler) ruleNew(w http.ResponseWriter, r *http.Request) error {
	return h.renderRule(w, r, nil, nil)
}

func (h *Handler) ruleFromPath(r *http.Request) (*Rule, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return h.Store.RuleByID(r.Context(), id)
}

func (h *Handler) ruleShow(w http.ResponseWriter, r *http.Request) error {
	rule, err := h.ruleFromPath(r)
	if err != nil {
		return err
	}
	return h.renderRule(w, r, rule, nil)
}

func (h *Handler) ruleCreate(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	rule, err := h.Store.CreateRule(r.Context(), ruleInputFromForm(r))
	if err != nil {
		return h.renderRule(w, r, nil, err)
	}
	return web.Redirect(w, r, "/indicators/rules/"+strconv.FormatInt(rule.ID, 10), "form.saved")
}

func (h *Handler) rulePost(w http.ResponseWriter, r *http.Request) error {
	if err := web.ParseForm(w, r); err != nil {
		return err
	}
	rule, err := h.ruleFromPath(r)
	if err != nil {
		return err
	}
	switch r.PostFormValue("action") {
	case "delete":
		if err := h.Store.DeleteRule(r.Context(), rule.ID); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				r.PostForm = url.Values{}
				return h.renderRule(w, r, rule, err)
			}
			return err
		}
		return web.Redirect(w, r, "/indicators/rules", "form.deleted")
	case "save", "":
		if _, err := h.Store.UpdateRule(r.Context(), rule.ID, ruleInputFromForm(r)); err != nil {
			return h.renderRule(w, r, rule, err)
		}
		return web.Redirect(w, r, "/indicators/rules/"+strconv.FormatInt(rule.ID, 10), "form.saved")
	}
	return apperr.Field("action", "err.bad_choice", r.PostFormValue("action"))
}
