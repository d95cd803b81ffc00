package headers

import (
	"sync/atomic"
	"unsafe"

	"github.com/valyala/fasthttp"
)

// Parser parses x-fc-* headers as [Parse] does, but copies only what
// changes from one request to the next. An instance serves one function:
// its name, service, region, account and role credentials (the 1 KB
// security token among them) arrive unchanged on every request until FC
// rotates the credentials. A Parser keeps the last such values it copied
// and gives each Info those same strings while they match, so a request
// costs one small copy of its own values (request id, trace ids, client
// IP, base path) instead of 1.5 KB.
//
// The strings an Info gets are immutable and never refer to the request's
// buffers: an Info from a Parser is as safe to keep and share as one from
// Parse. The zero Parser is ready to use, and a Parser is safe for
// concurrent use. Do not copy a Parser after first use.
type Parser struct {
	last atomic.Pointer[shared]
}

// Parse reads the x-fc-* headers of a request into an Info, as the
// function [Parse] does (same values, same errors). It allocates one
// buffer for the request's own values, and two more when a shared value
// changed.
func (p *Parser) Parse(h *fasthttp.RequestHeader) (Info, error) {
	var info Info
	err := p.ParseInto(&info, h)
	return info, err
}

// ParseInto is [Parser.Parse] into *info, which it overwrites whole: for
// a server that keeps the Info in per-request state of its own, it saves
// copying the struct.
func (p *Parser) ParseInto(info *Info, h *fasthttp.RequestHeader) error {
	var vals values
	vals.collect(h)
	s := p.last.Load()
	if s == nil || !s.matches(&vals) {
		s = newShared(&vals)
		p.last.Store(s)
	}
	return vals.fill(info, s)
}

// isShared marks the fields a Parser shares between requests: those set
// by the function's configuration or its credentials, not by the request.
var isShared = [numFields]bool{
	fAccessKeyID: true, fAccessKeySecret: true, fSecurityToken: true,
	fFunctionName: true, fFunctionHandler: true, fFunctionInitializer: true,
	fPreStopHandler: true, fPreFreezeHandler: true,
	fServiceName: true, fServiceLogProject: true, fServiceLogStore: true,
	fRegion: true, fAccountID: true, fQualifier: true, fVersionID: true,
	fTracingJaegerEndpoint: true,
	// Not x-fc-base-path: SPEC §2 has a real dump where it equals the
	// request's path, which changes from request to request.
}

// shared holds one request's values of the shared fields, copied into a
// buffer of its own. It is never changed once made.
type shared struct {
	str       [numFields]string // the shared fields but the secret and token
	secrets   []byte            // the secret, then the token: Credentials' layout
	secretLen int
	info      Info // the shared fields and credentials set, the others zero
}

// newShared copies the shared values of vals.
func newShared(vals *values) *shared {
	total := 0
	for f := range vals {
		if isShared[f] {
			total += len(vals[f])
		}
	}
	s := &shared{secretLen: len(vals[fAccessKeySecret])}
	arena := make([]byte, 0, total) // no allocation when total is 0
	// Secret and token first and together, as Credentials expects.
	arena = append(arena, vals[fAccessKeySecret]...)
	arena = append(arena, vals[fSecurityToken]...)
	s.secrets = arena[:len(arena):len(arena)]
	for f := range vals {
		v := vals[f]
		if !isShared[f] || f == int(fAccessKeySecret) || f == int(fSecurityToken) || len(v) == 0 {
			continue
		}
		start := len(arena)
		arena = append(arena, v...)
		s.str[f] = unsafe.String(&arena[start], len(v))
	}
	s.setInfo()
	return s
}

// setInfo sets s.info from the values s holds.
func (s *shared) setInfo() {
	s.info.Credentials = newCredentials(s.str[fAccessKeyID], s.secrets, s.secretLen)
	setShared(&s.info, func(f field) string { return s.str[f] })
}

// matches reports whether vals has the values s holds.
func (s *shared) matches(vals *values) bool {
	if string(vals[fAccessKeySecret]) != string(s.secrets[:s.secretLen]) ||
		string(vals[fSecurityToken]) != string(s.secrets[s.secretLen:]) {
		return false
	}
	for f := range vals {
		if isShared[f] && f != int(fAccessKeySecret) && f != int(fSecurityToken) &&
			string(vals[f]) != s.str[f] {
			return false
		}
	}
	return true
}
