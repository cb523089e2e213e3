package fonts

import (
	"bytes"
	"testing"
)

func TestFontsAreTrueType(t *testing.T) {
	for name, b := range map[string][]byte{"regular": SerifRegular, "bold": SerifBold, "italic": SerifItalic, "bolditalic": SerifBoldItalic} {
		if len(b) < 100_000 || !bytes.HasPrefix(b, []byte{0, 1, 0, 0}) {
			t.Errorf("%s: not a TrueType font (%d bytes)", name, len(b))
		}
	}
}
