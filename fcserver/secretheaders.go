package fcserver

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/fcgo/fcgo/headers"
)

// isSecretHeader reports whether name, in any case, is the STS secret's
// or token's header. It is small enough to be inlined, so that names of
// other lengths (nearly all) cost a length check and no call.
func isSecretHeader(name []byte) bool {
	return (len(name) == len(headers.XFCAccessKeySecret) || len(name) == len(headers.XFCSecurityToken)) &&
		isSecretName(name)
}

// isSecretName is isSecretHeader for a name of the secret's or the token's
// length. The letter after "x-fc-" (a, s) rules out at once FC's other
// headers of these lengths (X-Fc-Eagleeye-Rpcid, X-Fc-Eagleeye-Userdata).
func isSecretName(name []byte) bool {
	if len(name) == len(headers.XFCAccessKeySecret) {
		return name[5]|0x20 == 'a' &&
			(string(name) == "X-Fc-Access-Key-Secret" || bytes.EqualFold(name, []byte(headers.XFCAccessKeySecret)))
	}
	return name[5]|0x20 == 's' &&
		(string(name) == "X-Fc-Security-Token" || bytes.EqualFold(name, []byte(headers.XFCSecurityToken)))
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
