package fund

import (
	"embed"

	"giaoban/internal/platform/i18n"
)

//go:embed locales/*.json
var localesFS embed.FS

func init() { i18n.Register(localesFS, "locales") }
