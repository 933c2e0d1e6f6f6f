// Command cluster-dns is the cluster DNS of the local cluster's real node: CoreDNS with only the plugins its
// Corefile uses, built from the CoreDNS Go module (no registry here ships its image or binary). It runs on the host,
// on the pod bridge's address, and answers the cluster's Service and pod names from the API server. Test tooling
// only, never part of the product; a module of its own so CoreDNS's dependency versions never move the control
// plane's.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

func main() {
	// CoreDNS runs the plugins of a server block in this order, whatever the Corefile's order (its own order, cut
	// down to the plugins linked in above).
	dnsserver.Directives = []string{"bind", "ready", "health", "errors", "log", "cache", "kubernetes"}
	coremain.Run()
}
