// Command fiber is an HTTP function for Function Compute written with Fiber
// v2. Fiber runs on fasthttp, like fcserver, so the app mounts natively with
// fcserver.WithHTTP(app.Handler()): no net/http adapter, no copies.
//
//	GET  /hello/:name?                     →  {"greeting":"hello, Ada","requestId":"…"}
//	GET  /orders/:id<int>/items/:item      →  {"order":42,"item":"pen","requestId":"…"}
//	POST /orders/:id<int>/notes            →  201 {"order":42,"note":"…","requestId":"…"}
//	anything else                          →  404 {"error":"…","requestId":"…"}
//
// Handlers reach the FC metadata and the request logger through
// c.Context(), the *fasthttp.RequestCtx fcserver serves.
package main

import (
	"errors"
	"strings"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/gofiber/fiber/v2"
	"github.com/rs/zerolog"
)

// Greeting is the answer of GET /hello/:name?.
type Greeting struct {
	Greeting  string `json:"greeting"`
	RequestID string `json:"requestId"`
}

// OrderItem is the answer of GET /orders/:id/items/:item.
type OrderItem struct {
	Order     int    `json:"order"`
	Item      string `json:"item"`
	RequestID string `json:"requestId"`
}

// Note is the answer of POST /orders/:id/notes.
type Note struct {
	Order     int    `json:"order"`
	Note      string `json:"note"`
	RequestID string `json:"requestId"`
}

// Problem is the body of an error answer.
type Problem struct {
	Error     string `json:"error"`
	RequestID string `json:"requestId"`
}

// maxNote bounds a note's length, in bytes.
const maxNote = 1024

// newApp returns the function's Fiber app.
func newApp() *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "fcgo-fiber",
		DisableStartupMessage: true, // fcserver, not Fiber, owns the listener
		ErrorHandler:          problem,
	})
	app.Get("/hello/:name?", hello)
	app.Get("/orders/:id<int>/items/:item", orderItem)
	app.Post("/orders/:id<int>/notes", addNote)
	return app
}

func hello(c *fiber.Ctx) error {
	name := c.Params("name", "world")
	zerolog.Ctx(c.Context()).Info().Str("name", name).Msg("greeting")
	return c.JSON(Greeting{Greeting: "hello, " + name, RequestID: requestID(c)})
}

func orderItem(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "the order id must be an integer")
	}
	return c.JSON(OrderItem{Order: id, Item: c.Params("item"), RequestID: requestID(c)})
}

func addNote(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "the order id must be an integer")
	}
	note := strings.TrimSpace(string(c.Body()))
	switch {
	case note == "":
		return fiber.NewError(fiber.StatusBadRequest, "the note (the request body) is empty")
	case len(note) > maxNote:
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, "a note is at most 1024 bytes")
	}
	zerolog.Ctx(c.Context()).Info().Int("order", id).Int("bytes", len(note)).Msg("note added")
	return c.Status(fiber.StatusCreated).JSON(Note{Order: id, Note: note, RequestID: requestID(c)})
}

// problem is the app's error handler: every error becomes a JSON Problem
// with the status of a *fiber.Error (404 for an unknown route), else 500.
func problem(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	if errors.As(err, &fe) {
		status = fe.Code
	}
	if status >= 500 {
		zerolog.Ctx(c.Context()).Error().Err(err).Msg("request failed")
	}
	return c.Status(status).JSON(Problem{Error: err.Error(), RequestID: requestID(c)})
}

// requestID returns the FC request id of the request c serves.
func requestID(c *fiber.Ctx) string {
	if info, ok := headers.FromContext(c.Context()); ok {
		return info.RequestID
	}
	return ""
}

func main() {
	fcserver.Run(fcserver.WithHTTP(newApp().Handler()))
}
