package statuspage

import (
	"fmt"
	"sync"
	"time"

	"github.com/warroom-cli/warroom/internal/config"
	"github.com/warroom-cli/warroom/internal/store"
)

// OptionsFrom is the page as the config shapes it. A logo that cannot be
// used is a warning: the page is still written, without it.
func OptionsFrom(cfg *config.Config) (opts Options, warning error) {
	opts = Options{
		Org:       cfg.StatusPage.Org,
		ShowNames: cfg.StatusPage.ShowNames,
		Location:  cfg.Location,
		Zone:      config.ZoneName(cfg.Location),
		Policy:    cfg.Policy(),
	}
	if cfg.StatusPage.Logo != "" {
		logo, err := LoadLogo(cfg.StatusPage.Logo)
		if err != nil {
			warning = fmt.Errorf("%w; the page is written without it", err)
		}
		opts.Logo = logo
	}
	return opts, warning
}

// dirLocks serialises the writers of one directory in this process (the
// cockpit, or every session of an SSH room): each reads the store after
// the one before it wrote, so the page a later publish writes is never
// overwritten by an earlier one's.
var dirLocks sync.Map // dir -> *sync.Mutex

// Generate writes the page of every incident in st into dir. A warning
// (a logo that cannot be used) comes back in Result.Warning with the page
// written.
func Generate(st *store.Store, dir string, cfg *config.Config, now time.Time) (Result, error) {
	opts, warning := OptionsFrom(cfg)
	mu, _ := dirLocks.LoadOrStore(dir, new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	defer lockDir(dir)()
	// The heads carry the public updates and none of the timeline, which
	// the page never shows.
	incs, err := st.IncidentHeads()
	if err != nil {
		return Result{Dir: dir}, err
	}
	files, err := Build(incs, opts, now)
	if err != nil {
		return Result{Dir: dir}, err
	}
	res, err := Write(dir, files)
	res.Warning = warning
	return res, err
}

// AfterPublish is the one hook every publishing path calls once the update
// is recorded: the cockpit and the SSH room (in a tea.Cmd) and
// `warroom log /publish`. With no status_page_dir in the config it does
// nothing. Its error is for the person who published to see; the update
// is published either way.
func AfterPublish(st *store.Store, cfg *config.Config, now time.Time) (Result, error) {
	if cfg == nil || cfg.StatusPage.Dir == "" {
		return Result{}, nil
	}
	res, err := Generate(st, cfg.StatusPage.Dir, cfg, now)
	if err != nil {
		return res, fmt.Errorf("the update is published, but the status page in %s was not regenerated: %w", cfg.StatusPage.Dir, err)
	}
	return res, nil
}
