package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/qhall/qhall/internal/app"
	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// passwd sets a staff account's password on the configured database (SQLite or PostgreSQL):
// read from a prompt on a terminal (twice, not echoed), else the first line of standard input.
func passwd(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: qhall passwd USER   (the new password is read from standard input, or asked for on a terminal)")
		return 2
	}
	user := args[0]
	pw, err := readPassword(user, stdin, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "qhall passwd:", err)
		return 1
	}
	cfg := app.FromEnv()
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		fmt.Fprintln(stderr, "qhall passwd:", err)
		return 1
	}
	defer db.Close()
	err = db.InTx(ctx, func(tx *store.Tx) error {
		return staff.SetPassword(ctx, tx, staff.Actor{Username: "qhall passwd"}, time.Now(), user, pw)
	})
	if e := apperr.As(err); e != nil {
		if e.Kind == apperr.NotFound {
			fmt.Fprintf(stderr, "qhall passwd: there is no account %q\n", user)
		} else {
			fmt.Fprintf(stderr, "qhall passwd: %s: %v\n", user, fmt.Sprint(e.Args...))
		}
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "qhall passwd:", err)
		return 1
	}
	fmt.Fprintf(stdout, "The password of %s is set; its sessions have ended.\n", user)
	return 0
}

func readPassword(user string, stdin *os.File, stderr io.Writer) (string, error) {
	if term.IsTerminal(int(stdin.Fd())) {
		fmt.Fprintf(stderr, "New password for %s: ", user)
		a, err := term.ReadPassword(int(stdin.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "Once more: ")
		b, err := term.ReadPassword(int(stdin.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input")
	}
	return line, nil
}
