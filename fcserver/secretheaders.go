package fcserver

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/fcgo/fcgo/headers"
	"github.com/valyala/fasthttp"
)

// secretKind tells the STS secret's and token's headers from the others.
type secretKind uint8

const (
	notSecret secretKind = iota
	secretKey
	secretToken
)

// secretHeader reports whether name, in any case, is the STS secret's or
// token's header. Names of other lengths cost one comparison.
func secretHeader(name []byte) secretKind {
	switch len(name) {
	case len(headers.XFCAccessKeySecret):
		if string(name) == "X-Fc-Access-Key-Secret" || bytes.EqualFold(name, []byte(headers.XFCAccessKeySecret)) {
			return secretKey
		}
	case len(headers.XFCSecurityToken):
		if string(name) == "X-Fc-Security-Token" || bytes.EqualFold(name, []byte(headers.XFCSecurityToken)) {
			return secretToken
		}
	}
	return notSecret
}

// scrubLeftSecretHeaders overwrites with '*', in place, the values of
// secret headers that [fasthttp.RequestHeader.Set] left: it replaces only
// the first of repeated headers, and for a name that is a trailer it
// writes only fasthttp's trailer section. A handler that dumps its headers
// would otherwise still find those values. Redacted values are left as
// they are.
func scrubLeftSecretHeaders(h *fasthttp.RequestHeader) {
	for k, v := range h.All() {
		if secretHeader(k) != notSecret && string(v) != headers.Redacted {
			fillStars(v)
		}
	}
	// PeekAll also returns the trailer section's values, which All skips.
	for _, name := range [...]string{headers.XFCAccessKeySecret, headers.XFCSecurityToken} {
		for _, v := range h.PeekAll(name) {
			if string(v) != headers.Redacted {
				fillStars(v)
			}
		}
	}
}

// withheld replaces a quoted piece of a request in a fasthttp error.
const withheld = `"…"`

// safeErrorText returns err's message with every double-quoted part
// replaced by "…". fasthttp's header parser quotes the offending header
// line in its errors ("malformed mime header: missing colon: %q") even
// with SecureErrorLogMessage, and that line may be the STS secret's or
// token's.
func safeErrorText(err error) string {
	msg := err.Error()
	i := strings.IndexByte(msg, '"')
	if i < 0 {
		return msg
	}
	var b strings.Builder
	for i >= 0 {
		b.WriteString(msg[:i])
		b.WriteString(withheld)
		q, qerr := strconv.QuotedPrefix(msg[i:])
		if qerr != nil { // unterminated: withhold the rest
			return b.String()
		}
		msg = msg[i+len(q):]
		i = strings.IndexByte(msg, '"')
	}
	b.WriteString(msg)
	return b.String()
}

// safeErrors returns args with each error replaced by its safeErrorText,
// for fasthttp's log messages, which quote connection addresses (to keep)
// and carry request-parsing errors (to clean).
func safeErrors(args []any) []any {
	var out []any
	for i, a := range args {
		if err, ok := a.(error); ok {
			if out == nil {
				out = append([]any(nil), args...)
			}
			out[i] = safeErrorText(err)
		}
	}
	if out == nil {
		return args
	}
	return out
}
