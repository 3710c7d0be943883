package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// purgeTenant is DELETE /v1/tenant?confirm=<tenant>: the caller's tenant
// asks for everything kept for it to be deleted (a deletion request). The
// tenant's own API key authorises it: a key acts for one tenant only, so
// it can reach nothing of another, and an operator without the key uses
// `candor tenant purge` on the store. confirm must name the tenant, so that
// a stray DELETE cannot wipe it. The tenant's web sessions end with it.
func (s *Server) purgeTenant(c *gin.Context) {
	t := tenant(c)
	if got := c.Query("confirm"); got != t {
		s.fail(c, fieldError("confirm", "confirm must name the tenant whose data is deleted (%q), not %q", t, got))
		return
	}
	ctx := c.Request.Context()
	err := s.store.PurgeTenant(ctx, t)
	// Even a purge that failed half way may have removed guides.
	s.guides.ForgetTenant(t)
	if err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.store.BumpSessionGeneration(ctx, t); err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("tenant purged", "request_id", c.GetString(ctxRequestID), "tenant", t)
	c.Status(http.StatusNoContent)
}
