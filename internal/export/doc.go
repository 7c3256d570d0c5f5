// Package export turns incidents into documents and back: the Markdown
// retrospective of product.md §4, the versioned JSON form that `warroom show
// --json`, `warroom export --format json` and `warroom import` share, the
// repository of Markdown files with its index and trends, full-text search
// and statistics across incidents.
//
// Everything here is pure apart from WriteAll and LoadTemplate, which touch
// files. Markdown output is deterministic: the same incident and options give
// the same bytes, so an exported repository committed to git only changes
// where an incident did.
//
// # Safe output
//
// User text (titles, entries, updates, retro text, names) never changes the
// structure of a document. Every piece goes through CleanText (escape and
// control sequences removed), then is escaped for Markdown: characters that
// start emphasis, code, links, HTML, entities, tables or strikethrough are
// backslash-escaped everywhere, characters that only matter at the start of
// a line (headings, lists, quotes, thematic breaks) are escaped there, and
// newlines are folded into spaces wherever the text sits in a table cell,
// list item or heading. The tests parse the output with goldmark (GFM) to
// check that hostile text only ever lands as text inside its own block.
//
// # Custom templates
//
// The config key export_template names a Go text/template that replaces the
// built-in layout (BuiltinTemplate returns it, as a starting point). It is
// executed with a *Data, whose user-text fields are already cleaned and
// escaped, and may call md (escape a string for one line), para (escape
// multi-line text as paragraphs) and join (join strings with a separator).
package export
