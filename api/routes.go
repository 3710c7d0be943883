package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// routes builds the router: every route of the API on one screen.
func (s *Server) routes() *gin.Engine {
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	r.Use(s.requestID, s.recover, s.observe)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metricsHandler)
	r.GET("/openapi.yaml", s.openapi)

	v1 := r.Group("/v1", s.authenticate, s.rateLimit)
	{
		v1.POST("/analyses", s.limitBody, s.idempotent, s.createAnalysis)
		v1.GET("/jobs/:id", s.getJob)

		v1.GET("/reports", s.listReports)
		v1.GET("/reports/:id", s.getReport)
		v1.DELETE("/reports/:id", s.deleteReport)

		v1.POST("/evaluations", s.limitBody, s.idempotent, s.createEvaluation)
		v1.GET("/evaluations", s.listEvaluations)
		v1.GET("/evaluations/:id", s.getEvaluation)
		v1.DELETE("/evaluations/:id", s.deleteEvaluation)
		v1.POST("/audits", s.limitBody, s.idempotent, s.createAudit)
		v1.GET("/audits", s.listAudits)
		v1.GET("/audits/:id", s.getAudit)
		v1.DELETE("/audits/:id", s.deleteAudit)

		v1.POST("/slates", s.limitBody, s.idempotent, s.createSlate)
		v1.GET("/slates", s.listSlates)
		v1.GET("/slates/:id", s.getSlate)
		v1.DELETE("/slates/:id", s.deleteSlate)

		v1.GET("/guides", s.listGuides)
		v1.POST("/guides", s.limitBody, s.idempotent, s.createGuide)
		v1.GET("/guides/:id", s.getGuide)
		v1.PUT("/guides/:id", s.limitBody, s.putGuide)
		v1.DELETE("/guides/:id", s.deleteGuide)

		v1.DELETE("/tenant", s.purgeTenant)
	}

	// Everything else belongs to the web pages when they are mounted
	// (GET /reports/{id} and their assets).
	r.NoRoute(s.notFound)
	r.NoMethod(func(c *gin.Context) {
		writeProblem(c, Problem{Type: "https://candor.dev/problems/" + CodeMethodNotAllowed, Title: http.StatusText(http.StatusMethodNotAllowed),
			Status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed,
			Detail: c.Request.Method + " is not allowed on " + c.Request.URL.Path, Instance: c.Request.URL.Path,
			RequestID: c.GetString(ctxRequestID)})
	})
	return r
}

func (s *Server) notFound(c *gin.Context) {
	if s.web != nil && !strings.HasPrefix(c.Request.URL.Path, "/v1/") {
		c.Status(http.StatusOK) // gin presets 404 for NoRoute handlers
		s.web.ServeHTTP(c.Writer, c.Request)
		return
	}
	writeProblem(c, Problem{Type: "https://candor.dev/problems/" + CodeRouteNotFound, Title: http.StatusText(http.StatusNotFound),
		Status: http.StatusNotFound, Code: CodeRouteNotFound, Detail: "no such route: " + c.Request.URL.Path,
		Instance: c.Request.URL.Path, RequestID: c.GetString(ctxRequestID)})
}
