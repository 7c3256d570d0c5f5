package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Where presence is kept.
//
// Presence changes every few seconds and matters for fifteen: it is not
// worth a durable commit. It used to be a record in the database, written
// every 5 s by every program with two fdatasyncs each, and every write
// woke every other program on the file to read what changed. Now it is
// kept where losing it costs nothing:
//
//   - A local cockpit writes a small file per session in a folder beside
//     the database (warroom.db.presence/<incident>.<session>), replaced by
//     a rename and never synced: the page cache is enough for other
//     processes on the machine to read it, and after a crash the file is
//     simply stale. Nothing watches the folder, so a heartbeat wakes no
//     one; each program reads the folder every presenceReadEvery instead,
//     a directory listing and a few tiny reads. Files whose programs died
//     are removed by the next reader once they are an hour old.
//   - warroom serve keeps its sessions' records in its memory
//     (server.RoomPresence) and writes one such file for all of them, so
//     that a local cockpit on the same database still sees who is in the
//     room over SSH, and the server's sessions see the local cockpits.
//
// A file holds one line per session: the session's name, a tab, and the
// record (person, time, what they edit).

// PresenceBoard keeps who is in each incident's room: one record per
// session, "" for none.
type PresenceBoard interface {
	// Say sets session's record for incident; "" removes it.
	Say(incident int64, session, value string) error
	// Records returns every session's record for incident.
	Records(incident int64) (map[string]string, error)
}

// presenceReadEvery is how often a program reads who is in the room.
const presenceReadEvery = 2 * time.Second

// presenceLeftover is how old a presence file must be before a reader
// removes it: its program died without leaving (it would have removed it).
const presenceLeftover = time.Hour

// FilePresence is the presence board of the database at dbPath, in files
// beside it.
type FilePresence struct{ dir string }

// NewFilePresence returns the board kept beside the database at dbPath.
func NewFilePresence(dbPath string) *FilePresence {
	return &FilePresence{dir: dbPath + ".presence"}
}

func (p *FilePresence) name(incident int64, session string) string {
	return filepath.Join(p.dir, strconv.FormatInt(incident, 10)+"."+session)
}

// Say writes session's record as a file of its own.
func (p *FilePresence) Say(incident int64, session, value string) error {
	if value == "" {
		return p.Write(incident, session, nil)
	}
	return p.Write(incident, session, map[string]string{session: value})
}

// Write replaces the file named file with records (session -> record),
// or removes it when there are none. No fsync: see the comment above.
func (p *FilePresence) Write(incident int64, file string, records map[string]string) error {
	path := p.name(incident, file)
	if len(records) == 0 {
		if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	var b strings.Builder
	for s, v := range records {
		if strings.ContainsAny(s, "\t\n") || strings.Contains(v, "\n") {
			return fmt.Errorf("presence record %q: no tab or newline in a session name, no newline in a record", s)
		}
		b.WriteString(s + "\t" + v + "\n")
	}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(p.dir, ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.WriteString(b.String())
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
	}
	return werr
}

// Records reads every file of incident.
func (p *FilePresence) Records(incident int64) (map[string]string, error) {
	out := map[string]string{}
	des, err := os.ReadDir(p.dir)
	if os.IsNotExist(err) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	prefix := strconv.FormatInt(incident, 10) + "."
	for _, de := range des {
		name := de.Name()
		path := filepath.Join(p.dir, name)
		if info, err := de.Info(); err == nil && time.Since(info.ModTime()) > presenceLeftover {
			_ = os.Remove(path)
			continue
		}
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue // removed as it was listed: that session left
		}
		for _, line := range strings.Split(string(data), "\n") {
			if s, v, ok := strings.Cut(line, "\t"); ok && s != "" {
				out[s] = v
			}
		}
	}
	return out, nil
}
