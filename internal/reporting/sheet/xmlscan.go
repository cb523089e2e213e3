package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a small pull tokenizer for the large parts of an XLSX
// package (worksheets, shared strings): several times faster than
// encoding/xml, allocation-free per token, and enough for what
// spreadsheet programs write. It reports start tags (with their
// attributes), end tags (a self-closing tag gives both) and text, with
// namespace prefixes dropped, entities and character references decoded,
// CDATA as text, line ends normalised as XML wants; comments and
// processing instructions are skipped; a DOCTYPE is refused. It does not
// check that tags nest or that names are valid: the reader only needs
// the elements it knows. The differential fuzz test holds it to
// encoding/xml.
type xmlScanner struct {
	r    *bufio.Reader
	err  error
	kind tokKind
	// name is the local name of the current start or end tag.
	name []byte
	// text of the current text token (unescaped).
	text []byte
	// attributes of the current start tag: local names and unescaped
	// values, as offsets into abuf.
	attrs    []attrSpan
	abuf     []byte
	tag      []byte // the current tag, between < and > (may point into r's buffer)
	tagBuf   []byte // owned storage for tags read in several pieces
	selfEnd  bool   // the current start tag was self-closing: an end follows
	pendText bool   // text was read before the tag now in tag
}

type tokKind uint8

const (
	tokNone tokKind = iota
	tokStart
	tokEnd
	tokText
)

type attrSpan struct{ n0, n1, v0, v1 int }

var errXML = errors.New("xml syntax")

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// attr returns the value of the attribute with the given local name.
func (s *xmlScanner) attr(local string) []byte {
	for _, a := range s.attrs {
		if string(s.abuf[a.n0:a.n1]) == local {
			return s.abuf[a.v0:a.v1]
		}
	}
	return nil
}

// next moves to the next token; false at the end of input or on error
// (s.err, nil at a clean end).
func (s *xmlScanner) next() bool {
	if s.err != nil {
		return false
	}
	if s.selfEnd {
		s.selfEnd = false
		s.kind = tokEnd
		s.attrs = s.attrs[:0]
		return true
	}
	if s.pendText {
		s.pendText = false
		return s.parseTag()
	}
	// Text up to the next '<'.
	s.text = s.text[:0]
	raw := false
	for {
		chunk, err := s.r.ReadSlice('<')
		if err == nil {
			chunk = chunk[:len(chunk)-1]
		}
		s.text = append(s.text, chunk...)
		raw = raw || len(chunk) > 0
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if raw {
				return s.emitText()
			}
			return false
		}
		if err != nil {
			s.err = err
			return false
		}
		break
	}
	if err := s.readTag(); err != nil {
		s.err = err
		return false
	}
	if raw {
		s.pendText = true
		return s.emitText()
	}
	return s.parseTag()
}

// emitText unescapes the text read and makes it the current token.
func (s *xmlScanner) emitText() bool {
	out, err := unescapeXML(s.text[:0], s.text)
	if err != nil {
		s.err = err
		return false
	}
	s.text = out
	s.kind = tokText
	return true
}

// readTag reads up to the '>' that ends the tag begun by the '<' just
// read, minding quotes, comments, CDATA and processing instructions. In
// the common case the tag is left in the reader's buffer (valid until the
// next read); otherwise it is copied into tagBuf.
func (s *xmlScanner) readTag() error {
	chunk, err := s.r.ReadSlice('>')
	if err == nil && len(chunk) > 1 && chunk[0] != '!' && chunk[0] != '?' && quotesClosed(chunk) {
		s.tag = chunk[:len(chunk)-1]
		return nil
	}
	s.tagBuf = append(s.tagBuf[:0], chunk...)
	quote := byte(0)
	start := 0
	for {
		if err == bufio.ErrBufferFull {
			chunk, err = s.r.ReadSlice('>')
			start = len(s.tagBuf)
			s.tagBuf = append(s.tagBuf, chunk...)
			continue
		}
		if err != nil {
			if err == io.EOF {
				return errXML
			}
			return err
		}
		t := s.tagBuf
		special := true
		switch {
		case bytes.HasPrefix(t, []byte("!--")):
			if len(t) >= 6 && bytes.HasSuffix(t, []byte("-->")) {
				s.tag = t
				return nil
			}
		case bytes.HasPrefix(t, []byte("![CDATA[")):
			if bytes.HasSuffix(t, []byte("]]>")) {
				s.tag = t
				return nil
			}
		case len(t) > 0 && t[0] == '?':
			if len(t) >= 3 && bytes.HasSuffix(t, []byte("?>")) {
				s.tag = t
				return nil
			}
		case len(t) > 0 && t[0] == '!':
			if len(t) < 8 && (bytes.HasPrefix([]byte("![CDATA["), t) || bytes.HasPrefix([]byte("!--"), t)) {
				break // a comment or CDATA whose start was cut by a '>'
			}
			return errXML // DOCTYPE and other declarations
		default:
			special = false
		}
		if !special {
			// Quotes opened and not closed hide the '>'.
			for _, c := range t[start:] {
				switch {
				case quote == 0 && (c == '"' || c == '\''):
					quote = c
				case c == quote:
					quote = 0
				}
			}
			if quote == 0 {
				s.tag = t[:len(t)-1] // drop '>'
				return nil
			}
		}
		chunk, err = s.r.ReadSlice('>')
		start = len(s.tagBuf)
		s.tagBuf = append(s.tagBuf, chunk...)
	}
}

// quotesClosed tells whether every quote opened in b is closed.
func quotesClosed(b []byte) bool {
	if bytes.IndexByte(b, '\'') < 0 {
		return bytes.Count(b, []byte{'"'})%2 == 0
	}
	quote := byte(0)
	for _, c := range b {
		switch {
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case c == quote:
			quote = 0
		}
	}
	return quote == 0
}

// parseTag turns the tag read into the current token; comments and
// processing instructions are skipped, CDATA is text.
func (s *xmlScanner) parseTag() bool {
	t := s.tag
	if len(t) > 0 && (t[0] == '!' || t[0] == '?') {
		if bytes.HasPrefix(t, []byte("![CDATA[")) {
			body := t[len("![CDATA[") : len(t)-len("]]>")]
			s.text = normaliseNewlines(append(s.text[:0], body...))
			s.kind = tokText
			return true
		}
		return s.next() // a comment or processing instruction
	}
	s.attrs = s.attrs[:0]
	s.abuf = s.abuf[:0]
	if len(t) > 0 && t[0] == '/' {
		name := t[1:]
		if len(name) > 0 && isSpace(name[len(name)-1]) {
			name = bytes.TrimRight(name, " \t\r\n")
		}
		if len(name) == 0 || bytes.ContainsAny(name, " \t\r\n") {
			s.err = errXML
			return false
		}
		s.name = localName(name)
		s.kind = tokEnd
		return true
	}
	i := 0
	for i < len(t) && !isSpace(t[i]) && t[i] != '/' {
		i++
	}
	if i == 0 {
		s.err = errXML
		return false
	}
	s.name = localName(t[:i])
	for {
		for i < len(t) && isSpace(t[i]) {
			i++
		}
		if i == len(t) {
			break
		}
		if t[i] == '/' {
			if i != len(t)-1 {
				s.err = errXML
				return false
			}
			s.selfEnd = true
			break
		}
		n0 := i
		for i < len(t) && t[i] != '=' && !isSpace(t[i]) && t[i] != '/' {
			i++
		}
		n1 := i
		for i < len(t) && isSpace(t[i]) {
			i++
		}
		if n0 == n1 || i == len(t) || t[i] != '=' {
			s.err = errXML
			return false
		}
		i++
		for i < len(t) && isSpace(t[i]) {
			i++
		}
		if i == len(t) || (t[i] != '"' && t[i] != '\'') {
			s.err = errXML
			return false
		}
		q := t[i]
		i++
		v0 := i
		for i < len(t) && t[i] != q {
			i++
		}
		if i == len(t) {
			s.err = errXML
			return false
		}
		v1 := i
		i++
		name := localName(t[n0:n1])
		a := attrSpan{n0: len(s.abuf)}
		s.abuf = append(s.abuf, name...)
		a.n1 = len(s.abuf)
		a.v0 = len(s.abuf)
		var err error
		if s.abuf, err = unescapeXML(s.abuf, t[v0:v1]); err != nil {
			s.err = err
			return false
		}
		a.v1 = len(s.abuf)
		s.attrs = append(s.attrs, a)
	}
	s.kind = tokStart
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// localName drops a namespace prefix ("x:row" → "row") as encoding/xml
// does: only with one colon and text on both sides.
func localName(n []byte) []byte {
	if i := bytes.IndexByte(n, ':'); i > 0 && i < len(n)-1 {
		return n[i+1:]
	}
	return n
}

// normaliseNewlines turns "\r\n" and lone "\r" into "\n" in place.
func normaliseNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	w := 0
	for r := 0; r < len(b); r++ {
		c := b[r]
		if c == '\r' {
			c = '\n'
			if r+1 < len(b) && b[r+1] == '\n' {
				r++
			}
		}
		b[w] = c
		w++
	}
	return b[:w]
}

// unescapeXML appends src to dst with entities and character references
// decoded and line ends normalised. dst may be src[:0].
func unescapeXML(dst, src []byte) ([]byte, error) {
	if bytes.IndexByte(src, '&') < 0 && bytes.IndexByte(src, '\r') < 0 {
		return append(dst, src...), nil
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch c {
		case '\r':
			dst = append(dst, '\n')
			i++
			if i < len(src) && src[i] == '\n' {
				i++
			}
			continue
		case '&':
		default:
			dst = append(dst, c)
			i++
			continue
		}
		end := bytes.IndexByte(src[i:], ';')
		if end < 0 {
			return dst, errXML
		}
		ent := src[i+1 : i+end]
		i += end + 1
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if len(ent) < 2 || ent[0] != '#' {
				return dst, errXML
			}
			var n uint64
			var err error
			if ent[1] == 'x' {
				n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
			}
			if err != nil || !isXMLChar(rune(n)) {
				return dst, errXML
			}
			dst = utf8.AppendRune(dst, rune(n))
		}
	}
	return dst, nil
}

// isXMLChar is the Char production of XML 1.0.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
