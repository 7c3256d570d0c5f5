package notify

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/warroom-cli/warroom/internal/incident"
)

// Message is what a target receives: a published update and the incident
// it belongs to, or a test message.
type Message struct {
	Incident string // "INC-7"
	Title    string
	Severity string // "SEV2"
	Update   incident.Update
	// NextUpdateBy is when the next update is due; zero once the incident
	// is resolved.
	NextUpdateBy time.Time
	// Test marks the message of `warroom webhook test`.
	Test bool
}

// MessageFor is the message of update u of inc. The next update is due one
// cadence after u (or at the snooze time when u is the latest update and a
// snooze is set), as the countdown had it right after u was published.
func MessageFor(inc *incident.Incident, u incident.Update, p incident.Policy) Message {
	m := Message{Update: u}
	if inc == nil {
		return m
	}
	m.Incident, m.Title, m.Severity = inc.Key(), inc.Title, inc.Severity.String()
	if u.Status != incident.Resolved {
		// The incident as it stood after u: the updates up to u, and no
		// snooze (publishing clears it).
		// inc may not hold u yet (a cockpit that has not reloaded).
		at := *inc
		at.NextUpdateDue = time.Time{}
		at.Updates = []incident.Update{u}
		for _, v := range inc.Updates {
			if v.ID != u.ID && !v.At.After(u.At) {
				at.Updates = append(at.Updates, v)
			}
		}
		m.NextUpdateBy = incident.NextUpdateDue(&at, p)
	}
	return m
}

// TestText is the text of the message `warroom webhook test` posts.
const TestText = "[TEST] This is a test message from warroom (warroom webhook test) to check that this webhook works. No incident is happening; you can ignore it."

// TestMessage is the message `warroom webhook test` posts, stamped at now.
// Each has its own id, so a receiver that drops repeats still shows the
// next test.
func TestMessage(now time.Time) Message {
	return Message{Test: true, Update: incident.Update{UID: "test-" + randomHex(8), At: now, Text: TestText}}
}

// DiscordLimit is the longest content Discord takes, in UTF-16 code units
// (what its API counts; a character outside the BMP counts twice).
const DiscordLimit = 2000

// discordCut is appended to an update cut to DiscordLimit.
const discordCut = "… [cut: the full update is longer than Discord allows]"

// Body is the request body t's format takes for m.
func Body(t Target, m Message) []byte {
	text := incident.CleanText(m.Update.Text)
	switch t.format() {
	case FormatDiscord:
		return encode(struct {
			Content         string `json:"content"`
			AllowedMentions struct {
				Parse []string `json:"parse"`
			} `json:"allowed_mentions"`
		}{Content: CutUTF16(text, DiscordLimit, discordCut), AllowedMentions: struct {
			Parse []string `json:"parse"`
		}{Parse: []string{}}})
	case FormatGoogleChat:
		return textBody(neutraliseChat(text))
	case FormatTeams:
		return teamsBody(text)
	case FormatJSON:
		return jsonBody(m, text)
	}
	// slack and mattermost
	return textBody(EscapeSlack(Neutralise(text)))
}

func textBody(text string) []byte {
	return encode(struct {
		Text string `json:"text"`
	}{text})
}

// teamsBody is a Workflows ("Post to a channel when a webhook request is
// received") message carrying one Adaptive Card. Teams does not take
// Slack's body: a Workflows webhook accepts it and posts nothing.
func teamsBody(text string) []byte {
	type block struct {
		Type string `json:"type"`
		Text string `json:"text"`
		Wrap bool   `json:"wrap"`
	}
	type card struct {
		Schema  string  `json:"$schema"`
		Type    string  `json:"type"`
		Version string  `json:"version"`
		Body    []block `json:"body"`
	}
	type attachment struct {
		ContentType string  `json:"contentType"`
		ContentURL  *string `json:"contentUrl"`
		Content     card    `json:"content"`
	}
	return encode(struct {
		Type        string       `json:"type"`
		Attachments []attachment `json:"attachments"`
	}{
		Type: "message",
		Attachments: []attachment{{
			ContentType: "application/vnd.microsoft.card.adaptive",
			Content: card{
				Schema:  "http://adaptivecards.io/schemas/adaptive-card.json",
				Type:    "AdaptiveCard",
				Version: "1.4",
				Body:    []block{{Type: "TextBlock", Text: text, Wrap: true}},
			},
		}},
	})
}

// JSONUpdate is the body of a json target.
type JSONUpdate struct {
	ID           string     `json:"id"`
	Incident     string     `json:"incident"`
	Title        string     `json:"title"`
	Severity     string     `json:"severity"`
	Status       string     `json:"status"`
	Text         string     `json:"text"`
	PublishedAt  time.Time  `json:"published_at"`
	NextUpdateBy *time.Time `json:"next_update_by"`
	Test         bool       `json:"test,omitempty"`
}

func jsonBody(m Message, text string) []byte {
	u := m.Update
	doc := JSONUpdate{
		ID: updateID(m), Incident: m.Incident, Title: incident.CleanLine(m.Title), Severity: m.Severity,
		Status: string(u.Status), Text: text, PublishedAt: u.At.UTC(), Test: m.Test,
	}
	if m.Test {
		doc.Status = "test"
	}
	if !m.NextUpdateBy.IsZero() {
		t := m.NextUpdateBy.UTC()
		doc.NextUpdateBy = &t
	}
	return encode(doc)
}

// updateID is the update's stable id: its uid, else (an update recorded
// before uids) the incident and the update's number.
func updateID(m Message) string {
	switch {
	case m.Update.UID != "":
		return m.Update.UID
	case m.Test:
		return "test"
	}
	return m.Incident + "/" + strconv.FormatInt(m.Update.ID, 10)
}

// Sign is the X-Warroom-Signature header of body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func encode(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Keep "&amp;" readable; the JSON is still valid without \u0026.
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Payload is the Slack-compatible JSON body for an update's text.
func Payload(text string) []byte {
	return Body(Target{Format: FormatSlack}, Message{Update: incident.Update{Text: text}})
}

// EscapeSlack escapes the three characters Slack's message format reserves
// for its own markup: &, < and >. Escaped, "<!channel>" and "<@U123>" are
// shown as typed and ping nobody.
func EscapeSlack(s string) string {
	return slackEscaper.Replace(s)
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// broadcast matches the plain-text mentions that notify a whole channel in
// Slack and Mattermost (@channel, @here, @everyone, @all), where they start
// a word: "ops@here.example" is an address, not a mention.
var broadcast = regexp.MustCompile(`(?i)(^|[^\pL\pN_.@-])@(channel|here|everyone|all)\b`)

// Neutralise keeps broadcast mentions typed into an update from pinging: a
// zero-width space after the @ leaves the text as it reads but no longer a
// mention.
func Neutralise(s string) string {
	return broadcast.ReplaceAllString(s, "$1@\u200b$2")
}

// neutraliseChat does the same for Google Chat, whose mentions are
// <users/all> and <users/ID>, and which shows entities as typed.
func neutraliseChat(s string) string {
	return strings.ReplaceAll(s, "<users/", "<\u200busers/")
}

// CutUTF16 keeps s within limit UTF-16 code units, cutting at a space
// where one is near and appending note, so a long update arrives cut with
// a word that says so rather than refused.
func CutUTF16(s string, limit int, note string) string {
	if utf16Len(s) <= limit {
		return s
	}
	room := limit - utf16Len(note)
	if room <= 0 {
		return ""
	}
	n, cut := 0, 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > room {
			break
		}
		n += w
		cut = i + len(string(r))
	}
	kept := s[:cut]
	if sp := strings.LastIndexAny(kept, " \n\t"); sp > len(kept)*3/4 {
		kept = kept[:sp]
	}
	return strings.TrimRight(kept, " \n\t") + note
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
