package harvest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/council-components/registry/models"
)

// Limits on one publiccode.yml file read by a harvest.
const (
	PubliccodeMaxBytes  = 1 << 20          // 1 MiB: the largest real files are a few tens of KiB
	PubliccodeTimeout   = 15 * time.Second // webhooks.PublicClient's own limit too
	publiccodeRedirects = 3                // followed only on the same host
)

// ParsePubliccodeList reads a harvest list: a JSON array of strings, or one
// entry a line (blank lines and lines starting with # are skipped).
func ParsePubliccodeList(b []byte) ([]string, error) {
	var entries []string
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(t, &entries); err != nil {
			return nil, fmt.Errorf("the list is not a JSON array of strings: %v", err)
		}
	} else {
		entries = strings.Split(string(b), "\n")
	}
	out := []string{}
	for _, e := range entries {
		if e = strings.TrimSpace(e); e != "" && !strings.HasPrefix(e, "#") {
			out = append(out, e)
		}
	}
	return out, nil
}

// PubliccodeURL is the raw publiccode.yml URL an entry names. A repository
// URL on github.com (https://github.com/OWNER/REPO, also .../blob/REF/path)
// or gitlab.com (https://gitlab.com/GROUP/.../REPO) maps to the file at the
// root of its default branch; any other https URL must be the raw file itself
// (its path ending in .yml or .yaml).
func PubliccodeURL(entry string) (string, error) {
	u, err := url.Parse(entry)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return "", errors.New("is not an https URL")
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	yml := strings.HasSuffix(u.Path, ".yml") || strings.HasSuffix(u.Path, ".yaml")
	switch host := strings.ToLower(u.Hostname()); {
	case host == "github.com" && len(parts) >= 5 && parts[2] == "blob":
		return "https://raw.githubusercontent.com/" + strings.Join(append(parts[:2:2], parts[3:]...), "/"), nil
	case host == "github.com" && len(parts) == 2:
		return "https://raw.githubusercontent.com/" + parts[0] + "/" + strings.TrimSuffix(parts[1], ".git") + "/HEAD/publiccode.yml", nil
	case host == "gitlab.com" && len(parts) >= 2 && !yml && !strings.Contains(u.Path, "/-/"):
		return "https://gitlab.com/" + strings.TrimSuffix(strings.Join(parts, "/"), ".git") + "/-/raw/HEAD/publiccode.yml", nil
	case yml:
		return entry, nil
	}
	return "", errors.New("is neither a repository on github.com or gitlab.com nor a raw publiccode.yml URL (ending in .yml or .yaml)")
}

// CodeHostOwner is the account a repository URL on a known code host belongs
// to ("Amsterdam" for https://github.com/Amsterdam/signals-frontend), with its
// page there; "" elsewhere.
func CodeHostOwner(repository string) (owner, page string) {
	u, err := url.Parse(repository)
	if err != nil {
		return "", ""
	}
	host := strings.ToLower(u.Hostname())
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if (host != "github.com" && host != "gitlab.com" && host != "codeberg.org") || len(parts) < 2 || parts[0] == "" {
		return "", ""
	}
	return parts[0], "https://" + host + "/" + parts[0]
}

// Fetcher reads the files of a harvest list.
type Fetcher struct {
	// Client fetches URLs; it should be webhooks.PublicClient, which dials only
	// public addresses on port 443 and follows no redirect by itself.
	Client *http.Client
	// Local lets an entry be a path on this machine (the command line's lists;
	// never the API's).
	Local bool
}

// Fetch reads every entry in order. A file that cannot be read is reported
// in its HarvestedFile, never as an error: one bad entry stops nothing.
func (f Fetcher) Fetch(ctx context.Context, entries []string) []models.HarvestedFile {
	out := make([]models.HarvestedFile, len(entries))
	for i, e := range entries {
		out[i] = f.fetch(ctx, e)
	}
	return out
}

func (f Fetcher) fetch(ctx context.Context, entry string) models.HarvestedFile {
	file := models.HarvestedFile{Entry: entry, URL: entry}
	fail := func(outcome, format string, args ...any) models.HarvestedFile {
		file.Outcome, file.Problem = outcome, fmt.Sprintf(format, args...)
		return file
	}
	if f.Local && !strings.Contains(entry, "://") {
		b, err := readLocal(entry)
		if err != nil {
			return fail(models.HarvestUnreachable, "%v", err)
		}
		if len(b) > PubliccodeMaxBytes {
			return fail(models.HarvestInvalid, "the file is larger than %d bytes (1 MiB)", PubliccodeMaxBytes)
		}
		file.Body = b
		return file
	}
	raw, err := PubliccodeURL(entry)
	if err != nil {
		return fail(models.HarvestInvalid, "the entry %s", err)
	}
	file.URL = raw
	b, tooBig, err := f.get(ctx, raw)
	switch {
	case tooBig:
		return fail(models.HarvestInvalid, "the file is larger than %d bytes (1 MiB)", PubliccodeMaxBytes)
	case err != nil:
		return fail(models.HarvestUnreachable, "%v", err)
	}
	file.Body = b
	return file
}

func readLocal(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, errors.Unwrap(err) // the path is the entry already
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, PubliccodeMaxBytes+1))
}

// get fetches raw within the time and size limits, following a redirect only
// to https on the same host.
func (f Fetcher) get(ctx context.Context, raw string) (body []byte, tooBig bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, PubliccodeTimeout)
	defer cancel()
	client := *f.Client
	origin, _ := url.Parse(raw)
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" || !strings.EqualFold(req.URL.Host, origin.Host) {
			return fmt.Errorf("redirected to another host (%s), which a harvest does not follow", req.URL.Host)
		}
		if len(via) > publiccodeRedirects {
			return errors.New("redirected too many times")
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Accept", "application/yaml, text/yaml, text/plain;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, false, fmt.Errorf("no answer: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, false, fmt.Errorf("answered %s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, PubliccodeMaxBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("reading the answer: %v", err)
	}
	if len(b) > PubliccodeMaxBytes {
		return nil, true, nil
	}
	return b, false, nil
}
