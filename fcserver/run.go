package fcserver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Run starts a function server configured by opts and never returns: it
// listens (see [New] for the address), serves until SIGTERM or SIGINT, then
// stops accepting, lets in-flight invocations finish (at most the drain
// timeout, [WithDrainTimeout]) and exits 0. It exits 1 when it cannot listen
// or the drain times out. Use it as the whole body of main:
//
//	func main() {
//		fcserver.Run(fcserver.WithEvent(event.JSON(handle)))
//	}
func Run(opts ...Option) {
	s := New(opts...)
	if err := s.Run(context.Background()); err != nil {
		s.log.Zerolog().Error().Err(err).Msg("fcgo: function server stopped")
		os.Exit(1)
	}
	os.Exit(0)
}

// Run listens on the configured address and serves until ctx is done or
// the process receives SIGTERM or SIGINT; then it shuts down gracefully,
// waiting at most the drain timeout for in-flight invocations. It returns
// nil after a clean shutdown.
func (s *Server) Run(ctx context.Context) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()

	errc := make(chan error, 1)
	go func() { errc <- s.ListenAndServe() }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal now kills the process the default way
	s.log.Zerolog().Info().Msg("fcgo: shutting down, draining in-flight invocations")
	drain, cancel := context.WithTimeout(context.Background(), s.cfg.drainTimeout)
	defer cancel()
	err := s.Shutdown(drain)
	// Invocations the drain gave up on still get their lines out.
	s.log.Flush()
	if err != nil {
		return fmt.Errorf("fcserver: drain: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, ErrServerClosed) {
		return err
	}
	s.log.Zerolog().Info().Msg("fcgo: function server stopped")
	return nil
}
