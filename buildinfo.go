package main

import (
	"cmp"
	"runtime/debug"

	"github.com/council-components/registry/api"
)

// version and revision are the release this binary is and the commit it was
// built from, set at build time:
//
//	go build -ldflags "-X main.version=v1.2.0 -X main.revision=$(git rev-parse HEAD)" .
//
// (the Dockerfile passes its VERSION and REVISION build arguments). Left empty,
// what Go stamped from the checkout stands in (its tag and commit, when built
// with -buildvcs), then "devel" and "unknown".
var version, revision string

// buildInfo is what `registry --version` prints and registry_build_info reports.
func buildInfo() api.BuildInfo {
	b := api.BuildInfo{Version: version}
	var stamped, modified string
	if info, ok := debug.ReadBuildInfo(); ok {
		b.GoVersion = info.GoVersion
		if info.Main.Version != "(devel)" {
			b.Version = cmp.Or(b.Version, info.Main.Version)
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				stamped = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
	}
	b.Version = cmp.Or(b.Version, "devel")
	if modified == "true" {
		stamped += "-modified"
	}
	b.Revision = cmp.Or(revision, stamped, "unknown")
	return b
}
