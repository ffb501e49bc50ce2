package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/council-components/registry/harvest"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/webhooks"
)

// A harvest reads at most this much from a URL, and waits at most this long.
const (
	harvestMaxBytes = 16 << 20
	harvestTimeout  = 30 * time.Second
)

// digitalLandComponents are the components project-organisation.csv speaks
// for (Open Digital Planning is a programme, not one of them).
var digitalLandComponents = []string{"hmlr-local-land-charges", "localgov-drupal"}

const harvestUse = "harvest govuk-pay FILE|URL | harvest digital-land FILE|URL --organisations FILE|URL  [--dry-run] [--json] [--observed-on DATE] [--db DSN] | harvest publiccode --list FILE|URL [--dry-run] [--json] [--db DSN]"

// cmdHarvest records a source's published file as evidence, in short write
// transactions (store.ApplyHarvest), and reports what changed; --json prints
// the report alone.
func cmdHarvest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "publiccode" {
		return cmdHarvestPubliccode(ctx, args[1:], getenv, stdout, stderr)
	}
	if len(args) == 0 || (args[0] != "govuk-pay" && args[0] != "digital-land") {
		return fmt.Errorf("%w: %s", errUsage, harvestUse)
	}
	kind := args[0]
	fs, db := flags("harvest "+kind, getenv, stderr)
	dryRun := fs.Bool("dry-run", false, "report what would change and write nothing")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	observedOn := fs.String("observed-on", "", "the file's date (YYYY-MM-DD) when neither the file nor its name says")
	orgs := fs.String("organisations", "", "digital-land: the organisation list (local-authority.csv)")
	file, err := parseWithArg(fs, args[1:])
	if err != nil || (kind == "digital-land") != (*orgs != "") {
		return fmt.Errorf("%w: %s", errUsage, harvestUse)
	}
	client := &http.Client{Timeout: harvestTimeout}
	var run models.HarvestRun
	if kind == "govuk-pay" {
		run, err = readGovUKPay(ctx, client, file, *observedOn)
	} else {
		run, err = readDigitalLand(ctx, client, file, *orgs, *observedOn)
	}
	if err != nil {
		return err
	}
	run.DryRun = *dryRun
	return applyHarvest(ctx, *db, stdout, *asJSON, func(st *store.Store) (models.HarvestReport, error) {
		return st.ApplyHarvest(ctx, run)
	}, writeHarvestReport)
}

// applyHarvest opens the database, applies a harvest and prints its report:
// the JSON object alone with asJSON, else text for people.
func applyHarvest[R any](ctx context.Context, dsn string, stdout io.Writer, asJSON bool, apply func(*store.Store) (R, error), text func(io.Writer, R)) error {
	st, _, err := openMigrated(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := apply(st)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	text(stdout, rep)
	return nil
}

// parseWithArg parses flags that may come before or after the one argument.
func parseWithArg(fs *flag.FlagSet, args []string) (string, error) {
	if err := parse(fs, args); err != nil {
		return "", err
	}
	arg := fs.Arg(0)
	if err := parse(fs, fs.Args()[min(1, fs.NArg()):]); err != nil {
		return "", err
	}
	if arg == "" || fs.NArg() != 0 {
		return "", errUsage
	}
	return arg, nil
}

func readGovUKPay(ctx context.Context, client *http.Client, loc, observedOn string) (models.HarvestRun, error) {
	b, err := readHarvestFile(ctx, client, loc)
	if err != nil {
		return models.HarvestRun{}, err
	}
	p, err := harvest.ParseGovUKPay(bytes.NewReader(b), loc)
	if err != nil {
		return models.HarvestRun{}, err
	}
	return observe(b, []string{harvest.GovUKPayComponent}, func(m *models.CouncilMatcher) (harvest.Harvest, error) {
		return p.Observations(m, harvest.Source{ObservedOn: observedOn})
	})
}

func readDigitalLand(ctx context.Context, client *http.Client, loc, orgLoc, observedOn string) (models.HarvestRun, error) {
	b, err := readHarvestFile(ctx, client, loc)
	if err != nil {
		return models.HarvestRun{}, err
	}
	ob, err := readHarvestFile(ctx, client, orgLoc)
	if err != nil {
		return models.HarvestRun{}, err
	}
	d, err := harvest.ParseDigitalLand(bytes.NewReader(b), bytes.NewReader(ob), loc, orgLoc)
	if err != nil {
		return models.HarvestRun{}, err
	}
	if observedOn == "" && isURL(loc) && harvest.DateInName(loc) == "" {
		observedOn = time.Now().UTC().Format(time.DateOnly) // a live file is as of the day it was read
	}
	return observe(b, digitalLandComponents, func(m *models.CouncilMatcher) (harvest.Harvest, error) {
		return d.Observations(m, harvest.Source{ObservedOn: observedOn})
	})
}

// observe places a read file's names with the shipped council matcher and
// makes what the store applies.
func observe(file []byte, components []string, observations func(*models.CouncilMatcher) (harvest.Harvest, error)) (models.HarvestRun, error) {
	m, err := seed.CouncilMatcher()
	if err != nil {
		return models.HarvestRun{}, err
	}
	h, err := observations(m)
	if err != nil {
		return models.HarvestRun{}, err
	}
	return harvestRun(h, file, components), nil
}

// harvestRun turns what a codec read into what the store applies.
func harvestRun(h harvest.Harvest, file []byte, components []string) models.HarvestRun {
	sum := sha256.Sum256(file)
	run := models.HarvestRun{Source: h.Source, File: h.File, SHA256: hex.EncodeToString(sum[:]), ObservedOn: h.ObservedOn,
		Components: components, Matched: h.Matched, Skipped: []string{}, Unmatched: []models.UnmatchedName{}}
	for _, o := range h.Observations {
		run.Observations = append(run.Observations, models.HarvestObservation{Council: o.Council, Component: o.Component, Kind: o.Kind,
			Evidence: models.EvidenceItem{Source: o.Evidence.Source, URL: o.Evidence.URL, Quote: o.Evidence.Quote,
				ObservedOn: o.Evidence.ObservedOn, Status: o.Status}})
	}
	for _, u := range h.Skipped {
		run.Skipped = append(run.Skipped, u.Name)
	}
	for _, u := range h.Unmatched {
		run.Unmatched = append(run.Unmatched, models.UnmatchedName{Name: u.Name, Reason: u.Reason, Candidates: u.Candidates})
	}
	return run
}

func isURL(loc string) bool { return strings.Contains(loc, "://") }

// readHarvestFile reads a local file, or fetches an https URL within the
// harvest's time and size limits. Every error names the file or URL.
func readHarvestFile(ctx context.Context, client *http.Client, loc string) ([]byte, error) {
	if !isURL(loc) {
		b, err := os.ReadFile(loc)
		if err != nil {
			return nil, fmt.Errorf("harvest %s: %w", loc, errors.Unwrap(err))
		}
		return b, nil
	}
	b, err := fetchHarvestFile(ctx, client, loc, harvestMaxBytes)
	if err != nil {
		return nil, fmt.Errorf("harvest %s: %w", loc, err)
	}
	return b, nil
}

// fetchHarvestFile GETs an https URL, refusing an answer other than 200 or
// one larger than limit bytes.
func fetchHarvestFile(ctx context.Context, client *http.Client, loc string, limit int64) ([]byte, error) {
	u, err := url.Parse(loc)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("only https URLs are read")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("no answer: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("answered %s", resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return b, nil
}

// writeHarvestReport says what a harvest did, for people: the counts, then
// each name it could not place, since those want a person's eye.
func writeHarvestReport(w io.Writer, r models.HarvestReport) {
	verb := "applied"
	if r.DryRun {
		verb = "dry run, nothing written"
	}
	fmt.Fprintf(w, "%s %s (%s): %d created, %d updated, %d unchanged, %d no longer listed; %d programme memberships (%s)\n",
		r.Source, r.ObservedOn, r.File, r.Created, r.Updated, r.Unchanged, r.NoLongerListed, r.Memberships, verb)
	fmt.Fprintf(w, "names: %d matched, %d matched to several councils, %d skipped (not principal councils), %d unmatched\n",
		len(r.Matched), len(r.MatchedJoint), len(r.Skipped), len(r.Unmatched))
	for _, u := range r.Unmatched {
		fmt.Fprintf(w, "unmatched: %s (%s", u.Name, u.Reason)
		if len(u.Candidates) > 0 {
			fmt.Fprintf(w, "; close: %s", strings.Join(u.Candidates, ", "))
		}
		fmt.Fprintln(w, ")")
	}
}

// publiccodeHarvestClient fetches harvested publiccode.yml files: public
// addresses on port 443 only, as webhook deliveries. Tests replace it.
var publiccodeHarvestClient = func() *http.Client { return webhooks.PublicClient(net.DefaultResolver) }

// cmdHarvestPubliccode reads a list of repository URLs, raw publiccode.yml
// URLs or local paths (one a line, or a JSON array) and harvests each file,
// as POST /api/v1/harvests/publiccode does, as an admin; --json prints the report alone.
func cmdHarvestPubliccode(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := flags("harvest publiccode", getenv, stderr)
	list := fs.String("list", "", "the list: a file or an https URL")
	dryRun := fs.Bool("dry-run", false, "report what would change and write nothing")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	if err := parse(fs, args); err != nil || *list == "" || fs.NArg() != 0 {
		return fmt.Errorf("%w: %s", errUsage, harvestUse)
	}
	client := publiccodeHarvestClient()
	b, err := readHarvestFile(ctx, client, *list)
	if err != nil {
		return err
	}
	entries, err := harvest.ParsePubliccodeList(b)
	if err != nil {
		return fmt.Errorf("harvest %s: %w", *list, err)
	}
	files := harvest.Fetcher{Client: client, Local: true}.Fetch(ctx, entries)
	return applyHarvest(ctx, *db, stdout, *asJSON, func(st *store.Store) (models.PubliccodeHarvestReport, error) {
		return st.HarvestPubliccode(ctx, cliActor, files, *dryRun)
	}, writePubliccodeHarvestReport)
}

// writePubliccodeHarvestReport says what a publiccode.yml harvest did, for
// people: the counts, then each file that wants a person's eye.
func writePubliccodeHarvestReport(w io.Writer, r models.PubliccodeHarvestReport) {
	verb := "applied"
	if r.DryRun {
		verb = "dry run, nothing written"
	}
	fmt.Fprintf(w, "publiccode.yml: %d created, %d updated, %d unchanged, %d invalid, %d unreachable (%s)\n",
		r.Created, r.Updated, r.Unchanged, r.Invalid, r.Unreachable, verb)
	for _, f := range r.Files {
		switch f.Outcome {
		case models.HarvestInvalid, models.HarvestUnreachable:
			fmt.Fprintf(w, "%s: %s: %s\n", f.Outcome, f.Entry, f.Message)
			for _, p := range f.Problems {
				fmt.Fprintf(w, "  %s: %s\n", p.Field, p.Message)
			}
		}
	}
	if len(r.VendorsCreated) > 0 {
		fmt.Fprintf(w, "vendors created: %s\n", strings.Join(r.VendorsCreated, ", "))
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(w, "no longer found (flagged, not deleted): %s\n", strings.Join(r.Missing, ", "))
	}
	if len(r.UnmappedCategories) > 0 {
		fmt.Fprintf(w, "categories that map to no capability: %s\n", strings.Join(r.UnmappedCategories, ", "))
	}
}
