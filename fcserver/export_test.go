package fcserver

import "github.com/valyala/fasthttp"

// OwnHandler returns the handler the server's own fasthttp.Server serves
// (Handler's is for servers of the application's own), for benchmarks of
// the path requests take under Run.
func (s *Server) OwnHandler() fasthttp.RequestHandler { return s.handle }
