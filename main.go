// Command registry runs the Council Components Registry: a catalogue of
// reusable digital components for UK councils, who adopts them, and where
// reuse is being missed.
//
//	@title						Council Components Registry API
//	@version					1.0
//	@description				Reusable components for UK councils (payments, notifications, identity, forms, websites…), the capabilities they provide, and the councils that adopt them. Anonymous callers may read; every write needs an API key sent as Authorization: Bearer KEY. Errors are application/problem+json.
//	@license.name				Code MIT; reference data under its own licences (seed/data/README.md)
//	@license.url				https://opensource.org/license/mit
//	@BasePath					/
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				"Bearer " followed by an API key from `registry keys create`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/council-components/registry/api"
	"github.com/council-components/registry/models"
	"github.com/council-components/registry/seed"
	"github.com/council-components/registry/spreadsheet"
	"github.com/council-components/registry/store"
	"github.com/council-components/registry/webhooks"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "registry:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `usage: registry COMMAND [flags]

commands:
  serve   [--addr :8080] [--db DSN] [--demo] [--rate-limit N] [--auth-failures N] [--fresh-months 24]
          [--secret-key-file FILE]
                                                                migrate, seed an empty database, serve HTTP
  seed    [--db DSN] [--demo]                                   load or refresh reference data
  migrate [--db DSN]                                            apply schema migrations
  keys create --role admin|vendor|council [--org ID] [--name TEXT] [--db DSN]
  keys revoke PREFIX [--db DSN]
  backup  --out FILE [--db DSN]                                 consistent online copy of a SQLite database
  synth   --councils N --components N --adoptions N [--seed S] [--db DSN]
                                                                fill an empty database with a synthetic world (benchmarks)
  import adoptions FILE.csv [--dry-run] [--strict] [--db DSN]
                                                                record a spreadsheet of adoptions (see README)
  harvest govuk-pay FILE|URL [--dry-run] [--json] [--db DSN]
  harvest digital-land FILE|URL --organisations FILE|URL [--dry-run] [--json] [--db DSN]
  harvest publiccode --list FILE|URL [--dry-run] [--json] [--db DSN]
                                                                record a source's published file as evidence (see README)
  health  [--addr :8080]                                        exit 0 when the local server answers /readyz (for HEALTHCHECK)
  openapi                                                       print the OpenAPI 3 document the server serves at /openapi.json
  version                                                       print the release, source revision and Go version (also --version)

--db defaults to $DATABASE_URL, then registry.db; --addr to $REGISTRY_ADDR, then :8080;
--secret-key-file to $REGISTRY_SECRET_KEY_FILE, then (SQLite only) the database path + .secret-key.`

// A command is one of the program's subcommands, given the arguments after its name.
type command func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// run is the whole program, so tests can start it with their own arguments and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprintln(stdout, usage)
		return nil
	}
	if cmd == "version" || cmd == "--version" {
		b := buildInfo()
		fmt.Fprintf(stdout, "registry %s (revision %s, %s)\n", b.Version, b.Revision, b.GoVersion)
		return nil
	}
	commands := map[string]command{
		"serve":   cmdServe,
		"seed":    cmdSeed,
		"migrate": cmdMigrate,
		"keys":    cmdKeys,
		"health":  cmdHealth,
		"import":  cmdImport,
		"harvest": cmdHarvest,
		"backup":  cmdBackup,
		"synth":   cmdSynth,
		"openapi": cmdOpenAPI,
	}
	if command, ok := commands[cmd]; ok {
		return command(ctx, rest, getenv, stdout, stderr)
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s\n", cmd, usage)
	return errUsage
}

// flags makes a flag set whose --db defaults to $DATABASE_URL, then registry.db.
func flags(name string, getenv func(string) string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr(getenv, "DATABASE_URL", "registry.db"), "SQLite file path or postgres:// URL")
	return fs, db
}

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// openMigrated opens the database and brings its schema up to date.
func openMigrated(ctx context.Context, dsn string) (*store.Store, int, error) {
	st, err := store.Open(dsn)
	if err != nil {
		return nil, 0, err
	}
	if st.Names, err = seed.CouncilMatcher(); err != nil {
		st.Close()
		return nil, 0, err
	}
	n, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, 0, err
	}
	return st, n, nil
}

// parseAndOpen parses args into fs, then opens and migrates the database its
// --db flag (db) names.
func parseAndOpen(ctx context.Context, fs *flag.FlagSet, args []string, db *string) (*store.Store, int, error) {
	if err := parse(fs, args); err != nil {
		return nil, 0, err
	}
	return openMigrated(ctx, *db)
}

// cmdOpenAPI prints the served description, for generating clients and linting
// it without a running server. The router is built over a throwaway database:
// the description depends on the routes, not the data.
func cmdOpenAPI(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if err := parse(flag.NewFlagSet("openapi", flag.ContinueOnError), args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "registry-openapi-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, _, err := openMigrated(ctx, filepath.Join(dir, "registry.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := api.NewRouter(st, api.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	doc, err := api.OpenAPI3(r.Routes())
	if err != nil {
		return err
	}
	_, err = stdout.Write(doc)
	return err
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := flags("migrate", getenv, stderr)
	st, n, err := parseAndOpen(ctx, fs, args, db)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "applied %d migrations\n", n)
	return nil
}

func cmdSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := flags("seed", getenv, stderr)
	demo := fs.Bool("demo", false, "also load the synthetic demo world (every row marked source=demo)")
	st, _, err := parseAndOpen(ctx, fs, args, db)
	if err != nil {
		return err
	}
	defer st.Close()
	report, err := seed.Load(ctx, st, *demo)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, report)
	return nil
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := flags("serve", getenv, stderr)
	addr := fs.String("addr", envOr(getenv, "REGISTRY_ADDR", ":8080"), "listen address")
	demo := fs.Bool("demo", false, "load the synthetic demo world into an empty database")
	rateLimit := fs.Float64("rate-limit", 20, "requests a second per key (or client IP when anonymous); 0 turns limiting off")
	authFailures := fs.Int("auth-failures", 10, "failed authentications a minute per client IP before it gets 429; 0 turns the limit off")
	freshMonths := fs.Int("fresh-months", models.DefaultFreshMonths, "months an adoption's confirmation (the council's or the evidence's) stays fresh")
	proxies := fs.String("trusted-proxies", getenv("REGISTRY_TRUSTED_PROXIES"), "comma-separated proxy addresses or CIDRs whose X-Forwarded-For is believed")
	keyFile := fs.String("secret-key-file", getenv("REGISTRY_SECRET_KEY_FILE"),
		"file of 32 random bytes that webhook secrets are encrypted under (SQLite default: the database path + .secret-key, made if missing)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *rateLimit < 0 {
		return fmt.Errorf("%w: --rate-limit must be 0 or more", errUsage)
	}
	if *authFailures < 0 {
		return fmt.Errorf("%w: --auth-failures must be 0 or more", errUsage)
	}
	if *freshMonths < 1 || *freshMonths > 120 {
		return fmt.Errorf("%w: --fresh-months must be 1 to 120", errUsage)
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	key, err := webhookKey(*keyFile, *db, log)
	if err != nil {
		return err
	}

	st, n, err := openMigrated(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	st.FreshMonths = *freshMonths
	st.Webhooks.Key = key
	log.Info("database ready", "db", redact(*db), "migrations_applied", n)
	if key != nil { // without one (PostgreSQL, no key file) webhooks are off, as webhookKey logged
		if err := sealWebhookSecrets(ctx, st, log); err != nil {
			return err
		}
	}
	if err := seedIfEmpty(ctx, st, *demo, log); err != nil {
		return err
	}

	var trusted []string
	if *proxies != "" {
		trusted = strings.Split(*proxies, ",")
	}
	router, err := api.NewRouter(st, api.Config{Log: log, Build: buildInfo(), RateLimit: *rateLimit, AuthFailures: *authFailures, TrustedProxies: trusted})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// Webhook deliveries run beside the server and stop with it; what is still
	// queued stays in the database for the next start.
	workerCtx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan struct{})
	go func() {
		defer close(workerDone)
		webhooks.New(st, key, log).Run(workerCtx)
	}()
	defer func() {
		stopWorker()
		<-workerDone
	}()
	// The list pages' counts are read once, now, rather than by their first reader.
	go func() {
		if err := st.WarmListCounts(workerCtx); err != nil && workerCtx.Err() == nil {
			log.Warn("list counts not read ahead", "error", err)
		}
	}()
	log.Info("serving", "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "listening on %s\n", ln.Addr())
	return api.Serve(ctx, ln, router, log, 25*time.Second)
}

// sealWebhookSecrets encrypts the webhook secrets an earlier release stored in plain text under
// the store's key, and names the webhooks whose secrets were sealed under another key.
func sealWebhookSecrets(ctx context.Context, st *store.Store, log *slog.Logger) error {
	sealed, unopened, err := st.SealWebhookSecrets(ctx)
	if err != nil {
		return fmt.Errorf("webhook secrets: %w", err)
	}
	if sealed > 0 {
		log.Info("encrypted webhook secrets stored in plain text by an earlier release", "webhooks", sealed)
	}
	if len(unopened) > 0 {
		log.Error("these webhooks' secrets were sealed under another key: their deliveries fail until that key is given "+
			"(--secret-key-file) or each secret is rotated (POST /api/v1/webhooks/{id}/rotate-secret)", "webhooks", unopened)
	}
	return nil
}

// seedIfEmpty loads the reference data (and the demo world when demo is set) into an empty
// database; a database holding anything is left as it is.
func seedIfEmpty(ctx context.Context, st *store.Store, demo bool, log *slog.Logger) error {
	empty, err := seed.Empty(ctx, st)
	if err != nil || !empty {
		return err
	}
	report, err := seed.Load(ctx, st, demo)
	if err != nil {
		return err
	}
	log.Info("loaded reference data into an empty database", "report", report.String())
	return nil
}

func cmdKeys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: keys create|revoke", errUsage)
	}
	switch args[0] {
	case "create":
		fs, db := flags("keys create", getenv, stderr)
		role := fs.String("role", "", "admin, vendor or council")
		org := fs.String("org", "", "vendor slug (vendor keys) or council GSS code (council keys)")
		name := fs.String("name", "", "what the key is for, e.g. who holds it")
		ttl := fs.Duration("expires-in", 0, "expire the key after this long, e.g. 2160h; 0 never expires")
		st, _, err := parseAndOpen(ctx, fs, args[1:], db)
		if err != nil {
			return err
		}
		defer st.Close()
		var expires *time.Time
		if *ttl > 0 {
			t := st.Now().Add(*ttl)
			expires = &t
		}
		key, k, err := st.CreateKey(ctx, cliActor, *role, *org, *name, expires)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s key %s (shown once: store it now)\n%s\n", k.Role, k.Prefix, key)
		return nil
	case "revoke":
		fs, db := flags("keys revoke", getenv, stderr)
		prefix, err := parseWithArg(fs, args[1:])
		if err != nil {
			return fmt.Errorf("%w: keys revoke PREFIX", err)
		}
		st, _, err := openMigrated(ctx, *db)
		if err != nil {
			return err
		}
		defer st.Close()
		if err := st.RevokeKey(ctx, cliActor, prefix); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked %s\n", prefix)
		return nil
	}
	return fmt.Errorf("%w: keys create|revoke", errUsage)
}

func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := flags("backup", getenv, stderr)
	out := fs.String("out", "", "file to write the copy to (must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: backup --out FILE", errUsage)
	}
	st, err := store.Open(*db) // no migration: a backup copies the database as it is
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s in %s\n", *db, *out, time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdSynth fills an empty database with a deterministic synthetic world, over
// the real capability taxonomy, for benchmarks at scales beyond the real data.
func cmdSynth(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, db := flags("synth", getenv, stderr)
	councils := fs.Int("councils", 0, "how many synthetic councils")
	components := fs.Int("components", 0, "how many synthetic components")
	adoptions := fs.Int("adoptions", 0, "how many synthetic adoptions (each council and component at most once)")
	seedValue := fs.Uint64("seed", 1, "random seed: the same seed and sizes write the same world")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *councils < 1 || *components < 1 || *adoptions < 0 {
		return fmt.Errorf("%w: synth --councils N --components N --adoptions N (N ≥ 1; adoptions ≥ 0)", errUsage)
	}
	ref, err := seed.Embedded().Read()
	if err != nil {
		return err
	}
	st, _, err := openMigrated(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := store.SynthOptions{Councils: *councils, Components: *components, Adoptions: *adoptions, Seed: *seedValue,
		Capabilities: ref.Capabilities}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions(opts.Total(), progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("synth"),
			progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		opts.Progress = func(n int) { bar.Add(n) }
		defer bar.Finish()
	}
	start := time.Now()
	report, err := st.Synth(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s in %s\n", report, time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdHealth asks a running server on this machine whether it is ready, for
// container health checks in images that have no curl.
func cmdHealth(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, "REGISTRY_ADDR", ":8080"), "the server's listen address")
	if err := parse(fs, args); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("%w: --addr %q: %v", errUsage, *addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: /readyz answered %d", resp.StatusCode)
	}
	fmt.Fprintln(stdout, "ready")
	return nil
}

// cmdImport records a spreadsheet of adoptions, row by row, as POST
// /api/v1/adoptions/import does, with a progress bar when stderr is a terminal.
func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const use = "import adoptions FILE.csv [--dry-run] [--strict] [--db DSN]"
	if len(args) == 0 || args[0] != "adoptions" {
		return fmt.Errorf("%w: %s", errUsage, use)
	}
	fs, db := flags("import adoptions", getenv, stderr)
	dryRun := fs.Bool("dry-run", false, "report what would change and write nothing")
	strict := fs.Bool("strict", false, "apply nothing if any row has a problem")
	file, err := parseWithArg(fs, args[1:])
	if err != nil {
		return fmt.Errorf("%w: %s", err, use)
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := spreadsheet.ReadAdoptions(f)
	if err != nil {
		var e *models.Error
		if errors.As(err, &e) {
			for _, fe := range e.Fields {
				fmt.Fprintf(stderr, "%s: %s %s\n", file, fe.Field, fe.Message)
			}
		}
		return fmt.Errorf("%s cannot be imported: %w", file, err)
	}
	st, _, err := openMigrated(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var progress func(int)
	if tty, ok := stderr.(*os.File); ok && term.IsTerminal(int(tty.Fd())) {
		bar := progressbar.NewOptions(len(rows), progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("adoptions"),
			progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		progress = func(done int) { _ = bar.Set(done) }
		defer bar.Finish()
	}
	rep, err := st.ImportAdoptions(ctx, cliActor, rows, models.AdoptionImportOptions{DryRun: *dryRun, Strict: *strict}, progress)
	if err != nil {
		return err
	}
	for _, r := range rep.Results {
		for _, fe := range r.Errors {
			fmt.Fprintf(stdout, "row %d: %s: %s\n", r.Row, fe.Field, fe.Message)
		}
	}
	verb := "applied"
	switch {
	case rep.DryRun:
		verb = "dry run, nothing written"
	case !rep.Applied:
		verb = "strict, nothing written"
	}
	fmt.Fprintf(stdout, "%d rows: %d created, %d updated, %d unchanged, %d failed (%s)\n",
		rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Failed, verb)
	if rep.Failed > 0 && !rep.DryRun {
		return fmt.Errorf("%d of %d rows could not be imported", rep.Failed, rep.Rows)
	}
	return nil
}

// webhookKey reads the key that webhook secrets are sealed under from file.
// Without one, a SQLite database keeps its key beside it, made on first start;
// PostgreSQL refuses to start, since its replicas must share one key and none
// of them can make it for the others.
func webhookKey(file, dsn string, log *slog.Logger) (*webhooks.SecretKey, error) {
	if file != "" {
		return webhooks.ReadKeyFile(file)
	}
	if store.IsPostgres(dsn) { // every replica must share the key, so none is made up here
		log.Error("webhooks are off: with PostgreSQL, give --secret-key-file (or $REGISTRY_SECRET_KEY_FILE), " +
			"a file of 32 random bytes (head -c 32 /dev/urandom), the same on every replica, that webhook secrets are encrypted under; " +
			"until then registering a webhook or rotating its secret answers 503 and deliveries fail with this reason")
		return nil, nil
	}
	file = dsn + ".secret-key"
	key, created, err := webhooks.ReadOrCreateKeyFile(file)
	if created {
		log.Info("created the key webhook secrets are encrypted under, beside the database (mode 0600): "+
			"back it up apart from the database; without it the database's webhook secrets cannot be read", "file", file)
	}
	return key, err
}

// cliActor is who the audit log names for changes made on the server's own command line.
var cliActor = models.Actor{Key: "command-line", Role: models.RoleAdmin}

// redact hides a password in a database URL before it is logged.
func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 && strings.Contains(dsn, "://") {
		return dsn[:strings.Index(dsn, "://")+3] + "…" + dsn[i:]
	}
	return dsn
}
