// Command baseline is the yardstick for the API's load test: a minimal gin
// handler that does the least a cached analysis must do, hash the request
// body and GET an 8 KB value from Redis, and writes that value back.
//
//	REDIS_URL=redis://127.0.0.1:6379 baseline -addr 127.0.0.1:8081
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	flag.Parse()
	opts, err := redis.ParseURL(os.Getenv("REDIS_URL"))
	if err != nil {
		log.Fatalf("baseline: REDIS_URL: %v", err)
	}
	rc := redis.NewClient(opts)
	defer rc.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// One 8 KB value per body hash would need the body in advance; the
	// load test repeats one body, so store the value under its hash on
	// first sight, as a cache would.
	value := []byte(`{"v":"` + strings.Repeat("x", 8<<10-8) + `"}`)
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.POST("/analyze", func(c *gin.Context) {
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		sum := sha256.Sum256(body)
		key := "baseline:" + hex.EncodeToString(sum[:])
		raw, err := rc.Get(c.Request.Context(), key).Bytes()
		if err == redis.Nil {
			raw = value
			err = rc.Set(c.Request.Context(), key, raw, 0).Err()
		}
		if err != nil {
			c.Status(http.StatusServiceUnavailable)
			return
		}
		c.Data(http.StatusOK, "application/json", raw)
	})
	srv := &http.Server{Addr: *addr, Handler: r}
	go func() { <-ctx.Done(); _ = srv.Shutdown(context.Background()) }()
	fmt.Fprintf(os.Stderr, "baseline listening on %s\n", *addr)
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
