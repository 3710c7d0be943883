package api

import (
	"net/netip"
)

// nonPublic is the one list of addresses a webhook may not reach (unless
// Config.WebhookAllowPrivate): every block of the IANA IPv4 and IPv6
// Special-Purpose Address Registries that is not globally reachable, the
// blocks that embed an IPv4 address a gateway would reach for us (NAT64,
// 6to4, Teredo, IPv4-compatible), and multicast. A few globally reachable
// exceptions inside 192.0.0.0/24 and 2001::/23 (AS112, AMT, ORCHIDv2) are
// refused with their block: no webhook receiver lives there.
//
// Registries: https://www.iana.org/assignments/iana-ipv4-special-registry
// and https://www.iana.org/assignments/iana-ipv6-special-registry.
var nonPublic = mustPrefixes(
	// IPv4
	"0.0.0.0/8",       // "this network" (RFC 791)
	"10.0.0.0/8",      // private use (RFC 1918)
	"100.64.0.0/10",   // shared address space, carrier-grade NAT (RFC 6598)
	"127.0.0.0/8",     // loopback (RFC 1122)
	"169.254.0.0/16",  // link local (RFC 3927)
	"172.16.0.0/12",   // private use (RFC 1918)
	"192.0.0.0/24",    // IETF protocol assignments, DS-Lite, NAT64 discovery (RFC 6890)
	"192.0.2.0/24",    // documentation, TEST-NET-1 (RFC 5737)
	"192.88.99.0/24",  // 6to4 relay anycast, deprecated (RFC 7526)
	"192.168.0.0/16",  // private use (RFC 1918)
	"198.18.0.0/15",   // benchmarking (RFC 2544)
	"198.51.100.0/24", // documentation, TEST-NET-2 (RFC 5737)
	"203.0.113.0/24",  // documentation, TEST-NET-3 (RFC 5737)
	"224.0.0.0/4",     // multicast (RFC 5771)
	"240.0.0.0/4",     // reserved (RFC 1112), with 255.255.255.255/32 limited broadcast
	"::/96",           // unspecified, loopback and the deprecated IPv4-compatible addresses (RFC 4291)
	"::ffff:0:0/96",   // IPv4-mapped (RFC 4291); checked again unmapped
	"64:ff9b::/96",    // NAT64 well-known prefix (RFC 6052): reaches any IPv4 the gateway can
	"64:ff9b:1::/48",  // local-use IPv4/IPv6 translation (RFC 8215)
	"100::/64",        // discard-only (RFC 6666)
	"100:0:0:1::/64",  // dummy prefix (RFC 9780)
	"2001::/23",       // IETF protocol assignments: Teredo, benchmarking, ORCHID (RFC 2928)
	"2001:db8::/32",   // documentation (RFC 3849)
	"2002::/16",       // 6to4 (RFC 3056): embeds an IPv4 address
	"3fff::/20",       // documentation (RFC 9637)
	"5f00::/16",       // segment routing SIDs (RFC 9602)
	"fc00::/7",        // unique local (RFC 4193)
	"fe80::/10",       // link local (RFC 4291)
	"fec0::/10",       // site local, deprecated (RFC 3879)
	"ff00::/8",        // multicast (RFC 4291)
)

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// NonPublicRanges returns the address blocks webhooks may not reach.
func NonPublicRanges() []netip.Prefix { return append([]netip.Prefix(nil), nonPublic...) }

// PublicAddr reports whether a is a globally reachable unicast address:
// in none of NonPublicRanges, an IPv4-mapped address judged by its IPv4,
// a zone ignored.
func PublicAddr(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.WithZone("").Unmap()
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}
