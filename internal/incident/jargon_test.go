package incident

import (
	"strings"
	"testing"
)

// jargonWant is a finding as the tests spell it: the word and why.
type jargonWant struct{ word, why string }

func TestCheckJargon(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		extra []string
		allow []string
		want  []jargonWant // nil: the text must pass clean
	}{
		// Plain sentences a stakeholder follows.
		{name: "plain investigating", text: "We are investigating slow checkout for some customers."},
		{name: "handbook identified", text: "12:40: Issue identified; team working on resolution."},
		{name: "handbook no eta", text: "13:10: Still investigating the problem; no ETA yet."},
		{name: "handbook root cause", text: "13:40: Root cause identified; resolution plan in progress."},
		{name: "handbook eta", text: "14:20: Ongoing resolution efforts; ETA for resolution provided."},
		{name: "plain times and numbers", text: "Since 12:40 UTC about 20% of payments (roughly 1,500) failed; 2.5 times the usual."},
		{name: "plain abbreviations", text: "Customers in the U.S. and EU, e.g. card payments, are affected 24/7 and/or at 9 a.m."},
		{name: "plain email", text: "Questions? Write to support@example.com and we will answer."},
		{name: "plain hyphens", text: "A follow-up e-mail with a sign-in link is on its way; read-only mode ends soon."},
		{name: "plain brands", text: "Payments with PayPal and YouTube sign-in are slow on iPhone."},
		{name: "plain emphasis", text: "Payments are NOT affected. ALL orders are safe. UPDATE: fixed."},
		{name: "plain counting", text: "Around 300 customers and 42 shops saw delays; COVID-19 rules are unchanged."},
		{name: "plain empty", text: ""},
		{name: "plain unicode", text: "Wir untersuchen langsame Zahlungen – „bitte“ etwas Geduld… ça va."},

		// Shapes.
		{name: "hostname with dots", text: "Errors come from api.example.com right now.", want: []jargonWant{{"api.example.com", WhyHostname}}},
		{name: "machine name", text: "db-prod-03 is down.", want: []jargonWant{{"db-prod-03", WhyHostname}}},
		{name: "machine name with digits", text: "web01 and db1 restarted", want: []jargonWant{{"web01", WhyHostname}, {"db1", WhyHostname}}},
		{name: "host and port", text: "cannot reach cache-a.internal:6379", want: []jargonWant{{"cache-a.internal:6379", WhyHostname}}},
		{name: "ipv4", text: "Traffic from 10.0.4.12 is dropped.", want: []jargonWant{{"10.0.4.12", WhyIP}}},
		{name: "ipv4 port and cidr", text: "10.0.4.12:5432 and 10.0.0.0/8", want: []jargonWant{{"10.0.4.12:5432", WhyIP}, {"10.0.0.0/8", WhyIP}}},
		{name: "ipv6", text: "fe80::1 and 2001:db8::42, then [::1]:8080.", want: []jargonWant{{"fe80::1", WhyIP}, {"2001:db8::42", WhyIP}, {"[::1]:8080", WhyIP}}},
		{name: "url", text: "See https://grafana.internal/d/abc?x=1.", want: []jargonWant{{"https://grafana.internal/d/abc?x=1", WhyURL}}},
		{name: "www url", text: "Visit (www.example.com/status).", want: []jargonWant{{"www.example.com/status", WhyURL}}},
		{name: "absolute path", text: "Disk full under /var/log/nginx.", want: []jargonWant{{"/var/log/nginx", WhyPath}}},
		{name: "relative and home paths", text: "./deploy.sh failed, ~/.kube/config too", want: []jargonWant{{"./deploy.sh", WhyPath}, {"~/.kube/config", WhyPath}}},
		{name: "file names", text: "We changed nginx.conf and .env", want: []jargonWant{{"nginx.conf", WhyPath}, {".env", WhyPath}}},
		{name: "windows path", text: `C:\Windows\Temp filled up`, want: []jargonWant{{`C:\Windows\Temp`, WhyPath}}},
		{name: "http status", text: "Users see HTTP 503 pages.", want: []jargonWant{{"HTTP 503", WhyErrorCode}}},
		{name: "status class", text: "5xx rates are up, and 4XX too", want: []jargonWant{{"5xx", WhyErrorCode}, {"4XX", WhyErrorCode}}},
		{name: "status count words", text: "Some customers received 503 errors; status code 500 and 502s.", want: []jargonWant{{"503 errors", WhyErrorCode}, {"status code 500", WhyErrorCode}, {"502s", WhyErrorCode}}},
		{name: "oracle code", text: "ORA-00942 on every write", want: []jargonWant{{"ORA-00942", WhyErrorCode}}},
		{name: "hex address", text: "crash at 0x7fff5fbff8c8 again", want: []jargonWant{{"0x7fff5fbff8c8", WhyErrorCode}}},
		{name: "errno and signal", text: "ECONNREFUSED, then SIGKILL and E11000", want: []jargonWant{{"ECONNREFUSED", WhyErrorCode}, {"SIGKILL", WhyErrorCode}, {"E11000", WhyErrorCode}}},
		{name: "java trace", text: "at com.acme.pay.Charge.run(Charge.java:42)", want: []jargonWant{{"at com.acme.pay.Charge.run(Charge.java:42)", WhyStackTrace}}},
		{name: "python trace", text: `Traceback (most recent call last): File "app.py", line 12, in main`, want: []jargonWant{{"Traceback (most recent call last):", WhyStackTrace}, {`File "app.py", line 12, in main`, WhyStackTrace}}},
		{name: "go trace", text: "goroutine 7 [running]: main.go:31", want: []jargonWant{{"goroutine 7 [running]:", WhyStackTrace}, {"main.go:31", WhyStackTrace}}},
		{name: "exception names", text: "NullPointerException and TypeError everywhere", want: []jargonWant{{"NullPointerException", WhyStackTrace}, {"TypeError", WhyStackTrace}}},
		{name: "snake case", text: "payment_service and MAX_RETRIES", want: []jargonWant{{"payment_service", WhyIdentifier}, {"MAX_RETRIES", WhyIdentifier}}},
		{name: "camel and pascal case", text: "getUserById failed in PaymentService", want: []jargonWant{{"getUserById", WhyIdentifier}, {"PaymentService", WhyIdentifier}}},
		{name: "dotted names", text: "payments.worker and System.out broke", want: []jargonWant{{"payments.worker", WhyIdentifier}, {"System.out", WhyIdentifier}}},
		{name: "ids hashes versions", text: "commit abc1234f, request 550e8400-e29b-41d4-a716-446655440000, v1.2.3, INC-12", want: []jargonWant{{"abc1234f", WhyIdentifier}, {"550e8400-e29b-41d4-a716-446655440000", WhyIdentifier}, {"v1.2.3", WhyIdentifier}, {"INC-12", WhyIdentifier}}},
		{name: "calls flags assignments", text: "charge() with --force and retries=3", want: []jargonWant{{"charge(", WhyIdentifier}, {"--force", WhyIdentifier}, {"retries=3", WhyIdentifier}}},
		{name: "acronyms", text: "The IdP sends bad SAML to our SSO.", want: []jargonWant{{"SAML", WhyAcronym}, {"SSO", WhyAcronym}}},

		// The word list.
		{name: "issue example", text: "k8s pods OOM on the cluster", want: []jargonWant{{"k8s", WhyTerm}, {"pods", WhyTerm}, {"OOM", WhyTerm}, {"cluster", WhyTerm}}},
		{name: "latency", text: "p99 latency doubled after the deploy", want: []jargonWant{{"p99", WhyTerm}, {"latency", WhyTerm}, {"deploy", WhyTerm}}},
		{name: "rollback words", text: "We rolled back, a rollback of the revert.", want: []jargonWant{{"rolled back", WhyTerm}, {"rollback", WhyTerm}, {"revert", WhyTerm}}},
		{name: "network words", text: "DNS and TLS cert problems with the API", want: []jargonWant{{"DNS", WhyTerm}, {"TLS", WhyTerm}, {"cert", WhyTerm}, {"API", WhyTerm}}},
		{name: "storage words", text: "The database cache queue shard replica", want: []jargonWant{{"database", WhyTerm}, {"cache", WhyTerm}, {"queue", WhyTerm}, {"shard", WhyTerm}, {"replica", WhyTerm}}},
		{name: "more words", text: "failover, hotfix, config, endpoint, db, node, kubernetes, CPU", want: []jargonWant{{"failover", WhyTerm}, {"hotfix", WhyTerm}, {"config", WhyTerm}, {"endpoint", WhyTerm}, {"db", WhyTerm}, {"node", WhyTerm}, {"kubernetes", WhyTerm}, {"CPU", WhyTerm}}},
		{name: "plurals and possessives", text: "The APIs, the API's limits, two hotfixes, the caches.", want: []jargonWant{{"APIs", WhyTerm}, {"API", WhyTerm}, {"hotfixes", WhyTerm}, {"caches", WhyTerm}}},
		{name: "parts of compounds", text: "cache-related DNS/TLS trouble", want: []jargonWant{{"cache", WhyTerm}, {"DNS", WhyTerm}, {"TLS", WhyTerm}}},
		{name: "phrase across spaces", text: "behind the load\n  balancer", want: []jargonWant{{"load\n  balancer", WhyTerm}}},

		// Config.
		{name: "extra words", text: "pgbouncer and Vitess are saturated", extra: []string{"pgbouncer", "vitess"}, want: []jargonWant{{"pgbouncer", WhyTerm}, {"Vitess", WhyTerm}, {"saturated", WhyTerm}}},
		{name: "extra phrase", text: "The Blue Team ran the blue  team drill", extra: []string{"blue team"}, want: []jargonWant{{"Blue Team", WhyTerm}, {"blue  team", WhyTerm}}},
		{name: "extra plural", text: "two pgbouncers", extra: []string{"PgBouncer"}, want: []jargonWant{{"pgbouncers", WhyTerm}}},
		{name: "allow word", text: "The API and the APIs are slow; DNS too", allow: []string{"api"}, want: []jargonWant{{"DNS", WhyTerm}}},
		{name: "allow acronym and host", text: "SSO via status.example.com", allow: []string{"SSO", "status.example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckJargon(tt.text, tt.extra, tt.allow)
			var have []jargonWant
			for _, f := range got {
				have = append(have, jargonWant{f.Word, f.Why})
				if tt.text[f.Start:f.End] != f.Word {
					t.Errorf("span %d-%d is %q, word says %q", f.Start, f.End, tt.text[f.Start:f.End], f.Word)
				}
			}
			if !equalJargon(have, tt.want) {
				t.Errorf("CheckJargon(%q)\n got %q\nwant %q", tt.text, have, tt.want)
			}
		})
	}
}

func equalJargon(a, b []jargonWant) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCheckJargonSuggests(t *testing.T) {
	for word, want := range map[string]string{
		"rollback": "undo the change",
		"latency":  "slowness",
		"OOM":      "ran out of memory",
		"db-03-a":  "one of our servers",
		"5xx":      "errors",
	} {
		got := CheckJargon("The "+word+" again", nil, nil)
		if len(got) != 1 || len(got[0].Suggest) == 0 || got[0].Suggest[0] != want {
			t.Errorf("CheckJargon(%q) = %+v, want the suggestion %q first", word, got, want)
		}
	}
}

func TestCheckJargonBuiltinDraftsAreClean(t *testing.T) {
	for name, tmpl := range builtinTemplates {
		text := strings.NewReplacer("{eta}", "14:30", "{next_update}", "13:10").Replace(tmpl)
		if got := CheckJargon(text, nil, nil); len(got) > 0 {
			t.Errorf("the built-in %s template has jargon: %+v", name, got)
		}
	}
}

// checkJargonSpans asserts what every result must satisfy, whatever the input.
func checkJargonSpans(t *testing.T, text string, got []JargonFinding) {
	t.Helper()
	end := 0
	for _, f := range got {
		if f.Start < end || f.End <= f.Start || f.End > len(text) {
			t.Fatalf("finding %+v overlaps the previous one or is out of range (text %d bytes)", f, len(text))
		}
		if text[f.Start:f.End] != f.Word {
			t.Fatalf("finding %+v: the span holds %q", f, text[f.Start:f.End])
		}
		if f.Why == "" {
			t.Fatalf("finding %+v has no reason", f)
		}
		end = f.End
	}
}

func FuzzCheckJargon(f *testing.F) {
	for _, s := range []string{
		"We are investigating slow checkout for some customers.",
		"db-prod-03 at 10.0.0.1:5432 says ORA-00942, see https://x.io/a.",
		"[::1]:8080 fe80::1%eth0 0x7f… HTTP/1.1 503",
		`Traceback (most recent call last): File "a.py", line 1`,
		"the load \n balancer rolled   back",
		"ß¡“quoted”’s… İstanbul ΣΑΣ",
		"\x00\xff\xfe/\\..//",
	} {
		f.Add(s, "blue team", "api")
	}
	f.Fuzz(func(t *testing.T, text, extra, allow string) {
		got := CheckJargon(text, []string{extra, "pgbouncer"}, []string{allow})
		checkJargonSpans(t, text, got)
	})
}

var benchUpdate = strings.Repeat("Still investigating slow checkout for some customers; db-prod-03 at 10.0.4.12 "+
	"returns HTTP 503 after the deploy of payment_service, p99 latency is up. ", 8)

func BenchmarkCheckJargon(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		CheckJargon(benchUpdate, []string{"pgbouncer", "blue team"}, []string{"API"})
	}
}

// BenchmarkBaselineFields is the floor to compare against: only splitting
// the same text into words.
func BenchmarkBaselineFields(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = strings.Fields(benchUpdate)
	}
}

var benchPlain = strings.Repeat("Still investigating slow checkout for some customers; the team is working on a fix and we will share more soon. ", 8)

// BenchmarkCheckJargonPlain is the common case: a plain update, all fast
// path.
func BenchmarkCheckJargonPlain(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		CheckJargon(benchPlain, []string{"pgbouncer", "blue team"}, []string{"API"})
	}
}
