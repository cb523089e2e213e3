package statement

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// MaxRecord bounds one CSV record (one line, or several when a quoted
// field holds line breaks). Bank lines are a few hundred bytes; a longer
// record is reported and skipped, so a broken or hostile file cannot make
// the reader hold gigabytes.
const MaxRecord = 1 << 20

var errRecordTooLong = errors.New("record too long")

// csvReader splits CSV text into records. It is lenient as bank exports
// need (a quote inside an unquoted field is a character; text after a
// closing quote belongs to the field; a file may end inside quotes) and it
// keeps the physical line number where each record starts. Fields are
// returned as strings freshly allocated per record.
type csvReader struct {
	r       *bufio.Reader
	comma   byte
	line    int // physical lines read so far
	lineBuf []byte
	field   []byte
	rec     []string
}

func newCSVReader(r io.Reader, comma byte) *csvReader {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 64<<10 {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &csvReader{r: br, comma: comma}
}

// readLine returns the next physical line with its line feed, or
// errRecordTooLong (having skipped the rest of it), or io.EOF.
func (c *csvReader) readLine() ([]byte, error) {
	line, err := c.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.lineBuf = append(c.lineBuf[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = c.r.ReadSlice('\n')
			if len(c.lineBuf) <= MaxRecord {
				c.lineBuf = append(c.lineBuf, line...)
			}
		}
		line = c.lineBuf
		if len(line) > MaxRecord {
			c.line++
			return nil, errRecordTooLong
		}
	}
	if len(line) == 0 && err != nil {
		return nil, err
	}
	c.line++
	return line, nil
}

// Read returns the next record and the line it starts on. A record that
// is too long yields errRecordTooLong and reading can go on.
func (c *csvReader) Read() (rec []string, start int, err error) {
	start = c.line + 1
	line, err := c.readLine()
	if err != nil {
		return nil, start, err
	}
	c.rec = c.rec[:0]
	size := 0
	for {
		c.field = c.field[:0]
		if len(line) > 0 && line[0] == '"' {
			line = line[1:]
		quoted:
			for {
				i := bytes.IndexByte(line, '"')
				switch {
				case i >= 0 && i+1 < len(line) && line[i+1] == '"':
					c.field = append(c.field, line[:i+1]...)
					line = line[i+2:]
				case i >= 0:
					c.field = append(c.field, line[:i]...)
					line = line[i+1:]
					break quoted
				default:
					// The field goes on past this line.
					c.field = append(c.field, line...)
					size += len(line)
					if size > MaxRecord {
						return nil, start, errRecordTooLong
					}
					next, err := c.readLine()
					if err == io.EOF {
						line = nil
						break quoted
					}
					if err != nil {
						return nil, start, err
					}
					line = next
				}
			}
		}
		// Unquoted text, or what follows a closing quote.
		i := bytes.IndexByte(line, c.comma)
		if i < 0 {
			end := len(line)
			if end > 0 && line[end-1] == '\n' {
				end--
				if end > 0 && line[end-1] == '\r' {
					end--
				}
			}
			c.field = append(c.field, line[:end]...)
			c.rec = append(c.rec, string(c.field))
			return c.rec, start, nil
		}
		c.field = append(c.field, line[:i]...)
		c.rec = append(c.rec, string(c.field))
		line = line[i+1:]
	}
}
