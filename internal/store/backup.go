package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Backup writes a consistent copy of the SQLite database to dst (which must not exist) while
// the server goes on serving: VACUUM INTO reads one snapshot in a read transaction (WAL lets
// writers go on beside it) and writes a compact, self-contained file. On PostgreSQL use
// pg_dump (see README).
func (db *DB) Backup(ctx context.Context, dst string) error {
	if db.Dialect != SQLite {
		return errors.New("backup: qhall backup copies SQLite databases; for PostgreSQL use pg_dump (README)")
	}
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("backup: %s exists", dst)
	}
	abs, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := db.R.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup: %w", err)
	}
	// VACUUM INTO does not sync the new file: a backup is only one once it is on disk.
	f, err := os.Open(abs)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// lockFile is beside the database file; a serving qhall holds a shared lock on it, and a
// restore takes it exclusively, so a restore never replaces the file under a running server.
func lockFile(dbPath string) string { return dbPath + ".lock" }

// holdServingLock takes the shared lock that marks the SQLite file as in use.
func holdServingLock(dbPath string) (*os.File, error) {
	f, err := os.OpenFile(lockFile(dbPath), os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s is being restored: %w", dbPath, err)
	}
	return f, nil
}

// ErrInUse is Restore's answer while a qhall holds the database.
var ErrInUse = errors.New("restore: the database is in use by a running qhall; stop it first")

// Restore puts the backup src in place of the SQLite database in dataDir. It refuses while a
// qhall holds the database, checks that src is a sound qhall database first, and replaces the
// file in one rename (the old one is kept as qhall.db.before-restore).
func Restore(ctx context.Context, src, dataDir string) error {
	dbPath := filepath.Join(dataDir, "qhall.db")
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	lf, err := os.OpenFile(lockFile(dbPath), os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer lf.Close()
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return ErrInUse
	}
	defer syscall.Flock(int(lf.Fd()), syscall.LOCK_UN)
	if err := checkBackup(ctx, src); err != nil {
		return err
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if _, err := os.Stat(dbPath); err == nil {
		if err := os.Rename(dbPath, dbPath+".before-restore"); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	// The old file's write-ahead log belongs to the old file.
	os.Remove(dbPath + "-wal")
	os.Remove(dbPath + "-shm")
	if err := os.Rename(tmp, dbPath); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if d, err := os.Open(dataDir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// checkBackup opens src read-only and asks SQLite to check it, and that it is qhall's.
func checkBackup(ctx context.Context, src string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+src+"?mode=ro")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok); err != nil || ok != "ok" {
		return fmt.Errorf("restore: %s is not a sound SQLite database (%v %s)", src, err, ok)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM goose_db_version").Scan(&n); err != nil {
		return fmt.Errorf("restore: %s is not a qhall database: %w", src, err)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := out.ReadFrom(in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
