package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/candorhq/candor/store"
)

// Report ids. The engine derives a report's id from its content, so the
// same content gives the same id; two tenants analysing the same
// transcript would get the same id, and one could tell that the other had
// analysed it. The API therefore re-keys every id with an HMAC of the
// tenant and the engine's id, under a random key of the deployment
// (store.Secrets: in Redis, made by the first replica or worker that needs
// it and shared by all, so a job re-run anywhere stores its report once;
// per process with the in-memory store). Ids stay stable within a tenant and
// cannot be computed by another tenant.

type idKey struct {
	st store.Secrets

	mu  sync.Mutex
	key []byte
}

func (k *idKey) get(ctx context.Context) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	key, err := k.st.DeploymentKey(ctx, "report-ids")
	if err != nil {
		return nil, err
	}
	k.key = key
	return key, nil
}

// tenantReportID returns the id the API gives the engine's report id for
// tenant. While the key cannot be read (Redis down: the report is not
// stored then either) it falls back to an HMAC keyed by the tenant alone.
func (s *Server) tenantReportID(ctx context.Context, tenant, id string) string {
	key, err := s.idKey.get(ctx)
	if err != nil {
		s.log.Warn("report id key unavailable; keying the id by tenant alone", "error", err.Error())
		key = nil
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(tenant))
	m.Write([]byte{0})
	m.Write([]byte(id))
	return "rep_" + hex.EncodeToString(m.Sum(nil)[:10])
}
