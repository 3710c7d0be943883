package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/candorhq/candor/api"
)

// apiClient calls the API in this process, as the signed-in tenant, so the
// pages obey exactly the API's tenant rules, limits and validation.
type apiClient struct {
	h      http.Handler
	noAuth bool
}

// problem is an API error as the pages show it.
type problem struct {
	Status int
	api.Problem
}

func (p *problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Code, p.Detail) }

// response is what the API answered.
type response struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (r *response) Header() http.Header         { return r.header }
func (r *response) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *response) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// do sends a request to the API and returns its response; statuses of 400
// and above come back as a *problem.
func (c apiClient) do(ctx context.Context, tenant, method, path string, q url.Values, contentType string, body []byte) (*response, error) {
	if !c.noAuth {
		ctx = api.ActAs(ctx, tenant)
	}
	u := path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.RemoteAddr = "127.0.0.1:0"
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	res := &response{header: http.Header{}}
	c.h.ServeHTTP(res, req)
	if res.status == 0 {
		res.status = http.StatusOK
	}
	if res.status >= 400 {
		p := &problem{Status: res.status}
		if err := json.Unmarshal(res.body.Bytes(), &p.Problem); err != nil || p.Detail == "" {
			p.Detail = http.StatusText(res.status)
		}
		return res, p
	}
	return res, nil
}

// getJSON GETs path and decodes the answer into out.
func (c apiClient) getJSON(ctx context.Context, tenant, path string, q url.Values, out any) error {
	res, err := c.do(ctx, tenant, http.MethodGet, path, q, "", nil)
	if err != nil {
		return err
	}
	return decode(res.body.Bytes(), out)
}

func decode(b []byte, out any) error {
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(out); err != nil && err != io.EOF {
		return fmt.Errorf("decode API response: %w", err)
	}
	return nil
}
