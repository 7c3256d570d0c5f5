package server

import (
	"errors"
	"strconv"

	"github.com/warroom-cli/warroom/internal/store"
)

// The room is on one incident: the one its sessions last opened. It is kept
// in the database, so a restarted `warroom serve` opens the incident the
// room was on, not whichever open incident is newest (one a sync brought
// in, say). A room whose incident is gone or resolved opens the newest
// open one, as before.

// roomPrefUser and roomPref name where the room's incident is kept: a
// preference of a user name no SSH key can have (names come from key
// comments, which hold no spaces).
const (
	roomPrefUser = "warroom serve"
	roomPref     = "room-incident"
)

// roomIncident is the incident a new session opens: the room's, while it
// is open, else the newest open one; 0 when none is open.
func (s *Server) roomIncident() (int64, error) {
	st := s.opts.Store
	if v, err := st.UserPref(roomPrefUser, roomPref); err == nil && v != "" {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			list, err := st.ListIncidents()
			if err != nil {
				return 0, err
			}
			for _, sum := range list {
				if sum.ID == id && sum.Open() {
					return id, nil
				}
			}
		}
	}
	id, err := st.LatestOpen()
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	return id, err
}

// roomOpened records the incident a session opened as the room's.
func (s *Server) roomOpened(id int64) {
	if id == 0 {
		return
	}
	// A failure only costs the next restart its memory of the incident.
	_, _ = s.opts.Store.SetUserPref(roomPrefUser, roomPref, strconv.FormatInt(id, 10))
}
