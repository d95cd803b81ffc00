package headers

import (
	"fmt"
	"log/slog"
	"unsafe"

	"github.com/fcgo/fcgo/internal/jsonstr"
	"github.com/rs/zerolog"
)

// Redacted is what every print form of [Credentials] shows in place of the
// secret and the token.
const Redacted = "[REDACTED]"

// Credentials are the temporary STS credentials of the function's role, sent
// fresh with every request (x-fc-access-key-id, x-fc-access-key-secret,
// x-fc-security-token). All three are empty when the function has no role.
//
// Pass them to Alibaba Cloud SDKs as a static STS credential for the length
// of the invocation; prefer them to the ALIBABA_CLOUD_* environment
// variables, which can go stale on a long-lived instance.
//
// The secret and the token never print: String, GoString, Format (every fmt
// verb), MarshalJSON, MarshalZerologObject and LogValue all redact them, and
// they are kept behind a pointer, so that even where fmt cannot call those
// methods (Credentials or an Info inside an unexported field of your own
// struct) it prints an address, not the bytes. Read them with
// [Credentials.AccessKeySecret] and [Credentials.SecurityToken] when calling
// an SDK. Build one with [NewCredentials]. Compare two with
// [Credentials.Equal]: == and reflect.DeepEqual (so testify's
// assert.Equal) do not compare the secret and token.
type Credentials struct {
	// AccessKeyID is the temporary STS access key id (x-fc-access-key-id);
	// not a secret.
	AccessKeyID string

	// secrets points at the secret followed by the token; the lengths say
	// where each ends.
	secrets           *byte
	secretLen, tokLen int
}

// NewCredentials returns credentials with the given key id, secret and STS
// token.
func NewCredentials(accessKeyID, accessKeySecret, securityToken string) Credentials {
	return newCredentials(accessKeyID, []byte(accessKeySecret+securityToken), len(accessKeySecret))
}

// newCredentials makes credentials whose secret is secrets[:secretLen] and
// whose token is the rest. secrets must not change afterwards.
func newCredentials(accessKeyID string, secrets []byte, secretLen int) Credentials {
	c := Credentials{AccessKeyID: accessKeyID, secretLen: secretLen, tokLen: len(secrets) - secretLen}
	if len(secrets) > 0 {
		c.secrets = &secrets[0]
	}
	return c
}

// AccessKeySecret returns the temporary access key secret.
func (c Credentials) AccessKeySecret() string {
	if c.secretLen == 0 {
		return ""
	}
	return unsafe.String(c.secrets, c.secretLen)
}

// SecurityToken returns the STS security token.
func (c Credentials) SecurityToken() string {
	if c.tokLen == 0 {
		return ""
	}
	return unsafe.String((*byte)(unsafe.Add(unsafe.Pointer(c.secrets), c.secretLen)), c.tokLen)
}

// IsZero reports whether no credentials were sent (the function has no role).
func (c Credentials) IsZero() bool {
	return c.AccessKeyID == "" && c.secretLen == 0 && c.tokLen == 0
}

// Equal reports whether c and o hold the same key id, secret and token.
func (c Credentials) Equal(o Credentials) bool {
	return c.AccessKeyID == o.AccessKeyID && c.AccessKeySecret() == o.AccessKeySecret() &&
		c.SecurityToken() == o.SecurityToken()
}

func redact(s string) string {
	if s == "" {
		return ""
	}
	return Redacted
}

// String returns the credentials with the secret and token redacted.
func (c Credentials) String() string {
	return "{AccessKeyID:" + c.AccessKeyID +
		" AccessKeySecret:" + redact(c.AccessKeySecret()) +
		" SecurityToken:" + redact(c.SecurityToken()) + "}"
}

// GoString is String in Go syntax, for %#v; the secret and token stay redacted.
func (c Credentials) GoString() string {
	return fmt.Sprintf("headers.Credentials{AccessKeyID:%q, AccessKeySecret:%q, SecurityToken:%q}",
		c.AccessKeyID, redact(c.AccessKeySecret()), redact(c.SecurityToken()))
}

// Format implements [fmt.Formatter] so that every verb (%v, %+v, %#v, %s,
// %q, %x, …) prints the redacted form, never the raw fields.
func (c Credentials) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			_, _ = f.Write([]byte(c.GoString()))
			return
		}
		_, _ = f.Write([]byte(c.String()))
	case 'q':
		_, _ = fmt.Fprintf(f, "%q", c.String())
	default:
		_, _ = f.Write([]byte(c.String()))
	}
}

// MarshalJSON encodes the credentials with the secret and token redacted.
// The output cannot be decoded back into working credentials, on purpose.
func (c Credentials) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 96+len(c.AccessKeyID))
	b = append(b, `{"accessKeyId":`...)
	b = jsonstr.Append(b, c.AccessKeyID)
	b = append(b, `,"accessKeySecret":`...)
	b = jsonstr.Append(b, redact(c.AccessKeySecret()))
	b = append(b, `,"securityToken":`...)
	b = jsonstr.Append(b, redact(c.SecurityToken()))
	return append(b, '}'), nil
}

// MarshalZerologObject writes the redacted credentials as a zerolog object,
// for zerolog's Object and EmbedObject.
func (c Credentials) MarshalZerologObject(e *zerolog.Event) {
	e.Str("accessKeyId", c.AccessKeyID).
		Str("accessKeySecret", redact(c.AccessKeySecret())).
		Str("securityToken", redact(c.SecurityToken()))
}

// LogValue implements [slog.LogValuer]: slog prints the redacted form.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("accessKeyId", c.AccessKeyID),
		slog.String("accessKeySecret", redact(c.AccessKeySecret())),
		slog.String("securityToken", redact(c.SecurityToken())),
	)
}
