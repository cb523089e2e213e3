// Package migrations holds the schema of each dialect as an ordered list of
// SQL files. A file is never edited after it lands; a change is a new file.
// Numbers are reserved per room: 0001-0099 platform, 0100 org, 0200
// indicator, 0300 reporting, 0400 rollup, 0500 meeting, 0600 fund.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
