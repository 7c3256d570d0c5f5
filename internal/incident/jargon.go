package incident

import (
	"net/netip"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Why a word was flagged by the jargon check.
const (
	WhyHostname   = "hostname"
	WhyIP         = "IP address"
	WhyURL        = "URL"
	WhyPath       = "file path"
	WhyErrorCode  = "error code"
	WhyStackTrace = "stack trace"
	WhyIdentifier = "identifier"
	WhyAcronym    = "acronym"
	WhyTerm       = "technical term"
)

// JargonFinding is one place in a public update that a stakeholder would not
// follow.
type JargonFinding struct {
	// Start and End are byte offsets into the checked text; Word is
	// text[Start:End].
	Start, End int
	Word       string
	Why        string
	// Suggest holds plain words to use instead, when there are any.
	Suggest []string
}

// CheckJargon finds the words in a public update that a stakeholder would not
// follow: hostnames, IP addresses, URLs, file paths, error and status codes,
// stack-trace fragments, identifiers, unknown acronyms and a list of
// technical terms. extra adds words or phrases to flag (config jargon.words);
// allow names words never to flag (config jargon.allow), compared without
// regard to case. Findings are in text order and never overlap.
func CheckJargon(text string, extra, allow []string) []JargonFinding {
	c := checker{text: text}
	if len(allow) > 0 {
		c.allow = make(map[string]bool, len(allow))
		for _, a := range allow {
			if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
				c.allow[a] = true
			}
		}
	}
	for _, w := range extra {
		w = strings.ToLower(strings.Join(strings.Fields(w), " "))
		if w == "" {
			continue
		}
		if strings.Contains(w, " ") {
			c.extraPhrases = append(c.extraPhrases, w)
			continue
		}
		if c.extraWords == nil {
			c.extraWords = map[string]bool{}
		}
		c.extraWords[w] = true
	}
	c.lower = strings.ToLower(text)
	if len(c.lower) != len(text) {
		// Lowercasing changed byte lengths (rare scripts); offsets would
		// not line up, so phrases match the original text, case and all.
		c.lower = text
	}
	// Patterns that span several words come first and claim their text.
	// Each runs only when a word it needs is there: most updates hold
	// none, and a regexp scan is the slowest step.
	for _, p := range spanPatterns {
		if !slices.ContainsFunc(p.hints, func(h string) bool { return strings.Contains(c.lower, h) }) {
			continue
		}
		for _, m := range p.re.FindAllStringIndex(text, -1) {
			c.add(m[0], m[1], p.why, p.suggest)
		}
	}
	c.phrases()
	c.tokens()
	slices.SortFunc(c.found, func(a, b JargonFinding) int { return a.Start - b.Start })
	return c.found
}

type checker struct {
	text string
	// lower is text in lower case, byte for byte where possible.
	lower        string
	allow        map[string]bool
	extraWords   map[string]bool
	extraPhrases []string
	found        []JargonFinding
}

// add records a finding unless it is allowed or overlaps an earlier one.
func (c *checker) add(start, end int, why string, suggest []string) {
	if start >= end {
		return
	}
	word := c.text[start:end]
	if c.allowed(word) {
		return
	}
	for _, f := range c.found {
		if start < f.End && f.Start < end {
			return
		}
	}
	c.found = append(c.found, JargonFinding{Start: start, End: end, Word: word, Why: why, Suggest: suggest})
}

func (c *checker) allowed(word string) bool {
	if c.allow == nil {
		return false
	}
	w := strings.ToLower(word)
	if c.allow[w] {
		return true
	}
	// "APIs" and "API's" are allowed with "API".
	for _, suf := range []string{"'s", "’s", "s"} {
		if strings.HasSuffix(w, suf) && c.allow[strings.TrimSuffix(w, suf)] {
			return true
		}
	}
	return false
}

// phrases flags the multi-word terms, built in (longest first, so "dead
// letter queue" wins over "queue") and from config.
func (c *checker) phrases() {
	for _, p := range builtinPhrases {
		c.phrase(p.words, phraseTerms[p.key])
	}
	for _, p := range c.extraPhrases {
		c.phrase(strings.Fields(p), nil)
	}
}

func (c *checker) phrase(words []string, suggest []string) {
	lower := c.lower
	for i := 0; i < len(lower); {
		start, end := matchWords(lower[i:], words)
		if start < 0 {
			return
		}
		start, end = start+i, end+i
		if boundary(lower, start, end) {
			c.add(start, end, WhyTerm, suggest)
		}
		i = start + 1
	}
}

// matchWords finds words in s separated by any run of white space.
func matchWords(s string, words []string) (start, end int) {
	for from := 0; ; {
		j := strings.Index(s[from:], words[0])
		if j < 0 {
			return -1, -1
		}
		start = from + j
		end = start + len(words[0])
		ok := true
		for _, w := range words[1:] {
			k := end
			for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n') {
				k++
			}
			if k == end || !strings.HasPrefix(s[k:], w) {
				ok = false
				break
			}
			end = k + len(w)
		}
		if ok {
			return start, end
		}
		from = start + 1
	}
}

func boundary(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if isWordRune(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if isWordRune(r) {
			return false
		}
	}
	return true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// tokens classifies each white-space separated word.
func (c *checker) tokens() {
	s := c.text
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		c.token(i, j)
		i = j
	}
}

// Punctuation trimmed around a word before it is classified. A colon is
// trimmed only after the IP check, so "fe80::" survives it.
const (
	leadTrim  = "(\"'[{<“‘«"
	trailTrim = ".,;!?)\"']}>”’»…"
)

func (c *checker) token(start, end int) {
	s, e := trimSpan(c.text, start, end, leadTrim, trailTrim)
	if s >= e {
		return
	}
	tok := c.text[s:e]
	if strings.Contains(tok, "@") && !strings.HasPrefix(tok, "@") {
		// An e-mail address is something a customer can use.
		return
	}
	// "[::1]:8080" keeps its bracket for the check.
	if ls, le := trimSpan(c.text, start, end, "", trailTrim); ls < le && isIP(c.text[ls:le]) {
		c.add(ls, le, WhyIP, suggestServer)
		return
	}
	if isIP(tok) {
		c.add(s, e, WhyIP, suggestServer)
		return
	}
	if plainWord(tok) {
		c.words(s, e)
		return
	}
	s, e = trimSpan(c.text, s, e, "", trailTrim+":")
	if s >= e {
		return
	}
	tok = c.text[s:e]
	if why, sug := classify(tok); why != "" {
		c.add(s, e, why, sug)
		return
	}
	c.words(s, e)
}

// plainWord is the fast path for most words: ASCII letters, capitalised at
// most, maybe with an apostrophe or trailing punctuation; no shape applies.
func plainWord(tok string) bool {
	for i := 0; i < len(tok); i++ {
		switch b := tok[i]; {
		case b >= 'a' && b <= 'z', b == '\'', b == ',', b == '.' && i == len(tok)-1:
		case b >= 'A' && b <= 'Z' && i == 0 && len(tok) > 1 && tok[1] >= 'a' && tok[1] <= 'z':
		default:
			return false
		}
	}
	return true
}

func trimSpan(text string, s, e int, lead, trail string) (int, int) {
	for s < e {
		r, size := utf8.DecodeRuneInString(text[s:e])
		if !strings.ContainsRune(lead, r) {
			break
		}
		s += size
	}
	for s < e {
		r, size := utf8.DecodeLastRuneInString(text[s:e])
		if !strings.ContainsRune(trail, r) {
			break
		}
		e -= size
	}
	return s, e
}

func isIP(tok string) bool {
	if strings.Count(tok, ".") < 3 && strings.Count(tok, ":") < 2 {
		return false
	}
	t := strings.TrimSuffix(strings.TrimPrefix(tok, "["), "]")
	if _, err := netip.ParseAddr(t); err == nil {
		return true
	}
	if _, err := netip.ParseAddrPort(tok); err == nil {
		return true
	}
	if _, err := netip.ParsePrefix(t); err == nil {
		return true
	}
	return false
}

// classify recognises the shape of one trimmed word. It returns "" for a
// word that is not technical by its shape (it may still be a listed term).
func classify(tok string) (string, []string) {
	lower := strings.ToLower(tok)
	switch {
	case strings.Contains(tok, "://") || strings.HasPrefix(lower, "www."):
		return WhyURL, suggestURL
	case isPath(tok):
		return WhyPath, suggestPath
	case statusClassRE.MatchString(tok) || statusPluralRE.MatchString(tok) || hexRE.MatchString(tok) ||
		errnos[tok] || signalRE.MatchString(tok) || numericErrRE.MatchString(tok):
		return WhyErrorCode, suggestError
	case prefixedCodeRE.MatchString(tok):
		return codeOrID(tok)
	case exceptionRE.MatchString(tok) || sourceLineRE.MatchString(tok):
		return WhyStackTrace, suggestTrace
	case uuidRE.MatchString(tok) || isHash(tok):
		return WhyIdentifier, suggestIdent
	}
	if host, port, ok := strings.Cut(tok, ":"); ok && portRE.MatchString(port) && (isHostLike(host) || isDotted(host)) {
		return WhyHostname, suggestServer
	}
	if isDotted(tok) {
		labels := strings.Split(tok, ".")
		last := strings.ToLower(labels[len(labels)-1])
		switch {
		case fileExts[last] && !(len(labels) == 2 && labels[0] == ""):
			return WhyPath, suggestPath
		case hostnameRE.MatchString(tok) && tlds[last]:
			return WhyHostname, suggestServer
		}
		return WhyIdentifier, suggestIdent
	}
	switch {
	case versionRE.MatchString(tok):
		return WhyIdentifier, suggestIdent
	case isHostLike(tok):
		return WhyHostname, suggestServer
	case snakeRE.MatchString(tok) || camelRE.MatchString(tok) || callRE.MatchString(tok) ||
		assignRE.MatchString(tok) || flagRE.MatchString(tok) || isPascalTech(tok):
		return WhyIdentifier, suggestIdent
	}
	return "", nil
}

// codeOrID tells "ORA-00942" (an error code) from "INC-7" or "JIRA-12"
// (identifiers) and lets "COVID-19" through.
func codeOrID(tok string) (string, []string) {
	prefix, num, _ := strings.Cut(tok, "-")
	switch {
	case len(num) >= 3:
		return WhyErrorCode, suggestError
	case prefix == "INC" || prefix == "SEV":
		return WhyIdentifier, suggestIdent
	}
	return "", nil
}

func isPath(tok string) bool {
	switch {
	case strings.HasPrefix(tok, "~/") || strings.HasPrefix(tok, "./") || strings.HasPrefix(tok, "../"):
		return len(tok) > 2
	case len(tok) > 1 && tok[0] == '/' && tok[1] != '/':
		r, _ := utf8.DecodeRuneInString(tok[1:])
		return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '~'
	case winPathRE.MatchString(tok):
		return true
	case len(tok) > 1 && tok[0] == '.' && unicode.IsLetter(rune(tok[1])) && !strings.Contains(tok[1:], "."):
		return true // dotfile such as .env
	}
	n := strings.Count(tok, "/")
	if n == 0 {
		return false
	}
	parts := strings.Split(tok, "/")
	for _, p := range parts {
		if p == "" {
			return false
		}
	}
	if n >= 2 && !strings.ContainsAny(tok, "0123456789") || n >= 2 && strings.ContainsAny(tok, "._") {
		return true
	}
	last := parts[len(parts)-1]
	if i := strings.LastIndexByte(last, '.'); i > 0 {
		return fileExts[strings.ToLower(last[i+1:])]
	}
	return false
}

// isDotted matches dotted.names: at least two labels of which one is longer
// than a letter ("e.g", "U.S" are not), and not a plain number ("2.5").
func isDotted(tok string) bool {
	if !strings.Contains(tok, ".") || !dottedRE.MatchString(tok) {
		return false
	}
	long := false
	for l := range strings.SplitSeq(tok, ".") {
		if utf8.RuneCountInString(l) > 1 {
			long = true
		}
	}
	return long
}

// isHostLike matches machine names such as "db-prod-03", "web01", "db1" or
// "ip-10-0-0-1": lower case, with a number, and either two hyphens or
// letters followed by two or more digits (one, after a listed term).
func isHostLike(tok string) bool {
	if !hostLikeRE.MatchString(tok) || !strings.ContainsAny(tok, "0123456789") {
		return false
	}
	if strings.Count(tok, "-") >= 2 {
		return true
	}
	m := hostNumRE.FindStringSubmatch(tok)
	if m == nil {
		return false
	}
	_, term := wordTerms[m[1]]
	return len(m[2]) >= 2 || term
}

// isHash matches commit hashes and similar ids: seven or more lower-case hex
// digits mixing letters and numbers.
func isHash(tok string) bool {
	if len(tok) < 7 {
		return false
	}
	digit, letter := false, false
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'f':
			letter = true
		default:
			return false
		}
	}
	return digit && letter
}

// isPascalTech matches PascalCase names that read as code ("PaymentService",
// "OrderQueueConsumerWorker") but not brand names ("PayPal", "YouTube").
func isPascalTech(tok string) bool {
	humps := pascalHumpRE.FindAllString(tok, -1)
	if len(humps) < 2 || strings.Join(humps, "") != tok {
		return false
	}
	return len(humps) >= 3 || techSuffixes[humps[len(humps)-1]]
}

// words checks one word (and its hyphen- or slash-separated parts) against
// the term list and the acronym rule.
func (c *checker) words(start, end int) {
	tok := c.text[start:end]
	if c.word(start, end) {
		return
	}
	if !strings.ContainsAny(tok, "-/") {
		return
	}
	for i := start; i < end; {
		j := i
		for j < end && c.text[j] != '-' && c.text[j] != '/' {
			j++
		}
		if j > i {
			c.word(i, j)
		}
		i = j + 1
	}
}

func (c *checker) word(start, end int) bool {
	tok := c.text[start:end]
	key := strings.ToLower(tok)
	for _, suf := range []string{"'s", "’s"} {
		if strings.HasSuffix(key, suf) {
			key = strings.TrimSuffix(key, suf)
			end -= len(suf)
		}
	}
	if c.extraWords[key] {
		c.add(start, end, WhyTerm, nil)
		return true
	}
	if sug, ok := lookupTerm(key); ok {
		c.add(start, end, WhyTerm, sug)
		return true
	}
	if c.extraWords != nil {
		for _, suf := range []string{"s", "es"} {
			if strings.HasSuffix(key, suf) && c.extraWords[strings.TrimSuffix(key, suf)] {
				c.add(start, end, WhyTerm, nil)
				return true
			}
		}
	}
	if bare := tok[:end-start]; len(bare) > 1 && isUpper(bare[0]) && isUpper(bare[1]) && acronymRE.MatchString(bare) {
		bare := strings.TrimSuffix(tok[:end-start], "s")
		if !plainAcronyms[bare] && !plainCaps[bare] {
			c.add(start, end, WhyAcronym, nil)
			return true
		}
	}
	return false
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

func lookupTerm(key string) ([]string, bool) {
	if sug, ok := wordTerms[key]; ok {
		return sug, true
	}
	for _, suf := range []string{"s", "es"} {
		if strings.HasSuffix(key, suf) {
			if sug, ok := wordTerms[strings.TrimSuffix(key, suf)]; ok {
				return sug, true
			}
		}
	}
	return nil, false
}

// Suggestions for the shapes.
var (
	suggestServer = []string{"one of our servers", "our systems"}
	suggestURL    = []string{"the website", "the page"}
	suggestPath   = []string{"our systems"}
	suggestError  = []string{"errors", "failures"}
	suggestTrace  = []string{"an internal error"}
	suggestIdent  = []string{"the affected feature"}
)

type spanPattern struct {
	re *lazyRE
	// hints are lower-case strings of which the text must hold one for
	// the pattern to match.
	hints   []string
	why     string
	suggest []string
}

// spanPatterns match technical text that runs over several words.
var spanPatterns = []spanPattern{
	{lazyRegexp(`Traceback \(most recent call last\):?`), []string{"traceback"}, WhyStackTrace, suggestTrace},
	{lazyRegexp(`File "[^"\n]+", line \d+(?:, in [\w<>.]+)?`), []string{"file \""}, WhyStackTrace, suggestTrace},
	{lazyRegexp(`\bat [\w$]+(?:\.[\w$<>]+)+\([^()\s]*\)`), []string{"("}, WhyStackTrace, suggestTrace},
	{lazyRegexp(`\bgoroutine \d+ \[[^\]\n]*\]:?`), []string{"goroutine "}, WhyStackTrace, suggestTrace},
	{lazyRegexp(`\bpanic: (?:runtime error|assignment to entry|interface conversion|send on closed)[^\n.;]*`), []string{"panic: "}, WhyStackTrace, suggestTrace},
	{lazyRegexp(`\bException in thread "[^"\n]*"`), []string{"exception in thread"}, WhyStackTrace, suggestTrace},
	{lazyRegexp(`(?i)\bsegmentation fault\b|\bcore dumped\b`), []string{"segmentation fault", "core dumped"}, WhyStackTrace, suggestTrace},
	{lazyRegexp(`(?i)\bHTTP(?:/[\d.]+)?[ -]?[1-5]\d\d\b`), []string{"http"}, WhyErrorCode, suggestError},
	{lazyRegexp(`(?i)\b(?:status(?: code)?|error(?: code)?|exit code|response code|return code|errno)[ :#=]*\d{2,}\b`), []string{"status", "error", "code", "errno"}, WhyErrorCode, suggestError},
	{lazyRegexp(`(?i)\b[45]\d\d (?:errors?|status(?:es)?|responses?|codes?)\b`), []string{"error", "status", "respons", "code"}, WhyErrorCode, suggestError},
}

// Shapes of single words.
var (
	statusClassRE  = lazyRegexp(`^(?i)[1-5]xxs?$`)
	statusPluralRE = lazyRegexp(`^[1-5]\d\ds$`)
	hexRE          = lazyRegexp(`^0[xX][0-9a-fA-F]+…?$`)
	signalRE       = lazyRegexp(`^SIG[A-Z]{3,}$`)
	numericErrRE   = lazyRegexp(`^E\d{4,}$`)
	prefixedCodeRE = lazyRegexp(`^[A-Z]{2,}-\d+$`)
	exceptionRE    = lazyRegexp(`^[A-Z][A-Za-z]+(?:Exception|Error)(?:[:(].*)?$`)
	sourceLineRE   = lazyRegexp(`^[\w./-]+\.(?:go|java|py|rb|js|ts|c|cc|cpp|h|rs|php|cs|kt|scala|ex|exs|swift):\d+(?::\d+)?\)?$`)
	uuidRE         = lazyRegexp(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	portRE         = lazyRegexp(`^\d{2,5}$`)
	dottedRE       = lazyRegexp(`^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)+$|^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z][a-z0-9-]*$`)
	hostnameRE     = lazyRegexp(`^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$`)
	versionRE      = lazyRegexp(`^v?\d+\.\d+\.\d+(?:[-+.][\w.]+)?$|^v\d+\.\d+$`)
	hostLikeRE     = lazyRegexp(`^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$`)
	hostNumRE      = lazyRegexp(`^([a-z]{2,})-?(\d+)$`)
	snakeRE        = lazyRegexp(`^_*[A-Za-z0-9]+(?:_+[A-Za-z0-9]+)+_*$`)
	camelRE        = lazyRegexp(`^[a-z]{2,}[A-Z][A-Za-z0-9]*$`)
	callRE         = lazyRegexp(`^[A-Za-z_][\w.]*\(\)?$`)
	assignRE       = lazyRegexp(`^[A-Za-z_][\w.-]*=\S+$`)
	flagRE         = lazyRegexp(`^--?[a-z][\w-]*$`)
	winPathRE      = lazyRegexp(`^[A-Za-z]:\\|\\[\w.-]+\\`)
	pascalHumpRE   = lazyRegexp(`[A-Z][a-z0-9]+`)
	acronymRE      = lazyRegexp(`^[A-Z][A-Z0-9]{1,5}s?$`)
)

// Acronyms every customer reads without help.
var plainAcronyms = setOf("ETA", "OK", "US", "UK", "EU", "USA", "UTC", "GMT", "AM", "PM", "ASAP", "FAQ", "FYI",
	"CEO", "CET", "CEST", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "BST", "IST", "JST", "AEST",
	"ID", "PIN", "SMS", "COVID", "PDF", "TV", "ATM", "VAT", "IT", "HR", "Q1", "Q2", "Q3", "Q4", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

// Words written in capitals for emphasis, not acronyms.
var plainCaps = setOf("NOT", "ALL", "NO", "YES", "NOW", "NEW", "ONLY", "NOTE", "UPDATE", "FIXED", "DOWN", "UP",
	"ALERT", "DONE", "AND", "OR", "THE", "IS", "ARE", "WE", "YOU", "OUR", "FOR", "TO", "OF", "IN", "ON", "AT",
	"BE", "AN", "IF", "AS", "BY", "DO", "GO", "SO", "MY", "ME", "AGAIN", "STILL", "SOME", "MORE", "OUT")

// Final words of PascalCase names that mark them as code.
var techSuffixes = setOf("Service", "Controller", "Manager", "Handler", "Exception", "Error", "Client", "Server",
	"Worker", "Job", "Queue", "Factory", "Provider", "Repository", "Config", "Impl", "Bean", "Pool", "Cache",
	"Consumer", "Producer", "Listener", "Adapter", "Proxy", "Gateway", "Daemon", "Cluster", "Node", "Pod", "Api", "Db")

var errnos = setOf("ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "ENOSPC", "ENOMEM", "ENOENT",
	"EACCES", "EPIPE", "EAGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRINUSE", "EPERM", "EBADF", "EMFILE", "ENFILE",
	"EIO", "EEXIST", "EINVAL", "EINTR", "EDQUOT", "EROFS")

var tlds = setOf("com", "net", "org", "io", "dev", "app", "ai", "co", "uk", "de", "fr", "nl", "eu", "us", "cloud",
	"internal", "local", "localhost", "lan", "corp", "intra", "svc", "cluster", "edu", "gov", "info", "biz", "me",
	"sh", "tech", "site", "online", "example", "test", "invalid", "arpa", "xyz", "ca", "au", "jp", "in", "ch", "se")

var fileExts = setOf("conf", "cfg", "log", "yaml", "yml", "json", "toml", "ini", "xml", "env", "txt", "csv",
	"go", "py", "js", "ts", "java", "rb", "sh", "sql", "rs", "php", "tar", "gz", "tgz", "zip", "jar", "war",
	"so", "dll", "exe", "lock", "pid", "sock", "db", "sqlite", "pem", "crt", "key", "tf", "tfvars", "properties", "md")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

type termGroup struct {
	words   []string
	suggest []string
}

// defaultTerms is the built-in word list. Multi-word entries are matched
// across any white space.
var defaultTerms = []termGroup{
	{[]string{"db", "database", "postgres", "postgresql", "mysql", "mongodb", "mongo", "redis", "sql", "nosql", "rds", "dynamodb", "cassandra", "elasticsearch", "schema"}, []string{"our data systems", "stored data"}},
	{[]string{"k8s", "kubernetes", "pod", "node", "cluster", "container", "docker", "helm", "ingress", "vm", "ec2", "kubectl", "microservice", "daemon", "cronjob", "cron", "crashloopbackoff", "crashloop", "oomkilled"}, []string{"our systems", "servers"}},
	{[]string{"deploy", "deployed", "deploying", "deployment", "redeploy", "redeployed", "canary"}, []string{"change", "update"}},
	{[]string{"rollback", "revert", "reverted", "reverting", "roll back", "rolled back", "rolling back", "rolls back", "undeploy"}, []string{"undo the change", "go back to the previous version"}},
	{[]string{"dns", "bgp", "cdn", "vpc", "vpn", "tcp", "udp", "http", "https", "ssh", "ip", "ipv4", "ipv6", "subnet", "nginx", "haproxy", "load balancer", "lb", "packet loss"}, []string{"network", "connections"}},
	{[]string{"tls", "ssl", "cert", "certificate", "x509", "mtls"}, []string{"secure connection", "security certificate"}},
	{[]string{"oom", "out of memory", "memory leak", "heap", "gc", "garbage collection", "jvm"}, []string{"ran out of memory", "ran out of capacity"}},
	{[]string{"segfault", "stack trace", "stacktrace", "traceback", "deadlock", "mutex", "thread pool", "connection pool"}, []string{"an internal error"}},
	{[]string{"cpu", "ram", "iops", "throughput", "saturation", "saturated"}, []string{"capacity", "processing capacity"}},
	{[]string{"latency", "latencies", "p50", "p90", "p95", "p99", "p999", "timeout"}, []string{"slowness", "response time", "slow responses"}},
	{[]string{"cache", "cached", "caching", "memcached"}, []string{"temporary storage"}},
	{[]string{"queue", "queued", "kafka", "rabbitmq", "sqs", "consumer lag", "dead letter queue"}, []string{"backlog", "waiting work"}},
	{[]string{"shard", "sharding", "replica", "replication", "failover", "failed over", "failing over", "fail over"}, []string{"part of our data", "backup systems"}},
	{[]string{"hotfix", "bugfix"}, []string{"fix"}},
	{[]string{"config", "configuration", "feature flag", "env var", "yaml", "terraform"}, []string{"settings"}},
	{[]string{"endpoint", "api", "grpc", "graphql", "webhook", "backend", "frontend", "microservices", "service mesh", "health check"}, []string{"service", "part of our service"}},
	{[]string{"upstream", "downstream", "aws", "gcp", "azure", "s3", "lambda"}, []string{"a provider we use", "a connected system"}},
	{[]string{"rate limit", "rate limited", "rate limiting", "throttled", "throttling", "circuit breaker"}, []string{"slowing down requests"}},
	{[]string{"sla", "slo", "sli"}, []string{"our service commitment"}},
	{[]string{"sev1", "sev2", "sev3", "sev4"}, []string{"major incident"}},
	{[]string{"mttr", "rca", "sre", "noc", "on-call", "pagerduty", "runbook"}, []string{"our team", "our response"}},
}

var (
	wordTerms   = map[string][]string{}
	phraseTerms = map[string][]string{}
	// builtinPhrases are the multi-word terms split into words, longest
	// first.
	builtinPhrases []struct {
		key   string
		words []string
	}
)

func init() {
	var phrases []string
	for _, g := range defaultTerms {
		for _, w := range g.words {
			if strings.Contains(w, " ") {
				phraseTerms[w] = g.suggest
				phrases = append(phrases, w)
			} else {
				wordTerms[w] = g.suggest
			}
		}
	}
	slices.SortStableFunc(phrases, func(a, b string) int { return len(b) - len(a) })
	for _, p := range phrases {
		builtinPhrases = append(builtinPhrases, struct {
			key   string
			words []string
		}{p, strings.Fields(p)})
	}
}
