package store

import (
	"crypto/tls"
	"net"
)

// tlsConfig is the TLS setup for rediss-sentinel and rediss-cluster URLs:
// the server name is the first host's, as go-redis does for rediss://.
func tlsConfig(addrs []string) *tls.Config {
	host := addrs[0]
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
}
