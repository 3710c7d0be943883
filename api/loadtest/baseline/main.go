// Command baseline is the yardstick for the API's load test: a minimal gin
// handler that does the least a cached analysis must do, hash the request
// body and read an 8 KB value from the store's analysis cache on Redis (one
// GET), and writes that value back.
//
//	REDIS_URL=redis://127.0.0.1:6379 baseline -addr 127.0.0.1:8081
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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

	"github.com/candorhq/candor/store"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	flag.Parse()
	rc, err := store.OpenRedis(os.Getenv("REDIS_URL"), store.RedisOptions{})
	if err != nil {
		log.Fatalf("baseline: REDIS_URL: %v", err)
	}
	defer rc.Close()
	st := store.NewRedis(rc, store.Options{Prefix: "baseline"})
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
		key := hex.EncodeToString(sum[:])
		raw, err := st.GetAnalysis(c.Request.Context(), "baseline", key)
		if errors.Is(err, store.ErrNotFound) {
			raw = value
			err = st.PutAnalysis(c.Request.Context(), "baseline", key, raw, 0)
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
