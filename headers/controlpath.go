package headers

// ControlPath is the kind of a request, taken from the x-fc-control-path
// header (SPEC §2). The zero value, [ControlPathNone], means the header was
// absent or empty; then the server falls back to method and path.
type ControlPath uint8

// The request kinds FC sends.
const (
	ControlPathNone       ControlPath = iota // header absent or empty
	ControlPathInvoke                        // "/invoke": event invocation
	ControlPathHTTPInvoke                    // "/http-invoke": HTTP trigger or custom domain
	ControlPathInitialize                    // "/initialize": initializer hook
	ControlPathPreFreeze                     // "/pre-freeze": pre-freeze hook (FC 2.0)
	ControlPathPreStop                       // "/pre-stop": pre-stop hook
	ControlPathUnknown                       // any other value: answered with 400
)

var controlPathNames = [...]string{
	ControlPathNone:       "",
	ControlPathInvoke:     "/invoke",
	ControlPathHTTPInvoke: "/http-invoke",
	ControlPathInitialize: "/initialize",
	ControlPathPreFreeze:  "/pre-freeze",
	ControlPathPreStop:    "/pre-stop",
	ControlPathUnknown:    "unknown",
}

// String returns the header value FC uses for p ("/invoke", …), "" for
// ControlPathNone and "unknown" for ControlPathUnknown.
func (p ControlPath) String() string {
	if int(p) < len(controlPathNames) {
		return controlPathNames[p]
	}
	return "unknown"
}

// ParseControlPath maps an x-fc-control-path value to its ControlPath.
// The match is exact (FC sends lower case); an empty value is
// ControlPathNone and anything else unrecognised is ControlPathUnknown.
func ParseControlPath(v []byte) ControlPath {
	switch string(v) {
	case "":
		return ControlPathNone
	case "/invoke":
		return ControlPathInvoke
	case "/http-invoke":
		return ControlPathHTTPInvoke
	case "/initialize":
		return ControlPathInitialize
	case "/pre-freeze":
		return ControlPathPreFreeze
	case "/pre-stop":
		return ControlPathPreStop
	}
	return ControlPathUnknown
}
