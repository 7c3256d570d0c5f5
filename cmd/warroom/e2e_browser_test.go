package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/warroom-cli/warroom/internal/export"
	"github.com/warroom-cli/warroom/internal/incident"
)

// screenshotsTo, when set, makes TestStatusPageScreenshots write the
// README's screenshots there:
//
//	go test ./cmd/warroom -run TestStatusPageScreenshots -statuspage-screenshots ../../docs
var screenshotsTo = flag.String("statuspage-screenshots", "", "write docs/status-page-{phone,desktop}.png into this folder")

// requireChromium finds Debian's chromium (or another Chromium); without
// one it skips on a developer's machine and fails in CI.
func requireChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("WARROOM_E2E_REQUIRED") != "" {
		t.Fatal("chromium is required for the status page tests (WARROOM_E2E_REQUIRED is set); install it with apt-get install chromium")
	}
	t.Skip("chromium not installed; the status page browser tests need it")
	return ""
}

// requireAxe finds axe-core's axe.min.js: $WARROOM_AXE_JS, else the npm
// global install (.ci/run runs npm install -g axe-core).
func requireAxe(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("WARROOM_AXE_JS")}
	if out, err := exec.Command("npm", "root", "-g").Output(); err == nil {
		candidates = append(candidates, filepath.Join(strings.TrimSpace(string(out)), "axe-core", "axe.min.js"))
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if data, err := os.ReadFile(c); err == nil && len(data) > 0 {
			return string(data)
		}
	}
	if os.Getenv("WARROOM_E2E_REQUIRED") != "" {
		t.Fatal("axe-core is required for the status page accessibility test (WARROOM_E2E_REQUIRED is set); install it with npm install -g axe-core")
	}
	t.Skip("axe-core not installed (npm install -g axe-core); the accessibility test needs it")
	return ""
}

// browser is one headless Chromium with a fresh profile, and what its
// pages reported: console errors, uncaught exceptions, dialogs.
type browser struct {
	t       *testing.T
	ctx     context.Context
	mu      sync.Mutex
	errors  []string
	dialogs []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := requireChromium(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 8*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				b.errors = append(b.errors, "console."+string(ev.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			b.errors = append(b.errors, "exception: "+ev.ExceptionDetails.Text)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				b.errors = append(b.errors, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *page.EventJavascriptDialogOpening:
			b.dialogs = append(b.dialogs, ev.Message)
			// Not from the listener itself, which must not wait on the
			// browser.
			go func() {
				_ = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
					_, err := cdp.Call(ctx, t, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
					return err
				}))
			}()
		}
	})
	if err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return b
}

func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("chromium: %v", err)
	}
}

// eval evaluates a JavaScript expression through the DevTools protocol
// (which the page's policy does not govern) into out, waiting for a
// promise.
func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("chromium: evaluating %.60q: %v", expr, err)
	}
	if out != nil {
		if err := json.Unmarshal(v, out); err != nil {
			b.t.Fatalf("chromium: %v in %.200s", err, v)
		}
	}
}

// shot takes a screenshot of the viewport, or of the whole page.
func (b *browser) shot(full bool) []byte {
	b.t.Helper()
	a := chromedp.CaptureScreenshot()
	if full {
		a = chromedp.FullScreenshot(100)
	}
	data, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatalf("chromium: screenshot: %v", err)
	}
	return data
}

// reported returns and forgets what the pages reported.
func (b *browser) reported() (errs, dialogs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	errs, dialogs = b.errors, b.dialogs
	b.errors, b.dialogs = nil, nil
	return errs, dialogs
}

// viewport sets the window as a phone (390 px wide) or a desktop.
func viewport(width, height int, scale float64, mobile bool) chromedp.Action[chromedp.Void] {
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(scale)}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(int64(width), int64(height), opts...)
}

// colorScheme emulates prefers-color-scheme.
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}

func fileURL(path string) string { return "file://" + filepath.ToSlash(path) }

// pageFacts is what the test reads out of a loaded page.
type pageFacts struct {
	Scripts     int     `json:"scripts"`
	CSP         string  `json:"csp"`
	BodyFontPx  float64 `json:"bodyFontPx"`
	ScrollWidth int     `json:"scrollWidth"`
	InnerWidth  int     `json:"innerWidth"`
	InnerHeight int     `json:"innerHeight"`
	Text        string  `json:"text"`
	Incidents   []struct {
		Title         string  `json:"title"`
		FirstIsNext   bool    `json:"firstIsNext"`
		FirstLatest   bool    `json:"firstLatest"`
		FirstText     string  `json:"firstText"`
		FirstTop      float64 `json:"firstTop"`
		HeadingBottom float64 `json:"headingBottom"`
		FirstVisible  bool    `json:"firstVisible"`
	} `json:"incidents"`
	Links   []string `json:"links"`
	Updates int      `json:"updates"`
}

// factsJS reads the page as a person sees it: for each incident, whether
// the first element after its heading is its update list led by the
// latest update, and whether that update is laid out and visible.
const factsJS = `(() => {
  const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  const facts = {
    scripts: document.scripts.length,
    csp: csp ? csp.content : "",
    bodyFontPx: parseFloat(getComputedStyle(document.body).fontSize),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    text: document.body.innerText,
    incidents: [],
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    updates: document.querySelectorAll('li.update').length,
  };
  for (const art of document.querySelectorAll('article')) {
    const h = art.querySelector('h1, h3');
    const next = h.nextElementSibling;
    const first = next && next.tagName === 'UL' ? next.firstElementChild : null;
    const r = first ? first.getBoundingClientRect() : null;
    const hr = h.getBoundingClientRect();
    const st = first ? getComputedStyle(first) : null;
    facts.incidents.push({
      title: h.innerText,
      firstIsNext: !!first,
      firstLatest: !!first && first.classList.contains('latest'),
      firstText: first ? first.innerText : "",
      firstTop: r ? r.top : -1,
      headingBottom: hr.bottom,
      firstVisible: !!r && r.width > 0 && r.height > 0 && st.visibility === 'visible' && st.display !== 'none',
    });
  }
  return facts;
})()`

func (b *browser) facts(url string) pageFacts {
	b.t.Helper()
	var f pageFacts
	b.do(chromedp.Navigate(url))
	b.eval(factsJS, &f)
	return f
}

// axeViolation is one failed axe-core rule.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []string `json:"target"`
		Summary string   `json:"failureSummary"`
	} `json:"nodes"`
}

// axe runs axe-core on the loaded page (through the DevTools protocol,
// which the page's policy does not govern) and returns its serious and
// critical violations.
func (b *browser) axe(source, context string) []axeViolation {
	b.t.Helper()
	var vs []axeViolation
	b.eval(source+"\n;true", nil)
	b.eval(`axe.run(`+context+`, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))})))`, &vs)
	var serious []axeViolation
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			serious = append(serious, v)
		}
	}
	return serious
}

// hostileSite writes a status page for an incident whose title and
// updates carry hostile text, with 10,000 updates, and returns its
// directory, the incident's page and the HTML export.
func hostileSite(t *testing.T) (e *env, site string) {
	t.Helper()
	e = newEnv(t)
	e.writeConfig("[status_page]\norg = \"Example <b>Ltd</b>\"\n")
	start := time.Now().UTC().Add(-4 * time.Hour).Truncate(time.Second)
	hostile := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(2)>`,
		`<a href="javascript:alert(3)">click me</a>`,
		`[markdown link](javascript:alert(4))`,
		"\x1b[31mred\x1b[0m \x1b]8;;javascript:alert(5)\x07osc link\x1b]8;;\x07",
		"\u202Ekcab dellor\u202C and \u2066isolated\u2069",
		`<style>body{display:none}</style>`,
		`"><svg onload=alert(6)>`,
	}
	// The 10,000 earlier updates come in as a teammate's exported copy
	// (warroom import), the way a long incident reaches a laptop; the
	// latest is published here.
	inc := &incident.Incident{
		UID: "0b5e55ed0b5e55ed0b5e55ed", Title: "Checkout <script>alert('title')</script> \u202Egnilaf\u202C failing",
		Severity: 1, Status: incident.Investigating, Created: start, Updated: start,
		Entries: []incident.Entry{{ID: 1, UID: "e1", At: start, Author: "amara", Kind: incident.KindNote, Text: "war room only: the db password is hunter2"}},
	}
	for i := range 10000 {
		inc.Updates = append(inc.Updates, incident.Update{
			ID: int64(i + 1), UID: fmt.Sprintf("u%05d", i), At: start.Add(time.Minute + time.Duration(i)*time.Second),
			Author: "ben", Status: incident.Investigating, Backfilled: true,
			Text: fmt.Sprintf("Update %d of 10000: %s", i+1, hostile[i%len(hostile)]),
		})
	}
	data, err := export.JSON(inc, incident.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(e.dir, "copy.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	e.ok("import", file)
	e.ok("log", "-i", "1", "/publish LATEST update, after 10000 others: "+strings.Join(hostile, " "))
	site = filepath.Join(e.dir, "site")
	e.ok("status-page", "--dir", site)
	return e, site
}

// TestStatusPageInChromium loads the hostile site from file:// in
// headless Chromium at phone and desktop widths, light and dark: nothing
// is reported on the console, no script runs, the latest update is the
// first visible thing of its incident, and axe-core finds no serious or
// critical accessibility violation.
func TestStatusPageInChromium(t *testing.T) {
	axeJS := requireAxe(t)
	b := newBrowser(t)
	e, site := hostileSite(t)
	pm := filepath.Join(e.dir, "postmortem.html")
	e.ok("export", "1", "--format", "html", "-o", pm)

	index := fileURL(filepath.Join(site, "index.html"))
	// The incident's page, as the index links to it.
	incidentPage := fileURL(filepath.Join(site, filepath.FromSlash(e.pageOf(site, "Checkout <script>alert('title')</script> gnilaf failing"))))
	for _, vp := range []struct {
		name          string
		width, height int
		scale         float64
		mobile        bool
	}{{"phone", 390, 844, 2, true}, {"desktop", 1280, 900, 1, false}} {
		for _, scheme := range []string{"light", "dark"} {
			b.do(viewport(vp.width, vp.height, vp.scale, vp.mobile), colorScheme(scheme))
			for _, url := range []string{index, incidentPage} {
				where := fmt.Sprintf("%s (%s, %s)", filepath.Base(url), vp.name, scheme)
				f := b.facts(url)
				checkFacts(t, where, f, vp.width)
				if url == index && !slices.Contains(f.Links, incidentPage) {
					t.Errorf("%s: no link to the incident's page %s in %q", where, incidentPage, f.Links)
				}
				if want := map[bool]int{true: 5, false: 10001}[url == index]; f.Updates != want {
					t.Errorf("%s: %d updates shown, want %d", where, f.Updates, want)
				}
				if strings.Contains(f.Text, "hunter2") || strings.Contains(f.Text, "ben") {
					t.Errorf("%s: the timeline or a person's name is on the page", where)
				}
				// axe takes most of a minute over 10,001 updates: the
				// whole page once, then without the earlier updates,
				// whose markup and colours are the latest one's.
				context := "document"
				if url == incidentPage && (vp.name != "phone" || scheme != "light") {
					context = "{exclude: [['ul.earlier']]}"
				}
				for _, v := range b.axe(axeJS, context) {
					t.Errorf("%s: accessibility: %s (%s, %s) at %+v", where, v.ID, v.Impact, v.Help, v.Nodes)
				}
				errs, dialogs := b.reported()
				for _, msg := range errs {
					t.Errorf("%s: %s", where, msg)
				}
				for _, d := range dialogs {
					t.Errorf("%s: a script ran and opened a dialog %q", where, d)
				}
			}
			// Screenshots parse as PNG at the width asked for.
			b.do(chromedp.Navigate(index))
			img, err := png.Decode(bytes.NewReader(b.shot(false)))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			if w := img.Bounds().Dx(); w != int(float64(vp.width)*vp.scale) {
				t.Errorf("%s screenshot is %d px wide", vp.name, w)
			}
		}
	}
	// The HTML postmortem, too: no console error, no script, readable.
	b.do(viewport(1280, 900, 1, false), colorScheme("light"))
	f := b.facts(fileURL(pm))
	if f.Scripts != 0 || !strings.Contains(f.Text, "<script>alert(1)</script>") || f.BodyFontPx < 16 {
		t.Errorf("postmortem: %d scripts, body %vpx, hostile text shown as text: %v", f.Scripts, f.BodyFontPx, strings.Contains(f.Text, "<script>alert(1)</script>"))
	}
	for _, v := range b.axe(axeJS, "document") {
		t.Errorf("postmortem: accessibility: %s (%s, %s) at %+v", v.ID, v.Impact, v.Help, v.Nodes)
	}
	errs, dialogs := b.reported()
	for _, msg := range append(errs, dialogs...) {
		t.Errorf("postmortem: %s", msg)
	}
}

// checkFacts asserts what a person must see on a page at a width.
func checkFacts(t *testing.T, where string, f pageFacts, width int) {
	t.Helper()
	if f.Scripts != 0 {
		t.Errorf("%s: %d script elements", where, f.Scripts)
	}
	if !strings.Contains(f.CSP, "default-src 'none'") || strings.Contains(f.CSP, "script-src") {
		t.Errorf("%s: the policy %q does not forbid scripts", where, f.CSP)
	}
	if f.BodyFontPx < 16 {
		t.Errorf("%s: body text is %vpx, under 16px", where, f.BodyFontPx)
	}
	if f.ScrollWidth > width {
		t.Errorf("%s: the page is %dpx wide in a %dpx window (it scrolls sideways)", where, f.ScrollWidth, width)
	}
	for _, want := range []string{"<script>alert(1)</script>", `<a href="javascript:alert(3)">click me</a>`, "kcab dellor", "Critical"} {
		if !strings.Contains(f.Text, want) {
			t.Errorf("%s: %q is not shown as text", where, want)
		}
	}
	if strings.ContainsAny(f.Text, "\x1b\u202E\u2066") {
		t.Errorf("%s: an escape sequence or a bidi control reached the page", where)
	}
	for _, l := range f.Links {
		if !strings.HasPrefix(l, "file://") {
			t.Errorf("%s: a link leaves the site: %q", where, l)
		}
	}
	if len(f.Incidents) != 1 {
		t.Fatalf("%s: %d incidents, want 1", where, len(f.Incidents))
	}
	inc := f.Incidents[0]
	if !strings.Contains(inc.Title, "<script>alert('title')</script>") {
		t.Errorf("%s: the title reads %q", where, inc.Title)
	}
	if !inc.FirstIsNext || !inc.FirstLatest || !strings.Contains(inc.FirstText, "LATEST update, after 10000 others") || !inc.FirstVisible {
		t.Errorf("%s: the first thing after the title is not the latest update: %+v", where, inc)
	}
	if inc.FirstTop < inc.HeadingBottom || inc.FirstTop > float64(f.InnerHeight) {
		t.Errorf("%s: the latest update is not on the first screen below its title (top %v, title bottom %v, window %v)", where, inc.FirstTop, inc.HeadingBottom, f.InnerHeight)
	}
}

// TestStatusPageScreenshots writes the README's screenshots of a realistic
// page when -statuspage-screenshots names a folder; without it, it still
// renders that page in Chromium and checks it reports nothing.
func TestStatusPageScreenshots(t *testing.T) {
	b := newBrowser(t)
	e := newEnv(t)
	logo := filepath.Join(e.dir, "logo.png")
	writeLogo(t, logo)
	e.writeConfig("timezone = \"Europe/Berlin\"\n[status_page]\norg = \"Example Ltd\"\nlogo = " + strconvQuote(logo) + "\n")
	now := time.Now().UTC()
	old := e.newIncident("Search results slow", "--sev", "3", "--at", now.Add(-30*time.Hour).Format(time.RFC3339))
	e.ok("log", "-i", old, "--at", now.Add(-29*time.Hour-50*time.Minute).Format(time.RFC3339), "/publish Search is slower than usual for some customers. We are investigating.")
	e.ok("log", "-i", old, "--at", now.Add(-29*time.Hour).Format(time.RFC3339), "/status resolved")
	e.ok("log", "-i", old, "--at", now.Add(-29*time.Hour).Format(time.RFC3339), "/publish Search is back to normal. We are sorry for the trouble.")
	id := e.newIncident("Card payments failing at checkout", "--sev", "2", "--at", now.Add(-75*time.Minute).Format(time.RFC3339))
	e.ok("log", "-i", id, "--at", now.Add(-70*time.Minute).Format(time.RFC3339), "/publish Some customers cannot pay by card at checkout. We are investigating.")
	e.ok("log", "-i", id, "--at", now.Add(-45*time.Minute).Format(time.RFC3339), "/status identified")
	e.ok("log", "-i", id, "--at", now.Add(-45*time.Minute).Format(time.RFC3339), "/publish We found the cause: a change made this morning. We are undoing it.")
	e.ok("log", "-i", id, "/status monitoring")
	e.ok("log", "-i", id, "/publish Card payments work again. We are watching closely and will post again within 30 minutes.")
	site := filepath.Join(e.dir, "site")
	e.ok("status-page", "--dir", site)
	index := fileURL(filepath.Join(site, "index.html"))
	for _, vp := range []struct {
		name          string
		width, height int
		scale         float64
		mobile        bool
	}{{"phone", 390, 844, 2, true}, {"desktop", 1280, 900, 1, false}} {
		b.do(viewport(vp.width, vp.height, vp.scale, vp.mobile), colorScheme("light"), chromedp.Navigate(index))
		// The phone's first screen, the desktop's whole page.
		shot := b.shot(!vp.mobile)
		errs, dialogs := b.reported()
		for _, msg := range append(errs, dialogs...) {
			t.Errorf("%s: %s", vp.name, msg)
		}
		if _, err := png.Decode(bytes.NewReader(shot)); err != nil {
			t.Fatalf("%s screenshot: %v", vp.name, err)
		}
		if *screenshotsTo != "" {
			out := filepath.Join(*screenshotsTo, "status-page-"+vp.name+".png")
			if err := os.WriteFile(out, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", out)
		}
	}
}

// writeLogo draws a small logo: a rounded square with a white bar.
func writeLogo(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 80, 80))
	brand := color.RGBA{0x0b, 0x57, 0xc4, 0xff}
	for y := range 80 {
		for x := range 80 {
			dx, dy := max(12-x, x-67, 0), max(12-y, y-67, 0)
			if dx*dx+dy*dy <= 144 {
				img.Set(x, y, brand)
			}
			if y >= 34 && y < 46 && x >= 20 && x < 60 {
				img.Set(x, y, color.White)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
