// Package fonts embeds Liberation Serif (SIL Open Font License 1.1), metric
// compatible with Times New Roman, the font Nghị định 30/2020/NĐ-CP asks for
// in official documents. It covers every Vietnamese glyph, so PDFs made on a
// machine without Times New Roman still print every diacritic.
package fonts

import _ "embed"

var (
	//go:embed LiberationSerif-Regular.ttf
	SerifRegular []byte
	//go:embed LiberationSerif-Bold.ttf
	SerifBold []byte
	//go:embed LiberationSerif-Italic.ttf
	SerifItalic []byte
	//go:embed LiberationSerif-BoldItalic.ttf
	SerifBoldItalic []byte
)

// Family is the name documents use for the embedded font.
const Family = "Liberation Serif"
