// Package store opens the database (SQLite by default, PostgreSQL to scale out), runs the embedded
// migrations and runs every operation in one transaction. It knows the small differences between
// the two dialects and nothing of the domain.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect names the database engine behind a DB.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

//go:embed migrations
var migrations embed.FS

// DB is an open database. Writes go through W; reads through R. On SQLite W holds a single
// connection whose transactions begin IMMEDIATE, so writers queue in Go instead of failing with
// SQLITE_BUSY; R is a pool of readers that WAL lets run beside the writer. On PostgreSQL they are
// two pools of the same server.
type DB struct {
	W, R    *sql.DB
	Dialect Dialect
	DSN     string

	// AfterCommit, when set, is handed the notes a committed transaction sent (the live-event
	// bus, on SQLite). On PostgreSQL the notes also travel inside the transaction (pg_notify)
	// and every instance hears them at commit.
	AfterCommit func(notes []Note)

	// writers queues write transactions first come, first served, one per write connection.
	// database/sql hands a freed connection to a random waiter, so with more writers than
	// connections some waited seconds while others went straight through; a channel serves the
	// goroutines waiting to send in the order they came.
	writers chan struct{}
	// stmts holds the write connection's prepared statements by query text (SQLite only; pgx
	// keeps a statement cache per connection of its own). The SQLite driver otherwise compiles
	// every statement anew, a third to a half of the time of a small write transaction.
	stmts  sync.Map // string -> *sql.Stmt
	nstmts atomic.Int32

	// serving is the shared lock on the SQLite file's lock file that tells a restore the
	// database is in use (nil on PostgreSQL).
	serving *os.File
}

// maxStmts bounds the statement cache; queries are constant texts, so it never fills in practice.
const maxStmts = 1000

// Open opens a PostgreSQL database when url starts with postgres:// or postgresql://, and
// otherwise an SQLite file at path dataDir/qhall.db (dataDir is created). It runs the migrations.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	var db *DB
	var err error
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		db, err = openPostgres(url)
	} else {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
		path := filepath.Join(dataDir, "qhall.db")
		lock, lerr := holdServingLock(path)
		if lerr != nil {
			return nil, lerr
		}
		if db, err = OpenSQLiteFile(path); err != nil {
			lock.Close()
		} else {
			db.serving = lock
		}
	}
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// OpenSQLiteFile opens (without migrating) an SQLite database file with settings that hold under
// load: busy_timeout first, WAL, synchronous=FULL, foreign keys on.
//
// synchronous=FULL makes every commit wait for the WAL to reach the disk (an fsync per
// transaction): a ticket the kiosk printed survives a power cut. NORMAL syncs only at
// checkpoints, so the last commits before a power cut can vanish although the citizen holds
// their paper ticket. The cost is measured in docs/BENCHMARKS.md.
func OpenSQLiteFile(path string) (*DB, error) {
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&mode=ro")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	if err := w.Ping(); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return &DB{W: w, R: r, Dialect: SQLite, DSN: path, writers: make(chan struct{}, 1)}, nil
}

// PostgreSQL pools: reads have their own, so that the live screens' state reads and the
// sign-in checks of every request never queue behind a crowd of write transactions (under 200
// writers the hall's screens got a state every second or so instead of every 25 ms).
const pgWriteConns, pgReadConns = 30, 10

func openPostgres(url string) (*DB, error) {
	pool := func(n int) (*sql.DB, error) {
		p, err := sql.Open("pgx", url)
		if err != nil {
			return nil, err
		}
		p.SetMaxOpenConns(n)
		p.SetMaxIdleConns(n)
		p.SetConnMaxIdleTime(5 * time.Minute)
		return p, nil
	}
	w, err := pool(pgWriteConns)
	if err != nil {
		return nil, err
	}
	r, err := pool(pgReadConns)
	if err != nil {
		w.Close()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &DB{W: w, R: r, Dialect: Postgres, DSN: url, writers: make(chan struct{}, pgWriteConns)}, nil
}

// Migrate brings the schema up to date. On PostgreSQL a session advisory lock keeps several
// instances that start together from migrating at once.
func (db *DB) Migrate(ctx context.Context) error {
	sub, err := dialectMigrations(db.Dialect)
	if err != nil {
		return err
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.W, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// identity is each dialect's auto-numbered primary key; the migrations write @ID@ for it, so one
// file serves both engines and the two schemas cannot drift apart.
var identity = map[Dialect]string{
	SQLite:   "INTEGER PRIMARY KEY AUTOINCREMENT",
	Postgres: "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
}

// dialectMigrations are the migration files for d. A version is one file for both engines
// (NNNNN_name.sql), or, where the engines differ, a pair NNNNN_name.sqlite.sql and
// NNNNN_name.postgres.sql of which each engine reads its own.
func dialectMigrations(d Dialect) (fs.FS, error) {
	entries, err := migrations.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	out := fstest.MapFS{}
	for _, e := range entries {
		name := e.Name()
		for _, other := range []Dialect{SQLite, Postgres} {
			suffix := "." + other.String() + ".sql"
			if !strings.HasSuffix(name, suffix) {
				continue
			}
			if other != d {
				name = ""
				break
			}
			name = strings.TrimSuffix(name, suffix) + ".sql"
		}
		if name == "" {
			continue
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("migrations: %s is given twice for %s", name, d)
		}
		b, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out[name] = &fstest.MapFile{Data: []byte(strings.ReplaceAll(string(b), "@ID@", identity[d]))}
	}
	return out, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	err := db.W.Close()
	if db.R != db.W {
		if e := db.R.Close(); err == nil {
			err = e
		}
	}
	if db.serving != nil {
		db.serving.Close()
	}
	return err
}

var rebound sync.Map

// Rebind turns the ? placeholders of a query into PostgreSQL's $1, $2, ... Queries are written
// once with ?, and no query holds a literal question mark.
func (db *DB) Rebind(q string) string {
	if db.Dialect != Postgres {
		return q
	}
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	rebound.Store(q, b.String())
	return b.String()
}

// Query, QueryRow and Exec read outside a transaction (through R).
func (db *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.R.QueryContext(ctx, db.Rebind(q), args...)
}

func (db *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.R.QueryRowContext(ctx, db.Rebind(q), args...)
}

// Tx is one write transaction.
type Tx struct {
	tx      *sql.Tx
	db      *DB
	notes   []Note
	prepare []string // queries to add to the statement cache after commit
}

// stmt is the cached prepared statement of q bound to the transaction, or nil: then q runs
// unprepared this time and is prepared after commit (preparing on the pool now would wait for
// the one write connection, which this transaction holds).
func (t *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if t.db.Dialect != SQLite {
		return nil
	}
	if v, ok := t.db.stmts.Load(q); ok {
		return t.tx.StmtContext(ctx, v.(*sql.Stmt))
	}
	t.prepare = append(t.prepare, q)
	return nil
}

func (t *Tx) Dialect() Dialect { return t.db.Dialect }

func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, t.db.Rebind(q), args...)
}

func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := t.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.db.Rebind(q), args...)
}

func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, t.db.Rebind(q), args...)
}

// Note is a message a transaction sends on a channel, delivered only if it commits.
type Note struct{ Channel, Payload string }

// Notify sends payload on channel when the transaction commits: on PostgreSQL by NOTIFY inside
// the transaction (so every instance hears it at commit, never before, never after a rollback),
// on SQLite through AfterCommit. The same note twice in one transaction is sent once.
func (t *Tx) Notify(ctx context.Context, channel, payload string) error {
	n := Note{channel, payload}
	for _, x := range t.notes {
		if x == n {
			return nil
		}
	}
	t.notes = append(t.notes, n)
	if t.db.Dialect == Postgres {
		if _, err := t.tx.ExecContext(ctx, "SELECT pg_notify($1, $2)", channel, payload); err != nil {
			return fmt.Errorf("store: notify %s: %w", channel, err)
		}
	}
	return nil
}

// Querier is what reads need: a DB (outside a transaction) or a Tx.
type Querier interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// InTx runs fn in one write transaction and commits it when fn returns nil. A transaction that
// lost a serialization race or a deadlock on PostgreSQL, or found SQLite busy, is run again
// from the start, a few times.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = db.inTxOnce(ctx, fn)
		if err == nil || !retryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

func (db *DB) inTxOnce(ctx context.Context, fn func(tx *Tx) error) error {
	if db.writers != nil {
		select {
		case db.writers <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-db.writers }()
	}
	sqlTx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	t := &Tx{tx: sqlTx, db: db}
	if err := fn(t); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return err
	}
	for _, q := range t.prepare {
		if _, ok := db.stmts.Load(q); ok || db.nstmts.Load() >= maxStmts {
			continue
		}
		if st, err := db.W.PrepareContext(ctx, q); err == nil {
			db.stmts.Store(q, st)
			db.nstmts.Add(1)
		}
	}
	if db.AfterCommit != nil && len(t.notes) > 0 {
		db.AfterCommit(t.notes)
	}
	return nil
}

func retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return false
}

// IsUniqueViolation tells whether err is a unique-constraint violation on either engine.
func IsUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// Int64s runs a query whose rows are one integer each (ids, mostly) and returns them.
func Int64s(ctx context.Context, q Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
