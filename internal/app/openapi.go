package app

import (
	"net/http"
	"regexp"
	"strings"

	"giaoban/internal/platform/auth"
	"giaoban/internal/platform/web"
)

var pathParam = regexp.MustCompile(`\{([a-zA-Z_][a-zA-Z0-9_]*)(\.\.\.)?\}`)

// OpenAPI builds the OpenAPI 3 document from the registered API routes, so
// the document cannot drift from what the server answers; the test checks
// that it is valid and that every route is in it.
func (a *App) OpenAPI() map[string]any {
	paths := map[string]any{}
	for _, rt := range a.Router.Routes() {
		if !rt.API {
			continue
		}
		item, _ := paths[rt.Pattern].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Pattern] = item
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"operationId": operationID(rt),
			"tags":        []string{tagOf(rt.Pattern)},
			"responses": map[string]any{
				"200":     map[string]any{"description": "OK", "content": jsonContent(map[string]any{"type": "object"})},
				"default": map[string]any{"description": "Error", "content": jsonContent(map[string]any{"$ref": "#/components/schemas/Error"})},
			},
			"x-permission": string(rt.Perm),
		}
		if rt.Perm == auth.PermPublic {
			op["security"] = []any{}
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Method == http.MethodPost || rt.Method == http.MethodPatch || rt.Method == http.MethodPut {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"type": "object"}},
			}}
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":       "giaoban API",
			"version":     Version,
			"description": "JSON API of giaoban. Authenticate with an API token: `Authorization: Bearer gb_…` (create one on the account page or with `giaoban token create`). Errors are {\"error\":{\"code\",\"message\",\"fields\"}} with the message in the user's language (?lang=en for English).",
		},
		"servers":  []any{map[string]any{"url": "/"}},
		"paths":    paths,
		"security": []any{map[string]any{"bearer": []any{}}},
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
			"schemas": map[string]any{
				"Error": map[string]any{
					"type":     "object",
					"required": []string{"error"},
					"properties": map[string]any{"error": map[string]any{
						"type":     "object",
						"required": []string{"code", "message"},
						"properties": map[string]any{
							"code":    map[string]any{"type": "string"},
							"message": map[string]any{"type": "string"},
							"fields": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
								"field": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}}}},
						},
					}},
				},
			},
		},
	}
}

func jsonContent(schema map[string]any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}

func tagOf(pattern string) string {
	parts := strings.Split(strings.TrimPrefix(pattern, "/api/v1/"), "/")
	return parts[0]
}

func operationID(rt web.Route) string {
	s := strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1/", "", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(rt.Pattern)
	return s
}

func (a *App) openAPI(w http.ResponseWriter, r *http.Request) error {
	return web.JSON(w, http.StatusOK, a.OpenAPI())
}
