package headers_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fcgo/fcgo/headers"
)

const (
	credID     = "STS.NUfcgoKEYIDvisible42"
	credSecret = "sEcReTfcgoLEAKCANARY0123456789"
	credToken  = "CAIStOkEnfcgoLEAKCANARY+/9876543210abcdefghijklmnopqrstuvwxyz=="
)

func testCredentials() headers.Credentials {
	return headers.NewCredentials(credID, credSecret, credToken)
}

func testInfo() headers.Info {
	info := fullInfo()
	info.Credentials = testCredentials()
	return info
}

// forbidden lists every form in which a secret could leak.
func forbidden() []string {
	var out []string
	for _, s := range []string{credSecret, credToken} {
		out = append(out,
			s,
			base64.StdEncoding.EncodeToString([]byte(s)),
			base64.RawStdEncoding.EncodeToString([]byte(s)),
			base64.URLEncoding.EncodeToString([]byte(s)),
			hex.EncodeToString([]byte(s)),
			strings.ToUpper(hex.EncodeToString([]byte(s))),
		)
	}
	// Distinctive parts, so that a truncated or partly escaped copy is caught too.
	return append(out, "LEAKCANARY", "sEcReT", "tOkEn", hex.EncodeToString([]byte("LEAKCANARY")))
}

func assertRedacted(t *testing.T, form, out string) {
	t.Helper()
	for _, f := range forbidden() {
		assert.NotContains(t, out, f, "%s leaks a secret: %s", form, out)
	}
	assert.Contains(t, out, credID, "%s hides the access key id: %s", form, out)
}

func TestCredentialsFmt(t *testing.T) {
	c := testCredentials()
	info := testInfo()
	values := map[string]any{
		"Credentials":   c,
		"*Credentials":  &c,
		"Info":          info,
		"*Info":         &info,
		"[]Credentials": []headers.Credentials{c},
		"map":           map[string]headers.Credentials{"k": c},
		"anon struct":   struct{ C headers.Credentials }{c},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%-50s", "% x", "%+q", "%#q", "%t", "%8.2f"}
	for name, v := range values {
		assertRedacted(t, name+" Sprint", fmt.Sprint(v))
		assertRedacted(t, name+" Sprintln", fmt.Sprintln(v))
		for _, verb := range verbs {
			assertRedacted(t, name+" "+verb, fmt.Sprintf(verb, v))
		}
		assertRedacted(t, name+" Errorf %w", fmt.Errorf("wrapped: %v", v).Error())
	}
}

func TestCredentialsStringForms(t *testing.T) {
	c := testCredentials()
	assert.Equal(t, "{AccessKeyID:"+credID+" AccessKeySecret:[REDACTED] SecurityToken:[REDACTED]}", c.String())
	assert.Equal(t, `headers.Credentials{AccessKeyID:"`+credID+`", AccessKeySecret:"[REDACTED]", SecurityToken:"[REDACTED]"}`, c.GoString())
	assert.Equal(t, c.String(), fmt.Sprintf("%v", c))
	assert.Equal(t, c.GoString(), fmt.Sprintf("%#v", c))

	// Nothing to hide: empty fields stay empty rather than claiming a value.
	assert.Equal(t, "{AccessKeyID: AccessKeySecret: SecurityToken:}", headers.Credentials{}.String())
	assert.True(t, headers.Credentials{}.IsZero())
	assert.False(t, c.IsZero())
	assert.False(t, headers.NewCredentials("", "", "x").IsZero())
}

func TestCredentialsJSON(t *testing.T) {
	c := testCredentials()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assertRedacted(t, "json Credentials", string(b))
	assert.JSONEq(t, `{"accessKeyId":"`+credID+`","accessKeySecret":"[REDACTED]","securityToken":"[REDACTED]"}`, string(b))

	b, err = json.Marshal(headers.Credentials{AccessKeyID: "a\"b\\c\n\x01"})
	require.NoError(t, err)
	assert.True(t, json.Valid(b), "%s", b)

	info := testInfo()
	for name, v := range map[string]any{"Info": info, "*Info": &info, "*Credentials": &c} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assertRedacted(t, "json "+name, string(b))
		b, err = json.MarshalIndent(v, "", "  ")
		require.NoError(t, err)
		assertRedacted(t, "json indent "+name, string(b))
	}

	b, err = json.Marshal(info)
	require.NoError(t, err)
	var back map[string]any
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, fullRequestID, back["requestId"])
	assert.Equal(t, "/invoke", back["controlPath"])
}

func TestCredentialsZerolog(t *testing.T) {
	c := testCredentials()
	info := testInfo()
	var buf bytes.Buffer
	log := zerolog.New(&buf)
	log.Info().Object("creds", c).Msg("object")
	log.Info().EmbedObject(c).Msg("embed")
	log.Info().Interface("creds", c).Msg("interface")
	log.Info().Interface("creds", &c).Msg("interface ptr")
	log.Info().Any("creds", c).Msg("any")
	log.Info().Interface("info", info).Msg("info interface")
	log.Info().Any("info", &info).Msg("info any")
	log.Info().Stringer("creds", c).Msg("stringer")
	log.Info().Msgf("msgf %v %+v %#v", c, info, info)
	withCreds := log.With().Object("creds", c).Logger()
	withCreds.Info().Msg("context")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 10)
	for _, line := range lines {
		assert.True(t, json.Valid([]byte(line)), line)
		assertRedacted(t, "zerolog", line)
	}
}

func TestCredentialsSlog(t *testing.T) {
	c := testCredentials()
	info := testInfo()
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(newHandler(&buf))
			log.Info("creds", "creds", c)
			log.Info("creds ptr", "creds", &c)
			log.Info("info", "info", info)
			log.Info("info ptr", slog.Any("info", &info))
			log.With("creds", c).Info("with")
			log.Info("group", slog.Group("g", slog.Any("creds", c)))

			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			require.Len(t, lines, 6)
			for _, line := range lines {
				assertRedacted(t, "slog "+name, line)
			}
			assert.Contains(t, lines[0], headers.Redacted)
		})
	}
}

// fmt cannot call methods through unexported fields; the secret and token
// must not print there either.
func TestCredentialsInUnexportedFields(t *testing.T) {
	type holder struct {
		name  string
		creds headers.Credentials
		info  headers.Info
		ptr   *headers.Info
	}
	info := headers.Info{RequestID: "r", Credentials: testCredentials()}
	h := holder{name: "h", creds: testCredentials(), info: info, ptr: &info}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		for _, v := range []any{h, &h, []holder{h}, map[string]holder{"k": h}} {
			out := fmt.Sprintf(verb, v)
			for _, f := range forbidden() {
				assert.NotContains(t, out, f, "%s of %T leaks a secret: %s", verb, v, out)
			}
		}
	}
}
