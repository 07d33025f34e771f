package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/riverqueue/river"

	"github.com/debrief-dev/debrief/api"
	"github.com/debrief-dev/debrief/frontend"
	"github.com/debrief-dev/debrief/internal/accounts"
	"github.com/debrief-dev/debrief/internal/actor"
	"github.com/debrief-dev/debrief/internal/apperr"
	"github.com/debrief-dev/debrief/internal/availability"
	"github.com/debrief-dev/debrief/internal/bookings"
	"github.com/debrief-dev/debrief/internal/calconn"
	"github.com/debrief-dev/debrief/internal/calendar"
	"github.com/debrief-dev/debrief/internal/calendar/builtin"
	"github.com/debrief-dev/debrief/internal/config"
	"github.com/debrief-dev/debrief/internal/database"
	"github.com/debrief-dev/debrief/internal/demo"
	"github.com/debrief-dev/debrief/internal/events"
	"github.com/debrief-dev/debrief/internal/guides"
	"github.com/debrief-dev/debrief/internal/httpapi"
	"github.com/debrief-dev/debrief/internal/jobs"
	"github.com/debrief-dev/debrief/internal/langcheck"
	"github.com/debrief-dev/debrief/internal/oidc"
	"github.com/debrief-dev/debrief/internal/people"
	"github.com/debrief-dev/debrief/internal/settings"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// usageError means the command line was wrong; main exits 2 for it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

const usage = `Debrief — learn from incidents by talking to people.

Usage:
  debrief serve                      start the web service (applies migrations first)
  debrief migrate up|status          apply or list database migrations
  debrief admin create-user --email E --name N --role R
                                     add an account; the password is read as one line from stdin
  debrief admin reset-password --email E
                                     set a new password, read as one line from stdin
  debrief admin create-token --email E --name LABEL
                                     print a new API token for the account (shown once)
  debrief demo                       load the demo organization (people and events)
  debrief version                    print the version

Configuration comes from DEBRIEF_* environment variables; see README.md.
`

// run is the whole program. Its dependencies are parameters so tests can
// start the real server in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		_, _ = fmt.Fprint(stderr, usage)
		return usagef("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "help", "-h", "--help":
		_, _ = fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version":
		_, _ = fmt.Fprintln(stdout, "debrief", version)
		return nil
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	switch cmd {
	case "serve":
		if err := noArgs("serve", rest); err != nil {
			return err
		}
		return serve(ctx, cfg, log, stdout)
	case "migrate":
		return migrate(ctx, cfg, log, rest, stdout)
	case "admin":
		return admin(ctx, cfg, log, rest, stdin, stdout, stderr)
	case "demo":
		if err := noArgs("demo", rest); err != nil {
			return err
		}
		return loadDemo(ctx, cfg, log, stdout)
	}
	return usagef("unknown command %q", cmd)
}

func noArgs(cmd string, rest []string) error {
	if len(rest) > 0 {
		return usagef("%s takes no arguments (got %q)", cmd, strings.Join(rest, " "))
	}
	return nil
}

// app is the wired set of services shared by the commands.
type app struct {
	db           *database.DB
	accounts     *accounts.Service
	people       *people.Service
	events       *events.Service
	guides       *guides.Service
	bookings     *bookings.Service
	availability *availability.Service
	jobs         *jobs.Runner
	calendarConn *calconn.Service
}

func open(ctx context.Context, cfg config.Config, log *slog.Logger, migrateFirst bool) (_ *app, err error) {
	db, err := database.Open(ctx, database.OptionsFrom(cfg, log))
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = db.Close()
		}
	}()
	if migrateFirst {
		n, err := db.Migrate(ctx)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			log.Info("applied migrations", slog.Int("count", n))
		}
	} else if err := db.Current(ctx); err != nil {
		return nil, fmt.Errorf("%w; run `debrief migrate up` first", err)
	}
	acc, err := accounts.NewService(db.Gorm, accounts.Options{
		SessionTTL: cfg.SessionTTL, SignInLimit: cfg.SignInLimit, SignInWindow: cfg.SignInWindow,
	})
	if err != nil {
		return nil, err
	}
	ppl := people.NewService(db.Gorm)
	if err := ppl.EnsureDefaultLevels(ctx); err != nil {
		return nil, err
	}
	ev := events.NewService(db.Gorm)
	gs := guides.NewService(db.Gorm, ev, ppl)
	if err := gs.EnsureBuiltins(ctx); err != nil {
		return nil, err
	}

	// Calendars: Google when connected (from the environment, or by an
	// admin in Settings at run time), otherwise the built-in calendar,
	// which needs nothing outside Debrief. The Manager is registered once
	// and follows connect/disconnect.
	var envCreds []byte
	if cfg.GoogleCredFile != "" {
		if envCreds, err = os.ReadFile(cfg.GoogleCredFile); err != nil {
			return nil, fmt.Errorf("DEBRIEF_GOOGLE_CREDENTIALS_FILE: %w", err)
		}
	}
	cc, err := calconn.New(ctx, db.Gorm, calconn.Config{
		SecretKey: cfg.SecretKey, EnvCredentialsJSON: envCreds, EnvOrganizer: cfg.GoogleOrganizer,
		Endpoint: cfg.GoogleEndpoint, DefaultConference: cfg.GoogleConference,
		OAuth: calconn.OAuthClient{ClientID: cfg.GoogleOAuthClientID, ClientSecret: cfg.GoogleOAuthClientSecret,
			AuthURL: cfg.GoogleAuthURL, TokenURL: cfg.GoogleTokenURL},
		Log: log,
	})
	if err != nil {
		return nil, err
	}
	gm := cc.Manager()
	providers := map[string]calendar.Provider{bookings.ProviderGoogle: gm}
	queue := &jobs.BookingQueue{}
	// Bookings go to Google while it is connected and to the built-in
	// calendar otherwise; an admin may connect or disconnect at any time.
	bk := bookings.NewService(db.Gorm, providers, queue, bookings.WithDefaults(func() (string, string) {
		if gm.Connected() {
			return bookings.ProviderGoogle, gm.Organizer()
		}
		return bookings.ProviderBuiltin, ""
	}))
	runner, err := jobs.New(db, log, jobs.Config{
		RetryBase: cfg.JobRetryBase, MaxAttempts: cfg.JobMaxAttempts, JobTimeout: cfg.JobTimeout,
		PollInterval: cfg.JobPollInterval, RescueAfter: cfg.JobRescueAfter, RetryCap: cfg.JobRetryCap, Periodic: jobs.BookingPeriodic(cfg.SyncInterval),
	}, func(w *river.Workers) { jobs.RegisterBookingWorkers(w, bk) })
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	queue.Bind(runner)
	if migrateFirst {
		if err := runner.Migrate(ctx); err != nil {
			return nil, fmt.Errorf("job queue migrations: %w", err)
		}
	}
	// Free/busy from Google while it is connected, else the built-in calendar.
	readCalendars := gm.OrElse(builtin.New(busySource(bk.BusyForCalendars), builtin.Options{}))
	av := availability.NewService(ppl, bk, readCalendars)
	return &app{db: db, accounts: acc, people: ppl, events: ev, guides: gs, bookings: bk, availability: av, jobs: runner,
		calendarConn: cc}, nil
}

// busySource lets the built-in calendar read Debrief's own bookings.
type busySource func(ctx context.Context, calendars []string, start, end time.Time) (map[string][]calendar.Interval, error)

func (f busySource) Busy(ctx context.Context, calendars []string, start, end time.Time) (map[string][]calendar.Interval, error) {
	return f(ctx, calendars, start, end)
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, stdout io.Writer) error {
	if cfg.Dialect == config.Postgres && cfg.SecretKey == "" {
		return errors.New("DEBRIEF_SECRET_KEY: required when running on PostgreSQL (shared by every serve process); `openssl rand -hex 32` makes one")
	}
	if err := cfg.EnsureSecretKey(); err != nil {
		return err
	}
	// Sign in with Google: optional; the provider is contacted at the
	// first sign-in, not here, so serve starts while it is unreachable.
	var sso *oidc.RelyingParty
	if cfg.OIDCIssuer != "" {
		var err error
		sso, err = oidc.New(oidc.Config{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID,
			ClientSecret: cfg.OIDCClientSecret, AllowedDomains: cfg.OIDCAllowedDomains, SecretKey: []byte(cfg.SecretKey)})
		if err != nil {
			return fmt.Errorf("DEBRIEF_OIDC_ISSUER: %w", err)
		}
	}
	a, err := open(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer func() { _ = a.db.Close() }()

	web, err := fs.Sub(frontend.Dist, "dist")
	if err != nil {
		return fmt.Errorf("web app files: %w", err)
	}
	checker, err := langcheck.New()
	if err != nil {
		return fmt.Errorf("language checker: %w", err)
	}
	srv := httpapi.New(httpapi.Deps{
		Log: log, DB: a.db, Accounts: a.accounts, People: a.people, Events: a.events, Guides: a.guides, Language: checker,
		Settings: settings.NewService(a.db.Gorm), Bookings: a.bookings, Availability: a.availability, OIDC: sso,
		CalendarConn: a.calendarConn, Web: web, OpenAPI: api.Spec, Version: version, MaxBodyBytes: cfg.MaxBodyBytes,
		SecureCookies: cfg.SecureCookies, BaseURL: cfg.BaseURL,
	})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (DEBRIEF_ADDR): %w", cfg.Addr, err)
	}
	url := cfg.URL(ln.Addr().String())
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	// Jobs run until the process is asked to stop; they get their own
	// context so that Stop, not the signal, decides when work ends.
	if err := a.jobs.Start(context.WithoutCancel(ctx)); err != nil {
		_ = hs.Close()
		return fmt.Errorf("start jobs: %w", err)
	}

	_, _ = fmt.Fprintf(stdout, "Debrief is running at %s\n", url)
	tok, err := a.accounts.IssueSetupToken(ctx)
	if err != nil {
		return err
	}
	if tok != "" {
		_, _ = fmt.Fprintf(stdout, "No accounts yet. Create the first admin at: %s/setup?token=%s\n", url, tok)
		_, _ = fmt.Fprintln(stdout, `  (or: echo 'a-long-password' | debrief admin create-user --email you@example.com --name "Your Name" --role admin)`)
	} else {
		_, _ = fmt.Fprintf(stdout, "Sign in at %s/sign-in\n", url)
	}

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	herr := hs.Shutdown(shutCtx)
	if err := a.jobs.Stop(shutCtx); err != nil {
		log.Warn("stopping jobs", slog.Any("error", err))
	}
	if herr != nil {
		return fmt.Errorf("shut down: %w", herr)
	}
	return nil
}

func migrate(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 || (args[0] != "up" && args[0] != "status") {
		return usagef("migrate needs exactly one of: up, status")
	}
	db, err := database.Open(ctx, database.OptionsFrom(cfg, log))
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	if args[0] == "up" {
		n, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		_, _ = fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
		return nil
	}
	st, err := db.Status(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT")
	for _, m := range st {
		state, at := "pending", ""
		if m.Applied {
			state, at = "applied", m.AppliedAt.UTC().Format(time.RFC3339)
		}
		_, _ = fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", m.Version, m.Name, state, at)
	}
	return tw.Flush()
}

func admin(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("admin needs a subcommand: create-user, reset-password or create-token")
	}
	fsFlags := flag.NewFlagSet("admin "+args[0], flag.ContinueOnError)
	fsFlags.SetOutput(stderr)
	email := fsFlags.String("email", "", "account email")
	var name, role *string
	switch args[0] {
	case "create-user":
		name = fsFlags.String("name", "", "full name")
		role = fsFlags.String("role", "", "admin, facilitator, member or leader")
	case "create-token":
		name = fsFlags.String("name", "", "a label for the token, e.g. \"ci export\"")
	case "reset-password":
	default:
		return usagef("unknown admin subcommand %q", args[0])
	}
	if err := fsFlags.Parse(args[1:]); err != nil {
		return usagef("%v", err)
	}
	if fsFlags.NArg() > 0 {
		return usagef("unexpected argument %q", fsFlags.Arg(0))
	}
	if *email == "" {
		return usagef("--email is required")
	}
	if name != nil && *name == "" {
		return usagef("--name is required")
	}
	if role != nil {
		if _, err := actor.ParseRole(*role); err != nil {
			return usagef("--role: %v", err)
		}
	}
	a, err := open(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer func() { _ = a.db.Close() }()
	system := actor.Actor{Role: actor.Admin, Name: "debrief admin"}
	switch args[0] {
	case "create-user":
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		u, err := a.accounts.CreateUser(ctx, system, accounts.NewUser{Email: *email, Name: *name, Role: *role, Password: pw})
		if err != nil {
			return explain(err)
		}
		_, _ = fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Email, u.ID)
	case "reset-password":
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		u, err := a.accounts.UserByEmail(ctx, *email)
		if err != nil {
			return explain(err)
		}
		if _, err := a.accounts.UpdateUser(ctx, system, u.ID, accounts.UserPatch{Password: &pw}); err != nil {
			return explain(err)
		}
		_, _ = fmt.Fprintf(stdout, "password changed for %s; their sessions were ended\n", u.Email)
	case "create-token":
		t, err := a.accounts.CreateTokenFor(ctx, *email, *name)
		if err != nil {
			return explain(err)
		}
		_, _ = fmt.Fprintln(stdout, t.Token)
		_, _ = fmt.Fprintln(stderr, "This token is shown once. Send it as `Authorization: Bearer <token>`.")
	}
	return nil
}

func readPassword(stdin io.Reader) (string, error) {
	if stdin == nil {
		return "", errors.New("no standard input to read the password from")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usagef("no password on standard input; pipe it in, e.g. `echo 'a-long-password' | debrief admin create-user ...`")
	}
	return pw, nil
}

// explain turns validation errors into one readable message for the CLI.
func explain(err error) error {
	ae, ok := apperr.As(err)
	if !ok || len(ae.Fields) < 2 {
		return err
	}
	msgs := make([]string, len(ae.Fields))
	for i, f := range ae.Fields {
		msgs[i] = f.Field + " " + f.Message
	}
	return fmt.Errorf("%s: %s", ae.Message, strings.Join(msgs, "; "))
}

func loadDemo(ctx context.Context, cfg config.Config, log *slog.Logger, stdout io.Writer) error {
	a, err := open(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer func() { _ = a.db.Close() }()
	sum, err := demo.Load(ctx, demo.Deps{DB: a.db.Gorm, People: a.people, Events: a.events, Accounts: a.accounts})
	if err != nil {
		return err
	}
	_, _ = fmt.Fprintln(stdout, sum)
	return nil
}
