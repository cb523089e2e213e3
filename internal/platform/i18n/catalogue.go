package i18n

import "embed"

//go:embed locales/*.json
var platformLocales embed.FS

func init() { Register(platformLocales, "locales") }
