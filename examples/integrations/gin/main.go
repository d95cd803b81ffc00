// Command gin is an HTTP function for Function Compute written with the gin
// web framework, mounted with fcserver.WithStdHTTP (through httpfn.Std):
// c.Request.Context() is the invocation context, carrying the FC metadata,
// the deadline and the request logger.
//
//	POST /users   {"name":"Ada","email":"ada@example.com"}  →  201 {"id":1,"name":"Ada","email":"ada@example.com"}
//	POST /users   a missing name or a bad email             →  400 {"error":"…","requestId":"…"}
//	GET  /users/:id                                          →  200 the user, 404 when there is none
//
// Input is validated with gin's binding tags. A middleware logs one line
// per request on the invocation's logger and sets X-Request-Id to the FC
// request id. The users live in the instance's memory: a real function
// keeps them in a database.
package main

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/fcgo/fcgo/fcserver"
	"github.com/fcgo/fcgo/headers"
	"github.com/gin-gonic/gin"
	"github.com/rs/zerolog"
)

// User is one stored user.
type User struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// NewUser is the body of POST /users.
type NewUser struct {
	Name  string `json:"name" binding:"required,max=100"`
	Email string `json:"email" binding:"required,email"`
}

// Problem is the body of an error answer.
type Problem struct {
	Error     string `json:"error"`
	RequestID string `json:"requestId"`
}

// users holds the users of this instance; its methods are safe for
// concurrent use.
type users struct {
	mu   sync.Mutex
	byID map[int]User
}

func (u *users) add(in NewUser) User {
	u.mu.Lock()
	defer u.mu.Unlock()
	usr := User{ID: len(u.byID) + 1, Name: in.Name, Email: in.Email}
	u.byID[usr.ID] = usr
	return usr
}

func (u *users) get(id int) (User, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	usr, ok := u.byID[id]
	return usr, ok
}

// engine returns the function's gin engine.
func engine() *gin.Engine {
	// Release mode: gin's debug mode prints route tables and warnings to
	// stdout, which on FC is the function's log.
	gin.SetMode(gin.ReleaseMode)
	u := &users{byID: map[int]User{}}
	e := gin.New()
	e.Use(accessLog)
	e.POST("/users", func(c *gin.Context) {
		var in NewUser
		if err := c.ShouldBindJSON(&in); err != nil {
			fail(c, http.StatusBadRequest, err.Error())
			return
		}
		usr := u.add(in)
		zerolog.Ctx(c.Request.Context()).Info().Int("id", usr.ID).Msg("user created")
		c.Header("Location", "/users/"+strconv.Itoa(usr.ID))
		c.JSON(http.StatusCreated, usr)
	})
	e.GET("/users/:id", func(c *gin.Context) {
		id, err := strconv.Atoi(c.Param("id"))
		if err != nil {
			fail(c, http.StatusBadRequest, "the user id must be an integer")
			return
		}
		usr, ok := u.get(id)
		if !ok {
			fail(c, http.StatusNotFound, "no user "+strconv.Itoa(id))
			return
		}
		c.JSON(http.StatusOK, usr)
	})
	e.NoRoute(func(c *gin.Context) {
		fail(c, http.StatusNotFound, "no route for "+c.Request.Method+" "+c.Request.URL.Path)
	})
	return e
}

// accessLog sets X-Request-Id and, after the handler, logs the request's
// method, path and status on the invocation's logger.
func accessLog(c *gin.Context) {
	c.Header("X-Request-Id", requestID(c))
	c.Next()
	zerolog.Ctx(c.Request.Context()).Info().
		Str("method", c.Request.Method).Str("path", c.Request.URL.Path).
		Int("status", c.Writer.Status()).Msg("request")
}

// fail answers with a JSON Problem.
func fail(c *gin.Context, status int, msg string) {
	c.AbortWithStatusJSON(status, Problem{Error: msg, RequestID: requestID(c)})
}

// requestID returns the FC request id of the request c serves.
func requestID(c *gin.Context) string {
	if info, ok := headers.FromContext(c.Request.Context()); ok {
		return info.RequestID
	}
	return ""
}

func main() {
	fcserver.Run(fcserver.WithStdHTTP(engine()))
}
