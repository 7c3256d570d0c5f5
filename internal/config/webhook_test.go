package config

import (
	"reflect"
	"strings"
	"testing"

	"github.com/warroom-cli/warroom/internal/notify"
)

func TestWebhookTables(t *testing.T) {
	p := writeConfig(t, `webhooks = ["https://hooks.slack.com/services/T/B/one"]

[[webhook]]
url = "https://discord.com/api/webhooks/1/abcd"

[[webhook]]
name = "status page"
url = "https://status.example.com/hook"
format = "JSON"
secret = "k3y"

[[webhook]]
url = "https://chat.example.com/hooks/xyz"
format = "mattermost"

[[webhook]]
url = "https://prod-1.westus.logic.azure.com/workflows/x"
`)
	c, err := LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 0 {
		t.Fatalf("warnings for a good file: %q", c.Warnings)
	}
	want := []notify.Target{
		{URL: "https://hooks.slack.com/services/T/B/one", Format: notify.FormatSlack},
		{URL: "https://discord.com/api/webhooks/1/abcd", Format: notify.FormatDiscord},
		{Name: "status page", URL: "https://status.example.com/hook", Format: notify.FormatJSON, Secret: "k3y"},
		{URL: "https://chat.example.com/hooks/xyz", Format: notify.FormatMattermost},
		{URL: "https://prod-1.westus.logic.azure.com/workflows/x", Format: notify.FormatTeams},
	}
	if got := c.Targets(); !reflect.DeepEqual(got, want) {
		t.Fatalf("targets\n got %+v\nwant %+v", got, want)
	}
	if c.Webhook[0].Line != 3 || c.Webhook[1].Line != 6 {
		t.Errorf("lines %d, %d; want 3, 6", c.Webhook[0].Line, c.Webhook[1].Line)
	}
	v := c.Value("webhook")
	for _, s := range []string{"discord, guessed from the host discord.com", "status page https://status.example.com/hook (json, signed)", "teams, guessed from the host prod-1.westus.logic.azure.com", "(mattermost)"} {
		if !strings.Contains(v, s) {
			t.Errorf("config shows %q, want it to say %q", v, s)
		}
	}
	if strings.Contains(v, "k3y") || strings.Contains(v, "abcd/") {
		t.Errorf("config shows a secret: %q", v)
	}
	if !strings.HasPrefix(c.Source["webhook"], "file ") {
		t.Errorf("source %q", c.Source["webhook"])
	}
}

func TestWebhookWarnings(t *testing.T) {
	p := writeConfig(t, `author = "li"
webhooks = ["ftp://files.example.com/x", "http://good.example/one", "https://discord.com/api/webhooks/9/zz"]

[[webhook]]
name = "ops"
url = "https://ops.example.com/hook"
format = "dicord"

[[webhook]]
url = "gopher://old.example/hook"

[[webhook]]
name = "audit"
url = "https://audit.example.com/in"
format = "json"
secret = ""

[[webhook]]
url = "https://fine.example.com/x"
format = "slack"
sercet = "typo"

[[webhook]]
url = "http://good.example/one"

[[webhook]]
format = "teams"
`)
	c, err := LoadFile(p)
	if err != nil {
		t.Fatalf("a bad target must not refuse the file: %v", err)
	}
	if c.Author != "li" {
		t.Error("the rest of the file was not read")
	}
	wants := []string{
		p + ` line 2: webhooks entry ftp://files.example.com/x is not an http(s) URL, so it is skipped`,
		p + ` line 2: webhooks entry https://discord.com/…9/zz is a discord webhook (host discord.com) but the webhooks list posts Slack's format`,
		p + ` line 4: [[webhook]] "ops" has format "dicord", which is not known, so it is skipped; use one of slack, mattermost, discord, googlechat, teams, json`,
		p + ` line 9: [[webhook]] gopher://old.example/hook is not an http(s) URL, so it is skipped`,
		p + ` line 12: [[webhook]] "audit" has an empty secret, so its updates are sent unsigned`,
		p + ` line 18: [[webhook]] https://fine.example.com/x has unknown keys sercet (ignored)`,
		p + ` line 23: [[webhook]] http://good.example/one posts to the same URL as http://good.example/one, so it is skipped`,
		p + ` line 26: [[webhook]] number 6 has no url, so it is skipped`,
	}
	if len(c.Warnings) != len(wants) {
		t.Errorf("%d warnings, want %d:\n%s", len(c.Warnings), len(wants), strings.Join(c.Warnings, "\n"))
	}
	for _, w := range wants {
		found := false
		for _, got := range c.Warnings {
			found = found || strings.HasPrefix(got, w)
		}
		if !found {
			t.Errorf("no warning starting %q in:\n%s", w, strings.Join(c.Warnings, "\n"))
		}
	}
	// The other targets still work.
	var urls []string
	for _, tg := range c.Targets() {
		urls = append(urls, tg.URL+"="+string(tg.Format))
	}
	want := "http://good.example/one=slack https://discord.com/api/webhooks/9/zz=slack https://audit.example.com/in=json https://fine.example.com/x=slack"
	if strings.Join(urls, " ") != want {
		t.Errorf("targets %s\nwant    %s", strings.Join(urls, " "), want)
	}
}

func TestWebhookNameClash(t *testing.T) {
	c, err := LoadFile(writeConfig(t, `[[webhook]]
name = "ops"
url = "https://a.example/x"

[[webhook]]
name = "ops"
url = "https://b.example/y"
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Targets()) != 1 || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "has the name of another target") {
		t.Errorf("targets %+v warnings %q", c.Targets(), c.Warnings)
	}
}
