package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// defaultFunctionName is the function name used when there is no command to
// derive one from.
const defaultFunctionName = "my-function"

// maxTimeout is the longest function timeout FC allows, in seconds (24 h).
const maxTimeout = 24 * 60 * 60

// options is the parsed command line.
type options struct {
	url     string        // -url, or the default target when no command is given
	urlSet  bool          // -url was given explicitly
	wait    time.Duration // -wait
	command []string      // the command after "--", if any

	init      bool // -init
	preFreeze bool // -prefreeze
	preStop   bool // -prestop

	event     string // -event
	eventSet  bool
	eventFile string // -event-file

	http     bool   // -http
	method   string // -method
	path     string // -path
	query    string // -query
	body     string // -body
	bodySet  bool
	bodyFile string // -body-file

	headers   headerFlag // -H, in order
	requestID string     // -request-id
	timeout   int        // -timeout, seconds
	function  string     // -function
	verbose   bool       // -v
}

// usageError is a command-line mistake: fcinvoke prints it with a hint and
// exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// headerField is one -H value.
type headerField struct {
	name  string // as given
	value string
}

// headerFlag collects repeated -H 'Name: value' flags.
type headerFlag []headerField

func (h *headerFlag) String() string {
	if h == nil {
		return ""
	}
	parts := make([]string, len(*h))
	for i, f := range *h {
		parts[i] = f.name + ": " + f.value
	}
	return strings.Join(parts, ", ")
}

// Set parses "Name: value". The value may be empty ("Name:"); leading and
// trailing white space around name and value is dropped.
func (h *headerFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		return fmt.Errorf("want 'Name: value', got %q", s)
	}
	name = strings.TrimSpace(name)
	value = strings.TrimSpace(value)
	if !validHeaderName(name) {
		return fmt.Errorf("invalid header name %q", name)
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return fmt.Errorf("invalid value for header %s: contains a line break or NUL", name)
	}
	*h = append(*h, headerField{name: name, value: value})
	return nil
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// defaultURL is the target when neither -url nor a command is given: the
// port a server started with the same environment would listen on
// (SPEC §1: FC_CUSTOM_LISTEN_PORT, then FC_SERVER_PORT, then 9000).
func defaultURL() string {
	port := "9000"
	for _, name := range []string{"FC_CUSTOM_LISTEN_PORT", "FC_SERVER_PORT"} {
		if v := strings.TrimSpace(os.Getenv(name)); v != "" {
			port = v
			break
		}
	}
	return "http://127.0.0.1:" + port
}

const usageHead = `usage: fcinvoke [flags] [-url URL]
       fcinvoke [flags] -- command [args...]

fcinvoke sends a function server the requests Alibaba Cloud Function Compute
would send: an event invocation (default) or an HTTP invocation (-http),
optionally with the initializer before and the pre-freeze / pre-stop hooks
after. The response body goes to stdout, everything else to stderr.

Exit status: 0 success, 1 the function failed, 2 usage error,
3 the function could not be reached or started, 130 interrupted.

Flags:
`

// parseArgs parses the command line. It returns flag.ErrHelp for -h and a
// *usageError for every other mistake; both have already been explained on
// stderr when they are returned from flag parsing.
func parseArgs(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("fcinvoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHead)
		fs.PrintDefaults()
	}

	fs.StringVar(&o.url, "url", defaultURL(), "`URL` of a running function server (not together with a command)")
	fs.DurationVar(&o.wait, "wait", 120*time.Second, "how long a started command may take to accept connections")
	fs.BoolVar(&o.init, "init", false, "call the initializer (POST /initialize) before the invocation")
	fs.BoolVar(&o.preFreeze, "prefreeze", false, "call the pre-freeze hook (GET /pre-freeze) after the invocation")
	fs.BoolVar(&o.preStop, "prestop", false, "call the pre-stop hook (GET /pre-stop) after the invocation")
	fs.StringVar(&o.event, "event", "", "event `payload`")
	fs.StringVar(&o.eventFile, "event-file", "", "event payload `file` (\"-\" = stdin); default: stdin if it is not a terminal")
	fs.BoolVar(&o.http, "http", false, "make an HTTP invocation instead of an event invocation")
	fs.StringVar(&o.method, "method", http.MethodGet, "HTTP `method` (with -http)")
	fs.StringVar(&o.path, "path", "/", "HTTP `path` (with -http)")
	fs.StringVar(&o.query, "query", "", "raw HTTP `query` string without \"?\" (with -http)")
	fs.StringVar(&o.body, "body", "", "HTTP request `body` (with -http)")
	fs.StringVar(&o.bodyFile, "body-file", "", "HTTP request body `file` (\"-\" = stdin; with -http)")
	fs.Var(&o.headers, "H", "add the request header `'Name: value'`; repeatable; replaces a header of the same name (any case), x-fc-* ones included")
	fs.StringVar(&o.requestID, "request-id", "", "request `id` of the invocation (default: random, 1-xxxxxxxx-xxxxxxxx-xxxxxxxxxxxx)")
	fs.IntVar(&o.timeout, "timeout", 60, "function timeout in `seconds`, at most 86400 (x-fc-function-timeout)")
	fs.StringVar(&o.function, "function", "", "function `name` (default: derived from the command, else "+defaultFunctionName+")")
	fs.BoolVar(&o.verbose, "v", false, "also print response status lines and headers to stderr")

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, flag.ErrHelp
		}
		return nil, &usageError{msg: err.Error()}
	}
	o.command = fs.Args()

	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	o.urlSet = set["url"]
	o.eventSet = set["event"]
	o.bodySet = set["body"]

	if err := o.check(set); err != nil {
		fmt.Fprintf(stderr, "fcinvoke: %v\nRun 'fcinvoke -h' for usage.\n", err)
		return nil, err
	}
	if o.function == "" {
		o.function = functionNameFromCommand(o.command)
	}
	return o, nil
}

// check rejects contradictory or invalid flag combinations.
func (o *options) check(set map[string]bool) error {
	if len(o.command) > 0 && o.urlSet {
		return usagef("-url and a command to start are mutually exclusive")
	}
	if len(o.command) == 0 {
		u, err := url.Parse(o.url)
		if err != nil {
			return usagef("invalid -url: %v", err)
		}
		if u.Scheme != "http" || u.Host == "" {
			return usagef("invalid -url %q: want http://host:port", o.url)
		}
		if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return usagef("invalid -url %q: give only http://host:port (use -path and -query with -http)", o.url)
		}
	}
	if o.wait <= 0 {
		return usagef("-wait must be positive")
	}
	if o.timeout <= 0 || o.timeout > maxTimeout {
		return usagef("-timeout must be between 1 and %d seconds", maxTimeout)
	}
	if o.http {
		for _, name := range []string{"event", "event-file"} {
			if set[name] {
				return usagef("-%s is for event invocations; with -http use -body or -body-file", name)
			}
		}
		if o.bodySet && o.bodyFile != "" {
			return usagef("-body and -body-file are mutually exclusive")
		}
		if o.method == "" || !validHeaderName(o.method) {
			return usagef("invalid -method %q", o.method)
		}
		if !strings.HasPrefix(o.path, "/") {
			return usagef("-path must start with \"/\", got %q", o.path)
		}
		if strings.ContainsAny(o.path, "?#") {
			return usagef("-path must not contain \"?\" or \"#\"; give the query with -query")
		}
		o.query = strings.TrimPrefix(o.query, "?")
	} else {
		for _, name := range []string{"method", "path", "query", "body", "body-file"} {
			if set[name] {
				return usagef("-%s needs -http", name)
			}
		}
		if o.eventSet && o.eventFile != "" {
			return usagef("-event and -event-file are mutually exclusive")
		}
	}
	return nil
}

// functionNameFromCommand derives a function name from the command to start:
// "hello" for "go run ./examples/hello", "bootstrap" for "./bootstrap", and
// defaultFunctionName when there is no command.
func functionNameFromCommand(command []string) string {
	if len(command) == 0 {
		return defaultFunctionName
	}
	name := command[0]
	if filepath.Base(name) == "go" && len(command) > 2 && command[1] == "run" {
		for _, arg := range command[2:] {
			if strings.HasPrefix(arg, "-") {
				continue // a build flag (a flag with a separate value is misread: rare)
			}
			name = arg
			if abs, err := filepath.Abs(arg); err == nil && (arg == "." || arg == "..") {
				name = abs
			}
			if i := strings.LastIndex(name, "@"); i > 0 {
				name = name[:i] // "pkg@version"
			}
			name = strings.TrimSuffix(name, "/")
			break
		}
	}
	base := strings.TrimSuffix(filepath.Base(name), ".go")
	if base == "" || base == "." || base == string(filepath.Separator) {
		return defaultFunctionName
	}
	return base
}

// stdinIsTerminal reports whether r is an interactive terminal, which
// fcinvoke never reads an implicit payload from.
func stdinIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return true // unusable: treat like a terminal and do not read it
	}
	return fi.Mode()&os.ModeCharDevice != 0
}

// payload returns the request body the options ask for: the event payload,
// or the HTTP body with -http.
func (o *options) payload(stdin io.Reader) ([]byte, error) {
	var (
		literal    string
		literalSet bool
		file       string
		flagName   string
	)
	if o.http {
		literal, literalSet, file, flagName = o.body, o.bodySet, o.bodyFile, "-body-file"
	} else {
		literal, literalSet, file, flagName = o.event, o.eventSet, o.eventFile, "-event-file"
	}
	switch {
	case literalSet:
		return []byte(literal), nil
	case file == "-":
		if stdin == nil {
			return nil, nil
		}
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, usagef("%s -: reading stdin: %v", flagName, err)
		}
		return b, nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, usagef("%s: %v", flagName, err)
		}
		return b, nil
	case !o.http && stdin != nil && !stdinIsTerminal(stdin):
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, usagef("reading the event payload from stdin: %v", err)
		}
		return b, nil
	}
	return nil, nil
}

// timeoutString is the function timeout as FC sends it.
func (o *options) timeoutString() string { return strconv.Itoa(o.timeout) }
