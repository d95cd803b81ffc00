// Command funcframework is the event work of internal/work as a typed
// function of Google's functions-framework-go, registered with
// functions.Typed and served through funcframework.StartHostPort, as its
// users run it. With FUNCTION_TARGET set (this command sets it to "hello"
// when it is unset), the framework serves the function at "/", so it
// answers the same POST /invoke the other contenders get.
//
//	funcframework -port 19604
package main

import (
	"flag"
	"log"
	"os"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/fcgo/fcgo/bench/internal/work"
)

func greet(in work.Input) (work.Output, error) {
	return work.Greet(in), nil
}

func init() {
	functions.Typed("hello", greet)
}

func main() {
	port := flag.String("port", "19604", "port to listen on, on 127.0.0.1")
	flag.Parse()
	if os.Getenv("FUNCTION_TARGET") == "" {
		if err := os.Setenv("FUNCTION_TARGET", "hello"); err != nil {
			log.Fatal(err)
		}
	}
	if err := funcframework.StartHostPort("127.0.0.1", *port); err != nil {
		log.Fatalf("funcframework: %v", err)
	}
}
