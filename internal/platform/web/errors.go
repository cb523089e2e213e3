package web

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"giaoban/internal/platform/apperr"
	"giaoban/internal/vn"
)

// Status maps an error code to its HTTP status.
func Status(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.TooMany:
		return http.StatusTooManyRequests
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// APIError is the body of every API error.
type APIError struct {
	Error APIErrorBody `json:"error"`
}

// APIErrorBody says what went wrong, in the user's language.
type APIErrorBody struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Fields  []apperr.FieldError `json:"fields,omitempty"`
}

// Localize renders an application error's message and field messages.
func Localize(lang string, err error) (apperr.Code, string, []apperr.FieldError) {
	e, ok := apperr.As(err)
	if !ok {
		return apperr.Internal, tr(lang, "err.internal"), nil
	}
	msg := tr(lang, e.Key, e.Args...)
	var fields []apperr.FieldError
	for _, f := range e.Fields {
		f.Message = tr(lang, f.Key, f.Args...)
		fields = append(fields, f)
	}
	return e.Code, msg, fields
}

// Fail renders err: JSON for API routes, an error page otherwise. Internal
// errors are logged and shown as a generic message.
func (rt *Router) Fail(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = apperr.New(apperr.TooLarge, "err.too_large", vn.FormatInt(mbe.Limit/1024/1024))
	}
	code, msg, fields := Localize(Lang(r), err)
	if code == apperr.Internal {
		logErr(r, err)
	}
	status := Status(code)
	if code == apperr.Invalid && !IsAPI(r) {
		status = http.StatusBadRequest
	}
	if IsAPI(r) || wantsJSON(r) {
		JSON(w, status, APIError{Error: APIErrorBody{Code: string(code), Message: msg, Fields: fields}})
		return
	}
	if rt.Render == nil {
		http.Error(w, msg, status)
		return
	}
	p := rt.Render.NewPage(w, r, "", nil)
	p.Title = msg
	for _, f := range fields {
		p.ErrorList = append(p.ErrorList, f.Field+": "+f.Message)
	}
	p.Data = map[string]any{"Status": status, "Message": msg, "Code": string(code)}
	if err := rt.Render.HTML(w, status, "error.html", p); err != nil {
		logErr(r, err)
		http.Error(w, msg, status)
	}
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json") && !strings.Contains(r.Header.Get("Accept"), "text/html")
}

// FormErrors turns an Invalid error into per-field messages for re-rendering
// a form; ok is false for any other error (which the caller returns).
func FormErrors(lang string, err error) (map[string]string, []string, bool) {
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid && e.Code != apperr.Conflict {
		return nil, nil, false
	}
	m := map[string]string{}
	var list []string
	for _, f := range e.Fields {
		msg := tr(lang, f.Key, f.Args...)
		if _, dup := m[f.Field]; !dup {
			m[f.Field] = msg
		}
		list = append(list, msg)
	}
	if len(e.Fields) == 0 {
		list = append(list, tr(lang, e.Key, e.Args...))
	}
	return m, list, true
}

func checkCSRF(r *http.Request, want string) bool {
	if want == "" {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		// Multipart forms are parsed by the handler with its own size limit;
		// the token is read from the URL-encoded or multipart body here.
		ct := r.Header.Get("Content-Type")
		if strings.HasPrefix(ct, "multipart/form-data") {
			if err := r.ParseMultipartForm(8 << 20); err != nil {
				return false
			}
		}
		got = r.PostFormValue("csrf")
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// MaxFormBytes limits ordinary form and JSON bodies.
const MaxFormBytes = 1 << 20

// MaxUploadBytes limits any multipart upload (a bank statement of a famous
// fund is the largest file anyone sends).
const MaxUploadBytes = 256 << 20

// DecodeJSON reads a JSON body into v (unknown fields rejected).
func DecodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return apperr.Field(te.Field, "err.json_type", te.Value)
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return apperr.Field(f, "err.json_unknown_field")
		}
		if err == io.EOF {
			return apperr.New(apperr.Invalid, "err.json_empty")
		}
		return apperr.Wrap(err, apperr.Invalid, "err.json_malformed")
	}
	return nil
}

// ParseForm parses a URL-encoded form body with the size limit.
func ParseForm(w http.ResponseWriter, r *http.Request) error {
	if r.PostForm != nil {
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "err.form_malformed")
	}
	return nil
}

// PathID parses a numeric path value such as {id}.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "err.not_found")
	}
	return id, nil
}

func tr(lang, key string, args ...any) string {
	return T0(lang, key, args...)
}
